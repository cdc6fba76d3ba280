/**
 * What following the indexer costs with many readers (issue 15): N team index readers (TeamIndex, one process, a
 * throwaway PostgreSQL) first polling `generation` every 2 s (LISTEN off, as before), then listening (NOTIFY, 30 s
 * safety poll). For each: the server's transactions and CPU during an idle window, and how long after a commit every
 * reader has read it (wall ms, commit returned -> onChanged). Not run by `npm test`.
 *
 *   node --import tsx tests/bench/team-listen-cost.ts [readers=50] [idleSeconds=30] [commits=10]
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { TeamIndex, type TeamIndexOptions } from '../../src-main/node/archive/team-index';
import { openPgConnection } from '../../src-main/node/pg/pg-connection';
import { bumpGeneration } from '../../src-main/node/pg/pg-notify';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { pgBinDir, startPostgres } from '../helpers/postgres';
import { serverCpuMs, serverPids } from './pg-server-cpu';

const [readers = 50, idleSeconds = 30, commits = 10] = process.argv.slice(2).map(Number);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;

async function measure(server: Awaited<ReturnType<typeof startPostgres>>, postmaster: number, mode: string, options: TeamIndexOptions, count = readers) {
  const teams: TeamIndex[] = [];
  for (let i = 0; i < count; i++) teams.push(await TeamIndex.connect({ url: server.url() }, options));
  if (options.listen !== false) while (teams.some((t) => t.listenState !== 'listening')) await pause(10);
  const stats = async () => (await server.query<{ x: string; s: string }>(
    "SELECT xact_commit::text AS x, sessions::text AS s FROM pg_stat_database WHERE datname = 'postgres'")).rows.map((r) => ({ x: Number(r.x), s: Number(r.s) }))[0]!;
  // A backend reports its counts to pg_stat_database when idle, held back up to 10 s (PGSTAT_IDLE_INTERVAL): the
  // connects' own reports must land before the window, the window's before its end is read.
  await pause(11_000);
  const x0 = await stats();
  const t0 = performance.now();
  const cpu0 = serverCpuMs(postmaster) ?? NaN;
  const node0 = process.cpuUsage();
  await pause(idleSeconds * 1000);
  const cpu1 = serverCpuMs(postmaster) ?? NaN;
  const node1 = process.cpuUsage(node0);
  await pause(11_000);
  const x1 = await stats();
  const statSeconds = (performance.now() - t0) / 1000;
  const writer = new pg.Client({ connectionString: server.url() });
  await writer.connect();
  const delays: number[] = [];
  for (let c = 0; c < (count > 0 ? commits : 0); c++) {
    const seen = teams.map((team) => new Promise<number>((resolve) => {
      team.onChanged = () => resolve(performance.now());
    }));
    await writer.query('BEGIN');
    await bumpGeneration(writer, '"backfile"', 'backfile');
    await writer.query('COMMIT');
    const at = performance.now();
    for (const t of await Promise.all(seen)) delays.push(t - at);
  }
  await writer.end();
  await Promise.all(teams.map((t) => t.close()));
  // Transactions are counted between the two reads of the stats (the idle window and the 11 s after it, readers still
  // following), the CPU over the idle window alone.
  return {
    mode,
    readers: count,
    idleSeconds,
    serverTransactionsPerSecond: +((x1.x - x0.x) / statSeconds).toFixed(2),
    newServerSessionsPerMinute: +(((x1.s - x0.s) / statSeconds) * 60).toFixed(1),
    serverCpuMsPerMinute: +(((cpu1 - cpu0) / idleSeconds) * 60).toFixed(1),
    nodeCpuMsPerMinute: +((((node1.user + node1.system) / 1000) / idleSeconds) * 60).toFixed(1),
    seenAfterCommitMs: { p50: +quantile(delays, 0.5).toFixed(1), p95: +quantile(delays, 0.95).toFixed(1), max: +Math.max(...delays).toFixed(1) },
  };
}

const server = await startPostgres();
try {
  // Each reader holds its pool's connections and (listening) one more: more than the default 100 at 50 readers.
  await server.query('ALTER SYSTEM SET max_connections = 400');
  const ctl = path.join(pgBinDir()!, 'pg_ctl');
  const args = ['restart', '-w', '-m', 'fast', '-D', server.dataDir, '-l', path.join(path.dirname(server.dataDir), 'postgres.log')];
  execFileSync(process.getuid?.() === 0 ? 'runuser' : ctl, process.getuid?.() === 0 ? ['-u', 'postgres', '--', ctl, ...args] : args, { stdio: 'ignore' });
  const writer = await openPgConnection(server.url());
  await updatePgIndex(writer.pool, 'backfile', path.resolve('posts'));
  const { postmaster } = await serverPids(writer.pool);
  await writer.close();
  const results = [
    await measure(server, postmaster!, 'no reader (the server alone)', { pollMs: 0 }, 0),
    await measure(server, postmaster!, 'poll every 2 s', { listen: false, pollMs: 2000 }),
    await measure(server, postmaster!, 'LISTEN + 30 s safety poll', { pollMs: 2000, safetyPollMs: 30_000 }),
  ];
  console.log(JSON.stringify({ results, loadAverage: os.loadavg().map((l) => +l.toFixed(2)), cores: os.cpus().length }, null, 2));
} finally {
  await server.stop();
}
