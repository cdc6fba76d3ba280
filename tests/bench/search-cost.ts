/**
 * The benchmark's 50 searches (search-queries.ts) as the app's list call runs them (first page of 50 with
 * snippets, `store.list`), each in a freshly opened store a round (no count cached, as open-child.ts runs them),
 * timed in wall milliseconds AND in this process's CPU milliseconds (process.cpuUsage: steadier on a shared
 * machine). Prints one JSON line: per query the median of the rounds, and p50/p95/max of those medians; also of
 * each query's least CPU over the rounds (`cpuMin`: contention on a loaded machine only ever adds to it).
 * Usage: npx tsx tests/bench/search-cost.ts <index.sqlite> [rounds=3]
 */
import os from 'node:os';
import { IndexStore } from '../../src-main/node/index/store';
import { SEARCH_QUERIES } from './search-queries';

const [file, roundsArg = '3'] = process.argv.slice(2);
if (!file) {
  console.error('usage: search-cost.ts <index.sqlite> [rounds=3]');
  process.exit(2);
}
const rounds = Math.max(1, Number(roundsArg));
const wall = new Map<string, number[]>();
const cpu = new Map<string, number[]>();
const totals = new Map<string, number>();
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (let round = 0; round < rounds; round++) {
  const store = IndexStore.open(file);
  store.list({ limit: 50 }); // the app's first page, as open-child.ts opens the index
  try {
    for (const query of SEARCH_QUERIES) {
      const c0 = cpuMs();
      const w0 = performance.now();
      const result = store.list({ query, limit: 50 });
      const w = performance.now() - w0;
      const c = cpuMs() - c0;
      wall.set(query, [...(wall.get(query) ?? []), w]);
      cpu.set(query, [...(cpu.get(query) ?? []), c]);
      totals.set(query, result.total);
    }
  } finally {
    store.close();
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const r1 = (n: number): number => Math.round(n * 10) / 10;
const perQuery = SEARCH_QUERIES.map((query) => ({
  query, wallMs: r1(median(wall.get(query)!)), cpuMs: r1(median(cpu.get(query)!)), cpuMinMs: r1(Math.min(...cpu.get(query)!)), total: totals.get(query)!,
}));
const stats = (xs: number[]): { p50: number; p95: number; max: number } => {
  const s = [...xs].sort((a, b) => a - b);
  const pct = (p: number): number => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  return { p50: pct(50), p95: pct(95), max: s[s.length - 1]! };
};
console.log(JSON.stringify({
  rounds, loadavg: os.loadavg().map(r1),
  wall: stats(perQuery.map((q) => q.wallMs)), cpu: stats(perQuery.map((q) => q.cpuMs)), cpuMin: stats(perQuery.map((q) => q.cpuMinMs)),
  slowest: [...perQuery].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 8),
  perQuery,
}));
