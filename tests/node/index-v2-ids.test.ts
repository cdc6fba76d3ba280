import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedPost } from '../../src-main/core/types';
import { IndexStore, type IndexBatch } from '../../src-main/node/index/store';
import { DATED_BASE, ID_SPAN, dateKey, dayEnd, dayStart } from '../../src-main/node/index/list';
import { tempDir } from '../helpers/temp';

/**
 * Index v2's dense ids (list.ts, write.ts allocateId): a few ids a minute instead of a million, and still
 * id order = date order, so that newest/oldest first stay rowid order and after:/before: stay rowid ranges,
 * whatever the order posts arrive in and however many share a minute.
 */
function post(n: string, date: string | null): ParsedPost {
  const text = `marker ${n} body`;
  return {
    path: `_posts/${n}.md`, title: `title ${n}`, date, year: date ? Number(date.slice(0, 4)) : null, month: date ? Number(date.slice(5, 7)) : null,
    categories: ['c'], tags: ['t'], published: true, draft: false, format: 'markdown', meta: {}, body: text, html: '', text,
    hasRemoteContent: false, excerpt: text, source: null, encoding: 'utf-8', problems: [],
  };
}
const batch = (posts: ParsedPost[]): IndexBatch =>
  ({ upserts: posts.map((p) => ({ post: p, size: 1, mtimeMs: 1, hash: null })), failures: [], deletions: [] });

const dir = tempDir('backfile-ids-');
let n = 0;
const open = (): { store: IndexStore; file: string } => {
  const file = path.join(dir, `i${n++}.sqlite`);
  return { store: IndexStore.open(file), file };
};
const ids = (file: string): { id: number; path: string; date: string | null }[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT id, path, date FROM posts ORDER BY id').all() as { id: number; path: string; date: string | null }[];
  } finally {
    db.close();
  }
};

/** Every post's id inside its day, and id order = date order (dated ascending after the undated). */
function expectOrdered(file: string): void {
  const rows = ids(file);
  for (const r of rows) {
    const key = dateKey(r.date);
    expect(r.id, r.path).toBeGreaterThanOrEqual(dayStart(key));
    expect(r.id, r.path).toBeLessThan(dayEnd(key));
  }
  const keys = rows.map((r) => dateKey(r.date));
  expect(keys).toEqual([...keys].sort((a, b) => a - b));
}

/** Every post is found by its own words, with its own snippet (moved posts keep their FTS rows). */
function expectSearchable(store: IndexStore, names: string[]): void {
  for (const name of names) {
    const r = store.list({ query: `"marker ${name}"` });
    expect(r.items.map((h) => h.path), name).toEqual([`_posts/${name}.md`]);
    expect(r.items[0]!.snippet).toContain(`<mark>marker ${name}</mark>`);
  }
}

