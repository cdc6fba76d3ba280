import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedPost } from '../../src-main/core/types';
import { IndexStore, type IndexBatch } from '../../src-main/node/index/store';
import { tempDir } from '../helpers/temp';

/**
 * A scraped archive that gives every post the same date (issue 16): 50,000 posts on one day, more than the
 * 23,040 ids a day of a new index (list.ts ID_SPAN), are all indexed, listed in date order, found by
 * after:/before: and by their words. Small posts, written in date order in batches, as update.ts does.
 */
const DAY = 50_000;
const SAMPLE = [0, 1, 23_039, 23_040, 23_041, 40_000, DAY - 1];

function post(name: string, date: string | null, words: string): ParsedPost {
  const text = `${words} 正文`;
  return {
    path: `_posts/${name}.md`, title: name, date, year: date ? Number(date.slice(0, 4)) : null, month: date ? Number(date.slice(5, 7)) : null,
    categories: [], tags: [], published: true, draft: false, format: 'markdown', meta: {}, body: text, html: '', text,
    hasRemoteContent: false, excerpt: '', source: null, encoding: 'utf-8', problems: [],
  };
}
const batch = (posts: ParsedPost[]): IndexBatch =>
  ({ upserts: posts.map((p) => ({ post: p, size: 1, mtimeMs: 1, hash: null })), failures: [], deletions: [] });
const name = (i: number): string => `p${String(i).padStart(5, '0')}`;
const paths = (r: { items: { path: string }[] }): string[] => r.items.map((h) => h.path.slice(7, -3));

describe('busy days', () => {
  it('50,000 posts on one day are all indexed, listed in date order, and found by date and by word', () => {
    const file = path.join(tempDir('backfile-busy-day-'), 'index.sqlite');
    const store = IndexStore.open(file);
    store.applyBatch(batch([post('undated', null, 'undatedword'), post('eve', '2021-05-31T23:59', 'eveword')]));
    // Every tenth post also says 十分, every post 正文; each its own word (a letter per digit).
    const word = (i: number): string => `w${String(i).replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;
    for (let from = 0; from < DAY; from += 2000) {
      store.applyBatch(batch(Array.from({ length: Math.min(2000, DAY - from) }, (_, k) => {
        const i = from + k;
        return post(name(i), '2021-06-01', `${word(i)}${i % 10 === 0 ? ' 十分' : ''}`);
      })));
    }
    // Later the same day, and the next day: after all of them.
    store.applyBatch(batch([post('noon', '2021-06-01T12:00', 'noonword'), post('next', '2021-06-02T00:00', 'nextword')]));

    expect(store.problems()).toEqual([]);
    expect(store.counts().posts).toBe(DAY + 4);
    expect(store.list({}).total).toBe(DAY + 4);
    expect(paths(store.list({ limit: 3 }))).toEqual(['next', 'noon', name(DAY - 1)]);
    expect(paths(store.list({ sort: 'oldest', limit: 2 }))).toEqual(['eve', name(0)]);
    expect(paths(store.list({ sort: 'oldest', offset: DAY + 1, limit: 5 }))).toEqual(['noon', 'next', 'undated']);
    expect(paths(store.list({ offset: 25_000, limit: 3 }))).toEqual([name(DAY - 25_000 + 1), name(DAY - 25_000), name(DAY - 25_000 - 1)]);

    expect(store.list({ query: 'after:2021-06-01 before:2021-06-02' }).total).toBe(DAY + 1);
    expect(store.list({ query: 'after:2021-06-01' }).total).toBe(DAY + 2);
    expect(paths(store.list({ query: 'before:2021-06-01' }))).toEqual(['eve']);
    expect(paths(store.list({ query: 'after:2021-06-02' }))).toEqual(['next']);
    expect(store.list({ query: '正文' }).total).toBe(DAY + 4);
    expect(store.list({ query: '十分 after:2021-06-01 before:2021-06-02' }).total).toBe(DAY / 10);
    for (const i of SAMPLE) {
      const hit = store.list({ query: word(i) });
      expect(paths(hit), word(i)).toEqual([name(i)]);
      expect(hit.items[0]!.snippet).toContain(`<mark>${word(i)}</mark>`);
    }
    store.close();
  }, 120_000);

  it('2,000 posts in the last minute of a day move the earlier ones down once each, not once for every later post', () => {
    const file = path.join(tempDir('backfile-busy-minute-'), 'index.sqlite');
    const store = IndexStore.open(file);
    const crowd = 2000;
    store.applyBatch(batch([post('next', '2021-06-02T00:00', 'nextword'), post('early', '2021-06-01T00:00', 'earlyword')]));
    store.applyBatch(batch(Array.from({ length: crowd }, (_, i) => post(name(i), '2021-06-01T23:59', `q${'abcdefghij'[i % 10]!}`))));
    expect(store.problems()).toEqual([]);
    expect(store.list({ query: 'after:2021-06-01 before:2021-06-02' }).total).toBe(crowd + 1);
    expect(paths(store.list({ limit: 3 }))).toEqual(['next', name(crowd - 1), name(crowd - 2)]);
    expect(paths(store.list({ sort: 'oldest', limit: 2 }))).toEqual(['early', name(0)]);
    expect(store.list({ query: 'qa' }).total).toBe(crowd / 10);
    store.close();
  });
});
