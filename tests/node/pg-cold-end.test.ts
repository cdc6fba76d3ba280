/**
 * The end of the team index's cold build (pg-cold.ts) as others see it: a build killed half-way that another writer
 * role (not the tables' owner) tries to go on with is refused up front, naming the owner, nothing changed; readers'
 * collapsed lists and other versions do not wait for the end transaction while it makes the posts' indexes; and
 * after it the posts' pages are all-visible (the trees' index-only scans fetch no heap row).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReprintArchive } from '../bench/reprint-archive';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { COLD_MARK, startColdBuild } from '../../src-main/node/pg/pg-cold';
import { ensurePgSchema } from '../../src-main/node/pg/pg-schema';
import { PgIndexReader } from '../../src-main/node/pg/pg-read';
import type { IndexProgress } from '../../src-main/shared/archive-api';
import { pgAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';
import { repoRoot, tempDir } from '../helpers/temp';

const available = pgAvailable();
if (!available.ok) console.log(`PostgreSQL cold build's end skipped: ${available.reason}`);

describe.skipIf(!available.ok)('the end of a cold build of the team index', { timeout: 300_000 }, () => {
  const dir = tempDir('backfile-pg-cold-end-');
  const archive = path.join(dir, 'archive');
  let server: TestPostgres;
  let pool: pg.Pool;
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

  const count = async (sql: string): Promise<number> => (await pool.query<{ n: number }>(sql)).rows[0]!.n;

  /** Indexes `archive` into `schema` as `url`'s role in a child process, killed with SIGKILL once `killAt` posts are written. */
  async function indexUntilKilled(url: string, schema: string, killAt: number): Promise<NodeJS.Signals | null> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/helpers/pg-index-with-progress.ts'), url, schema, archive], {
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
    const signal = await exited;
    // The server notices the killed client when its socket closes: wait until its session (and lock) is gone.
    while (await count("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'") > 0) await new Promise((resolve) => setImmediate(resolve));
    return signal;
  }

  it('refuses another writer than the owner of a build killed half-way, before reading the archive, and the owner heals it', async () => {
    await server.createRole('owner1', { readOnly: false });
    expect(await indexUntilKilled(server.url('owner1'), 'team', 500)).toBe('SIGKILL');
    // A second writer with the rights README gives another writer role (INSERT, UPDATE, DELETE), not the owner.
    await server.query('CREATE ROLE bob LOGIN');
    await server.query('GRANT USAGE ON SCHEMA team TO bob');
    await server.query('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA team TO bob');
    await server.query('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA team TO bob');
    const written = await count('SELECT count(*)::int AS n FROM team.posts');
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(POSTS);
    const before = (await pool.query('SELECT key, value FROM team.meta ORDER BY key')).rows;

    const bob = new pg.Pool({ connectionString: server.url('bob'), max: 2 });
    try {
      let progressed = 0;
      const refused = await updatePgIndex(bob, 'team', archive, { onProgress: () => { progressed++; } }).then(() => null, (error: unknown) => error);
      expect(refused).toMatchObject({
        code: 'STORE_UNAVAILABLE',
        message: expect.stringContaining('the first build of this team index by owner1 is unfinished: run the indexer as owner1') as unknown,
      });
      // Nothing read from disk (no progress: not even the scan), nothing written.
      expect(progressed).toBe(0);
      expect(await count('SELECT count(*)::int AS n FROM team.posts')).toBe(written);
      expect((await pool.query('SELECT key, value FROM team.meta ORDER BY key')).rows).toEqual(before);

      // The owner goes on and finishes; then the other writer's updates are ordinary ones.
      const owner = new pg.Pool({ connectionString: server.url('owner1'), max: 2 });
      try {
        await updatePgIndex(owner, 'team', archive);
      } finally {
        await owner.end();
      }
      expect((await pool.query('SELECT 1 FROM team.meta WHERE key = $1', [COLD_MARK])).rowCount).toBe(0);
      const summary = await updatePgIndex(bob, 'team', archive);
      expect(summary.unchanged).toBe(POSTS);
    } finally {
      await bob.end();
    }
  });

  it('readers\' collapsed lists and other versions do not wait while the end transaction makes the posts\' indexes', async () => {
    // A build under way (its mark set, the posts' indexes dropped), as a kill leaves it.
    const setup = await pool.connect();
    try {
      await ensurePgSchema(setup, 'locks');
      expect(await startColdBuild(setup, 'locks')).toBe(true);
    } finally {
      setup.release();
    }
    // Hold the end at its first CREATE INDEX on posts (SHARE, which waits for this ROW EXCLUSIVE; the load's INSERTs
    // and the VACUUM before the end do not).
    const holder = await pool.connect();
    const readers = new pg.Pool({ connectionString: server.adminUrl, max: 2 });
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE locks.posts IN ROW EXCLUSIVE MODE');
      const build = updatePgIndex(pool, 'locks', archive, { parseThreads: 0 });
      build.catch(() => undefined);
      /** The sessions waiting for a lock (asked outside the holder's transaction, which would keep one view of pg_stat_activity). */
      const waiting = async (): Promise<{ pid: number; query: string }[]> => (await pool.query<{ pid: number; query: string }>(
        `SELECT l.pid, a.query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted`)).rows;
      let writer: { pid: number; query: string } | undefined;
      while (!writer) {
        // The end's own CREATE INDEX (the second session's posts_tsv waits too).
        writer = (await waiting()).find((w) => /^\s*CREATE INDEX/i.test(w.query) && !/ posts_tsv /.test(w.query));
        if (!writer) await new Promise((resolve) => setImmediate(resolve));
      }
      expect(writer.query).toMatch(/ON "?locks"?\.posts/);
      // The build is inside its end transaction (the story pass written: the rows it inserted are its own).
      const held = (await pool.query<{ rel: string; mode: string }>(`SELECT c.relname AS rel, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
        WHERE l.pid = $1 AND l.granted AND c.relname IN ('sig_buckets', 'post_story') ORDER BY 1, 2`, [writer.pid])).rows;
      expect(held.length).toBeGreaterThan(0);
      expect(held.filter((h) => h.mode === 'AccessExclusiveLock')).toEqual([]);

      const reader = new PgIndexReader(readers, 'locks');
      const first = (await readers.query<{ path: string }>('SELECT path FROM locks.posts ORDER BY path LIMIT 1')).rows[0]!.path;
      const asked = Promise.all([reader.list({ sort: 'date', collapse: true, limit: 20 }), reader.similar(first)]);
      // Either the reader's answers come, or one of its sessions is seen waiting for a lock (not the writer's wait).
      let answered = false;
      const answers = asked.then((a) => { answered = true; return a; });
      let readerWaited: { pid: number; query: string } | undefined;
      while (!answered && !readerWaited) {
        readerWaited = (await waiting()).find((w) => !/^\s*CREATE INDEX/i.test(w.query));
        if (!readerWaited) await new Promise((resolve) => setImmediate(resolve));
      }
      if (readerWaited) {
        await holder.query('ROLLBACK');
        await answers;
      }
      expect(readerWaited?.query).toBeUndefined();
      const [list, similar] = await answers;
      // While the mark is set the tables are empty to readers: no groups, no other versions, right answers.
      expect(list.total).toBeGreaterThan(0);
      expect(similar).toEqual([]);
      await holder.query('COMMIT');
      await build;
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
      await readers.end();
    }
    expect((await pool.query('SELECT 1 FROM locks.meta WHERE key = $1', [COLD_MARK])).rowCount).toBe(0);
    expect((await pool.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = 'locks.sig_buckets'::regclass AND contype = 'p'`)).rows).toEqual([{ def: 'PRIMARY KEY (bucket, date_key, seq)' }]);
    expect(await count('SELECT count(*)::int AS n FROM locks.sig_buckets')).toBeGreaterThan(POSTS);
    const reader = new PgIndexReader(pool, 'locks');
    const collapsed = await reader.list({ sort: 'date', collapse: true, limit: 1000 });
    expect(collapsed.items.some((item) => (item.versions ?? 0) > 0)).toBe(true);
  });

  it('leaves the posts\' pages all-visible: the trees\' index-only scans fetch no heap row', async () => {
    if ((await pool.query("SELECT 1 FROM pg_namespace WHERE nspname = 'visible'")).rowCount === 0) await updatePgIndex(pool, 'visible', archive);
    const client = await pool.connect();
    try {
      const seen: { text: string; params: unknown[] }[] = [];
      const recording = {
        query: (text: string, params?: unknown[]) => {
          if (/^\s*SELECT[\s\S]*\.posts/i.test(text)) seen.push({ text, params: params ?? [] });
          return client.query(text, params);
        },
      } as unknown as pg.ClientBase;
      const reader = new PgIndexReader(recording, 'visible');
      await reader.categories(false);
      await reader.dates(true);
      await reader.tags(false);
      expect(seen.length).toBeGreaterThanOrEqual(3);
      for (const statement of seen) {
        await client.query('BEGIN READ ONLY; SET LOCAL jit = off; SET LOCAL enable_seqscan = off');
        const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`, statement.params);
        await client.query('COMMIT');
        const text = JSON.stringify(rows[0]!['QUERY PLAN']);
        expect(text, statement.text).toContain('"Node Type":"Index Only Scan"');
        expect([...text.matchAll(/"Heap Fetches":(\d+)/g)].map((m) => Number(m[1])), statement.text).toEqual(
          [...text.matchAll(/"Heap Fetches":/g)].map(() => 0));
      }
    } finally {
      client.release();
    }
  });
});
