/**
 * The partitions' sessions at the end of a team index's cold build (pg-cold.ts finishColdBuild): when one fails, the
 * others are ended before the build reports the error (none builds on or commits after it, none holds the indexer's
 * place); and a heal drops a partition's index left of another definition or invalid, where it kept it beside a second
 * copy, but reuses a valid identical one.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { COLD_MARK } from '../../src-main/node/pg/pg-cold';
import { postIndexes } from '../../src-main/node/pg/pg-schema';
import { useColdArchive } from '../helpers/pg-cold-archive';
import { pgAvailable } from '../helpers/postgres';

const available = pgAvailable();
if (!available.ok) console.log(`PostgreSQL cold build's partitions skipped: ${available.reason}`);

describe.skipIf(!available.ok)("the partitions' sessions of a cold build's end", { timeout: 300_000 }, () => {
  const setup = useColdArchive('backfile-pg-cold-partitions-');

  /** A whole build, then the state a kill in the end transaction leaves (no posts index, no bucket key, the mark set). */
  const builtThenInterrupted = async (schema: string): Promise<void> => {
    await updatePgIndex(setup.pool, schema, setup.archive, { parseThreads: 0 });
    for (const [name] of postIndexes(schema)) await setup.pool.query(`DROP INDEX ${schema}.${name}`);
    await setup.pool.query(`ALTER TABLE ${schema}.sig_buckets DROP CONSTRAINT sig_buckets_pkey`);
    await setup.pool.query(`INSERT INTO ${schema}.meta (key, value) VALUES ($1, '1')`, [COLD_MARK]);
  };

  /** Each index of the schema's posts partitions: name, partition, definition, the parent index it is attached to. */
  const partitionIndexRows = async (schema: string) => (await setup.pool.query<{ name: string; part: string; def: string; parent: string | null; oid: number }>(
    `SELECT c.relname AS name, t.relname AS part, pg_get_indexdef(c.oid) AS def, c.oid::int AS oid,
       (SELECT p.relname FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent WHERE h.inhrelid = c.oid) AS parent
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relnamespace = $1::regnamespace AND t.relname IN ('posts_p0', 'posts_p1') AND NOT i.indisprimary ORDER BY 1`, [schema])).rows;

  it("ends the other partition's session before reporting one partition's failure", async () => {
    await builtThenInterrupted('team_fail');
    const locker = new pg.Client({ connectionString: setup.server.adminUrl });
    await locker.connect();
    try {
      // ROW EXCLUSIVE (a writer's) lets the heal's load and VACUUM through but holds every CREATE INDEX on both
      // partitions: each partition's session waits on its partition.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE team_fail.posts_p0, team_fail.posts_p1 IN ROW EXCLUSIVE MODE');
      const healed = updatePgIndex(setup.pool, 'team_fail', setup.archive, { parseThreads: 0 }).then(() => null, (error: unknown) => error);
      const waiting = async (): Promise<{ pid: number; part: string }[]> => (await locker.query<{ pid: number; part: string }>(
        `SELECT l.pid, c.relname AS part FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
         WHERE NOT l.granted AND c.relnamespace = 'team_fail'::regnamespace ORDER BY c.relname`)).rows;
      let blocked = await waiting();
      while (blocked.length < 2) {
        await new Promise((resolve) => setImmediate(resolve));
        blocked = await waiting();
      }
      expect(blocked.map((b) => b.part)).toEqual(['posts_p0', 'posts_p1']);
      // posts_p0's build fails (cancelled) while posts_p1's still waits.
      await locker.query('SELECT pg_cancel_backend($1)', [blocked[0]!.pid]);
      const error = await healed;
      expect(error).toBeTruthy();
      expect(String((error as Error).message)).toMatch(/cancel/i);
      // When the error comes back, posts_p1's session is gone: nothing waits to build there once the lock goes.
      const left = await locker.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[])', [blocked.map((b) => b.pid)]);
      expect(left.rows).toEqual([]);
      await locker.query('COMMIT');
      expect((await partitionIndexRows('team_fail')).filter((row) => row.part === 'posts_p1')).toEqual([]);
      // A retry at once is not BUSY and heals.
      await updatePgIndex(setup.pool, 'team_fail', setup.archive, { parseThreads: 0 });
      expect((await setup.pool.query('SELECT 1 FROM team_fail.meta WHERE key = $1', [COLD_MARK])).rowCount).toBe(0);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
  });

  it("drops a partition's index of another definition or invalid on a heal, and keeps a valid identical one", async () => {
    await builtThenInterrupted('team_stray');
    // A posts_order_p0 of another definition (an earlier release's, say), an invalid posts_order_p1 (a CREATE INDEX
    // CONCURRENTLY that failed) and an identical posts_facets_p1 (a partition's session committed it before a kill).
    await setup.pool.query('CREATE INDEX posts_order_p0 ON team_stray.posts_p0 (date_key)');
    await expect(setup.pool.query('CREATE UNIQUE INDEX CONCURRENTLY posts_order_p1 ON team_stray.posts_p1 (hidden)')).rejects.toThrow();
    await setup.pool.query('CREATE INDEX posts_facets_p1 ON team_stray.posts_p1 USING gin (facets)');
    const before = await partitionIndexRows('team_stray');
    expect(before.map((row) => row.name)).toEqual(['posts_facets_p1', 'posts_order_p0', 'posts_order_p1']);
    const facets = before.find((row) => row.name === 'posts_facets_p1')!.oid;

    await updatePgIndex(setup.pool, 'team_stray', setup.archive, { parseThreads: 0 });

    const after = await partitionIndexRows('team_stray');
    // Every partition index is attached to its parent's, one a parent index and partition, no second copy.
    expect(after.map((row) => `${row.name} ${row.parent}`)).toEqual(postIndexes('team_stray')
      .flatMap(([name]) => [`${name}_p0 ${name}`, `${name}_p1 ${name}`]).sort());
    expect(after.filter((row) => row.name.startsWith('posts_order_')).map((row) => row.def.replace(/^.* USING /, 'USING ')))
      .toEqual(['USING btree (date_key, seq)', 'USING btree (date_key, seq)']);
    expect(after.find((row) => row.name === 'posts_facets_p1')!.oid).toBe(facets);
    const invalid = await setup.pool.query(`SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relnamespace = 'team_stray'::regnamespace AND NOT i.indisvalid`);
    expect(invalid.rowCount).toBe(0);
  });
});
