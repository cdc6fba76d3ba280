/**
 * `npm run bench -- --store URL|auto [--pg-schema NAME] [--posts N]` (issue 15): the same generated archive indexed
 * cold into SQLite (the app's indexer, runIndexer) and into PostgreSQL (updatePgIndex, the same update loop and
 * parse threads), then read by one fresh reader process each (reader-child.ts): trees, the 50 searches of
 * search-queries.ts through IndexStore.list and PgIndexReader.list, resident memory. One table side by side, with
 * the targets: search p95 ≤ 100 ms and cold index within 2× of SQLite's. Both run from the sources under tsx.
 *
 * CPU is reported beside wall time (the machine may be busy): this process's (all its threads), and the PostgreSQL
 * server's (postmaster and children, /proc; only for a server on this machine). `auto` starts a throwaway server
 * (tests/helpers/postgres.ts: fsync off) and stops it after. With a URL, the schema (default backfile_bench) must
 * not exist yet: the run creates it, and drops it after unless --keep.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runIndexer } from '../../src-main/node/index/run-indexer';
import { openPgStore, quoteSchema, redactUrl, updatePgIndex, type PgStore } from '../../src-main/node/pg';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import type { Corpus, GeneratedArchive } from './generate-archive';
import { serverCpuMs, serverPids } from './pg-server-cpu';
import type { ReaderMeasurement } from './reader-child';
import { runChild } from './run-child';

export interface StoreBenchOptions {
  posts: number; seed: number; corpus: Corpus; store: string; schema: string; json: boolean; keep: boolean;
  dir?: string; parseThreads?: number;
}

interface Cold { wallS: number; cpuS: number; serverCpuS: number | null; peakRssMb: number; mb: number; updated: number; tableMb?: Record<string, number> }
interface Side { cold: Cold; reader: ReaderMeasurement }

const MB = 1024 * 1024;
const round1 = (n: number): number => Math.round(n * 10) / 10;
const round2 = (n: number): number => Math.round(n * 100) / 100;
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};
export const SEARCH_P95_TARGET_MS = 100;
export const COLD_RATIO_TARGET = 2;

/** Wall and CPU time of `run` (this process, all threads; and the server's when `server` reads it) and peak RSS. */
async function measure<T>(run: () => Promise<T>, server: () => number | null = () => 0) {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const s0 = server();
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  try {
    const result = await run();
    const used = process.cpuUsage(c0);
    const s1 = server();
    return {
      result, wallS: round2((performance.now() - w0) / 1000), cpuS: round2((used.user + used.system) / 1e6),
      serverCpuS: s0 === null || s1 === null ? null : round2((s1 - s0) / 1000), peakRssMb: round1(Math.max(peak, process.memoryUsage().rss) / MB),
    };
  } finally {
    clearInterval(sampler);
  }
}

async function sqliteBytes(file: string): Promise<number> {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) total += (await fs.stat(file + suffix).catch(() => null))?.size ?? 0;
  return total;
}

