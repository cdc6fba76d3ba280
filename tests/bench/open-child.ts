/**
 * An open archive, as the app's main process holds it, in a process of its own (so its memory is its own):
 * reopens an existing index until the trees and the first page of the list are ready, times the trees, then
 * runs the benchmark's searches (each once, as a person typing a new search would: nothing cached), first page
 * of 50 with snippets, and the coverage timeline of each (issue 14: bar size chosen from the span, as the
 * list's histogram asks). Prints one JSON line (OpenMeasurement).
 * Usage: node --import tsx tests/bench/open-child.ts <index.sqlite>
 */
import { peakRssMb } from './peak-rss';
import { IndexStore } from '../../src-main/node/index/store';
import { SEARCH_QUERIES } from './search-queries';

export interface OpenMeasurement {
  warmOpenMs: number;
  treesMs: number;
  searches: { query: string; ms: number; total: number }[];
  /** getTimeline for the same queries. */
  timelines: { query: string; ms: number; buckets: number }[];
  /** Resident set after opening and searching, and its peak over the process's life. */
  rssMb: number;
  peakRssMb: number;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: open-child.ts <index.sqlite>');
  process.exit(2);
}
const round1 = (n: number): number => Math.round(n * 10) / 10;
const time = <T>(run: () => T): [T, number] => {
  const started = performance.now();
  const result = run();
  return [result, performance.now() - started];
};

const [store, warmOpenMs] = time(() => {
  const opened = IndexStore.open(file);
  opened.counts();
  opened.categories();
  opened.dates();
  opened.tags();
  opened.list({ limit: 50 });
  return opened;
});
try {
  const trees: number[] = [];
  for (let i = 0; i < 5; i++) trees.push(time(() => [store.categories(), store.dates(), store.tags()])[1]);
  trees.sort((a, b) => a - b);
  const searches = SEARCH_QUERIES.map((query) => {
    const [result, ms] = time(() => store.list({ query, limit: 50 }));
    return { query, ms: round1(ms), total: result.total };
  });
  const timelines = SEARCH_QUERIES.map((query) => {
    const [result, ms] = time(() => store.timeline({ query }));
    return { query, ms: round1(ms), buckets: result.buckets.length };
  });
  const result: OpenMeasurement = {
    warmOpenMs: round1(warmOpenMs),
    treesMs: round1(trees[2] ?? 0),
    searches,
    timelines,
    rssMb: round1(process.memoryUsage().rss / 2 ** 20),
    peakRssMb: peakRssMb(),
  };
  console.log(JSON.stringify(result));
} finally {
  store.close();
}
