/**
 * New papers by category and day, fast at millions of papers: one row per (category, paper)
 * in `paper_categories`, keyed so that "cs.LG on 2024-01-02, newest first" is one index range.
 *
 * The rows are kept by triggers on `papers`, so the import path needs no change and no import
 * can leave them stale: an insert adds a paper's categories, an update of its view or date
 * replaces them, and a deleted paper's rows go by the foreign key.
 *
 * Categories are stored as arXiv codes. arXiv's OAI `oai_dc` records name subjects in words
 * (`Computer Science - Machine Learning`) and give only the archive (`cs`) as a code, so the
 * names are turned into codes through `category_codes` (arXiv's taxonomy, frozen here: a
 * migration never changes once shipped). A subject also lists its paper under its archive
 * (`cs.LG` → `cs`, `astro-ph.CO` → `astro-ph`), as arXiv's own listings do. Values with digits
 * (MSC and ACM classes that some records put among their categories) are left out.
 */
const TAXONOMY: [string, string][] = [
  ['Astrophysics', 'astro-ph'],
  ['Astrophysics - Astrophysics of Galaxies', 'astro-ph.GA'],
  ['Astrophysics - Cosmology and Nongalactic Astrophysics', 'astro-ph.CO'],
  ['Astrophysics - Earth and Planetary Astrophysics', 'astro-ph.EP'],
  ['Astrophysics - High Energy Astrophysical Phenomena', 'astro-ph.HE'],
  ['Astrophysics - Instrumentation and Methods for Astrophysics', 'astro-ph.IM'],
  ['Astrophysics - Solar and Stellar Astrophysics', 'astro-ph.SR'],
  ['Condensed Matter', 'cond-mat'],
  ['Condensed Matter - Disordered Systems and Neural Networks', 'cond-mat.dis-nn'],
  ['Condensed Matter - Materials Science', 'cond-mat.mtrl-sci'],
  ['Condensed Matter - Mesoscale and Nanoscale Physics', 'cond-mat.mes-hall'],
  ['Condensed Matter - Other Condensed Matter', 'cond-mat.other'],
  ['Condensed Matter - Quantum Gases', 'cond-mat.quant-gas'],
  ['Condensed Matter - Soft Condensed Matter', 'cond-mat.soft'],
  ['Condensed Matter - Statistical Mechanics', 'cond-mat.stat-mech'],
  ['Condensed Matter - Strongly Correlated Electrons', 'cond-mat.str-el'],
  ['Condensed Matter - Superconductivity', 'cond-mat.supr-con'],
  ['Computer Science - Artificial Intelligence', 'cs.AI'],
  ['Computer Science - Hardware Architecture', 'cs.AR'],
  ['Computer Science - Computational Complexity', 'cs.CC'],
  ['Computer Science - Computational Engineering, Finance, and Science', 'cs.CE'],
  ['Computer Science - Computational Geometry', 'cs.CG'],
  ['Computer Science - Computation and Language', 'cs.CL'],
  ['Computer Science - Cryptography and Security', 'cs.CR'],
  ['Computer Science - Computer Vision and Pattern Recognition', 'cs.CV'],
  ['Computer Science - Computers and Society', 'cs.CY'],
  ['Computer Science - Databases', 'cs.DB'],
  ['Computer Science - Distributed, Parallel, and Cluster Computing', 'cs.DC'],
  ['Computer Science - Digital Libraries', 'cs.DL'],
  ['Computer Science - Discrete Mathematics', 'cs.DM'],
  ['Computer Science - Data Structures and Algorithms', 'cs.DS'],
  ['Computer Science - Emerging Technologies', 'cs.ET'],
  ['Computer Science - Formal Languages and Automata Theory', 'cs.FL'],
  ['Computer Science - General Literature', 'cs.GL'],
  ['Computer Science - Graphics', 'cs.GR'],
  ['Computer Science - Computer Science and Game Theory', 'cs.GT'],
  ['Computer Science - Human-Computer Interaction', 'cs.HC'],
  ['Computer Science - Information Retrieval', 'cs.IR'],
  ['Computer Science - Information Theory', 'cs.IT'],
  ['Computer Science - Machine Learning', 'cs.LG'],
  ['Computer Science - Logic in Computer Science', 'cs.LO'],
  ['Computer Science - Multiagent Systems', 'cs.MA'],
  ['Computer Science - Multimedia', 'cs.MM'],
  ['Computer Science - Mathematical Software', 'cs.MS'],
  ['Computer Science - Numerical Analysis', 'cs.NA'],
  ['Computer Science - Neural and Evolutionary Computing', 'cs.NE'],
  ['Computer Science - Networking and Internet Architecture', 'cs.NI'],
  ['Computer Science - Other Computer Science', 'cs.OH'],
  ['Computer Science - Operating Systems', 'cs.OS'],
  ['Computer Science - Performance', 'cs.PF'],
  ['Computer Science - Programming Languages', 'cs.PL'],
  ['Computer Science - Robotics', 'cs.RO'],
  ['Computer Science - Symbolic Computation', 'cs.SC'],
  ['Computer Science - Sound', 'cs.SD'],
  ['Computer Science - Software Engineering', 'cs.SE'],
  ['Computer Science - Social and Information Networks', 'cs.SI'],
  ['Computer Science - Systems and Control', 'cs.SY'],
  ['Economics - Econometrics', 'econ.EM'],
  ['Economics - General Economics', 'econ.GN'],
  ['Economics - Theoretical Economics', 'econ.TH'],
  ['Electrical Engineering and Systems Science - Audio and Speech Processing', 'eess.AS'],
  ['Electrical Engineering and Systems Science - Image and Video Processing', 'eess.IV'],
  ['Electrical Engineering and Systems Science - Signal Processing', 'eess.SP'],
  ['Electrical Engineering and Systems Science - Systems and Control', 'eess.SY'],
  ['General Relativity and Quantum Cosmology', 'gr-qc'],
  ['High Energy Physics - Experiment', 'hep-ex'],
  ['High Energy Physics - Lattice', 'hep-lat'],
  ['High Energy Physics - Phenomenology', 'hep-ph'],
  ['High Energy Physics - Theory', 'hep-th'],
  ['Mathematical Physics', 'math-ph'],
  ['Mathematics - Commutative Algebra', 'math.AC'],
  ['Mathematics - Algebraic Geometry', 'math.AG'],
  ['Mathematics - Analysis of PDEs', 'math.AP'],
  ['Mathematics - Algebraic Topology', 'math.AT'],
  ['Mathematics - Classical Analysis and ODEs', 'math.CA'],
  ['Mathematics - Combinatorics', 'math.CO'],
  ['Mathematics - Category Theory', 'math.CT'],
  ['Mathematics - Complex Variables', 'math.CV'],
  ['Mathematics - Differential Geometry', 'math.DG'],
  ['Mathematics - Dynamical Systems', 'math.DS'],
  ['Mathematics - Functional Analysis', 'math.FA'],
  ['Mathematics - General Mathematics', 'math.GM'],
  ['Mathematics - General Topology', 'math.GN'],
  ['Mathematics - Group Theory', 'math.GR'],
  ['Mathematics - Geometric Topology', 'math.GT'],
  ['Mathematics - History and Overview', 'math.HO'],
  ['Mathematics - Information Theory', 'math.IT'],
  ['Mathematics - K-Theory and Homology', 'math.KT'],
  ['Mathematics - Logic', 'math.LO'],
  ['Mathematics - Metric Geometry', 'math.MG'],
  ['Mathematics - Mathematical Physics', 'math.MP'],
  ['Mathematics - Numerical Analysis', 'math.NA'],
  ['Mathematics - Number Theory', 'math.NT'],
  ['Mathematics - Operator Algebras', 'math.OA'],
  ['Mathematics - Optimization and Control', 'math.OC'],
  ['Mathematics - Probability', 'math.PR'],
  ['Mathematics - Quantum Algebra', 'math.QA'],
  ['Mathematics - Rings and Algebras', 'math.RA'],
  ['Mathematics - Representation Theory', 'math.RT'],
  ['Mathematics - Symplectic Geometry', 'math.SG'],
  ['Mathematics - Spectral Theory', 'math.SP'],
  ['Mathematics - Statistics Theory', 'math.ST'],
  ['Nonlinear Sciences - Adaptation and Self-Organizing Systems', 'nlin.AO'],
  ['Nonlinear Sciences - Chaotic Dynamics', 'nlin.CD'],
  ['Nonlinear Sciences - Cellular Automata and Lattice Gases', 'nlin.CG'],
  ['Nonlinear Sciences - Pattern Formation and Solitons', 'nlin.PS'],
  ['Nonlinear Sciences - Exactly Solvable and Integrable Systems', 'nlin.SI'],
  ['Nuclear Experiment', 'nucl-ex'],
  ['Nuclear Theory', 'nucl-th'],
  ['Physics - Accelerator Physics', 'physics.acc-ph'],
  ['Physics - Atmospheric and Oceanic Physics', 'physics.ao-ph'],
  ['Physics - Applied Physics', 'physics.app-ph'],
  ['Physics - Atomic and Molecular Clusters', 'physics.atm-clus'],
  ['Physics - Atomic Physics', 'physics.atom-ph'],
  ['Physics - Biological Physics', 'physics.bio-ph'],
  ['Physics - Chemical Physics', 'physics.chem-ph'],
  ['Physics - Classical Physics', 'physics.class-ph'],
  ['Physics - Computational Physics', 'physics.comp-ph'],
  ['Physics - Data Analysis, Statistics and Probability', 'physics.data-an'],
  ['Physics - Physics Education', 'physics.ed-ph'],
  ['Physics - Fluid Dynamics', 'physics.flu-dyn'],
  ['Physics - General Physics', 'physics.gen-ph'],
  ['Physics - Geophysics', 'physics.geo-ph'],
  ['Physics - History and Philosophy of Physics', 'physics.hist-ph'],
  ['Physics - Instrumentation and Detectors', 'physics.ins-det'],
  ['Physics - Medical Physics', 'physics.med-ph'],
  ['Physics - Optics', 'physics.optics'],
  ['Physics - Plasma Physics', 'physics.plasm-ph'],
  ['Physics - Popular Physics', 'physics.pop-ph'],
  ['Physics - Physics and Society', 'physics.soc-ph'],
  ['Physics - Space Physics', 'physics.space-ph'],
  ['Quantitative Biology', 'q-bio'],
  ['Quantitative Biology - Biomolecules', 'q-bio.BM'],
  ['Quantitative Biology - Cell Behavior', 'q-bio.CB'],
  ['Quantitative Biology - Genomics', 'q-bio.GN'],
  ['Quantitative Biology - Molecular Networks', 'q-bio.MN'],
  ['Quantitative Biology - Neurons and Cognition', 'q-bio.NC'],
  ['Quantitative Biology - Other Quantitative Biology', 'q-bio.OT'],
  ['Quantitative Biology - Populations and Evolution', 'q-bio.PE'],
  ['Quantitative Biology - Quantitative Methods', 'q-bio.QM'],
  ['Quantitative Biology - Subcellular Processes', 'q-bio.SC'],
  ['Quantitative Biology - Tissues and Organs', 'q-bio.TO'],
  ['Quantitative Finance - Computational Finance', 'q-fin.CP'],
  ['Quantitative Finance - Economics', 'q-fin.EC'],
  ['Quantitative Finance - General Finance', 'q-fin.GN'],
  ['Quantitative Finance - Mathematical Finance', 'q-fin.MF'],
  ['Quantitative Finance - Portfolio Management', 'q-fin.PM'],
  ['Quantitative Finance - Pricing of Securities', 'q-fin.PR'],
  ['Quantitative Finance - Risk Management', 'q-fin.RM'],
  ['Quantitative Finance - Statistical Finance', 'q-fin.ST'],
  ['Quantitative Finance - Trading and Market Microstructure', 'q-fin.TR'],
  ['Quantum Physics', 'quant-ph'],
  ['Statistics - Applications', 'stat.AP'],
  ['Statistics - Computation', 'stat.CO'],
  ['Statistics - Methodology', 'stat.ME'],
  ['Statistics - Machine Learning', 'stat.ML'],
  ['Statistics - Other Statistics', 'stat.OT'],
  ['Statistics - Statistics Theory', 'stat.TH'],
];

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * One row per category code of the paper `rows` yields (its columns `view`, `published`, `id`):
 * named subjects as codes, each subject under its archive as well. (SQLite allows no WITH
 * inside a trigger, hence the repeated subquery.)
 */
