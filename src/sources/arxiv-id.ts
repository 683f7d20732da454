/**
 * arXiv identifiers in the shapes sources and people write them.
 *
 * New style (April 2007 on): `YYMM.NNNN` until 1412, `YYMM.NNNNN` from 1501.
 * Old style (1991 to March 2007): `archive/YYMMNNN`, sometimes written with the subject class
 * (`math.GT/0309136`); the canonical id drops the subject class (`math/0309136`), which is how
 * arXiv itself resolves it.
 */

export interface ArxivId {
  /** Canonical id without version: `2401.01234`, `hep-th/9901001`. */
  id: string;
  /** `v2` when the text names a version. */
  version?: string;
}

const PREFIX_RE =
  /^(?:arxiv:|oai:arxiv\.org:|https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/|(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/)/i;
const NEW_RE = /^(\d{2})(\d{2})\.(\d{4,5})([vV]\d+)?$/;
const OLD_RE = /^([a-z]+(?:-[a-z]+)?)(?:\.[A-Za-z]{2})?\/(\d{2})(\d{2})(\d{3})([vV]\d+)?$/;

/** Reads an arXiv id from `2401.01234v2`, `arXiv:2401.01234`, an abs/pdf URL, `math.GT/0309136`, …; undefined if it is not one. */
export function parseArxivId(text: string): ArxivId | undefined {
  let s = text.trim();
  const prefix = PREFIX_RE.exec(s);
  if (prefix) s = s.slice(prefix[0].length);
  s = s.replace(/(?:\.pdf)?[/#?]*$/i, '');
  const m = NEW_RE.exec(s);
  if (m) {
    const yy = Number(m[1]);
    const mm = Number(m[2]);
    const yymm = yy * 100 + mm;
    const digits = m[3]!.length;
    if (mm < 1 || mm > 12 || yymm < 704) return undefined;
    // Four-digit numbers ran out at the end of 2014; five-digit ones began in 2015.
    if ((digits === 4 && yymm > 1412) || (digits === 5 && yymm < 1501)) return undefined;
    if (/^0+$/.test(m[3]!)) return undefined;
    return withVersion(`${m[1]}${m[2]}.${m[3]}`, m[4]);
  }
  const o = OLD_RE.exec(s);
  if (o) {
    const yy = Number(o[2]);
    const mm = Number(o[3]);
    if (mm < 1 || mm > 12) return undefined;
    // Old-style ids ran from 9108 to 0703.
    if (yy > 7 && yy < 91) return undefined;
    if (o[4] === '000') return undefined;
    return withVersion(`${o[1]!.toLowerCase()}/${o[2]}${o[3]}${o[4]}`, o[5]);
  }
  return undefined;
}

function withVersion(id: string, version: string | undefined): ArxivId {
  return version ? { id, version: version.toLowerCase() } : { id };
}