describe('dense ids', () => {
  it('are a few per minute, not a million', () => {
    const { store, file } = open();
    store.applyBatch(batch([post('a', '2020-01-15T10:00'), post('b', '2020-01-15T10:01'), post('u', null)]));
    store.close();
    const [u, a, b] = ids(file);
    expect(u!.id).toBe(0);
    expect(a!.id).toBeGreaterThanOrEqual(DATED_BASE);
    expect(b!.id - a!.id).toBe(ID_SPAN);
  });

  it('keep date order when more posts share a minute than it has ids, arriving in any order', () => {
    let { store } = open();
    const file = store.file;
    const names: string[] = [];
    const day = (i: number) => post(`d${i}`, '2020-01-15');
    const posts = [
      ...Array.from({ length: 3 * ID_SPAN }, (_, i) => day(i)),
      post('m1', '2020-01-15T00:01'), post('m2', '2020-01-15T00:02'), post('late', '2020-01-15T23:59'),
      post('before', '2020-01-14T23:59'), post('after', '2020-01-16'), post('undated', null),
    ];
    // Later minutes first, then the crowded minute in several updates: each must make room between.
    const order = [posts.length - 6, posts.length - 5, posts.length - 4, posts.length - 3, posts.length - 2, posts.length - 1,
      ...Array.from({ length: 3 * ID_SPAN }, (_, i) => i)];
    for (let i = 0; i < order.length; i += 5) {
      const part = order.slice(i, i + 5).map((j) => posts[j]!);
      store.applyBatch(batch(part));
      names.push(...part.map((p) => p.path.slice(7, -3)));
      store.close();
      expectOrdered(file);
      store = IndexStore.open(file);
    }
    store.close();
    const fresh = IndexStore.open(file);
    expectSearchable(fresh, names);
    const listed = fresh.list({ limit: 500 }).items.map((h) => h.path.slice(7, -3));
    expect(listed.slice(0, 4)).toEqual(['after', 'late', 'm2', 'm1']);
    expect(listed.slice(-2)).toEqual(['before', 'undated']);
    expect(fresh.list({ query: 'after:2020-01-15 before:2020-01-16' }).total).toBe(3 * ID_SPAN + 3);
    expect(fresh.list({ query: 'after:2020-01-16' }).total).toBe(1);
    expect(fresh.list({ query: 'before:2020-01-15' }).total).toBe(1);
    fresh.close();
  });

  it('move earlier posts down when a minute at the end of its day is full, never into the next day', () => {
    const { store, file } = open();
    store.applyBatch(batch([post('next', '2020-01-21T00:00'), ...Array.from({ length: ID_SPAN }, (_, i) => post(`e${i}`, '2020-01-20T23:59'))]));
    store.applyBatch(batch([post('extra', '2020-01-20T23:59'), post('early', '2020-01-20T23:58')]));
    store.close();
    expectOrdered(file);
    const reopened = IndexStore.open(file);
    expectSearchable(reopened, ['next', 'extra', 'early', ...Array.from({ length: ID_SPAN }, (_, i) => `e${i}`)]);
    expect(reopened.list({ query: 'before:2020-01-21' }).total).toBe(ID_SPAN + 2);
    reopened.close();
  });

  it('place a post before later posts that were moved below its minute', () => {
    const { store, file } = open();
    // 36 posts at 23:59 end the day: 20 of them were moved down, below 23:58's first id.
    store.applyBatch(batch([post('next', '2020-01-21T00:00'), ...Array.from({ length: ID_SPAN }, (_, i) => post(`e${i}`, '2020-01-20T23:59'))]));
    for (let i = 0; i < 20; i++) store.applyBatch(batch([post(`x${i}`, '2020-01-20T23:59')]));
    store.applyBatch(batch([post('early', '2020-01-20T23:58')]));
    store.close();
    expectOrdered(file);
    const reopened = IndexStore.open(file);
    expect(reopened.list({ sort: 'oldest', limit: 1 }).items.map((h) => h.path)).toEqual(['_posts/early.md']);
    expectSearchable(reopened, ['early', 'x0', 'x19', 'e0']);
    reopened.close();
  });

  it('widen every day when one day has no free id left, keeping every post, its day and the order', () => {
    const { store, file } = open();
    const full = ID_SPAN * 24 * 60;
    store.applyBatch(batch([post('before', '2021-05-31T23:59'), post('after', '2021-06-02'), post('undated', null)]));
    store.applyBatch(batch(Array.from({ length: full + 1 }, (_, i) => post(`f${i}`, '2021-06-01'))));
    expect(store.counts().posts).toBe(full + 4);
    expect(store.problems()).toEqual([]);
    expect(store.list({ query: 'after:2021-06-01 before:2021-06-02' }).total).toBe(full + 1);
    expect(store.list({ query: 'before:2021-06-01' }).items.map((h) => h.path)).toEqual(['_posts/before.md']);
    expect(store.list({ query: 'after:2021-06-02' }).items.map((h) => h.path)).toEqual(['_posts/after.md']);
    expectSearchable(store, ['before', 'after', 'undated', 'f0', `f${full}`]);
    store.close();
    const rows = ids(file);
    const span = (rows.at(-1)!.id - DATED_BASE) / dateKey('2021-06-02');
    expect(span).toBe(4 * ID_SPAN);
    for (const r of rows) {
      const key = dateKey(r.date);
      expect(r.id, r.path).toBeGreaterThanOrEqual(dayStart(key, span));
      expect(r.id, r.path).toBeLessThan(dayEnd(key, span));
    }
    const keys = rows.map((r) => dateKey(r.date));
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });
});
