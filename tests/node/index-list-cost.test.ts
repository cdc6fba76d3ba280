import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileQuery } from '../../src-main/core/query';
import { FACET, planList } from '../../src-main/node/index/list';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { idSpan } from '../../src-main/node/index/write';
import { generateArchive } from '../bench/generate-archive';
import { SEARCH_QUERIES } from '../bench/search-queries';
import { tempDir } from '../helpers/temp';

/**
 * What a list call costs, counted in FTS5 passes (no clock), and that its pages stay what the plain plan gives
 * (issue 16, stop 20: search p95 at 100,000 posts). The plain plan is written out here with raw SQL: count the
 * hits, then (relevance over more than the rank limit) count the title hits, page them ranked when few enough or
 * newest first, then the rest newest first.
 */
const POSTS = 400;
let dir = '';
let file = '';

beforeAll(async () => {
  dir = tempDir('backfile-list-cost-');
  await generateArchive(path.join(dir, 'archive'), POSTS, 7);
  const store = IndexStore.open(path.join(dir, 'index.sqlite'));
  try {
    await updateIndex(store, path.join(dir, 'archive'));
  } finally {
    store.close();
  }
  file = path.join(dir, 'index.sqlite');
}, 60_000);

const tokenCount = (expr: string): number => (expr.match(/"(?:[^"]|"")*"/g) ?? []).reduce((n, quoted) => n + quoted.split(' ').length, 0);

/** The page's paths as the plain plan (two counts, then pages) finds them. */
function plainPage(db: Database.Database, query: string, rankLimit: number, offset: number, limit: number): { total: number; paths: string[] } {
  const compiled = compileQuery(query);
  const plan = planList({ query }, compiled, idSpan((text) => db.prepare(text)));
  const count = (expr: string): number =>
    db.prepare('SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ?').pluck().get(expr, plan.minId, plan.maxId) as number;
  const page = (expr: string, order: string, off: number, lim: number): number[] =>
    db.prepare(`SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ? ORDER BY ${order} LIMIT ? OFFSET ?`)
      .pluck().all(expr, plan.minId, plan.maxId, lim, off) as number[];
  const total = count(plan.expr);
  const rankable = compiled.match === null ? 0 : Math.floor(rankLimit / Math.max(1, tokenCount(compiled.match)));
  let ids: number[];
  if (plan.titleExpr === null || plan.restExpr === null) ids = page(plan.expr, 'rowid DESC', offset, limit);
  else if (total <= rankable) ids = page(plan.expr, 'rank, rowid DESC', offset, limit);
  else {
    const titleHits = count(plan.titleExpr);
    ids = offset < titleHits ? page(plan.titleExpr, titleHits <= rankable ? 'rank, rowid DESC' : 'rowid DESC', offset, Math.min(limit, titleHits - offset)) : [];
    if (ids.length < limit) ids.push(...page(plan.restExpr, 'rowid DESC', Math.max(0, offset - titleHits), limit - ids.length));
  }
  const pathOf = db.prepare('SELECT path FROM posts WHERE id = ?').pluck();
  return { total, paths: ids.map((id) => pathOf.get(id) as string) };
}