export async function runStoreBench(o: StoreBenchOptions): Promise<void> {
  const work = path.resolve(o.dir ?? path.join(os.tmpdir(), `backfile-bench-store-${o.posts}-${process.pid}`));
  const archive = path.join(work, 'archive');
  const indexFile = path.join(work, 'index', 'backfile.sqlite');
  const threads = o.parseThreads === undefined ? {} : { parseThreads: o.parseThreads };
  // PostgreSQL first: a throwaway server, or the one at the URL in a schema that must not exist yet (checked
  // before anything is generated, so that a wrong schema costs nothing).
  const server: TestPostgres | null = o.store === 'auto' ? await startPostgres() : null;
  const url = server ? server.adminUrl : o.store;
  const where = server ? 'throwaway server (fsync off)' : redactUrl(url);
  const s = quoteSchema(o.schema);
  let pg: PgStore | null = null;
  let created = false;
  try {
    pg = await openPgStore(url, o.schema);
    const exists = (await pg.pool.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [o.schema])).rowCount;
    if (exists) throw new Error(`Schema ${o.schema} already exists at ${where}: the benchmark indexes cold into a new schema. Pass --pg-schema with an unused name.`);
    const { postmaster } = await serverPids(pg.pool);
    await fs.rm(work, { recursive: true, force: true });
    await fs.mkdir(path.dirname(indexFile), { recursive: true });

    const loadBefore = os.loadavg().map(round1);
    await runChild<GeneratedArchive>('./generate-archive.ts', [archive, String(o.posts), String(o.seed), o.corpus]);
    log(`generated ${o.posts} posts`);

    // SQLite: the app's indexing thread and parse threads.
    const sqliteCold = await measure(() => runIndexer({ root: archive, indexFile, ...threads }).done);
    const sqlite: Side = {
      cold: { ...sqliteCold, serverCpuS: 0, mb: round1((await sqliteBytes(indexFile)) / MB), updated: sqliteCold.result.updated },
      reader: await runChild<ReaderMeasurement>('./reader-child.ts', ['sqlite', indexFile]),
    };
    log(`SQLite: cold ${sqlite.cold.wallS} s wall, ${sqlite.cold.cpuS} s CPU`);

    // PostgreSQL: the same update loop and parse threads; the server's CPU from /proc when it runs here.
    const db = pg;
    created = true;
    const cold = await measure(() => updatePgIndex(db.pool, o.schema, archive, threads), () => (postmaster === null ? null : serverCpuMs(postmaster)));
    // Statistics for the planner, as autovacuum would gather them soon after (not part of the cold index).
    const tables = (await pg.pool.query<{ t: string }>('SELECT quote_ident(tablename) AS t FROM pg_tables WHERE schemaname = $1', [o.schema])).rows;
    for (const { t } of tables) await pg.pool.query(`ANALYZE ${s}.${t}`);
    // Each table with its TOAST and indexes (pg_total_relation_size), largest first.
    const tableMb = Object.fromEntries((await pg.pool.query<{ name: string; b: string }>(`SELECT c.relname AS name, pg_total_relation_size(c.oid)::text AS b
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'm')
      ORDER BY pg_total_relation_size(c.oid) DESC`, [o.schema])).rows.map((r) => [r.name, round1(Number(r.b) / MB)]));
    const bytes = Object.values(tableMb).reduce((n, mb) => n + mb * MB, 0);
    log(`PostgreSQL tables, MB: ${JSON.stringify(tableMb)}`);
    log(`PostgreSQL: cold ${cold.wallS} s wall, ${cold.cpuS} s CPU here + ${cold.serverCpuS ?? '?'} s server`);
    process.env.BACKFILE_BENCH_PG_URL = url;
    let reader: ReaderMeasurement;
    try {
      reader = await runChild<ReaderMeasurement>('./reader-child.ts', ['postgres', o.schema]);
    } finally {
      delete process.env.BACKFILE_BENCH_PG_URL;
    }
    const pgSide: Side = { cold: { ...cold, mb: round1(bytes / MB), updated: cold.result.updated, tableMb }, reader };

    const report = storeReport(o, sqlite, pgSide, { loadBefore, loadAfter: os.loadavg().map(round1), where });
    const out = path.resolve('test-output', `bench-store-${o.posts}.json`);
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
    if (o.json) console.log(JSON.stringify(report));
    else console.log(formatStoreTable(report));
  } finally {
    if (pg && created && !o.keep && !server) await pg.pool.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await pg?.close();
    await server?.stop();
    if (!o.keep) await fs.rm(work, { recursive: true, force: true });
  }
}

export type Row = [figure: string, sqlite: number | string | null, postgres: number | string | null, target: string, verdict: string];
export interface StoreReport {
  posts: number; corpus: Corpus; seed: number; postgres: string;
  machine: { cpus: number; node: string; loadBefore: number[]; loadAfter: number[] };
  rows: Row[];
  sqlite: Side; pg: Side;
}

