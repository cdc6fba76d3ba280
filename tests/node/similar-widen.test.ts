/**
 * One very busy day: more posts with signatures in one day than its ids can hold (write.ts widenIds renumbers every
 * post), then the id span is wider. Bucket rows stay exactly those of the stored signatures: none stale, none missing,
 * none for a post that is gone; and versions are found across the renumbering.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { bandBuckets } from '../../src-main/core/similarity/bands';
import { unpackSignature } from '../../src-main/core/similarity/signature';
import { IndexStore } from '../../src-main/node/index/store';
import { batchOf, minuteOf, textPost } from '../helpers/parsed-posts';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('backfile-similar-widen-');
// Three lines of over 10 letters each: short, but enough kept text for a signature.
const story = (i: number) => Array.from({ length: 3 }, (_, k) => `第${i}号新闻报道的第${k}段内容讲述了某地发生的事件情况说明${i * 7 + k}号`).join('\n');

describe('signatures on one very busy day', () => {
  // A hang guard, not a speed assertion: 23,100 posts written and checked take 15-30 s on a loaded 2-core machine,
  // near vitest's 30 s default. The cost is guarded by the bucket reads counted below.
  it('keep their bucket rows exactly when the ids are widened', () => {
    const file = path.join(tmp, 'index.sqlite');
    // Story look-ups read a bucket's first posts one statement a bucket (similar.ts VersionLookup): counted a batch.
    let bucketReads = 0;
    const store = IndexStore.open(file, { trace: (sql) => { if (sql.startsWith('SELECT id FROM sig_buckets WHERE bucket = ')) bucketReads++; } });
    store.applyBatch(batchOf([textPost('a', '2021-05-30', story(999_999)), textPost('b', '2021-05-31T10:00', story(999_999))]));
    const spanBefore = store.getMeta('id_span');
    const N = 23_100; // over 23,040, the most one day's ids hold before the span is widened
    const readsByBatch: number[] = [];
    for (let from = 0; from < N; from += 2000) {
      bucketReads = 0;
      store.applyBatch(batchOf(Array.from({ length: Math.min(2000, N - from) }, (_, k) => textPost(`p${from + k}`, minuteOf(from + k), story((from + k) % 5000)))));
      readsByBatch.push(bucketReads);
    }
    try {
      expect(store.getMeta('id_span')).not.toBe(spanBefore);
      // The widening batch (the last, of 1,100 posts) looks up its own posts' stories, as any batch does, not every
      // post's again (all 23,100: about 12 times a batch's reads, and 15 s of CPU, before).
      expect(readsByBatch.at(-1)!).toBeLessThanOrEqual(2 * readsByBatch[0]!);
      expect(store.similar('_posts/a.md')?.map((s) => s.path)).toContain('_posts/b.md');
      expect(store.similar('_posts/p1.md')?.map((s) => s.path)).toContain('_posts/p5001.md');
    } finally {
      store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const posts = new Set(db.prepare('SELECT id FROM posts').pluck().all() as number[]);
      const sigs = db.prepare('SELECT id, sig FROM post_sig').all() as { id: number; sig: Buffer }[];
      expect(sigs).toHaveLength(N + 2);
      expect(sigs.filter((s) => !posts.has(s.id))).toEqual([]);
      const expected = sigs.flatMap((s) => [...new Set(bandBuckets(unpackSignature(s.sig)))].map((b) => `${b}:${s.id}`));
      const actual = (db.prepare('SELECT bucket, id FROM sig_buckets').raw().all() as [number, number][]).map(([b, id]) => `${b}:${id}`);
      const want = new Set(expected);
      const have = new Set(actual);
      expect(actual.length).toBe(have.size);
      expect(actual.filter((x) => !want.has(x))).toEqual([]); // stale
      expect(expected.filter((x) => !have.has(x))).toEqual([]); // missing
    } finally {
      db.close();
    }
  }, 120_000);
});
