import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { fixturePath, readFixture } from '../../../test/shared.ts';
import { adsAdapter } from '../ads/parse.ts';
import type { FormatAdapter } from '../format.ts';
import { huggingFaceAdapter } from '../huggingface/parse.ts';
import { openAlexAdapter } from '../openalex/parse.ts';
import { semanticScholarAdapter } from '../semantic-scholar/parse.ts';
import { arxivIdFromLink } from './arxiv.ts';
import { cleanDoi } from './read.ts';

/** The four JSON API adapters must tell each other's bodies apart on the first 64 KiB. */
const JSON_APIS: FormatAdapter[] = [semanticScholarAdapter, openAlexAdapter, adsAdapter, huggingFaceAdapter];

function winner(sample: string): string | undefined {
  let best: { format: string; score: number } | undefined;
  for (const a of JSON_APIS) {
    const score = a.sniff(sample.slice(0, 65536));
    if (score > 0 && (!best || score > best.score)) best = { format: a.format, score };
  }
  return best?.format;
}

function cassetteBodies(name: string): string[] {
  const doc = parseYaml(readFixture('semantic-scholar', name)) as {
    interactions: { response: { content?: string; body?: { string: string } } }[];
  };
  return doc.interactions.map((x) => x.response.content ?? x.response.body?.string ?? '');
}

describe('sniffing the JSON API formats', () => {
  it('gives every captured Semantic Scholar body with records to semantic-scholar', () => {
    const files = readdirSync(fixturePath('semantic-scholar'));
    const bodies = [
      ...files.filter((f) => f.endsWith('.json')).map((f) => readFixture('semantic-scholar', f)),
      ...files.filter((f) => f.endsWith('.yaml')).flatMap(cassetteBodies),
    ].filter((b) => !b.includes('"error"'));
    expect(bodies).toHaveLength(18);
    expect(bodies.map(winner)).toEqual(bodies.map(() => 'semantic-scholar'));
  });

  it('gives every captured OpenAlex body to openalex', () => {
    const files = readdirSync(fixturePath('openalex'));
    expect(files.map((f) => winner(readFixture('openalex', f)))).toEqual(files.map(() => 'openalex'));
  });

  it('tells hand-made ADS and Hugging Face bodies apart and claims no arXiv bulk lines or CSL-JSON', () => {
    expect(
      winner('{"responseHeader":{"status":0},"response":{"numFound":1,"start":0,"docs":[{"bibcode":"x"}]}}'),
    ).toBe('ads');
    expect(
      winner('[{"paper":{"id":"2401.01234","upvotes":3,"summary":"s"},"title":"t","numComments":0}]'),
    ).toBe('huggingface');
    expect(
      winner('[{"id":"2401.01234","title":"t","summary":"s","upvotes":1,"publishedAt":"2024-01-01"}]'),
    ).toBe('huggingface');
    expect(winner(readFixture('arxiv-bulk', 'arxiv-browse-sample.jsonl'))).toBeUndefined();
    expect(winner(readFixture('arxiv-bulk', 'unarxive-sample-metadata.jsonl'))).toBeUndefined();
    expect(
      winner(
        '[{"id":"a","type":"article-journal","title":"T","issued":{"date-parts":[[2020]]},"author":[{"family":"X","given":"Y"}]}]',
      ),
    ).toBeUndefined();
    expect(winner('not json at all, paperId bibcode upvotes')).toBeUndefined();
  });
});

describe('shared id readers', () => {
  it('cleans DOIs from URLs and prefixes and rejects non-DOIs', () => {
    expect(cleanDoi('https://doi.org/10.7717/PeerJ.4375')).toBe('10.7717/peerj.4375');
    expect(cleanDoi('doi:10.1093/MIND/LIX.236.433')).toBe('10.1093/mind/lix.236.433');
    expect(cleanDoi('http://dx.doi.org/10.1000/x')).toBe('10.1000/x');
    expect(cleanDoi('not a doi')).toBeUndefined();
    expect(cleanDoi(12)).toBeUndefined();
  });

  it('finds arXiv ids in links and arXiv DOIs, without versions', () => {
    expect(arxivIdFromLink('https://arxiv.org/abs/2401.01234v3')).toEqual({
      id: '2401.01234',
      version: 'v3',
    });
    expect(arxivIdFromLink('http://arxiv.org/pdf/math/0601001v1')?.id).toBe('math/0601001');
    expect(arxivIdFromLink('10.48550/arXiv.2101.00001')?.id).toBe('2101.00001');
    expect(arxivIdFromLink('https://doi.org/10.48550/arxiv.1912.13053')?.id).toBe('1912.13053');
    expect(arxivIdFromLink('https://doi.org/10.7717/peerj.4375')).toBeUndefined();
    expect(arxivIdFromLink('https://example.org/abs/2401.01234')).toBeUndefined();
  });
});