function storeReport(o: StoreBenchOptions, sqlite: Side, pg: Side, env: { loadBefore: number[]; loadAfter: number[]; where: string }): StoreReport {
  const stats = (side: Side) => {
    const wall = side.reader.searches.map((s) => s.ms);
    const cpu = side.reader.searches.flatMap((s) => (s.cpuMs === null ? [] : [s.cpuMs]));
    const complete = cpu.length === wall.length;
    return {
      p50: percentile(wall, 50), p95: percentile(wall, 95), max: percentile(wall, 100),
      cpu50: complete ? percentile(cpu, 50) : null, cpu95: complete ? percentile(cpu, 95) : null,
    };
  };
  const [a, b] = [stats(sqlite), stats(pg)];
  const totalCpu = (c: Cold) => (c.serverCpuS === null ? null : round2(c.cpuS + c.serverCpuS));
  const ratio = (x: number | null, y: number | null) => (x === null || y === null || y === 0 ? null : round2(x / y));
  const wallRatio = ratio(pg.cold.wallS, sqlite.cold.wallS);
  const cpuRatio = ratio(totalCpu(pg.cold), totalCpu(sqlite.cold));
  const verdict = (value: number | null, limit: number) => (value === null ? 'not measured' : value <= limit ? 'met' : `MISSED (${round2(value / limit)}x)`);
  const sameTotals = sqlite.reader.searches.every((s, i) => s.total === pg.reader.searches[i]?.total);
  const rows: Row[] = [
    ['posts indexed', sqlite.cold.updated, pg.cold.updated, '', sqlite.cold.updated === pg.cold.updated ? '' : 'DIFFERENT'],
    ['cold index wall s', sqlite.cold.wallS, pg.cold.wallS, `PG ≤ ${COLD_RATIO_TARGET}x SQLite`, `${wallRatio ?? '?'}x: ${verdict(wallRatio, COLD_RATIO_TARGET)}`],
    ['cold index CPU s, this process', sqlite.cold.cpuS, pg.cold.cpuS, '', ''],
    ['cold index CPU s, server', sqlite.cold.serverCpuS, pg.cold.serverCpuS, '', ''],
    ['cold index CPU s, total', totalCpu(sqlite.cold), totalCpu(pg.cold), `PG ≤ ${COLD_RATIO_TARGET}x SQLite`, `${cpuRatio ?? '?'}x: ${verdict(cpuRatio, COLD_RATIO_TARGET)}`],
    ['cold index: bench process peak RSS MB', sqlite.cold.peakRssMb, pg.cold.peakRssMb, '', ''],
    ['index MB', sqlite.cold.mb, pg.cold.mb, '', ''],
    ['search p50 ms', a.p50, b.p50, '', ''],
    ['search p95 ms', a.p95, b.p95, `≤ ${SEARCH_P95_TARGET_MS}`, `SQLite ${verdict(a.p95, SEARCH_P95_TARGET_MS)}, PG ${verdict(b.p95, SEARCH_P95_TARGET_MS)}`],
    ['search max ms', a.max, b.max, '', ''],
    ['search CPU p50 ms', a.cpu50, b.cpu50, '', ''],
    ['search CPU p95 ms', a.cpu95, b.cpu95, `≤ ${SEARCH_P95_TARGET_MS}`, `SQLite ${verdict(a.cpu95, SEARCH_P95_TARGET_MS)}, PG ${verdict(b.cpu95, SEARCH_P95_TARGET_MS)}`],
    ['search totals', '', '', '', sameTotals ? 'same for all 50' : 'DIFFERENT'],
    ['trees ms, first', sqlite.reader.treesFirstMs, pg.reader.treesFirstMs, '', ''],
    ['trees ms, again', sqlite.reader.treesMs, pg.reader.treesMs, '≤ 100', `SQLite ${verdict(sqlite.reader.treesMs, 100)}, PG ${verdict(pg.reader.treesMs, 100)}`],
    ['warm open ms', sqlite.reader.warmOpenMs, pg.reader.warmOpenMs, '', ''],
    ['reader RSS MB once open', sqlite.reader.openRssMb, pg.reader.openRssMb, '', ''],
    ['reader peak RSS MB', sqlite.reader.peakRssMb, pg.reader.peakRssMb, '≤ 300', `SQLite ${verdict(sqlite.reader.peakRssMb, 300)}, PG ${verdict(pg.reader.peakRssMb, 300)}`],
  ];
  return {
    posts: o.posts, corpus: o.corpus, seed: o.seed, postgres: env.where,
    machine: { cpus: os.cpus().length, node: process.version, loadBefore: env.loadBefore, loadAfter: env.loadAfter },
    rows, sqlite, pg,
  };
}

/** The report as an aligned text table (also valid Markdown). */
export function formatStoreTable(r: StoreReport): string {
  const cells = [['figure', 'SQLite', 'PostgreSQL', 'target', 'verdict'], ...r.rows.map((row) => row.map((c) => (c === null ? '—' : String(c))))];
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => (i === 1 || i === 2 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' | ')} |`;
  return [
    `Backfile store benchmark — ${r.posts} ${r.corpus} posts, ${r.machine.cpus} CPUs, Node ${r.machine.node}, load ${r.machine.loadBefore.join(' ')} → ${r.machine.loadAfter.join(' ')}`,
    `PostgreSQL: ${r.postgres}`,
    '',
    line(cells[0]!),
    `|${widths.map((w, i) => (i === 1 || i === 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
    ...cells.slice(1).map(line),
  ].join('\n');
}
