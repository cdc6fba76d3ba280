import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileQuery } from '../../src-main/core/query';
import { planList } from '../../src-main/node/index/list';
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
});
