/**
 * The end of the team index's cold build (pg-cold.ts) as others see it: a build killed half-way that another writer
 * role (not the tables' owner) tries to go on with is refused up front, naming the owner, nothing changed; readers'
 * collapsed lists and other versions do not wait for the end transaction while it makes the posts' indexes; and
 * after it the posts' pages are all-visible (the trees' index-only scans fetch no heap row).
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { COLD_MARK, startColdBuild } from '../../src-main/node/pg/pg-cold';
import { ensurePgSchema } from '../../src-main/node/pg/pg-schema';
import { PgIndexReader } from '../../src-main/node/pg/pg-read';
import { indexUntilKilled, useColdArchive } from '../helpers/pg-cold-archive';
import { pgAvailable } from '../helpers/postgres';

const available = pgAvailable();
if (!available.ok) console.log(`PostgreSQL cold build's end skipped: ${available.reason}`);

describe.skipIf(!available.ok)('the end of a cold build of the team index', { timeout: 300_000 }, () => {
  const setup = useColdArchive('backfile-pg-cold-end-');
  const { archive } = setup;

  const count = async (sql: string): Promise<number> => (await setup.pool.query<{ n: number }>(sql)).rows[0]!.n;

  it('refuses another writer than the owner of a build killed half-way, before reading the archive, and the owner heals it', async () => {
    await setup.server.createRole('owner1', { readOnly: false });
    expect(await indexUntilKilled(setup, setup.server.url('owner1'), 'team', 500)).toBe('SIGKILL');
    // A second writer with the rights README gives another writer role (INSERT, UPDATE, DELETE), not the owner.
    await setup.server.query('CREATE ROLE bob LOGIN');
    await setup.server.query('GRANT USAGE ON SCHEMA team TO bob');
    await setup.server.query('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA team TO bob');
    await setup.server.query('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA team TO bob');
    const written = await count('SELECT count(*)::int AS n FROM team.posts');
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(setup.posts);
    const before = (await setup.pool.query('SELECT key, value FROM team.meta ORDER BY key')).rows;

    const bob = new pg.Pool({ connectionString: setup.server.url('bob'), max: 2 });
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
      expect((await setup.pool.query('SELECT key, value FROM team.meta ORDER BY key')).rows).toEqual(before);

      // The owner goes on and finishes; then the other writer's updates are ordinary ones.
      const owner = new pg.Pool({ connectionString: setup.server.url('owner1'), max: 2 });
      try {
        await updatePgIndex(owner, 'team', archive);
      } finally {
        await owner.end();
      }
      expect((await setup.pool.query('SELECT 1 FROM team.meta WHERE key = $1', [COLD_MARK])).rowCount).toBe(0);
      const summary = await updatePgIndex(bob, 'team', archive);
      expect(summary.unchanged).toBe(setup.posts);
    } finally {
      await bob.end();
    }
  });

  it('readers\' collapsed lists and other versions do not wait while the end transaction makes the posts\' indexes', async () => {
    // A build under way (its mark set, the posts' indexes dropped), as a kill leaves it.
    const client = await setup.pool.connect();
    try {
      await ensurePgSchema(client, 'locks');
      expect(await startColdBuild(client, 'locks')).toBe(true);
    } finally {
      client.release();
    }
    // Hold the partitions' sessions at their first CREATE INDEX (SHARE, which waits for this ROW EXCLUSIVE, taken on
    // every partition; the load's INSERTs and the VACUUM before the end do not), so that the end transaction, its
    // story pass written, waits for them.
    const holder = await setup.pool.connect();
    const readers = new pg.Pool({ connectionString: setup.server.adminUrl, max: 2 });
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE locks.posts IN ROW EXCLUSIVE MODE');
      const build = updatePgIndex(setup.pool, 'locks', archive, { parseThreads: 0 });
      build.catch(() => undefined);
      /** The sessions waiting for a lock (asked outside the holder's transaction, which would keep one view of pg_stat_activity). */
      const waiting = async (): Promise<{ pid: number; query: string }[]> => (await setup.pool.query<{ pid: number; query: string }>(
        `SELECT l.pid, a.query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted`)).rows;
      /** The end transaction once it has made the story pass and post_story's index and awaits the partitions' builds. */
      const endWaiting = async (): Promise<number | undefined> => (await setup.pool.query<{ pid: number }>(
        `SELECT a.pid FROM pg_stat_activity a WHERE a.state = 'idle in transaction'
          AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.relation = 'locks.post_story'::regclass AND l.mode = 'ShareLock')`)).rows[0]?.pid;
      let end: number | undefined;
      for (;;) {
        end = await endWaiting();
        const builds = (await waiting()).filter((w) => /^\s*CREATE INDEX/i.test(w.query) && /ON "?locks"?\.posts_p\d /.test(w.query));
        if (end !== undefined && builds.length === 2) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      // The build is inside its end transaction (the story pass written: the rows it inserted are its own).
      const held = (await setup.pool.query<{ rel: string; mode: string }>(`SELECT c.relname AS rel, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
        WHERE l.pid = $1 AND l.granted AND c.relname IN ('sig_buckets', 'post_story') ORDER BY 1, 2`, [end])).rows;
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
    expect((await setup.pool.query('SELECT 1 FROM locks.meta WHERE key = $1', [COLD_MARK])).rowCount).toBe(0);
    expect((await setup.pool.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = 'locks.sig_buckets'::regclass AND contype = 'p'`)).rows).toEqual([{ def: 'PRIMARY KEY (bucket, date_key, seq)' }]);
    expect(await count('SELECT count(*)::int AS n FROM locks.sig_buckets')).toBeGreaterThan(setup.posts);
    const reader = new PgIndexReader(setup.pool, 'locks');
    const collapsed = await reader.list({ sort: 'date', collapse: true, limit: 1000 });
    expect(collapsed.items.some((item) => (item.versions ?? 0) > 0)).toBe(true);
  });

  it('leaves the posts\' pages all-visible: the trees\' index-only scans fetch no heap row', async () => {
    if ((await setup.pool.query("SELECT 1 FROM pg_namespace WHERE nspname = 'visible'")).rowCount === 0) await updatePgIndex(setup.pool, 'visible', archive);
    const client = await setup.pool.connect();
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
