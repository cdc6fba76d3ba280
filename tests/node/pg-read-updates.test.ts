import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListQuery, ListResult } from '../../src-main/shared/archive-api';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { PgIndexReader } from '../../src-main/node/pg/pg-read';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { pgAvailableOrLog, usePgPool } from '../helpers/pg-store';
import { copyArchive, edgeArchive, tempDir } from '../helpers/temp';

/**
 * After incremental updates (posts added into a minute another post holds, a tag spelt anew, a post deleted, one
 * edited, one hidden), the PostgreSQL reader still shows what the SQLite store shows: orders inside a date key,
 * tag names (the first spelling written), trees and totals.
 */
const available = pgAvailableOrLog('PostgreSQL reader after updates skipped');

const post = (title: string, date: string, tags: string[], body: string, extra = ''): string =>
  `---\ntitle: ${title}\ndate: ${date}\ntags: [${tags.join(', ')}]\ncategories: [World, Updates]\n${extra}---\n${body}\n`;

const QUERIES: ListQuery[] = [
  {}, { includeHidden: true }, { query: 'vote' }, { query: 'budget' }, { query: 'tag:budget' }, { tag: 'Budget' },
  { query: '市场' }, { query: 'the' }, { category: ['World'] }, { year: 2019 }, { query: 'before:2020' },
];

const page = (r: ListResult) => ({ total: r.total, notice: r.notice ?? null, page: r.items.map((h) => ({ path: h.path, snippet: h.snippet })) });

describe.skipIf(!available.ok)('the PostgreSQL reader after incremental updates', () => {
  const archive = copyArchive(edgeArchive);
  const dir = tempDir('backfile-pg-updates-');
  const { pool } = usePgPool({ max: 4 });
  let sqlite: IndexStore;
  let reader: PgIndexReader;

  const update = async (): Promise<void> => {
    await updateIndex(sqlite, archive);
    await updatePgIndex(pool, 'upd', archive);
  };

  /**
   * `folded`: tag names compared case-folded. Known difference: SQLite's tag_counts keeps the spelling first written
   * while any post holds the tag, even after that post is gone; PostgreSQL has no count tables and shows the spelling
   * of the earliest-written post still there. Counts are equal either way.
   */
  const expectSame = async (when: string, spellings: 'exact' | 'folded' = 'exact'): Promise<void> => {
    const fold = <T,>(value: T): T => (spellings === 'exact' ? value : JSON.parse(JSON.stringify(value), (key, v: unknown) =>
      (key === 'tags' && Array.isArray(v) ? v.map((t: { name?: unknown }) => (typeof t?.name === 'string' ? { ...t, name: t.name.toLowerCase() } : t)) : v)) as T);
    for (const q of QUERIES) {
      for (const sort of ['date', 'oldest'] as const) {
        expect(page(await reader.list({ ...q, sort })), `${when} ${JSON.stringify(q)} ${sort}`).toEqual(page(sqlite.list({ ...q, sort })));
      }
      expect(fold(await reader.facets(q)), `${when} facets ${JSON.stringify(q)}`).toEqual(fold(sqlite.facets(q)));
    }
    for (const hidden of [false, true]) {
      expect(fold({ tags: await reader.tags(hidden) }), `${when} tags`).toEqual(fold({ tags: sqlite.tags(hidden) }));
      expect(await reader.categories(hidden), `${when} categories`).toEqual(sqlite.categories(hidden));
      expect(await reader.dates(hidden), `${when} dates`).toEqual(sqlite.dates(hidden));
    }
    expect(fold(await reader.stats()), when).toEqual(fold(sqlite.stats()));
  };

  beforeAll(async () => {
    sqlite = IndexStore.open(path.join(dir, 'index.sqlite'));
    reader = new PgIndexReader(pool, 'upd');
    await update();
  }, 120_000);

  afterAll(async () => {
    sqlite?.close();
  });

  it('a collapsed list is the list, each post a story of its own (no versions on the team index yet)', async () => {
    const plain = await reader.list({ query: 'the' });
    const collapsed = await reader.list({ query: 'the', collapse: true });
    expect(collapsed.total).toBe(plain.total);
    expect(collapsed.items).toEqual(plain.items.map((hit) => ({ ...hit, versions: 0 })));
    expect(await reader.similar(plain.items[0]!.path)).toEqual([]);
    expect(await reader.similar('no/such.md')).toBeUndefined();
  });

  it('agrees after posts are added, edited, hidden and deleted', async () => {
    await expectSame('first build');
    const posts = path.join(archive, '_posts');
    // Three posts in the minute of the budget vote post, one of them with the tag spelt anew.
    const vote = fs.readFileSync(path.join(posts, '2019-06-14-budget-vote.md'), 'utf8');
    const minute = /date: (\S+ \d\d:\d\d)/.exec(vote)?.[1] ?? '2019-06-14 10:00';
    fs.writeFileSync(path.join(posts, '2019-06-14-a.md'), post('Vote recount a', minute, ['BUDGET'], 'The vote was counted again.'));
    fs.writeFileSync(path.join(posts, '2019-06-14-b.md'), post('Vote recount b', minute, ['budget', 'Recount'], 'The vote stands.'));
    fs.writeFileSync(path.join(posts, '2019-06-14-c.md'), post('Vote recount c', minute, [], '市场 reacted to the vote.', 'published: false\n'));
    await update();
    await expectSame('after adding');

    fs.rmSync(path.join(posts, '2019-06-14-budget-vote.md'));
    fs.writeFileSync(path.join(posts, '2019-06-14-a.md'), post('Vote recount a, edited', minute, ['Budget'], 'The vote was counted a third time.'));
    await update();
    // The post that first spelt `budget` is gone; the other spellings remain.
    await expectSame('after deleting and editing', 'folded');
    expect((await reader.tags()).find((t) => t.name.toLowerCase() === 'budget')?.count).toBe(2);
  });
});
