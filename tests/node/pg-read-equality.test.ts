import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListQuery, ListResult } from '../../src-main/shared/archive-api';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { PgIndexReader } from '../../src-main/node/pg/pg-read';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { GOLDEN_QUERIES } from './fixtures/make-index-goldens';
import { generateArchive } from '../bench/generate-archive';
import { SEARCH_QUERIES } from '../bench/search-queries';
import { pgAvailableOrLog, usePgPool } from '../helpers/pg-store';
import { edgeArchive, sharedCorpus, tempDir } from '../helpers/temp';

/**
 * The PostgreSQL reader against the SQLite store on the same posts (issue 15: "every query of the search tests
 * returns the same totals and the same first page in both"): totals, notices, first pages (paths in order and
 * snippets) for newest and oldest first; relevance: the same total, and the same first page wherever the order is
 * the SQLite rule's own (title hits by date, the rest by date) or the whole result fits the page (ts_rank_cd and
 * bm25 rank the rest differently: the same set); trees, facets, timelines, stats, counts, problems and posts equal.
 */
const available = pgAvailableOrLog('PostgreSQL reader equality skipped');
const sharedPresent = fs.existsSync(sharedCorpus);

interface Case { name: string; sqlite: IndexStore; sqliteSmall: IndexStore; pg: PgIndexReader; pgSmall: PgIndexReader }

const page = (r: ListResult) => ({ total: r.total, notice: r.notice ?? null, page: r.items.map((h) => ({ path: h.path, snippet: h.snippet })) });
const pageSet = (r: ListResult) => ({ total: r.total, notice: r.notice ?? null, page: r.items.map((h) => `${h.path} ${h.snippet}`).sort() });

/** The selections and queries compared: the goldens', the benchmark's 50 searches and a few tree selections. */
function queriesFor(): ListQuery[] {
  const extra: ListQuery[] = [
    { tags: ['东财滚动新闻', 'budget'], tagMode: 'any' }, { tags: ['东财滚动新闻', 'budget'] }, { tag: null }, { category: null },
    { category: ['world'], query: 'the' }, { year: 2021, query: '市' }, { query: '市场', includeHidden: true, sort: 'oldest' },
    { query: '-市场' }, { query: 'tag:东财滚动新闻 OR tag:budget -category:emnews' }, { query: '"' + 'x'.repeat(3000) + '"' },
    // cli-shared-corpus, index-store*, free-text-fields: their searches
    ...['双十一', '编码', 'marathon', 'baseurl OR endhighlight OR include', '钢铁', '"run', 'MeToo tag:娱乐', 'a '.repeat(5_000), 'river',
      'market -steel', '价格 after:2020-03', '跨年', '零售', '㐀', '𠀀', '\uF900', 'カー', '한', '々', '中国 钢', 'title:市 OR 钢', '钢 OR "中国 钢" OR title:价格'].map((query) => ({ query })),
  ];
  return [...GOLDEN_QUERIES, ...SEARCH_QUERIES.map((query) => ({ query })), ...extra];
}

