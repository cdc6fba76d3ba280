/**
 * Where a cold build of the team index spends the server's CPU: one cold index of an existing archive into a
 * throwaway PostgreSQL (tests/helpers/postgres.ts) with pg_stat_statements loaded in that server only (the product
 * needs no extension), posts read on the indexing thread. Prints CPU seconds of this process and of the server, the
 * statements by total execution time (calls, rows, WAL bytes, blocks), pg_stat_wal, and the load average. With
 * `--keep` the server is left running (its URL printed) for EXPLAIN by hand; stop it with pg_ctl.
 *
 * Run: `npx tsx tests/bench/pg-cold-profile.ts ARCHIVE_DIR [--keep]` (TMPDIR picks where the cluster goes).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPgStore, updatePgIndex } from '../../src-main/node/pg';
import { pgBinDir, startPostgres } from '../helpers/postgres';
import { serverCpuMs } from './pg-server-cpu';

const archive = process.argv[2];
const keep = process.argv.includes('--keep');
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const postmasterOf = (dataDir: string) => Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

async function main() {
  if (!archive) throw new Error('usage: pg-cold-profile.ts ARCHIVE_DIR [--keep]');
  const server = await startPostgres();
  try {
    // pg_stat_statements in this server only: postgresql.auto.conf, then a restart with the same options.
    await server.query("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
    const pgCtl = path.join(pgBinDir()!, 'pg_ctl');
    const asRoot = process.getuid?.() === 0;
    execFileSync(asRoot ? 'runuser' : pgCtl, [...(asRoot ? ['-u', 'postgres', '--', pgCtl] : []), 'restart', '-w', '-m', 'fast', '-D', server.dataDir], { stdio: 'ignore' });
    await server.query("ALTER SYSTEM SET pg_stat_statements.track = 'all'");
    await server.query('SELECT pg_reload_conf()');
    await server.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await server.query('SELECT pg_stat_statements_reset()');
    await server.query('SELECT pg_stat_reset_shared($1)', ['wal']);
    const pid = postmasterOf(server.dataDir);
    const store = await openPgStore(server.adminUrl, 'backfile');
    const loadBefore = os.loadavg().map((l) => l.toFixed(2));
    const s0 = serverCpuMs(pid) ?? 0;
    const c0 = cpu();
    const w0 = performance.now();
    const summary = await updatePgIndex(store.pool, 'backfile', archive, { parseThreads: 0 });
    const result = {
      updated: summary.updated,
      nodeCpuS: (cpu() - c0) / 1000,
      serverCpuS: ((serverCpuMs(pid) ?? 0) - s0) / 1000,
      wallS: (performance.now() - w0) / 1000,
      loadBefore,
      loadAfter: os.loadavg().map((l) => l.toFixed(2)),
    };
    const statements = (await store.pool.query(`SELECT round(total_exec_time)::int AS ms, calls, rows, wal_bytes::bigint AS wal,
        shared_blks_hit + shared_blks_read AS blks, shared_blks_dirtied AS dirtied, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
      FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 20`)).rows;
    const wal = (await store.pool.query('SELECT wal_records, wal_fpi, wal_bytes::bigint, wal_buffers_full, wal_write, wal_sync FROM pg_stat_wal')).rows[0];
    console.log(JSON.stringify({ result, wal }, null, 2));
    for (const s of statements) console.log(`${String(s.ms).padStart(8)} ms ${String(s.calls).padStart(7)}x ${String(s.rows).padStart(9)} rows ${String(Math.round(Number(s.wal) / 1e6)).padStart(6)} MB wal  ${s.query}`);
    await store.close();
    if (keep) {
      console.log(`kept: ${server.adminUrl} (data ${server.dataDir})`);
      // A pending promise alone does not keep Node running (and the harness stops its servers at exit): a timer does.
      setInterval(() => undefined, 1 << 30);
      await new Promise(() => undefined);
    }
  } finally {
    if (!keep) await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
