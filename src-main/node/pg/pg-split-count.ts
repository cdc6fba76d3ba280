/**
 * A count split over the posts' partitions and two sessions of the reader's pool at once, in one snapshot (pg-read.ts
 * count, a phrase's hits): the call's own session exports its snapshot (pg_export_snapshot), a spare connection
 * imports it (SET TRANSACTION SNAPSHOT), and each counts the next partition not yet taken until none is left. Each hit
 * of a phrase has its tsvector read from TOAST for the positions, so the count's time is its hits' reads: a partition a
 * session reads half of them, on two server cores where a parallel worker shared one partition's pages with the leader
 * and left the other partition to one process (Parallel Append) and started a fresh process, at more CPU
 * (docs/BENCHMARKS.md, "Stop 23: phrase counts"). The spare is never waited for: one that is not to be had at once
 * (the pool busy or full) is not asked for, one that comes late finds nothing left, one that fails leaves its partition
 * to the call's session; the sum is the same count in every case.
 */
import type pg from 'pg';

/** Runs one statement and answers its rows (the call's session, or the spare's). */
export type SplitRun = <R extends pg.QueryResultRow>(text: string, params?: unknown[]) => Promise<R[]>;

/** The session settings of a split count's spare: those the call's session started with (pg-read.ts session). */
export const SPLIT_SPARE_SETTINGS = 'SET LOCAL jit = off; SET LOCAL enable_seqscan = off';

/**
 * Exports the call's snapshot and reads what the split needs in one statement: the partitions of `$1` (the posts
 * table) the role may read, how many there are, and the server's (or role's) max_parallel_workers_per_gather, whose
 * 0 turns the split off as it turns off a parallel worker. Bitmap heap prefetch is turned off for the rest of the
 * call (each hit's page is in memory: posix_fadvise for it was pure cost, 3-6 % of the count's CPU).
 */
export const SPLIT_EXPORT = `SELECT pg_export_snapshot() AS id, current_setting('max_parallel_workers_per_gather')::int AS workers,
    set_config('effective_io_concurrency', '0', true) AS prefetch,
    array(SELECT c.relname::text FROM pg_partition_tree($1::regclass) t JOIN pg_class c ON c.oid = t.relid
      WHERE t.isleaf AND has_table_privilege(c.oid, 'SELECT') ORDER BY c.relname) AS readable,
    (SELECT count(*) FROM pg_partition_tree($1::regclass) t WHERE t.isleaf)::int AS leaves`;

const SNAPSHOT_ID = /^[0-9A-Fa-f-]+$/;

/** A connection of `pool` to be had without waiting behind other calls (an idle one, or room for one more), else null. */
export function spareConnection(pool: pg.Pool): Promise<pg.PoolClient> | null {
  if (pool.waitingCount > 0 || (pool.idleCount === 0 && pool.totalCount >= (pool.options.max ?? 10))) return null;
  return pool.connect();
}

/**
 * The count of `countIn(partition)` summed over the posts' partitions (`posts`: the schema-qualified table), in
 * `run`'s snapshot, with `spare` counting beside it; undefined (nothing counted, `spare` released) when the split
 * cannot be made: fewer than two partitions, one the role may not read, or max_parallel_workers_per_gather 0.
 */
export async function splitCount(run: SplitRun, spare: Promise<pg.PoolClient>, posts: string, countIn: (partition: string) => string,
  params: unknown[]): Promise<number | undefined> {
  let exported: { id: string; workers: number; readable: string[]; leaves: number } | undefined;
  try {
    [exported] = await run<{ id: string; workers: number; readable: string[]; leaves: number }>(SPLIT_EXPORT, [posts]);
  } catch (error) {
    spare.then((client) => client.release(), () => undefined);
    throw error;
  }
  if (!exported || exported.workers <= 0 || exported.readable.length < 2 || exported.readable.length !== exported.leaves || !SNAPSHOT_ID.test(exported.id)) {
    spare.then((client) => client.release(), () => undefined);
    return undefined;
  }
  const schema = posts.slice(0, posts.lastIndexOf('.'));
  const queue = exported.readable.map((name) => `${schema}."${name}"`);
  const countOne = async (on: SplitRun, partition: string): Promise<number> => Number((await on<{ n: string }>(countIn(partition), params))[0]!.n);

  const id = exported.id;
  // Set once the spare took a partition: the call waits for the spare only then (not for a connection still coming).
  let helping = false;
  // The spare's share: the partitions it took and their count; when it fails, those it took go back to the call.
  const helper = (async (): Promise<{ n: number; undone: string[] }> => {
    let client: pg.PoolClient;
    try {
      client = await spare;
    } catch {
      return { n: 0, undone: [] };
    }
    let n = 0;
    const taken: string[] = [];
    let broken: Error | undefined;
    try {
      // Its first partition is taken at once (the call's session took its own in the same turn), then the snapshot imported.
      let partition = queue.shift();
      if (partition === undefined) return { n, undone: [] };
      taken.push(partition);
      helping = true;
      const on: SplitRun = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await client.query<R>(text, values)).rows;
      await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '${id}'; ${SPLIT_SPARE_SETTINGS}; SET LOCAL effective_io_concurrency = 0`);
      for (; partition !== undefined; partition = queue.shift()) {
        if (!taken.includes(partition)) taken.push(partition);
        n += await countOne(on, partition);
      }
      await client.query('COMMIT');
      return { n, undone: [] };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // A connection lost (no SQLSTATE) leaves the pool.
      if (error instanceof Error && !(error as { code?: unknown }).code) broken = error;
      return { n: 0, undone: taken };
    } finally {
      client.release(broken);
    }
  })();

  let n = 0;
  for (let partition = queue.shift(); partition !== undefined; partition = queue.shift()) n += await countOne(run, partition);
  // Nothing taken yet: the spare finds the queue empty when it comes, and goes back to the pool.
  if (!helping) return n;
  const helped = await helper;
  // Those the spare took and did not count, and any left when it failed before taking them.
  for (const partition of [...helped.undone, ...queue.splice(0)]) n += await countOne(run, partition);
  return n + helped.n;
}