// Hundreds of queries against two stores per test, on a busy machine.
describe.skipIf(!available.ok)('the PostgreSQL reader agrees with the SQLite store', { timeout: 300_000 }, () => {
  const dir = tempDir('backfile-pg-read-');
  const { pool } = usePgPool({ max: 4 });
  const cases: Case[] = [];

  beforeAll(async () => {
    const synthetic = path.join(dir, 'synthetic');
    await generateArchive(synthetic, 600, 7);
    const archives = [
      ...(sharedPresent ? [['finews', path.join(sharedCorpus, 'finews-sample')], ['edge', path.join(sharedCorpus, 'jekyll-edge-cases')]] : []),
      ['fixture', edgeArchive], ['synthetic', synthetic],
    ];
    for (const [name, archive] of archives) {
      const file = path.join(dir, `${name}.sqlite`);
      const sqlite = IndexStore.open(file);
      await updateIndex(sqlite, archive!);
      // Both indexed from the posts on disk, each by its own writer.
      await updatePgIndex(pool, `a_${name}`, archive!);
      cases.push({
        name: name!, sqlite, sqliteSmall: IndexStore.open(file, { rankLimit: 2 }),
        pg: new PgIndexReader(pool, `a_${name}`), pgSmall: new PgIndexReader(pool, `a_${name}`, 2),
      });
    }
  }, 300_000);

  afterAll(async () => {
    for (const c of cases) {
      c.sqlite.close();
      c.sqliteSmall.close();
    }
  });

  it('totals and first pages, newest and oldest first: the same posts in the same order with the same snippets', async () => {
    for (const c of cases) {
      for (const q of queriesFor()) {
        for (const sort of ['date', 'oldest'] as const) {
          const query = { ...q, sort };
          expect(page(await c.pg.list(query)), `${c.name} ${JSON.stringify(query)}`).toEqual(page(c.sqlite.list(query)));
        }
      }
    }
  });

  it('oldest first pages across the last dated post into the undated ones', async () => {
    for (const c of cases) {
      for (const includeHidden of [false, true]) {
        const all = c.sqlite.list({ includeHidden }).total;
        const undated = c.sqlite.list({ includeHidden, year: null }).total;
        for (const offset of [all - undated - 1, all - undated, all - undated + 1, all - 1]) {
          const q = { includeHidden, sort: 'oldest' as const, offset: Math.max(0, offset), limit: 3 };
          expect(page(await c.pg.list(q)), `${c.name} ${JSON.stringify(q)}`).toEqual(page(c.sqlite.list(q)));
        }
      }
    }
  });

  it('relevance: the same totals and first pages as a set; in order where SQLite orders by date (many hits, rank limit 2)', async () => {
    for (const c of cases) {
      for (const q of queriesFor()) {
        const query = { ...q, sort: q.sort ?? 'relevance' };
        const label = `${c.name} ${JSON.stringify(query)}`;
        const sqlite = c.sqlite.list({ ...query, offset: 0, limit: 500 });
        const pgResult = await c.pg.list({ ...query, offset: 0, limit: 500 });
        // The whole result in one page: the same set whatever the ranking.
        if (sqlite.total <= 500) expect(pageSet(pgResult), label).toEqual(pageSet(sqlite));
        else expect(pgResult.total, label).toBe(sqlite.total);
        // With a rank limit of 2, results of 3+ hits are the title hits, then the rest, both newest first.
        const small = c.sqliteSmall.list(query);
        const pgSmall = await c.pgSmall.list(query);
        // Title hits are ranked only while they are at most RANK_LIMIT / tokens (here 2 or fewer): only they may differ in order.
        expect(pageSet(pgSmall), `${label} rankLimit 2`).toEqual(pageSet(small));
        expect(page(pgSmall).page.slice(2), `${label} rankLimit 2`).toEqual(page(small).page.slice(2));
      }
    }
  });

  it('relevance: ranked first pages mostly hold the posts bm25 puts there (ts_rank_cd by post length)', async () => {
    const synthetic = cases.find((c) => c.name === 'synthetic')!;
    const overlaps: number[] = [];
    for (const query of SEARCH_QUERIES) {
      const sqlite = synthetic.sqlite.list({ query, limit: 20 });
      if (sqlite.total <= 20) continue;
      const want = new Set(sqlite.items.map((h) => h.path));
      overlaps.push((await synthetic.pg.list({ query, limit: 20 })).items.filter((h) => want.has(h.path)).length / 20);
    }
    expect(overlaps.length).toBeGreaterThan(20);
    expect(overlaps.reduce((a, b) => a + b, 0) / overlaps.length).toBeGreaterThan(0.8);
  });

  it('listOrder gives the same paths in the same order for date sorts, the same set for relevance', async () => {
    for (const c of cases) {
      for (const q of queriesFor().slice(0, 60)) {
        const label = `${c.name} ${JSON.stringify(q)}`;
        expect((await c.pg.listOrder({ ...q, sort: 'date' })).paths, label).toEqual(c.sqlite.listOrder({ ...q, sort: 'date' }).paths);
        expect((await c.pg.listOrder({ ...q, sort: 'oldest' })).paths, label).toEqual(c.sqlite.listOrder({ ...q, sort: 'oldest' }).paths);
        expect((await c.pgSmall.listOrder(q)).paths.sort(), label).toEqual(c.sqliteSmall.listOrder(q).paths.sort());
      }
    }
  });

  it('trees, facets and timelines are equal', async () => {
    for (const c of cases) {
      for (const hidden of [false, true]) {
        expect(await c.pg.categories(hidden), `${c.name} categories ${hidden}`).toEqual(c.sqlite.categories(hidden));
        expect(await c.pg.dates(hidden), `${c.name} dates ${hidden}`).toEqual(c.sqlite.dates(hidden));
        expect(await c.pg.tags(hidden), `${c.name} tags ${hidden}`).toEqual(c.sqlite.tags(hidden));
      }
      for (const q of queriesFor()) {
        const label = `${c.name} ${JSON.stringify(q)}`;
        expect(await c.pg.facets(q), `facets ${label}`).toEqual(c.sqlite.facets(q));
        expect(await c.pg.timeline(q), `timeline ${label}`).toEqual(c.sqlite.timeline(q));
      }
      for (const by of ['day', 'week', 'month', 'year'] as const) expect(await c.pg.timeline({}, by)).toEqual(c.sqlite.timeline({}, by));
      // A test on paths the index cannot make (the workspace's marks): every other post.
      const keep = (p: string) => p.length % 2 === 0;
      expect(await c.pg.facets({ query: '市' }, keep)).toEqual(c.sqlite.facets({ query: '市' }, keep));
      expect(await c.pg.timeline({}, undefined, keep)).toEqual(c.sqlite.timeline({}, undefined, keep));
    }
  });

  it('stats, counts, problems, posts and page reads by path are equal', async () => {
    for (const c of cases) {
      expect(await c.pg.stats(), c.name).toEqual(c.sqlite.stats());
      expect(await c.pg.counts(), c.name).toEqual(c.sqlite.counts());
      expect(await c.pg.problems(), c.name).toEqual(c.sqlite.problems());
      const paths = c.sqlite.listOrder({ includeHidden: true, sort: 'date' }).paths;
      for (const p of paths.slice(0, 40)) expect(await c.pg.getPost(p), p).toEqual(c.sqlite.getPost(p));
      expect(await c.pg.getPost('no/such.md')).toBeUndefined();
      expect(await c.pg.hitsOfPaths([...paths.slice(0, 20), 'gone.md'].reverse(), '市场 run')).toEqual(c.sqlite.hitsOfPaths([...paths.slice(0, 20), 'gone.md'].reverse(), '市场 run'));
      const order = await c.pg.listOrder({ query: '市' });
      expect((await c.pg.hitsOf(order.ids.slice(0, 10), '市')).map((h) => h.path)).toEqual(order.paths.slice(0, 10));
      expect(await c.pg.getMeta('parser_version')).toBe(c.sqlite.getMeta('parser_version'));
    }
  });
});
