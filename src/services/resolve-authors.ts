import type { MergedPaper } from '../domain/merge.ts';
import { hasOnlyInitials, initialKey, nameKey, namesCompatible } from '../domain/names.ts';
import type { PaperRecord, PersonName } from '../domain/record.ts';
import type { AuthorPin, IngestTx } from '../store/port.ts';

/**
 * Link each author of a merged paper to a person.
 *
 * A full name (`Lechao Xiao`, `Xiao, Lechao`) is the same person as every other spelling with
 * the same name key. A name with initials only (`L. Xiao`) is linked to a fuller name only
 * with evidence: the candidate has written another paper with one of this paper's co-authors.
 * Without it the initials stay a person of their own; two people who only share a surname
 * are never joined.
 */
export async function linkAuthors(
  tx: IngestTx,
  paperId: number,
  merged: MergedPaper,
  records: readonly PaperRecord[],
  isNew = false,
): Promise<void> {
  const names = merged.authors.map((a) => a.name);
  const ids: (number | undefined)[] = new Array(names.length).fill(undefined);
  const initialsOnly = names.map((n) => hasOnlyInitials(n));

  // A paper seen before may carry an admin's decision (a merge or a split): it comes first.
  const pins = isNew ? [] : await tx.authorPins(paperId);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const pinned = pinnedAuthor(pins, name);
    if (pinned !== undefined) {
      ids[i] = pinned;
      continue;
    }
    const external = await byExternalId(tx, name);
    if (external !== undefined) ids[i] = external;
    else if (!initialsOnly[i]) ids[i] = await tx.findAuthorIdByNameKey(nameKey(name));
  }

  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (ids[i] !== undefined || !initialsOnly[i]) continue;
    const coauthors = ids.filter((id): id is number => id !== undefined);
    const candidates = (await tx.findAuthorsByInitialKey(initialKey(name))).filter(
      (c) => c.names.some((v) => !hasOnlyInitials(v)) && c.names.some((v) => namesCompatible(v, name)),
    );
    const supported =
      candidates.length && coauthors.length
        ? await tx.coauthorsOf(
            candidates.map((c) => c.id),
            coauthors,
            paperId,
          )
        : [];
    if (supported.length === 1) ids[i] = supported[0];
    else {
      // Without evidence, only a person known by these same initials alone is the same person.
      const same = await tx.findAuthorsByNameKey(nameKey(name));
      ids[i] = same.find((c) => c.names.every((v) => hasOnlyInitials(v)))?.id;
    }
  }

  const links: { authorId: number; name: PersonName }[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    let id = ids[i];
    if (id === undefined) id = await tx.createAuthor(name);
    else await tx.addAuthorName(id, name);
    if (name.ids) await tx.setAuthorIds(id, externalIds(name));
    links.push({ authorId: id, name });
  }
  await tx.setPaperAuthors(paperId, links, isNew);

  // Other sources' spellings of the same author list are name variants of the same people.
  if (records.length < 2) return;
  for (const r of records) {
    if (!r.authors || r.authors.length !== names.length || r.authors === names) continue;
    for (let i = 0; i < names.length; i++) {
      const variant = r.authors[i]!;
      if (variant.display !== names[i]!.display && namesCompatible(variant, names[i]!)) {
        await tx.addAuthorName(links[i]!.authorId, variant);
      }
    }
  }
}

/**
 * The author a pin gives this name: the pin with the same name key, else the only pin with its
 * initial key whose owner's spelling could be this one (another source wrote `L. Xiao` where
 * the pin was made on `Lechao Xiao`).
 */
export function pinnedAuthor(pins: readonly AuthorPin[], name: PersonName): number | undefined {
  if (pins.length === 0) return undefined;
  const key = nameKey(name);
  const exact = pins.find((p) => p.nameKey === key);
  if (exact) return exact.authorId;
  const initial = initialKey(name);
  const near = pins.filter((p) => p.initialKey === initial && namesCompatible(p.name, name));
  return near.length === 1 ? near[0]!.authorId : undefined;
}

function externalIds(name: PersonName): Record<string, string> {
  const out: Record<string, string> = {};
  if (name.ids?.openalex) out['openalex'] = name.ids.openalex;
  if (name.ids?.s2) out['s2'] = name.ids.s2;
  if (name.ids?.orcid) out['orcid'] = name.ids.orcid;
  return out;
}

async function byExternalId(tx: IngestTx, name: PersonName): Promise<number | undefined> {
  for (const [kind, value] of Object.entries(externalIds(name))) {
    const id = await tx.findAuthorByExternalId(kind as 'openalex' | 's2' | 'orcid', value);
    if (id !== undefined) return id;
  }
  return undefined;
}
