/**
 * arXiv's OAI `oai_dc` records name subjects in words (`Computer Science - Machine Learning`)
 * and give the code only for the archive (`cs`), so `cat:cs.LG` also looks for the name.
 * The subjects of cs, stat and eess, from arXiv's category taxonomy; other archives match by
 * archive (`cat:math`) or by code where a source gives codes.
 */
const CS: Record<string, string> = {
  AI: 'Artificial Intelligence',
  AR: 'Hardware Architecture',
  CC: 'Computational Complexity',
  CE: 'Computational Engineering, Finance, and Science',
  CG: 'Computational Geometry',
  CL: 'Computation and Language',
  CR: 'Cryptography and Security',
  CV: 'Computer Vision and Pattern Recognition',
  CY: 'Computers and Society',
  DB: 'Databases',
  DC: 'Distributed, Parallel, and Cluster Computing',
  DL: 'Digital Libraries',
  DM: 'Discrete Mathematics',
  DS: 'Data Structures and Algorithms',
  ET: 'Emerging Technologies',
  FL: 'Formal Languages and Automata Theory',
  GL: 'General Literature',
  GR: 'Graphics',
  GT: 'Computer Science and Game Theory',
  HC: 'Human-Computer Interaction',
  IR: 'Information Retrieval',
  IT: 'Information Theory',
  LG: 'Machine Learning',
  LO: 'Logic in Computer Science',
  MA: 'Multiagent Systems',
  MM: 'Multimedia',
  MS: 'Mathematical Software',
  NA: 'Numerical Analysis',
  NE: 'Neural and Evolutionary Computing',
  NI: 'Networking and Internet Architecture',
  OH: 'Other Computer Science',
  OS: 'Operating Systems',
  PF: 'Performance',
  PL: 'Programming Languages',
  RO: 'Robotics',
  SC: 'Symbolic Computation',
  SD: 'Sound',
  SE: 'Software Engineering',
  SI: 'Social and Information Networks',
  SY: 'Systems and Control',
};
const STAT: Record<string, string> = {
  AP: 'Applications',
  CO: 'Computation',
  ME: 'Methodology',
  ML: 'Machine Learning',
  OT: 'Other Statistics',
  TH: 'Statistics Theory',
};
const EESS: Record<string, string> = {
  AS: 'Audio and Speech Processing',
  IV: 'Image and Video Processing',
  SP: 'Signal Processing',
  SY: 'Systems and Control',
};
const ARCHIVES: Record<string, [string, Record<string, string>]> = {
  cs: ['Computer Science', CS],
  stat: ['Statistics', STAT],
  eess: ['Electrical Engineering and Systems Science', EESS],
};

/** `cs.LG` → `Computer Science - Machine Learning`; undefined when not known. */
export function categoryName(code: string): string | undefined {
  const [archive, subject] = code.split('.');
  if (!archive || !subject) return undefined;
  const entry = ARCHIVES[archive];
  const name = entry?.[1][subject];
  return entry && name ? `${entry[0]} - ${name}` : undefined;
}
