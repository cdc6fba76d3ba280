/**
 * Indexes an archive from an empty index with the real indexing thread, in a process of its own (a clean
 * memory figure, as lunr-child.ts has for lunr). Prints one JSON line (IndexChildResult).
 * Usage: node --import tsx tests/bench/index-child.ts <archive> <index.sqlite> [built|source]
 * (`built`: the main-process bundle in out/main, as run.ts builds it; default `source`.)
 */
import { peakRssMb } from './peak-rss';
import { runIndexer as runIndexerFromSource } from '../../src-main/node/index/run-indexer';
import { loadBuiltIndexer } from './built-indexer';

export interface IndexChildResult {
  buildMs: number;
  /** Resident set before the build, and the process's peak (all threads) by its end. */
  rssBeforeMb: number;
  peakRssMb: number;
  updated: number;
}

const [root, indexFile, which = 'source'] = process.argv.slice(2);
if (!root || !indexFile) {
  console.error('usage: index-child.ts <archive> <index.sqlite>');
  process.exit(2);
}
const round1 = (n: number): number => Math.round(n * 10) / 10;
const { runIndexer } = which === 'built' ? await loadBuiltIndexer() : { runIndexer: runIndexerFromSource };
const rssBeforeMb = round1(process.memoryUsage().rss / 2 ** 20);
const started = performance.now();
const summary = await runIndexer({ root, indexFile }).done;
const result: IndexChildResult = {
  buildMs: Math.round(performance.now() - started),
  rssBeforeMb,
  peakRssMb: peakRssMb(),
  updated: summary.updated,
};
console.log(JSON.stringify(result));
