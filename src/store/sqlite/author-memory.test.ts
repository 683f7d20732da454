import { describe, expect, it } from 'vitest';
import { AuthorMemory, type AuthorshipRows, sqlAuthorshipRows } from './author-memory.ts';
import { openDatabase } from './database.ts';

/**
 * The co-author evidence rule answered from memory must be the one `SqliteIngestTx` runs in
 * SQL: among the candidate's 500 latest authorships other than the paper being linked, one
 * with any of the co-authors.
 */
const SQL_RULE = `SELECT 1 FROM (
    SELECT paper_id FROM paper_authors WHERE author_id = ? AND paper_id != ?
    ORDER BY paper_id DESC LIMIT 500
  ) a
  WHERE EXISTS (SELECT 1 FROM paper_authors b
    WHERE b.paper_id = a.paper_id AND b.author_id IN (SELECT value FROM json_each(?)))
  LIMIT 1`;

describe('AuthorMemory', () => {
  // 512: the prolific author's 503 authorships all in memory; 501: the oldest let go.
  it.each([512, 501])(
    'gives the SQL rule’s answer on the edge of the 500 latest papers, with the linked paper left out (rings of %i)',
    (ringSize) => {
      const db = openDatabase(':memory:');
      const author = db.prepare('INSERT INTO authors (display_name) VALUES (?)');
      for (const name of ['Prolific', 'Old friend', 'New friend', 'Stranger']) author.run(name);
      const paper = db.prepare(
        "INSERT INTO papers (title, view, created_at, updated_at) VALUES ('t', '{}', 'x', 'x')",
      );
      const link = db.prepare(
        'INSERT INTO paper_authors (paper_id, position, author_id, display) VALUES (?, ?, ?, ?)',
      );
      // Paper 1 with the old friend, then 500 papers alone, then paper 502 with the new friend;
      // the prolific author appears twice on paper 300 (two authorships, as SQL counts them).
      for (let id = 1; id <= 502; id++) {
        paper.run();
        link.run(id, 0, 1, 'Prolific');
        if (id === 1) link.run(id, 1, 2, 'Old friend');
        if (id === 502) link.run(id, 1, 3, 'New friend');
        if (id === 300) link.run(id, 1, 1, 'Prolific');
      }
      const memory = AuthorMemory.load(db, ringSize);
      const sql = db.prepare(SQL_RULE);
      const cases: [number[], number][] = [
        [[2], 9999],
        [[2], 502],
        [[2], 250],
        [[3], 9999],
        [[3], 502],
        [[4], 9999],
        [[1], 9999],
        [[2, 3], 502],
      ];
      const answers = cases.map(([coauthors, except]) => {
        const bySql = sql.get(1, except, JSON.stringify(coauthors)) !== undefined;
        expect(
          memory.sharesRecentPaper(1, new Set(coauthors), except, 500),
          JSON.stringify([coauthors, except]),
        ).toBe(bySql);
        return bySql;
      });
      // The cases reach both answers, including the old friend falling out of the window.
      expect(answers).toEqual([false, false, false, true, false, false, true, false]);

      // A paper linked again moves in memory as in the table.
      memory.setPaperAuthors(502, [1, 2], [1, 3]);
      link.run(502, 2, 2, 'Old friend');
      db.prepare('DELETE FROM paper_authors WHERE paper_id = 502 AND author_id = 3').run();
      expect(memory.sharesRecentPaper(1, new Set([2]), 9999, 500)).toBe(true);
      expect(sql.get(1, 9999, '[2]') !== undefined).toBe(true);
      expect(memory.sharesRecentPaper(1, new Set([3]), 9999, 500)).toBe(false);
      db.close();
    },
  );

  // 512: every authorship in memory; 4 and 2: rings shorter than the window, so that answers
  // need the store's rows (a prolific co-author's older papers, a ring emptied by relinks).
  it.each([512, 4, 2])(
    'keeps the SQL rule’s answers while papers are relinked out of order, repeated unchanged and unlinked (rings of %i)',
    (ringSize) => {
      const db = openDatabase(':memory:');
      const author = db.prepare('INSERT INTO authors (display_name) VALUES (?)');
      const people = 6;
      for (let i = 1; i <= people; i++) author.run(`P${i}`);
      const paper = db.prepare(
        "INSERT INTO papers (title, view, created_at, updated_at) VALUES ('t', '{}', 'x', 'x')",
      );
      const link = db.prepare(
        'INSERT INTO paper_authors (paper_id, position, author_id, display) VALUES (?, ?, ?, ?)',
      );
      const unlink = db.prepare('DELETE FROM paper_authors WHERE paper_id = ?');
      const linkAll = (id: number, authors: number[]) => {
        authors.forEach((a, i) => {
          link.run(id, i, a, `P${a}`);
        });
      };
      // A small window (3 latest) so that relinking moves papers across its edge.
      const window = 3;
      const sql = db.prepare(SQL_RULE.replace('LIMIT 500', 'LIMIT ?'));
      let seed = 7;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return Math.floor((seed / 2147483648) * n); // the high bits: the low ones cycle
      };
      const authorsFor = () => Array.from({ length: 1 + random(3) }, () => 1 + random(people));
      const papers = 30;
      // Half the papers are in the store when the load begins, the rest come during it.
      for (let id = 1; id <= papers / 2; id++) {
        paper.run();
        linkAll(id, authorsFor());
      }
      let storeAsked = 0;
      const sqlRows = sqlAuthorshipRows(db);
      const rows: AuthorshipRows = {
        sharesRecentPaper: (...args) => {
          storeAsked++;
          return sqlRows.sharesRecentPaper(...args);
        },
        wroteAny: (...args) => {
          storeAsked++;
          return sqlRows.wroteAny(...args);
        },
      };
      const memory = AuthorMemory.load(db, ringSize, rows);
      const current = (id: number) =>
        db
          .prepare('SELECT author_id FROM paper_authors WHERE paper_id = ? ORDER BY position')
          .pluck()
          .all(id) as number[];
      const relink = (id: number, authors: number[]) => {
        const previous = current(id);
        unlink.run(id);
        linkAll(id, authors);
        memory.setPaperAuthors(id, authors, previous);
      };
      for (let id = papers / 2 + 1; id <= papers; id++) {
        paper.run();
        relink(id, authorsFor());
      }
      let compared = 0;
      let shared = 0;
      for (let step = 0; step < 300; step++) {
        const id = 1 + random(papers);
        const choice = random(4);
        if (choice === 0)
          relink(id, current(id)); // the same file again
        else if (choice === 1)
          relink(id, []); // unlinked
        else relink(id, authorsFor()); // an old paper, new authors: out of id order
        for (let candidate = 1; candidate <= people; candidate++) {
          const coauthors = [1 + random(people), 1 + random(people)];
          const except = random(2) ? id : 9999;
          const bySql = sql.get(candidate, except, window, JSON.stringify(coauthors)) !== undefined;
          expect(memory.sharesRecentPaper(candidate, new Set(coauthors), except, window)).toBe(bySql);
          compared++;
          if (bySql) shared++;
        }
      }
      // Both answers were reached many times.
      expect(shared).toBeGreaterThan(200);
      expect(compared - shared).toBeGreaterThan(200);
      // Rings that hold every authorship never ask the store; short ones do, and still agree.
      if (ringSize >= papers) expect(storeAsked).toBe(0);
      else expect(storeAsked).toBeGreaterThan(50);
      db.close();
    },
  );

  it('gives back each variant’s family and given names as learnt', () => {
    const memory = new AuthorMemory();
    const variants = [
      { display: 'John D. Co-Reyes', family: 'Co-Reyes', given: 'John D.' },
      { display: 'Co-Reyes, John D.', family: 'Co-Reyes', given: 'John D.' },
      { display: 'JD Co-Reyes', family: 'Co-Reyes' },
      { display: 'Co-Reyes' },
      { display: 'John  Co-Reyes', family: 'Co-Reyes', given: 'John' },
    ];
    for (const v of variants) memory.addName(5, v, 'john co-reyes', 'j co-reyes');
    expect(memory.byName('john co-reyes')).toEqual([
      { id: 5, displayName: 'John D. Co-Reyes', names: variants },
    ]);
    expect(memory.hasName(5, 'JD Co-Reyes')).toBe(true);
    expect(memory.hasName(5, 'J. Co-Reyes')).toBe(false);
    expect(memory.hasName(6, 'JD Co-Reyes')).toBe(false);
  });

  it('finds people by name key and initial key in id order, each variant once', () => {
    const memory = new AuthorMemory();
    expect(memory.addName(7, { display: 'Lechao Xiao' }, 'lechao xiao', 'l xiao')).toBe(true);
    expect(memory.addName(3, { display: 'L. Xiao' }, 'l xiao', 'l xiao')).toBe(true);
    expect(memory.addName(7, { display: 'Lechao Xiao' }, 'lechao xiao', 'l xiao')).toBe(false);
    expect(memory.addName(7, { display: 'Xiao, Lechao' }, 'lechao xiao', 'l xiao')).toBe(true);
    expect(memory.firstByNameKey('lechao xiao')).toBe(7);
    expect(memory.byInitials('l xiao').map((c) => c.id)).toEqual([3, 7]);
    expect(memory.byName('lechao xiao')[0]!.names.map((n) => n.display)).toEqual([
      'Lechao Xiao',
      'Xiao, Lechao',
    ]);
    expect(memory.byName('nobody')).toEqual([]);
  });
});
