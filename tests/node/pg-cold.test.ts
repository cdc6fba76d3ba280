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
import { describe, expect, it } from 'vitest';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { COLD_MARK, startColdBuild } from '../../src-main/node/pg/pg-cold';
import { PG_TABLES, POST_PARTITIONS, ensurePgSchema, partitions, postIndexes, postPartition } from '../../src-main/node/pg/pg-schema';
import { PgIndexReader } from '../../src-main/node/pg/pg-read';
import { pgShape } from '../helpers/pg-compare';
import { indexUntilKilled, indexerGone, useColdArchive } from '../helpers/pg-cold-archive';
import { pgAvailable } from '../helpers/postgres';
import { repoRoot } from '../helpers/temp';

const available = pgAvailable();
if (!available.ok) console.log(`PostgreSQL cold build skipped: ${available.reason}`);

describe.skipIf(!available.ok)('a cold build of the team index', { timeout: 300_000 }, () => {
  const setup = useColdArchive('backfile-pg-cold-');
  const { dir, archive } = setup;


  /** Index definitions of the index's tables (posts' partitions too) in a schema, its name taken out, sorted. */
  const indexesOf = async (schema: string): Promise<string[]> => (await setup.pool.query<{ d: string }>(
    'SELECT replace(indexdef, $1, \'S.\') AS d FROM pg_indexes WHERE schemaname = $2 AND tablename = ANY($3)',
    [`${schema}.`, schema, [...PG_TABLES, ...partitions().map(postPartition)]])).rows.map((r) => r.d).sort();
  const namesOf = async (schema: string): Promise<string[]> => (await indexesOf(schema)).map((d) => /INDEX (\w+)/.exec(d)![1]!).sort();

  /** Bucket rows as "bucket path" and stories as sorted groups of paths: story numbers may differ between builds. */
  async function similarityOf(schema: string): Promise<{ buckets: string[]; stories: string[][] }> {
    const buckets = (await setup.pool.query<{ r: string }>(`SELECT b.bucket || ' ' || p.path AS r FROM ${schema}.sig_buckets b
      JOIN ${schema}.posts p ON p.date_key = b.date_key AND p.seq = b.seq`)).rows.map((r) => r.r).sort();
    const groups = new Map<number, string[]>();
    for (const r of (await setup.pool.query<{ path: string; story: number }>(`SELECT path, story FROM ${schema}.post_story ORDER BY path`)).rows) {
      groups.set(r.story, [...(groups.get(r.story) ?? []), r.path]);
    }
    return { buckets, stories: [...groups.values()].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)) };
  }

  it('killed half-way, leaves a bare table readers search right, and the next update heals it', async () => {
    expect(await indexUntilKilled(setup, setup.server.adminUrl, 'killed', 500)).toBe('SIGKILL');
    const written = (await setup.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM killed.posts')).rows[0]!.n;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(setup.posts);
    expect((await setup.pool.query('SELECT value FROM killed.meta WHERE key = $1', [COLD_MARK])).rows).toEqual([{ value: '1' }]);
    // Only the primary keys while the posts are loaded: no GIN or B-tree index to keep up row by row.
    expect(await namesOf('killed'))
      .toEqual(['file_problems_pkey', 'meta_pkey', 'post_story_pkey', 'posts_p0_pkey', 'posts_p1_pkey', 'posts_pkey']);
    expect((await setup.pool.query('SELECT count(*)::int AS n FROM killed.sig_buckets')).rows[0]).toEqual({ n: 0 });
    // A reader of the half-built index: the same answer as the rows themselves give.
    const reader = new PgIndexReader(setup.pool, 'killed');
    const found = await reader.list({ query: '市场', limit: 5 });
    const truth = (await setup.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM killed.posts WHERE NOT hidden AND tsv @@ to_tsquery('simple', '市场')")).rows[0]!.n;
    expect(found.total).toBe(truth);
    expect(found.total).toBeGreaterThan(0);

    const summary = await updatePgIndex(setup.pool, 'killed', archive);
    expect(summary.updated + summary.unchanged).toBe(setup.posts);
    expect((await setup.pool.query('SELECT 1 FROM killed.meta WHERE key = $1', [COLD_MARK])).rowCount).toBe(0);
    await updatePgIndex(setup.pool, 'clean', archive);
    expect(await pgShape(setup.pool, 'killed')).toEqual(await pgShape(setup.pool, 'clean'));
    expect(await similarityOf('killed')).toEqual(await similarityOf('clean'));
    expect((await reader.list({ query: '市场', limit: 5 })).total).toBe((await new PgIndexReader(setup.pool, 'clean').list({ query: '市场', limit: 5 })).total);
  });

  it('killed while the partitions\' sessions build their indexes (one partition done, one waiting), heals on the next update', async () => {
    // A build under way (its mark set), as a kill leaves it; the child goes on with it.
    const client = await setup.pool.connect();
    try {
      await ensurePgSchema(client, 'late');
      expect(await startColdBuild(client, 'late')).toBe(true);
    } finally {
      client.release();
    }
    expect(POST_PARTITIONS).toBe(2);
    const [done, held] = partitions().map(postPartition) as [string, string];
    // Hold the second partition's session at its first CREATE INDEX (SHARE waits for this ROW EXCLUSIVE); the first
    // partition's session and the end transaction's story pass do not wait for it.
    const holder = await setup.pool.connect();
    const indexesOfPartition = async (table: string) => (await setup.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'late' AND tablename = $1 AND indexname NOT LIKE '%pkey'", [table])).rows[0]!.n;
    try {
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE late.${held} IN ROW EXCLUSIVE MODE`);
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/helpers/pg-index-with-progress.ts'), setup.server.adminUrl, 'late', archive], {
        cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'],
      });
      const killed = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      // The end transaction past its story pass (idle in its transaction, awaiting the partitions' sessions), the
      // first partition's indexes all committed, the second's session waiting for the lock.
      for (;;) {
        const waiting = (await setup.pool.query<{ query: string }>(
          'SELECT a.query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted')).rows;
        const endIdle = (await setup.pool.query(`SELECT 1 FROM pg_stat_activity a WHERE a.state = 'idle in transaction' AND a.application_name = 'backfile'
          AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.relation = 'late.post_story'::regclass AND l.mode = 'ShareLock')`)).rowCount;
        if (endIdle === 1 && waiting.some((w) => w.query.includes(`ON "late".${held} `))
          && await indexesOfPartition(done) === postIndexes('late').length) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await indexesOfPartition(held)).toBe(0);
      child.kill('SIGKILL');
      expect(await killed).toBe('SIGKILL');
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
    await indexerGone(setup.pool);
    // The waiting session, let go, fails on its killed client and commits nothing.
    while ((await setup.pool.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'backfile'")).rowCount !== 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Every post loaded, one partition's indexes committed, none attached, the end's transaction gone: the mark set,
    // no bucket row, searches right.
    expect((await setup.pool.query('SELECT count(*)::int AS n FROM late.posts')).rows[0]).toEqual({ n: setup.posts });
    expect((await setup.pool.query('SELECT value FROM late.meta WHERE key = $1', [COLD_MARK])).rows).toEqual([{ value: '1' }]);
    expect(await namesOf('late')).toEqual(['file_problems_pkey', 'meta_pkey', 'post_story_pkey', 'posts_p0_pkey', 'posts_p1_pkey', 'posts_pkey',
      ...postIndexes('late').map(([name]) => `${name}_p0`)].sort());
    expect(await indexesOfPartition(held)).toBe(0);
    expect((await setup.pool.query('SELECT count(*)::int AS n FROM late.sig_buckets')).rows[0]).toEqual({ n: 0 });
    const reader = new PgIndexReader(setup.pool, 'late');
    const truth = (await setup.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM late.posts WHERE NOT hidden AND tsv @@ to_tsquery('simple', '市场')")).rows[0]!.n;
    expect((await reader.list({ query: '市场', limit: 5 })).total).toBe(truth);

    await updatePgIndex(setup.pool, 'late', archive);
    expect((await setup.pool.query('SELECT 1 FROM late.meta WHERE key = $1', [COLD_MARK])).rowCount).toBe(0);
    if ((await setup.pool.query("SELECT 1 FROM pg_namespace WHERE nspname = 'clean'")).rowCount === 0) await updatePgIndex(setup.pool, 'clean', archive);
    expect(await indexesOf('late')).toEqual(await indexesOf('clean'));
    // Every partition's index is attached to its parent's (none left over, none built twice).
    expect((await setup.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE c.relkind = 'i' AND c.relnamespace = 'late'::regnamespace`)).rows[0]!.n).toBe((postIndexes('late').length + 1) * POST_PARTITIONS);
    expect(await pgShape(setup.pool, 'late')).toEqual(await pgShape(setup.pool, 'clean'));
    expect(await similarityOf('late')).toEqual(await similarityOf('clean'));
  });

  it('ends with the indexes of a schema made at once, the bucket rows and stories of a batch-by-batch build, values in lz4 but the tsvectors', async () => {
    if ((await setup.pool.query("SELECT 1 FROM pg_namespace WHERE nspname = 'clean'")).rowCount === 0) await updatePgIndex(setup.pool, 'clean', archive);
    const client = await setup.pool.connect();
    try {
      await ensurePgSchema(client, 'fresh');
    } finally {
      client.release();
    }
    expect(await indexesOf('clean')).toEqual(await indexesOf('fresh'));
    expect((await setup.pool.query('SELECT 1 FROM clean.meta WHERE key = $1', [COLD_MARK])).rowCount).toBe(0);

    // Batch by batch: a first update of one post (cold), then the rest into a schema that is no longer empty.
    const one = path.join(dir, 'one');
    const first = (await setup.pool.query<{ path: string }>('SELECT path FROM clean.posts ORDER BY path LIMIT 1')).rows[0]!.path;
    fs.mkdirSync(path.dirname(path.join(one, first)), { recursive: true });
    fs.copyFileSync(path.join(archive, first), path.join(one, first));
    const config = path.join(archive, '_config.yml');
    if (fs.existsSync(config)) fs.copyFileSync(config, path.join(one, '_config.yml'));
    await updatePgIndex(setup.pool, 'batches', one);
    fs.rmSync(one, { recursive: true });
    fs.cpSync(archive, one, { recursive: true });
    await updatePgIndex(setup.pool, 'batches', one);
    const [cold, batches] = [await similarityOf('clean'), await similarityOf('batches')];
    expect(cold.stories.length).toBeGreaterThan(0);
    expect(cold.buckets.length).toBeGreaterThan(setup.posts);
    expect(cold).toEqual(batches);

    // Bodies and tsvectors long enough to be compressed are compressed with lz4.
    const methods = (await setup.pool.query<{ method: string; n: number }>(
      'SELECT pg_column_compression(body) AS method, count(*)::int AS n FROM clean.posts WHERE pg_column_compression(body) IS NOT NULL GROUP BY 1')).rows;
    expect(methods.map((m) => m.method)).toEqual(['lz4']);
    // But not the tsvectors, which a search reads for each hit's positions: stored as they are.
    expect((await setup.pool.query("SELECT count(*)::int AS n FROM clean.posts WHERE pg_column_compression(tsv) IS NOT NULL")).rows[0]).toEqual({ n: 0 });
    expect((await setup.pool.query("SELECT count(*)::int AS n FROM clean.posts WHERE pg_column_size(tsv) > 2000")).rows[0]!.n).toBeGreaterThan(0);
  });
});
