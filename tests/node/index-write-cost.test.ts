import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { readAndParseOneSync, type ReadOutcome } from '../../src-main/node/index/read-post';
import { scanArchive } from '../../src-main/node/index/scan';
import { generateArchive } from '../bench/generate-archive';
import { tempDir } from '../helpers/temp';

/**
 * What a cold build costs the writer, counted in SQL statements (no clock): the guard against the next
 * cold-index regression (docs/BENCHMARKS.md, stop 19). A savepoint per post made FTS5 flush its pending terms to
 * a new segment at each one, and the build took 1.8x the CPU; nothing in a test's timing showed it.
 */
const POSTS = 600;

/** Statements run while `run` runs, by their first word (SAVEPOINT, INSERT…), and in all. */
function counted(): { trace: (sql: string) => void; byVerb: Map<string, number>; total: () => number } {
  const byVerb = new Map<string, number>();
  return {
    trace: (sql) => {
      const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '?';
      byVerb.set(verb, (byVerb.get(verb) ?? 0) + 1);
    },
    byVerb,
    total: () => [...byVerb.values()].reduce((a, b) => a + b, 0),
  };
}

describe('the cold build\'s writer, counted', () => {
  it('writes each batch in one go: no savepoint per post, and a bounded number of statements a post', async () => {
    const dir = tempDir('backfile-write-cost-');
    const archive = path.join(dir, 'archive');
    await generateArchive(archive, POSTS, 19);
    const count = counted();
    const store = IndexStore.open(path.join(dir, 'index.sqlite'), { trace: count.trace });
    try {
      count.byVerb.clear(); // opening (the schema) is not the build
      const summary = await updateIndex(store, archive);
      expect(summary.updated).toBe(POSTS);
      expect(store.counts().posts + store.counts().hidden).toBe(POSTS);
    } finally {
      store.close();
    }
    expect(count.byVerb.get('SAVEPOINT') ?? 0).toBe(0);
    // Today about 9 statements a post and 32 bucket rows (sig_buckets, one INSERT each): say why if it grows.
    expect(count.total() / POSTS).toBeLessThan(60);
  }, 60_000);

  it('falls back to a savepoint per post only in the batch where a post fails, and writes the rest of it', async () => {
    const dir = tempDir('backfile-write-cost-');
    const archive = path.join(dir, 'archive');
    await generateArchive(archive, 40, 19);
    const outcomes = (await scanArchive(archive)).files.map(readAndParseOneSync)
      .filter((o): o is Extract<ReadOutcome, { kind: 'post' }> => o.kind === 'post');
    const count = counted();
    const store = IndexStore.open(path.join(dir, 'index.sqlite'), { trace: count.trace });
    try {
      const [good, rest] = [outcomes.slice(0, 20), outcomes.slice(20)];
      count.byVerb.clear();
      store.applyBatch({ upserts: good, failures: [], deletions: [] });
      expect(count.byVerb.get('SAVEPOINT') ?? 0).toBe(0);
      // One post the writer cannot store (tags must be an array): the batch is written again, a savepoint a post.
      const bad = { ...rest[3]!, post: { ...rest[3]!.post, tags: null as unknown as string[] } };
      const poisoned = [...rest.slice(0, 3), bad, ...rest.slice(4)];
      count.byVerb.clear();
      store.applyBatch({ upserts: poisoned, failures: [], deletions: [] });
      expect(count.byVerb.get('SAVEPOINT')).toBe(poisoned.length);
      expect(store.counts()).toEqual({ posts: expect.any(Number), hidden: expect.any(Number), problems: 1 });
      expect(store.counts().posts + store.counts().hidden).toBe(39);
      expect(store.problems()).toEqual([expect.objectContaining({ path: bad.post.path, message: expect.stringMatching(/^could not be indexed: /) })]);
      // The next batch is written in one go again.
      count.byVerb.clear();
      store.applyBatch({ upserts: [rest[3]!], failures: [], deletions: [] });
      expect(count.byVerb.get('SAVEPOINT') ?? 0).toBe(0);
      expect(store.problems()).toEqual([]);
      expect(store.counts().posts + store.counts().hidden).toBe(40);
    } finally {
      store.close();
    }
  }, 60_000);
});
