/**
 * What partitioning the team index's posts by HASH (path) would buy and cost (docs/BENCHMARKS.md "Stop 22: the posts
 * partitioned"), on a server that holds a built, unpartitioned team index in schema `backfile` (e.g. left running by
 * `pg-cold-profile.ts ARCHIVE --keep`). It copies that index into schema `part` with posts split into MODULUS hash
 * partitions, then measures, wall and the server's CPU:
 *  - the GIN of every word (posts_tsv) built on the whole table by one session, against one session a partition at
 *    once, and then every index of the posts the same two ways (the cold build's end);
 *  - the benchmark's 50 searches (search-queries.ts) on both schemas, ROUNDS fresh reader processes each
 *    (reader-child.ts), alternating: p50/p95 of wall and CPU;
 *  - the plans of the slowest searches' statements on both (EXPLAIN ANALYZE BUFFERS), written to OUT_DIR.
 *
 * Run: `npx tsx tests/bench/pg-partition-cost.ts URL OUT_DIR [modulus=2] [rounds=3] [--search-only]` (URL of a superuser;
 * --search-only: schema `part` made by an earlier run).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PgIndexReader } from '../../src-main/node/pg/pg-read';
import { postIndexes } from '../../src-main/node/pg/pg-schema';
import { processCpuMs } from './pg-server-cpu';
import type { ReaderMeasurement } from './reader-child';

const [url, outDir, modulusArg, roundsArg] = process.argv.slice(2);
const modulus = Number(modulusArg ?? 2);
const rounds = Number(roundsArg ?? 3);
const SLOW = process.env.PLAN_QUERIES?.split(',') ?? ['人工智能', '跨境电商', '数据中心', '"同比增长"', '市'];

async function session(): Promise<{ client: pg.Client; pid: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const pid = Number((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
  return { client, pid };
}

/** Runs each list of statements on a session of its own, all at once: wall ms, and each session's CPU ms. */
async function concurrently(lists: string[][]): Promise<{ wallMs: number; cpuMs: number[] }> {
  const sessions = await Promise.all(lists.map(() => session()));
  const before = sessions.map((s) => processCpuMs(s.pid) ?? 0);
  const started = performance.now();
  await Promise.all(lists.map(async (list, i) => {
    for (const sql of list) await sessions[i]!.client.query(sql);
  }));
  const wallMs = performance.now() - started;
  const cpuMs = sessions.map((s, i) => Math.round((processCpuMs(s.pid) ?? 0) - before[i]!));
  await Promise.all(sessions.map((s) => s.client.end()));
  return { wallMs: Math.round(wallMs), cpuMs };
}

const gin = (sql: string): boolean => / USING gin /.test(sql);
const withMem = (sql: string): string[] => [`SET maintenance_work_mem = '${gin(sql) ? '8MB' : '256MB'}'`, sql];

async function copyPartitioned(admin: pg.Client): Promise<void> {
  await admin.query('DROP SCHEMA IF EXISTS part CASCADE');
  await admin.query('CREATE SCHEMA part');
  for (const table of ['meta', 'file_problems', 'scan_problems', 'sig_buckets', 'post_story']) {
    await admin.query(`CREATE TABLE part.${table} (LIKE backfile.${table} INCLUDING ALL)`);
    await admin.query(`INSERT INTO part.${table} SELECT * FROM backfile.${table}`);
  }
  await admin.query('CREATE SEQUENCE part.post_seq');
  await admin.query('CREATE TABLE part.posts (LIKE backfile.posts INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMPRESSION, PRIMARY KEY (path)) PARTITION BY HASH (path)');
  for (let k = 0; k < modulus; k++) {
    await admin.query(`CREATE TABLE part.posts_p${k} PARTITION OF part.posts FOR VALUES WITH (MODULUS ${modulus}, REMAINDER ${k})`);
  }
  await admin.query("SET default_toast_compression = 'lz4'");
  await admin.query('INSERT INTO part.posts SELECT * FROM backfile.posts');
  await admin.query('VACUUM (PROCESS_TOAST FALSE) part.posts');
}

