/**
 * The team index's cold build (pg-cold.ts, issue 15's cold-index target): an update into an empty schema loads the
 * posts into the bare table and makes the indexes, the bucket rows and the stories once at its end. A build killed
 * half-way leaves its mark, no secondary index and no bucket row, and readers still get right answers; the next
 * update goes on and heals: then the schema holds the indexes a schema made at once holds, and the same posts, bucket
 * rows and stories as a build made batch by batch. The indexer writes long values with lz4.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReprintArchive } from '../bench/reprint-archive';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { COLD_MARK, startColdBuild } from '../../src-main/node/pg/pg-cold';
import { PG_TABLES, ensurePgSchema } from '../../src-main/node/pg/pg-schema';
import { PgIndexReader } from '../../src-main/node/pg/pg-read';
import type { IndexProgress } from '../../src-main/shared/archive-api';
import { pgShape } from '../helpers/pg-compare';
import { pgAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';
import { repoRoot, tempDir } from '../helpers/temp';

const available = pgAvailable();
if (!available.ok) console.log(`PostgreSQL cold build skipped: ${available.reason}`);


describe.skipIf(!available.ok)('a cold build of the team index', { timeout: 300_000 }, () => {
  const dir = tempDir('backfile-pg-cold-');
  const archive = path.join(dir, 'archive');
  let server: TestPostgres;
  let pool: pg.Pool;
  /** Posts in the archive: planted reprints (stories to make) among unrelated posts, five batches or so. */
  let POSTS = 0;
  beforeAll(async () => {
    server = await startPostgres();
    pool = new pg.Pool({ connectionString: server.adminUrl, max: 4 });
    const planted = generateReprintArchive(archive, { seed: 14, originals: 100, unrelated: 900 });
    POSTS = planted.unrelated.length + planted.families.reduce((n, f) => n + 1 + f.reprints.length, 0);
  });
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });

  /** Index definitions of the index's tables in a schema, its name taken out, sorted. */
  const indexesOf = async (schema: string): Promise<string[]> => (await pool.query<{ d: string }>(
    'SELECT replace(indexdef, $1, \'S.\') AS d FROM pg_indexes WHERE schemaname = $2 AND tablename = ANY($3)',
    [`${schema}.`, schema, [...PG_TABLES]])).rows.map((r) => r.d).sort();

  /** Bucket rows as "bucket path" and stories as sorted groups of paths: story numbers may differ between builds. */
  async function similarityOf(schema: string): Promise<{ buckets: string[]; stories: string[][] }> {
    const buckets = (await pool.query<{ r: string }>(`SELECT b.bucket || ' ' || p.path AS r FROM ${schema}.sig_buckets b
      JOIN ${schema}.posts p ON p.date_key = b.date_key AND p.seq = b.seq`)).rows.map((r) => r.r).sort();
    const groups = new Map<number, string[]>();
    for (const r of (await pool.query<{ path: string; story: number }>(`SELECT path, story FROM ${schema}.post_story ORDER BY path`)).rows) {
      groups.set(r.story, [...(groups.get(r.story) ?? []), r.path]);
    }
    return { buckets, stories: [...groups.values()].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)) };
  }

  /** Indexes `archive` into `schema` in a child process, killed with SIGKILL once `killAt` posts are written. */
  async function indexUntilKilled(schema: string, killAt: number): Promise<NodeJS.Signals | null> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/helpers/pg-index-with-progress.ts'), server.adminUrl, schema, archive], {
      cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    for await (const line of readline.createInterface({ input: child.stdout })) {
      const progress = JSON.parse(line) as IndexProgress | { phase: 'done' };
      if (progress.phase === 'indexing' && progress.indexed >= killAt && progress.indexed < progress.toIndex) {
        child.kill('SIGKILL');
        break;
      }
    }
    return exited;
  }

  it('killed half-way, leaves a bare table readers search right, and the next update heals it', async () => {
    expect(await indexUntilKilled('killed', 500)).toBe('SIGKILL');
    // The server notices the killed client when its socket closes: wait until its session is gone.
    for (;;) {
      const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'");
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const written = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM killed.posts')).rows[0]!.n;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(POSTS);
    expect((await pool.query('SELECT value FROM killed.meta WHERE key = $1', [COLD_MARK])).rows).toEqual([{ value: '1' }]);
    // Only the primary keys while the posts are loaded: no GIN or B-tree index to keep up row by row.
    expect((await indexesOf('killed')).map((d) => /INDEX (\w+)/.exec(d)![1]).sort())
      .toEqual(['file_problems_pkey', 'meta_pkey', 'post_story_pkey', 'posts_pkey']);
    expect((await pool.query('SELECT count(*)::int AS n FROM killed.sig_buckets')).rows[0]).toEqual({ n: 0 });
    // A reader of the half-built index: the same answer as the rows themselves give.
    const reader = new PgIndexReader(pool, 'killed');
    const found = await reader.list({ query: '市场', limit: 5 });
    const truth = (await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM killed.posts WHERE NOT hidden AND tsv @@ to_tsquery('simple', '市场')")).rows[0]!.n;
    expect(found.total).toBe(truth);
    expect(found.total).toBeGreaterThan(0);

    const summary = await updatePgIndex(pool, 'killed', archive);
    expect(summary.updated + summary.unchanged).toBe(POSTS);
    expect((await pool.query('SELECT 1 FROM killed.meta WHERE key = $1', [COLD_MARK])).rowCount).toBe(0);
    await updatePgIndex(pool, 'clean', archive);
    expect(await pgShape(pool, 'killed')).toEqual(await pgShape(pool, 'clean'));
    expect(await similarityOf('killed')).toEqual(await similarityOf('clean'));
    expect((await reader.list({ query: '市场', limit: 5 })).total).toBe((await new PgIndexReader(pool, 'clean').list({ query: '市场', limit: 5 })).total);
  });

  it('killed at the end after the second session committed posts_tsv, before the end\'s commit, heals on the next update', async () => {
    // A build under way (its mark set), as a kill leaves it; the child goes on with it.
    const setup = await pool.connect();
    try {
      await ensurePgSchema(setup, 'late');
      expect(await startColdBuild(setup, 'late')).toBe(true);
    } finally {
      setup.release();
    }
    // Hold the end transaction at its first write (DELETE FROM sig_buckets waits for this SHARE lock); the second
    // session's CREATE INDEX on posts does not wait for it.
    const holder = await pool.connect();
    let killed: Promise<NodeJS.Signals | null> | undefined;
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE late.sig_buckets IN SHARE MODE');
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/helpers/pg-index-with-progress.ts'), server.adminUrl, 'late', archive], {
        cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'],
      });
      killed = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      const tsvMade = async () => (await pool.query("SELECT 1 FROM pg_indexes WHERE schemaname = 'late' AND indexname = 'posts_tsv'")).rowCount === 1;
      for (;;) {
        const end = (await pool.query<{ pid: number }>(
          "SELECT pid FROM pg_locks WHERE NOT granted AND relation = 'late.sig_buckets'::regclass")).rows[0];
        if (end && await tsvMade()) break;
        // The end waits and no other session of the indexer is left: posts_tsv is not made beside it (fails below).
        const others = end ? (await pool.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'backfile' AND pid <> $1", [end.pid])).rowCount : 1;
        if (others === 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await tsvMade()).toBe(true);
      child.kill('SIGKILL');
      expect(await killed).toBe('SIGKILL');
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
    for (;;) {
      const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'");
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Every post loaded, posts_tsv committed, the end's transaction gone: the mark set, no bucket row, searches right.
    expect((await pool.query('SELECT count(*)::int AS n FROM late.posts')).rows[0]).toEqual({ n: POSTS });
    expect((await pool.query('SELECT value FROM late.meta WHERE key = $1', [COLD_MARK])).rows).toEqual([{ value: '1' }]);
    expect((await indexesOf('late')).map((d) => /INDEX (\w+)/.exec(d)![1]).sort())
      .toEqual(['file_problems_pkey', 'meta_pkey', 'post_story_pkey', 'posts_pkey', 'posts_tsv']);
    expect((await pool.query('SELECT count(*)::int AS n FROM late.sig_buckets')).rows[0]).toEqual({ n: 0 });
    const reader = new PgIndexReader(pool, 'late');
    const truth = (await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM late.posts WHERE NOT hidden AND tsv @@ to_tsquery('simple', '市场')")).rows[0]!.n;
    expect((await reader.list({ query: '市场', limit: 5 })).total).toBe(truth);

    await updatePgIndex(pool, 'late', archive);
    expect((await pool.query('SELECT 1 FROM late.meta WHERE key = $1', [COLD_MARK])).rowCount).toBe(0);
    if ((await pool.query("SELECT 1 FROM pg_namespace WHERE nspname = 'clean'")).rowCount === 0) await updatePgIndex(pool, 'clean', archive);
    expect(await indexesOf('late')).toEqual(await indexesOf('clean'));
    expect(await pgShape(pool, 'late')).toEqual(await pgShape(pool, 'clean'));
    expect(await similarityOf('late')).toEqual(await similarityOf('clean'));
  });

  it('ends with the indexes of a schema made at once, the bucket rows and stories of a batch-by-batch build, values in lz4 but the tsvectors', async () => {
    if ((await pool.query("SELECT 1 FROM pg_namespace WHERE nspname = 'clean'")).rowCount === 0) await updatePgIndex(pool, 'clean', archive);
    const client = await pool.connect();
    try {
      await ensurePgSchema(client, 'fresh');
    } finally {
      client.release();
    }
    expect(await indexesOf('clean')).toEqual(await indexesOf('fresh'));
    expect((await pool.query('SELECT 1 FROM clean.meta WHERE key = $1', [COLD_MARK])).rowCount).toBe(0);

    // Batch by batch: a first update of one post (cold), then the rest into a schema that is no longer empty.
    const one = path.join(dir, 'one');
    const first = (await pool.query<{ path: string }>('SELECT path FROM clean.posts ORDER BY path LIMIT 1')).rows[0]!.path;
    fs.mkdirSync(path.dirname(path.join(one, first)), { recursive: true });
    fs.copyFileSync(path.join(archive, first), path.join(one, first));
    const config = path.join(archive, '_config.yml');
    if (fs.existsSync(config)) fs.copyFileSync(config, path.join(one, '_config.yml'));
    await updatePgIndex(pool, 'batches', one);
    fs.rmSync(one, { recursive: true });
    fs.cpSync(archive, one, { recursive: true });
    await updatePgIndex(pool, 'batches', one);
    const [cold, batches] = [await similarityOf('clean'), await similarityOf('batches')];
    expect(cold.stories.length).toBeGreaterThan(0);
    expect(cold.buckets.length).toBeGreaterThan(POSTS);
    expect(cold).toEqual(batches);

    // Bodies and tsvectors long enough to be compressed are compressed with lz4.
    const methods = (await pool.query<{ method: string; n: number }>(
      'SELECT pg_column_compression(body) AS method, count(*)::int AS n FROM clean.posts WHERE pg_column_compression(body) IS NOT NULL GROUP BY 1')).rows;
    expect(methods.map((m) => m.method)).toEqual(['lz4']);
    // But not the tsvectors, which a search reads for each hit's positions: stored as they are.
    expect((await pool.query("SELECT count(*)::int AS n FROM clean.posts WHERE pg_column_compression(tsv) IS NOT NULL")).rows[0]).toEqual({ n: 0 });
    expect((await pool.query("SELECT count(*)::int AS n FROM clean.posts WHERE pg_column_size(tsv) > 2000")).rows[0]!.n).toBeGreaterThan(0);
  });
});
