import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/cli-helpers.ts';
import { readFixture } from '../../../test/shared.ts';
import { Paperscope } from '../../app/paperscope.ts';
import { loadConfig } from '../../config.ts';
import { ImportService } from '../../services/import.service.ts';
import { defaultRegistry } from '../registry.ts';

/*
 * One paper harvested in all three OAI formats. The oai_dc record is the real one from the
 * captured harvest (1401.4788: `cs` and `math` sets, subjects `Computer Science - Computer Vision
 * and Pattern Recognition` and `Computer Science - Information Theory`); the arXiv and arXivRaw
 * records are HAND-MADE after arXiv's schemas with the categories arXiv lists for it
 * (cs.IT is also math.IT, which is why the harvest put it in the `math` set).
 */
const envelope = (record: string) => `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2026-01-02T03:04:05Z</responseDate>
<request verb="GetRecord">http://export.arxiv.org/oai2</request>
<GetRecord>${record}</GetRecord>
</OAI-PMH>`;
const header = `<header><identifier>oai:arXiv.org:1401.4788</identifier><datestamp>2023-03-07</datestamp><setSpec>cs</setSpec><setSpec>math</setSpec></header>`;
const TITLE =
  'Generalized Bhattacharyya and Chernoff upper bounds on Bayes error using quasi-arithmetic means';

const oaiDc = () => {
  const page = readFixture('arxiv-oai', 'ListRecords_data_0.xml');
  const record = page.match(
    /<record>(?:(?!<\/record>)[\s\S])*?oai:arXiv\.org:1401\.4788<[\s\S]*?<\/record>/,
  )?.[0];
  if (!record) throw new Error('1401.4788 is not in the captured harvest');
  return envelope(record);
};
const arxiv = envelope(`<record>${header}<metadata>
<arXiv xmlns="http://arxiv.org/OAI/arXiv/">
<id>1401.4788</id><created>2014-01-19</created>
<authors><author><keyname>Nielsen</keyname><forenames>Frank</forenames></author></authors>
<title>${TITLE}</title>
<categories>cs.CV cs.IT math.IT</categories>
<doi>10.1016/j.patrec.2014.01.002</doi>
<abstract>Bayesian classification labels observations based on given prior information.</abstract>
</arXiv></metadata></record>`);
const arxivRaw = envelope(`<record>${header}<metadata>
<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">
<id>1401.4788</id>
<version version="v1"><date>Sun, 19 Jan 2014 20:11:52 GMT</date></version>
<title>${TITLE}</title>
<authors>Frank Nielsen</authors>
<categories>cs.CV cs.IT math.IT</categories>
<abstract>Bayesian classification labels observations based on given prior information.</abstract>
</arXivRaw></metadata></record>`);

const data = tempDataDir();
let app: Paperscope;
beforeAll(() => {
  app = Paperscope.open(loadConfig({ PAPERSCOPE_DATA: data.dir }));
});
afterAll(() => {
  app.close();
  data.cleanup();
});

describe('a paper harvested as oai_dc, arXiv and arXivRaw', () => {
  it('is one paper with the categories the arXiv formats give, in whichever order they come', async () => {
    const imports = new ImportService(app.store, defaultRegistry);
    // A later harvest of the same paper from the same source replaces the earlier record, so
    // the categories after each import are those of that format alone: they must not differ.
    const categoriesAfter = async (text: string, origin: string) => {
      await imports.importText(text, origin);
      expect(app.store.listPapers({ limit: 10 })).toHaveLength(1);
      return app.store.findPaper('1401.4788')?.categories;
    };
    const expected = ['cs.CV', 'cs.IT', 'math.IT'];
    expect(await categoriesAfter(arxivRaw, 'arXivRaw.xml')).toEqual(expected);
    expect(await categoriesAfter(oaiDc(), 'oai_dc.xml')).toEqual(expected);
    expect(await categoriesAfter(arxiv, 'arXiv.xml')).toEqual(expected);
    expect(await categoriesAfter(oaiDc(), 'oai_dc-again.xml')).toEqual(expected);
    expect(app.store.findPaper('1401.4788')?.title).toBe(TITLE);
  });
});
