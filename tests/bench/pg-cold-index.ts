/**
 * Cold index of the same generated archive into the SQLite store and into a throwaway PostgreSQL (the tests' harness,
 * tests/helpers/postgres.ts: fsync off), one after the other, both through the same update loop with the posts read
 * on the indexing thread (no parse threads, so the CPU compared is the writer's). Prints one JSON object: CPU seconds
 * of this process and of the PostgreSQL server's processes, wall seconds, bytes (SQLite file; pg_total_relation_size
 * of each table), and how many posts met PostgreSQL's tsvector limits (pg-tsvector.ts). docs/SCALING.md records a run.
 *
 * Run: `npx tsx tests/bench/pg-cold-index.ts [posts=20000] [synthetic|real]`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateArchive, type Corpus } from './generate-archive';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { openPgStore, updatePgIndex } from '../../src-main/node/pg';
import { startPostgres } from '../helpers/postgres';
import { serverCpuMs } from './pg-server-cpu';

const posts = Number(process.argv[2] ?? 20000);
const corpus = (process.argv[3] ?? 'real') as Corpus;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-pg-bench-'));

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function main() {
  const archive = path.join(dir, 'archive');
  const generated = await generateArchive(archive, posts, 42, corpus);
  const result: Record<string, unknown> = { posts, corpus, archiveBytes: generated.bytes, loadavgBefore: os.loadavg().map((l) => l.toFixed(2)) };

  const indexFile = path.join(dir, 'index.sqlite');
  let c0 = cpu();
  let w0 = performance.now();
  const store = IndexStore.open(indexFile);
  const sqliteSummary = await updateIndex(store, archive);
  store.close();
  const sqliteBytes = ['', '-wal', '-shm'].reduce((n, s) => n + (fs.existsSync(indexFile + s) ? fs.statSync(indexFile + s).size : 0), 0);
  result.sqlite = { cpuS: (cpu() - c0) / 1000, wallS: (performance.now() - w0) / 1000, bytes: sqliteBytes, updated: sqliteSummary.updated };

  const server = await startPostgres();
  try {
    const pid = Number(fs.readFileSync(path.join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const pg = await openPgStore(server.adminUrl, 'backfile');
    const s0 = serverCpuMs(pid) ?? 0;
    c0 = cpu();
    w0 = performance.now();
    const pgSummary = await updatePgIndex(pg.pool, 'backfile', archive, { parseThreads: 0 });
    const nodeCpu = (cpu() - c0) / 1000;
    const wall = (performance.now() - w0) / 1000;
    await pg.pool.query('VACUUM ANALYZE backfile.posts');
    const serverCpu = ((serverCpuMs(pid) ?? 0) - s0) / 1000;
    const sizes = (await pg.pool.query<{ name: string; total: string; heap: string; toast: string; indexes: string }>(`
      SELECT c.relname AS name, pg_total_relation_size(c.oid)::text AS total, pg_relation_size(c.oid)::text AS heap,
        coalesce(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0)::text AS toast, pg_indexes_size(c.oid)::text AS indexes
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'backfile' AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC`)).rows;
    const indexSizes = (await pg.pool.query<{ name: string; bytes: string }>(`
      SELECT c.relname AS name, pg_relation_size(c.oid)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'backfile' AND c.relkind = 'i' ORDER BY pg_relation_size(c.oid) DESC`)).rows;
    const limits = (await pg.pool.query(`SELECT
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM unnest(tsv) u WHERE 16383 = ANY(u.positions)))::int AS overflow_posts,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM unnest(tsv) u WHERE cardinality(u.positions) >= 256))::int AS lexeme_256_posts,
        max(pg_column_size(tsv))::int AS max_tsv_bytes, avg(pg_column_size(tsv))::int AS avg_tsv_bytes, count(*)::int AS posts
      FROM backfile.posts`)).rows[0];
    result.postgres = {
      cpuS: nodeCpu, serverCpuS: serverCpu, wallS: wall, updated: pgSummary.updated,
      bytes: sizes.reduce((n, r) => n + Number(r.total), 0), tables: sizes, indexes: indexSizes, limits,
    };
    await pg.close();
  } finally {
    await server.stop();
  }
  result.loadavgAfter = os.loadavg().map((l) => l.toFixed(2));
  console.log(JSON.stringify(result, null, 2));
}

main().finally(() => fs.rmSync(dir, { recursive: true, force: true })).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
