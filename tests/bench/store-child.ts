/**
 * Backfile's side of the lunr comparison, like for like with lunr-child.ts: the same posts file (the posts
 * already read and parsed), loaded before measuring; then the build, timed: tokenising (core/tokenize.ts,
 * the tokens lunr gets too) and writing every post into a fresh index file (posts, text, facets, tree counts
 * and FTS5), in transactions of 1,000 as the indexer writes. Prints one JSON line (StoreChildResult).
 * Usage: node --expose-gc --import tsx tests/bench/store-child.ts <posts.jsonl> <index.sqlite>
 */
import { peakRssMb } from './peak-rss';
import fs from 'node:fs';
import type { ParsedPost } from '../../src-main/core/types';
import { IndexStore } from '../../src-main/node/index/store';
import { ftsText } from '../../src-main/node/index/write';

export interface StoreChildResult {
  posts: number;
  buildMs: number;
  /** Resident set once the posts were loaded (after a full GC), and the process's peak by the end of the build. */
  rssBeforeMb: number;
  peakRssMb: number;
  indexMb: number;
}

const [postsFile, indexFile] = process.argv.slice(2);
if (!postsFile || !indexFile) {
  console.error('usage: store-child.ts <posts.jsonl> <index.sqlite>');
  process.exit(2);
}
const round1 = (n: number): number => Math.round(n * 10) / 10;
const posts = fs.readFileSync(postsFile, 'utf8').split('\n').filter((line) => line !== '')
  .map((line) => JSON.parse(line) as { post: ParsedPost; size: number });
for (const suffix of ['', '-wal', '-shm']) fs.rmSync(indexFile + suffix, { force: true });
(globalThis as { gc?: () => void }).gc?.();
const rssBeforeMb = round1(process.memoryUsage().rss / 2 ** 20);

const started = performance.now();
const store = IndexStore.open(indexFile);
for (let i = 0; i < posts.length; i += 1000) {
  const upserts = posts.slice(i, i + 1000).map(({ post, size }) => ({ post, size, mtimeMs: 0, hash: null, fts: ftsText(post) }));
  store.applyBatch({ upserts, failures: [], deletions: [] });
}
store.close();
const buildMs = Math.round(performance.now() - started);

const indexMb = round1(['', '-wal'].reduce((n, s) => n + (fs.statSync(indexFile + s, { throwIfNoEntry: false })?.size ?? 0), 0) / 2 ** 20);
const result: StoreChildResult = { posts: posts.length, buildMs, rssBeforeMb, peakRssMb: peakRssMb(), indexMb };
console.log(JSON.stringify(result));
