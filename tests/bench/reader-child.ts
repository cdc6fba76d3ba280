/**
 * One reader process of either store, for the side-by-side benchmark (store-bench.ts): opens the index until the
 * trees and the first page are ready, times the trees (first call, then the median of 5 more), runs the
 * benchmark's 50 searches (first page of 50 with snippets, each once) and reports each one's wall time and CPU
 * time: this process, plus for PostgreSQL its two backends (/proc/PID/schedstat, when the server runs on this machine) and
 * their parallel workers (the postmaster's ended children).
 * Prints one JSON line (ReaderMeasurement).
 * Usage: node --import tsx tests/bench/reader-child.ts sqlite <index.sqlite>
 *        BACKFILE_BENCH_PG_URL=postgres://… node --import tsx tests/bench/reader-child.ts postgres <schema>
 * (the URL goes in the environment, so that a password never shows in the process list).
 */
import fs from 'node:fs';
import { peakRssMb } from './peak-rss';
import type { ListQuery, ListResult } from '../../src-main/shared/archive-api';
import { IndexStore } from '../../src-main/node/index/store';
import { openPgStore } from '../../src-main/node/pg';
import { PgIndexReader } from '../../src-main/node/pg/pg-read';
import { endedChildrenCpuMs, processCpuMs, serverPids } from './pg-server-cpu';
import { SEARCH_QUERIES } from './search-queries';

export interface ReaderMeasurement {
  warmOpenMs: number;
  treesFirstMs: number;
  treesMs: number;
  /** cpuMs: this process + the PostgreSQL backends (two: the reader's pool) (null: the server is not on this machine). */
  searches: { query: string; ms: number; cpuMs: number | null; total: number }[];
  /** Resident set once open (trees and first page ready), at the end, and its peak over the process's life. */
  openRssMb: number;
  rssMb: number;
  peakRssMb: number;
}

/** What both stores answer, async (IndexStore's calls are synchronous). */
interface Reader {
  counts(): unknown;
  categories(): unknown;
  dates(): unknown;
  tags(): unknown;
  list(q: ListQuery): ListResult | Promise<ListResult>;
  /** CPU ms the store's server has used so far (0 for SQLite, which has none; null when it cannot be read). */
  serverCpuMs(): number | null;
  close(): Promise<void> | void;
}

const [kind, target] = process.argv.slice(2);
const round1 = (n: number): number => Math.round(n * 10) / 10;
const ownCpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function openReader(): Promise<Reader> {
  if (kind === 'sqlite' && target) {
    const store = IndexStore.open(target);
    return {
      counts: () => store.counts(), categories: () => store.categories(), dates: () => store.dates(), tags: () => store.tags(),
      list: (q) => store.list(q), serverCpuMs: () => 0, close: () => store.close(),
    };
  }
  const url = process.env.BACKFILE_BENCH_PG_URL;
  if (kind === 'postgres' && target && url) {
    // Two connections, as the app's reader keeps after its first calls (a phrase's count takes the second: pg-split-count.ts),
    // both made now and kept (no idle timeout), so that their two backends do all the server's work and their CPU can be read.
    const pg = await openPgStore(url, target, { max: 2 });
    pg.pool.options.idleTimeoutMillis = 0;
    const clients = [await pg.pool.connect(), await pg.pool.connect()];
    const pids = await Promise.all(clients.map((client) => serverPids(client)));
    for (const client of clients) client.release();
    const backends = pids.map((p) => p.backend);
    const postmaster = pids[0]!.postmaster;
    // BACKFILE_BENCH_PG_SERIAL=1: phrase counts in one session without parallel workers (the figures before/after them).
    const serial = process.env.BACKFILE_BENCH_PG_SERIAL === '1';
    const reader = new PgIndexReader(pg.pool, target, undefined, { parallelPhrases: !serial, splitPhrases: !serial });
    // The backends, and the parallel workers they started (pg-read.ts PARALLEL_PHRASE_SET): each ends with its query,
    // and the postmaster then holds its CPU in cutime/cstime (10 ms ticks). A process of the server that ends meanwhile
    // but was there before the search (an autovacuum worker after a cold build: tens of seconds) is counted there too:
    // its CPU up to the search's start is taken away, so at most its share during the search remains.
    const serverCpuMs = (): number | null => {
      const each = backends.map((backend) => processCpuMs(backend));
      if (each.some((ms) => ms === null)) return null;
      const own = each.reduce<number>((sum, ms) => sum + ms!, 0);
      if (postmaster === null) return own;
      const children = childrenCpuMs(postmaster);
      const ended = endedChildrenCpuMs(postmaster);
      if (ended === null) return own;
      let gone = 0;
      for (const [pid, ms] of lastChildren) if (!children.has(pid)) gone += ms;
      endedBefore += gone;
      lastChildren = children;
      return own + ended - endedBefore;
    };
    let lastChildren = postmaster === null ? new Map<number, number>() : childrenCpuMs(postmaster);
    let endedBefore = 0;
    return {
      counts: () => reader.counts(), categories: () => reader.categories(), dates: () => reader.dates(), tags: () => reader.tags(),
      list: (q) => reader.list(q), serverCpuMs, close: () => pg.close(),
    };
  }
  console.error('usage: reader-child.ts sqlite <index.sqlite> | BACKFILE_BENCH_PG_URL=… reader-child.ts postgres <schema>');
  process.exit(2);
}

/** CPU ms of each live child of `pid` (/proc/CHILD/stat utime + stime, in USER_HZ ticks). */
function childrenCpuMs(pid: number): Map<number, number> {
  const found = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) found.set(Number(entry), (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // Ended meanwhile.
    }
  }
  return found;
}

async function timed<T>(run: () => T | Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}

const openStarted = performance.now();
const reader = await openReader();
await reader.counts();
const [, treesFirstMs] = await timed(async () => [await reader.categories(), await reader.dates(), await reader.tags()]);
await reader.list({ limit: 50 });
const warmOpenMs = performance.now() - openStarted;
const openRssMb = round1(process.memoryUsage().rss / 2 ** 20);
try {
  const trees: number[] = [];
  for (let i = 0; i < 5; i++) trees.push((await timed(async () => [await reader.categories(), await reader.dates(), await reader.tags()]))[1]);
  trees.sort((a, b) => a - b);
  const searches: ReaderMeasurement['searches'] = [];
  for (const query of SEARCH_QUERIES) {
    // The server's readings (a scan of /proc) outside this process's own window.
    const server = reader.serverCpuMs();
    const own = ownCpuMs();
    const [result, ms] = await timed(() => reader.list({ query, limit: 50 }));
    const ownAfter = ownCpuMs();
    const serverAfter = reader.serverCpuMs();
    const cpuMs = server === null || serverAfter === null ? null : round1(ownAfter - own + serverAfter - server);
    searches.push({ query, ms: round1(ms), cpuMs, total: result.total });
  }
  const result: ReaderMeasurement = {
    warmOpenMs: round1(warmOpenMs),
    treesFirstMs: round1(treesFirstMs),
    treesMs: round1(trees[2] ?? 0),
    searches,
    openRssMb,
    rssMb: round1(process.memoryUsage().rss / 2 ** 20),
    peakRssMb: peakRssMb(),
  };
  console.log(JSON.stringify(result));
} finally {
  await reader.close();
}