async function indexBuilds(admin: pg.Client): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  const tsv = postIndexes('backfile').find(([name]) => name === 'posts_tsv')![1];
  // (a) posts_tsv: the whole table on one session, against each partition on a session of its own.
  result.tsvWhole = await concurrently([withMem(tsv.replace('CREATE INDEX posts_tsv ', 'CREATE INDEX x_tsv '))]);
  await admin.query('DROP INDEX backfile.x_tsv');
  result.tsvParts = await concurrently([...Array(modulus).keys()].map((k) => withMem(`CREATE INDEX ON part.posts_p${k} USING gin (tsv)`)));
  await admin.query(`DO $$DECLARE r record; BEGIN FOR r IN SELECT indexrelid::regclass AS i FROM pg_index WHERE indrelid IN
    (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'part.posts'::regclass) AND NOT indisprimary LOOP EXECUTE 'DROP INDEX ' || r.i; END LOOP; END$$`);
  // (b) every index of the posts: one session (the end today, less its other work) against a session a partition.
  const whole = postIndexes('backfile').map(([name, sql]) => sql.replace(`CREATE INDEX ${name} `, `CREATE INDEX x_${name} `));
  result.allWhole = await concurrently([whole.flatMap(withMem)]);
  for (const [name] of postIndexes('backfile')) await admin.query(`DROP INDEX backfile.x_${name}`);
  result.allParts = await concurrently([...Array(modulus).keys()].map((k) => postIndexes('part').flatMap(([name, sql]) =>
    withMem(sql.replace(`CREATE INDEX ${name} ON part.posts `, `CREATE INDEX ${name}_p${k} ON part.posts_p${k} `)))));
  // Then the parent's indexes attach the partitions' (no build).
  const started = performance.now();
  for (const [, sql] of postIndexes('part')) await admin.query(sql);
  result.attachMs = Math.round(performance.now() - started);
  result.partitionIndexes = (await admin.query(`SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE c.relkind = 'i' AND c.relnamespace = 'part'::regnamespace`)).rows[0];
  await admin.query('ANALYZE part.posts');
  return result;
}

function reader(schema: string): ReaderMeasurement {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./reader-child.ts', import.meta.url)), 'postgres', schema], {
    env: { ...process.env, BACKFILE_BENCH_PG_URL: url }, encoding: 'utf8', maxBuffer: 1 << 26,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ReaderMeasurement;
}

const pct = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

async function plans(admin: pg.Client, schema: string): Promise<string> {
  let text = '';
  for (const query of SLOW) {
    const seen: { text: string; params: unknown[] }[] = [];
    const recording = {
      query: (sql: string | { text: string; values?: unknown[] }, params?: unknown[]) => {
        const t = typeof sql === 'string' ? sql : sql.text;
        if (/^\s*SELECT[\s\S]*\.posts/i.test(t)) seen.push({ text: t, params: (typeof sql === 'string' ? params : sql.values) ?? [] });
        return admin.query(sql as string, params);
      },
    } as unknown as pg.ClientBase;
    if (process.env.PLAN_SET) await admin.query(process.env.PLAN_SET);
    await new PgIndexReader(recording, schema, undefined, { parallelPhrases: false }).list({ query, limit: 50 });
    for (const statement of seen) {
      const { rows } = await admin.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) ${statement.text}`, statement.params);
      text += `--- ${schema} ${query}\n${statement.text.replace(/\s+/g, ' ').slice(0, 300)}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n\n`;
    }
  }
  return text;
}

async function main() {
  if (!url || !outDir) throw new Error('usage: pg-partition-cost.ts URL OUT_DIR [modulus=2] [rounds=3]');
  fs.mkdirSync(outDir, { recursive: true });
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const result: Record<string, unknown> = { modulus, loadBefore: os.loadavg().map((l) => l.toFixed(2)) };
  try {
    if (process.argv.includes('--plans-only')) {
      fs.writeFileSync(path.join(outDir, 'plans.txt'), (await plans(admin, 'backfile')) + (await plans(admin, 'part')));
      return;
    }
    if (!process.argv.includes('--search-only')) {
      await copyPartitioned(admin);
      Object.assign(result, await indexBuilds(admin));
      console.log(JSON.stringify(result));
    }
    const measured: Record<string, ReaderMeasurement[]> = { backfile: [], part: [] };
    for (let r = 0; r < rounds; r++) for (const schema of ['backfile', 'part']) measured[schema]!.push(reader(schema));
    for (const schema of ['backfile', 'part']) {
      const runs = measured[schema]!;
      const ms = runs.flatMap((m) => m.searches.map((s) => s.ms));
      const cpu = runs.flatMap((m) => m.searches.map((s) => s.cpuMs ?? 0));
      result[schema] = {
        p50: pct(ms, 50), p95: pct(ms, 95), cpuP50: pct(cpu, 50), cpuP95: pct(cpu, 95),
        perRound: runs.map((m) => ({ p95: pct(m.searches.map((s) => s.ms), 95), cpuP95: pct(m.searches.map((s) => s.cpuMs ?? 0), 95) })),
        slow: SLOW.map((q) => ({ q, ms: runs.map((m) => m.searches.find((s) => s.query === q)!.ms), cpu: runs.map((m) => m.searches.find((s) => s.query === q)!.cpuMs) })),
      };
    }
    fs.writeFileSync(path.join(outDir, 'runs.json'), JSON.stringify(measured));
    const [a, b] = [measured.backfile![0]!, measured.part![0]!];
    result.sameTotals = a.searches.every((s, i) => s.total === b.searches[i]!.total);
    fs.writeFileSync(path.join(outDir, 'plans.txt'), (await plans(admin, 'backfile')) + (await plans(admin, 'part')));
    result.loadAfter = os.loadavg().map((l) => l.toFixed(2));
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
