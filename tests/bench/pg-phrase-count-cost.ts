/**
 * A phrase's count on a built team index, the ways pg-read.ts may run it (docs/BENCHMARKS.md, "Stop 23: phrase
 * counts"): `worker` (PARALLEL_PHRASE_SET: a Parallel Append with one parallel worker), `serial`, `split` (two
 * sessions in one exported snapshot, one partition each: pg-split-count.ts), each also with bitmap prefetch off
 * (`_noprefetch`). Rounds interleave the ways; before each measurement 16,000 other tsvectors are read, so shared
 * buffers hold none of the hits (they stay in the OS cache). Wall, and the server's CPU: the two backends' from
 * /proc/PID/schedstat, a parallel worker's from the postmaster's reaped children (ticks: read the mean).
 *
 *   npx tsx tests/bench/pg-phrase-count-cost.ts URL SCHEMA DATA_DIR [ROUNDS]
 *   (WAYS=worker,serial,split_noprefetch QUERIES=人工智能,集成电路 to choose; run as a user who may read /proc of the server)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PARALLEL_PHRASE_SET } from '../../src-main/node/pg/pg-read';
import { endedChildrenCpuMs, processCpuMs } from './pg-server-cpu';

const [url, schema, dataDir, roundsArg] = process.argv.slice(2);
if (!url || !schema || !dataDir) throw new Error('usage: pg-phrase-count-cost.ts URL SCHEMA DATA_DIR [ROUNDS]');
const rounds = Number(roundsArg ?? 7);
const PHRASES: Record<string, string> = {
  人工智能: "'人工' <-> '工智' <-> '智能'", 数据中心: "'数据' <-> '据中' <-> '中心'", 跨境电商: "'跨境' <-> '境电' <-> '电商'",
  集成电路: "'集成' <-> '成电' <-> '电路'", 同比增长: "'同比' <-> '比增' <-> '增长'",
  'OR part': "(('半导' <-> '导体') | ('集成' <-> '成电' <-> '电路')) & !'芯片'",
};
const queries = (process.env.QUERIES ?? '人工智能,数据中心,跨境电商,集成电路,OR part').split(',');
const ways = (process.env.WAYS ?? 'worker,worker_noprefetch,serial,serial_noprefetch,split,split_noprefetch').split(',');
const BEGIN = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off; SET LOCAL enable_partitionwise_join = on; SET LOCAL enable_seqscan = off';

const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
/** CPU ns of a backend, and ms of the postmaster's ended children (a parallel worker), as the bench's reader reads them. */
const runNs = (pid: number): number => processCpuMs(pid)! * 1e6;
const reapedMs = (pid: number): number => endedChildrenCpuMs(pid)!;

const [a, b, flusher] = [new pg.Client(url), new pg.Client(url), new pg.Client(url)];
for (const c of [a, b, flusher]) await c.connect();
const pidOf = async (c: pg.Client): Promise<number> => (await c.query<{ p: number }>('SELECT pg_backend_pid() AS p')).rows[0]!.p;
const [pidA, pidB] = [await pidOf(a), await pidOf(b)];
const { rows: leaves } = await a.query<{ name: string }>(`SELECT c.relname AS name FROM pg_partition_tree($1::regclass) t
  JOIN pg_class c ON c.oid = t.relid WHERE t.isleaf ORDER BY 1`, [`${schema}.posts`]);
if (leaves.length !== 2) throw new Error(`expected two partitions, found ${leaves.length}`);
const count = async (c: pg.Client, table: string, q: string): Promise<number> =>
  Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE tsv @@ $1::tsquery`, [q])).rows[0]!.n);

async function measure(way: string, q: string): Promise<{ n: number; wall: number; cpu: number; worker: number }> {
  const prefetch = way.endsWith('_noprefetch') ? '; SET LOCAL effective_io_concurrency = 0' : '';
  await a.query(BEGIN + prefetch);
  const cpu0 = runNs(pidA) + runNs(pidB);
  const worker0 = reapedMs(postmaster);
  const started = performance.now();
  let n: number;
  if (way.startsWith('worker')) {
    await a.query(PARALLEL_PHRASE_SET);
    n = await count(a, `${schema}.posts`, q);
  } else if (way.startsWith('serial')) n = await count(a, `${schema}.posts`, q);
  else {
    const { id } = (await a.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!;
    const other = (async () => {
      await b.query(`${BEGIN}${prefetch}; SET TRANSACTION SNAPSHOT '${id}'`);
      const found = await count(b, `${schema}."${leaves[1]!.name}"`, q);
      await b.query('COMMIT');
      return found;
    })();
    n = await count(a, `${schema}."${leaves[0]!.name}"`, q) + await other;
  }
  const wall = performance.now() - started;
  const cpu = (runNs(pidA) + runNs(pidB) - cpu0) / 1e6;
  await a.query('COMMIT');
  // The postmaster reaps an ended worker soon after: wait until its ticks stop moving (or a worker was not used).
  let worker = reapedMs(postmaster) - worker0;
  for (let i = 0; i < 20 && way.startsWith('worker'); i++) {
    await new Promise((resolve) => setImmediate(resolve));
    worker = reapedMs(postmaster) - worker0;
  }
  return { n, wall, cpu, worker };
}

const results = new Map<string, { n: number; wall: number[]; cpu: number[]; worker: number[] }>();
const load = os.loadavg();
for (let round = 0; round < rounds; round++) {
  for (const query of queries) {
    for (let i = 0; i < ways.length; i++) {
      const way = ways[(i + round) % ways.length]!;
      await flusher.query(`SELECT sum(length(tsv)) FROM (SELECT tsv FROM ${schema}.posts ORDER BY path DESC LIMIT 16000) AS other`);
      const m = await measure(way, PHRASES[query]!);
      const key = `${query} ${way}`;
      const entry = results.get(key) ?? { n: m.n, wall: [], cpu: [], worker: [] };
      if (entry.n !== m.n) throw new Error(`${key}: ${m.n} hits, ${entry.n} before`);
      entry.wall.push(m.wall);
      entry.cpu.push(m.cpu);
      entry.worker.push(m.worker);
      results.set(key, entry);
    }
  }
}
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
console.log(`${rounds} rounds, load ${load.map((x) => x.toFixed(2)).join(' ')} -> ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('query way | hits | wall median ms | backends CPU median ms | worker CPU mean ms | server CPU ms');
for (const [key, e] of results) {
  console.log(`${key} | ${e.n} | ${median(e.wall).toFixed(1)} | ${median(e.cpu).toFixed(1)} | ${mean(e.worker).toFixed(1)} | ${(median(e.cpu) + mean(e.worker)).toFixed(1)}`);
}
for (const c of [a, b, flusher]) await c.end();