const categoryRows = (from: string, view: string, published: string, id: string) => {
  const coded = `SELECT coalesce(cc.code, trim(j.value)) AS code, ${published} AS published, ${id} AS paper_id
    FROM ${from} json_each(${view}, '$.categories') j LEFT JOIN category_codes cc ON cc.name = trim(j.value)
    WHERE ${published} IS NOT NULL AND j.type = 'text' AND j.value NOT GLOB '*[0-9]*' AND trim(j.value) != ''`;
  return `INSERT OR IGNORE INTO paper_categories (category, published, paper_id)
    SELECT code, published, paper_id FROM (${coded})
    UNION
    SELECT substr(code, 1, instr(code, '.') - 1), published, paper_id FROM (${coded}) WHERE instr(code, '.') > 1`;
};

export const trending = `
  CREATE TABLE category_codes (
    name TEXT PRIMARY KEY,
    code TEXT NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO category_codes (name, code) VALUES
    ${TAXONOMY.map(([name, code]) => `(${sqlString(name)}, ${sqlString(code)})`).join(',\n    ')};

  -- Papers without a publication date have no day to be listed under, so they get no rows.
  CREATE TABLE paper_categories (
    category TEXT NOT NULL,
    published TEXT NOT NULL,
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    PRIMARY KEY (category, published, paper_id)
  ) WITHOUT ROWID;
  CREATE INDEX paper_categories_paper ON paper_categories(paper_id);

  CREATE TRIGGER paper_categories_on_insert AFTER INSERT ON papers
  BEGIN
    ${categoryRows('', 'NEW.view', 'NEW.published', 'NEW.id')};
  END;

  CREATE TRIGGER paper_categories_on_update AFTER UPDATE OF view, published ON papers
  BEGIN
    DELETE FROM paper_categories WHERE paper_id = OLD.id;
    ${categoryRows('', 'NEW.view', 'NEW.published', 'NEW.id')};
  END;

  -- The papers already in the knowledge base.
  ${categoryRows('papers p,', 'p.view', 'p.published', 'p.id')};
`;
