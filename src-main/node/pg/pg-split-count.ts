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
import { withoutSqlState } from './pg-connection';

/** Runs one statement and answers its rows (the call's session, or the spare's). */
export type SplitRun = <R extends pg.QueryResultRow>(text: string, params?: unknown[]) => Promise<R[]>;

/** The session settings of a split count's spare: those the call's session started with (pg-read.ts session). */
const SPLIT_SPARE_SETTINGS = 'SET LOCAL jit = off; SET LOCAL enable_seqscan = off; SET LOCAL effective_io_concurrency = 0';

/**
 * Exports the call's snapshot and reads what the split needs in one statement: the partitions of `$1` (the posts
 * table) the role may read, how many there are, and the server's (or role's) max_parallel_workers_per_gather, whose
 * 0 turns the split off as it turns off a parallel worker. Bitmap heap prefetch is turned off for the rest of the
 * call (each hit's page is in memory: posix_fadvise for it was pure cost, 3-6 % of the count's CPU).
 */
const SPLIT_EXPORT = `SELECT pg_export_snapshot() AS id, current_setting('max_parallel_workers_per_gather')::int AS workers,
    set_config('effective_io_concurrency', '0', true) AS prefetch,
    array(SELECT c.relname::text FROM pg_partition_tree($1::regclass) t JOIN pg_class c ON c.oid = t.relid
      WHERE t.isleaf AND has_table_privilege(c.oid, 'SELECT') ORDER BY c.relname) AS readable,
    (SELECT count(*) FROM pg_partition_tree($1::regclass) t WHERE t.isleaf)::int AS leaves`;

const SNAPSHOT_ID = /^[0-9A-Fa-f-]+$/;

/** Whether a connection of `pool` is to be had without waiting behind other calls (an idle one, or room for one more). */
function spareAvailable(pool: pg.Pool): boolean {
  return pool.waitingCount === 0 && (pool.idleCount > 0 || pool.totalCount < (pool.options.max ?? 10));
}

/**
 * The count of `countIn(partition)` summed over the posts' partitions (`posts`: the schema-qualified table), in
 * `run`'s snapshot, with a spare connection of `pool` counting beside it; undefined (nothing counted) when the split
 * cannot be made: no spare to be had at once, fewer than two partitions, one the role may not read, or
 * max_parallel_workers_per_gather 0. `prepare` makes the per-partition statement (it may read in `run`'s session).
 *
 * The spare is asked for only once the snapshot is exported (so a failed read before leaves no connection to give
 * back, and a refused connect always has its handler), takes a partition only once its import has returned, and is
 * waited for only when it took one: behind a transaction-mode PgBouncer with no free server connection, the spare's
 * import waits for the one the call's own transaction holds, and the call, not waiting for it, counts every partition
 * itself, commits, and so lets the spare through (its import then fails: the snapshot is gone; it goes back to the pool).
 */
export async function splitCount(run: SplitRun, pool: pg.Pool, posts: string, prepare: () => Promise<(partition: string) => string>,
  params: unknown[]): Promise<number | undefined> {
  if (!spareAvailable(pool)) return undefined;
  const countIn = await prepare();
  const [exported] = await run<{ id: string; workers: number; readable: string[]; leaves: number }>(SPLIT_EXPORT, [posts]);
  if (!exported || exported.workers <= 0 || exported.readable.length < 2 || exported.readable.length !== exported.leaves || !SNAPSHOT_ID.test(exported.id)) {
    return undefined;
  }
  const schema = posts.slice(0, posts.lastIndexOf('.'));
  const queue = exported.readable.map((name) => `${schema}."${name}"`);
  const countOne = async (on: SplitRun, partition: string): Promise<number> => Number((await on<{ n: string }>(countIn(partition), params))[0]!.n);

  const id = exported.id;
  // Set once the spare, its import returned, took a partition: the call waits for the spare only then.
  let helping = false;
  // Set when the call is done (counted, or failed): a spare that comes or imports after that takes nothing.
  let done = false;
  // The spare's share: the partitions it took and their count; when it fails, those it took go back to the call.
  // Never rejects: a connect refused (a role's CONNECTION LIMIT, max_connections) is its handled failure.
  const helper = (async (): Promise<{ n: number; undone: string[] }> => {
    if (!spareAvailable(pool)) return { n: 0, undone: [] };
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch {
      return { n: 0, undone: [] };
    }
    let n = 0;
    const taken: string[] = [];
    let broken: Error | undefined;
    try {
      if (done || queue.length === 0) return { n, undone: [] };
      const on: SplitRun = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await client.query<R>(text, values)).rows;
      await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '${id}'; ${SPLIT_SPARE_SETTINGS}`);
      for (let partition = done ? undefined : queue.shift(); partition !== undefined; partition = done ? undefined : queue.shift()) {
        taken.push(partition);
        helping = true;
        n += await countOne(on, partition);
      }
      await client.query('COMMIT');
      return { n, undone: [] };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // A connection lost (no SQLSTATE) leaves the pool.
      if (withoutSqlState(error)) broken = error;
      return { n: 0, undone: taken };
    } finally {
      client.release(broken);
    }
  })();

  let n = 0;
  try {
    for (let partition = queue.shift(); partition !== undefined; partition = queue.shift()) n += await countOne(run, partition);
  } catch (error) {
    // The spare counts what it has begun and takes nothing more; it goes back to the pool by itself.
    done = true;
    throw error;
  }
  // Nothing taken yet (the spare still connecting or importing): it finds nothing left, and goes back to the pool.
  if (!helping) {
    done = true;
    return n;
  }
  const helped = await helper;
  // Those the spare took and did not count (it failed), counted here.
  for (const partition of helped.undone) n += await countOne(run, partition);
  return n + helped.n;
}
