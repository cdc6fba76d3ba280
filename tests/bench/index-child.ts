/**
 * Indexes an archive from an empty index with the real indexing thread, in a process of its own (a clean
 * memory figure, as lunr-child.ts has for lunr). Prints one JSON line (IndexChildResult).
 * Usage: node --import tsx tests/bench/index-child.ts <archive> <index.sqlite>
 */
import { runIndexer } from '../../src-main/node/indexer';

export interface IndexChildResult {
  buildMs: number;
  /** Resident set before the build, and the process's peak (all threads) by its end. */
  rssBeforeMb: number;
  peakRssMb: number;
  updated: number;
}

const [root, indexFile] = process.argv.slice(2);
if (!root || !indexFile) {
  console.error('usage: index-child.ts <archive> <index.sqlite>');
  process.exit(2);
}
const round1 = (n: number): number => Math.round(n * 10) / 10;
const rssBeforeMb = round1(process.memoryUsage().rss / 2 ** 20);
const started = performance.now();
const summary = await runIndexer({ root, indexFile }).done;
const result: IndexChildResult = {
  buildMs: Math.round(performance.now() - started),
  rssBeforeMb,
  peakRssMb: round1(process.resourceUsage().maxRSS / 1024),
  updated: summary.updated,
};
console.log(JSON.stringify(result));