describe('the list call, counted', () => {
  it('gives the plain plan\'s totals and pages at every rank limit and offset', () => {
    const db = new Database(file, { readonly: true });
    try {
      for (const rankLimit of [2000, 60, 5, 1]) {
        const store = IndexStore.open(file, { readonly: true, rankLimit });
        try {
          for (const query of SEARCH_QUERIES) {
            for (const [offset, limit] of [[0, 50], [0, 3], [3, 4], [40, 50], [120, 7], [390, 50]] as const) {
              const got = store.list({ query, offset, limit });
              const want = plainPage(db, query, rankLimit, offset, limit);
              expect({ total: got.total, paths: got.items.map((i) => i.path) }, `${query} rank limit ${rankLimit} ${offset}+${limit}`).toEqual(want);
            }
          }
        } finally {
          store.close();
        }
      }
    } finally {
      db.close();
    }
  });

  it('does not count the title hits when a walk that stops at the rank limit holds the page', () => {
    const counts: string[] = [];
    const store = IndexStore.open(file, { readonly: true, rankLimit: 4, trace: (sql) => { if (/count\(\*\) FROM posts_fts/.test(sql)) counts.push(sql); } });
    try {
      const db = new Database(file, { readonly: true });
      const titleHits = (() => {
        try {
          const plan = planList({ query: '同比' }, compileQuery('同比'), idSpan((text) => db.prepare(text)));
          return db.prepare('SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?').pluck().get(plan.titleExpr) as number;
        } finally {
          db.close();
        }
      })();
      expect(titleHits).toBeGreaterThan(8); // more title hits than the rank limit and the page: newest first
      const first = store.list({ query: '同比', limit: 3 });
      expect(first.items).toHaveLength(3);
      expect(counts).toHaveLength(1); // the total only
    } finally {
      store.close();
    }
  });

  it('lists a date range through its months\' or years\' facets, with the same totals and pages as through ALL', () => {
    const db = new Database(file, { readonly: true });
    const store = IndexStore.open(file, { readonly: true });
    try {
      const span = idSpan((text) => db.prepare(text));
      const years = db.prepare('SELECT min(year), max(year) FROM posts WHERE year IS NOT NULL').raw().get() as [number, number];
      // Seeded: day ranges from one day to several years, some with a facet, some sorted oldest first.
      let seed = 16;
      const next = (n: number): number => {
        seed = (seed * 48271) % 2147483647; // Park-Miller: the product stays exact in a double
        return Math.floor((seed / 2147483647) * n);
      };
      const day = (): string => `${years[0] - 1 + next(years[1] - years[0] + 3)}-${String(1 + next(12)).padStart(2, '0')}-${String(1 + next(28)).padStart(2, '0')}`;
      const facetParts = ['', '', 'category:tech', 'tag:财经快讯', '-市场', 'category:finance -category:tech'];
      let nonEmpty = 0;
      for (let i = 0; i < 120; i++) {
        const [a, b] = [day(), i % 10 === 0 ? `${years[0] + next(3)}-01-01` : day()].sort();
        const facetPart = facetParts[i % facetParts.length]!;
        const query = `${facetPart} after:${a} before:${b}`;
        const sort = i % 3 === 0 ? 'oldest' as const : 'date' as const;
        const full = planList({ query }, compileQuery(query), span);
        const bare = planList({ query: facetPart }, compileQuery(facetPart), span);
        const expr = `"${FACET.all}" AND ${bare.expr}`;
        const ids = db.prepare(`SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ? ORDER BY rowid ${sort === 'oldest' ? 'ASC' : 'DESC'}`)
          .pluck().all(expr, full.minId, full.maxId) as number[];
        const pathOf = db.prepare('SELECT path FROM posts WHERE id = ?').pluck();
        for (const [offset, limit] of [[0, 50], [5, 10]] as const) {
          const got = store.list({ query, sort, offset, limit });
          expect({ total: got.total, paths: got.items.map((it) => it.path) }, `${query} ${sort} ${offset}`)
            .toEqual({ total: ids.length, paths: ids.slice(offset, offset + limit).map((id) => pathOf.get(id)) });
        }
        expect(store.timeline({ query }).buckets.reduce((n, bucket) => n + bucket.count, 0), query).toBe(ids.length);
        if (ids.length > 0) nonEmpty++;
      }
      expect(nonEmpty, JSON.stringify(years)).toBeGreaterThan(40);
    } finally {
      store.close();
      db.close();
    }
  });

  it('does not walk ALL\'s doclist for a bounded date range or a facet', () => {
    const matched: string[] = [];
    const store = IndexStore.open(file, { readonly: true, trace: (sql) => { if (/posts_fts MATCH/.test(sql)) matched.push(sql); } });
    try {
      expect(store.list({ query: 'after:2022-01-01 before:2023-01-01' }).total).toBeGreaterThan(0);
      expect(store.list({ query: 'category:tech' }).total).toBeGreaterThan(0);
      expect(matched.length).toBeGreaterThan(0);
      expect(matched.filter((sql) => sql.includes(`"${FACET.all}"`))).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('leaves the NOT of hidden posts out while the index holds none, and hides them once it does', async () => {
    const copy = tempDir('backfile-list-hidden-');
    fs.cpSync(path.join(dir, 'archive'), path.join(copy, 'archive'), { recursive: true });
    const indexFile = path.join(copy, 'index.sqlite');
    fs.copyFileSync(file, indexFile);
    const matched: string[] = [];
    const store = IndexStore.open(indexFile, { trace: (sql) => { if (/posts_fts MATCH/.test(sql)) matched.push(sql); } });
    try {
      const before = store.list({ query: '市场', limit: 500 });
      expect(before.total).toBeGreaterThan(0);
      const ftsOfList = matched.filter((sql) => !sql.includes('LIMIT 1)')); // not the look-up for hidden posts itself
      expect(ftsOfList.length).toBeGreaterThan(0);
      expect(ftsOfList.filter((sql) => sql.includes(`"${FACET.hidden}"`))).toEqual([]);
      // A hidden post with the word: hidden from the list, and the NOT is back.
      fs.writeFileSync(path.join(copy, 'archive', '_posts', '2030-01-01-hidden.md'), '---\ntitle: 市场 隐藏\ndate: 2030-01-01\npublished: false\n---\n市场 隐藏。\n');
      await updateIndex(store, path.join(copy, 'archive'));
      matched.length = 0;
      const after = store.list({ query: '市场', limit: 500 });
      expect(after.total).toBe(before.total);
      expect(after.items.map((i) => i.path)).toEqual(before.items.map((i) => i.path));
      expect(store.list({ query: '市场', includeHidden: true }).total).toBe(before.total + 1);
      expect(matched.some((sql) => sql.includes(`NOT ("${FACET.hidden}"`))).toBe(true);
    } finally {
      store.close();
    }
  }, 60_000);
});
