/**
 * A cold build of the team index (docs/BENCHMARKS.md "Stop 21: the cold build"): an update that starts on an empty
 * posts table loads the posts into the bare table (its primary key only) and makes everything else once at the end,
 * as a bulk load should: the GIN and B-tree indexes by CREATE INDEX (a sort, where row-by-row inserts into four GIN
 * indexes were most of the server's CPU and WAL), and the other versions and stories by one pass in memory over every
 * signature (core/similarity/story-pass.ts, the SQLite store's deferred similarity) written in key order, where each
 * batch looked up its posts' buckets.
 *
 * `cold_build` in meta marks a build under way. While it is set, readers get right answers from the bare table
 * (sequential scans, no other versions yet); a build killed half-way leaves it, and the next update by the tables'
 * owner goes on with the load and finishes (heals); another writer role is refused up front. The end is one
 * transaction (beside it one session a partition of posts builds that partition's indexes, each committed on its own
 * and kept on a heal; the end's CREATE INDEX on posts then only attaches them), so a kill during it leaves the mark
 * and nothing half-made; readers do not wait for it (its one ACCESS EXCLUSIVE lock is taken just before COMMIT).
 */
import pg from 'pg';
import { ArchiveError } from '../../shared/archive-api';
import { storyPass } from '../../core/similarity/story-pass';
import { SIGNATURE_SIZE } from '../../core/similarity/minhash';
import { unpackSignature } from '../../core/similarity/signature';
import { bumpGeneration } from './pg-notify';
import { TSV_STORAGE, partitionIndexes, partitions, postIndexes, postPartition, storyIndexes } from './pg-schema';

/** The meta key of a cold build under way (value '1'). */
export const COLD_MARK = 'cold_build';

/**
 * maintenance_work_mem for a B-tree's sort (sig_buckets' key: 3.2 million rows at 100,000 posts) and for a GIN
 * index's build: a GIN build gathers its entries in a tree of that size before each write, and a smaller tree costs
 * less CPU (posts_tsv at 20,000 synthetic posts: 1 MB 18.4 s, 4-8 MB 8.0-9.5 s, 64 MB 11.9 s, 256 MB 14.4 s).
 */
const BTREE_WORK_MEM = '256MB';
const GIN_WORK_MEM = '8MB';
/** Bucket rows per INSERT at the end (3.2 million at 100,000 posts). */
const BUCKET_ROWS_PER_INSERT = 100_000;

/** Whether this role owns the posts table (or is a member of its owner's role), and who owns it. */
const postsOwner = async (client: pg.ClientBase, s: string): Promise<{ owns: boolean; owner: string }> => {
  const row = (await client.query<{ owns: boolean; owner: string }>(
    "SELECT pg_has_role(relowner, 'USAGE') AS owns, pg_get_userbyid(relowner) AS owner FROM pg_class WHERE oid = $1::regclass",
    [`${s}.posts`])).rows[0];
  return { owns: row?.owns === true, owner: row?.owner ?? 'its owner' };
};

/** Whether a cold build is under way in this schema (its mark is set). */
export async function coldBuildPending(client: pg.ClientBase, s: string): Promise<boolean> {
  const { rowCount } = await client.query(`SELECT 1 FROM ${s}.meta WHERE key = $1`, [COLD_MARK]);
  return (rowCount ?? 0) > 0;
}

/**
 * Before the first batch: true when this update loads cold, either going on with one a kill interrupted (the mark is
 * set) or starting one (no post yet, and the role owns the tables, as dropping and making indexes needs): then the
 * mark is set and the posts' other indexes, post_story's and sig_buckets' primary key are dropped, in one transaction.
 * A build a kill interrupted can only be finished by the tables' owner (CREATE INDEX, ALTER TABLE): another writer is
 * refused here, before anything is read from disk, where it would otherwise load every post and then fail at the end
 * with a false READ_ONLY, the index left without its indexes. It is not let through as a warm update either: the
 * index would stay without GIN indexes (every search a table scan) and other versions until the owner came by.
 */
export async function startColdBuild(client: pg.ClientBase, s: string, schema = s): Promise<boolean> {
  if (await coldBuildPending(client, s)) {
    const { owns, owner } = await postsOwner(client, s);
    if (owns) return true;
    throw new ArchiveError('STORE_UNAVAILABLE', `The team index in schema ${schema} cannot be updated yet: the first build of this team index by `
      + `${owner} is unfinished: run the indexer as ${owner}.`);
  }
  if ((await client.query(`SELECT 1 FROM ${s}.posts LIMIT 1`)).rowCount !== 0) return false;
  if (!(await postsOwner(client, s)).owns) return false;
  await client.query('BEGIN');
  try {
    // A partitioned index takes its partitions' with it; one a partition's session made before a kill but that no
    // parent index holds yet goes by its own name.
    const partitionsOwn = partitions().flatMap((k) => partitionIndexes(s, k));
    for (const [name] of [...postIndexes(s), ...partitionsOwn, ...storyIndexes(s)]) await client.query(`DROP INDEX IF EXISTS ${s}.${name}`);
    await client.query(`TRUNCATE ${s}.sig_buckets, ${s}.post_story`);
    await client.query(`ALTER TABLE ${s}.sig_buckets DROP CONSTRAINT IF EXISTS sig_buckets_pkey`);
    // An empty index made before the tsvectors' storage was set (pg-schema.ts TSV_STORAGE) gets it now.
    await client.query(TSV_STORAGE(s));
    await client.query(`INSERT INTO ${s}.meta (key, value) VALUES ($1, '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [COLD_MARK]);
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The end of a cold build: the posts table vacuumed (its pages all-visible, before any index exists to clean up),
 * then in one transaction the bucket rows and stories of every signed post (the story pass, ranks in the list's order
 * (date_key, seq)), every index, statistics, the mark cleared, `generation` + 1 and a NOTIFY.
 *
 * The posts' indexes are built a partition at a time (pg-schema.ts POST_PARTITIONS), and the parent's CREATE INDEX
 * then attaches each partition's without building again. With `pool` (the writer's), one new session of the same role
 * a partition builds that partition's indexes in its own committed transaction (CREATE INDEX IF NOT EXISTS; SHARE
 * locks of builds do not conflict), all at once and beside the end transaction's story pass, so that the server's
 * cores work where one GIN build runs on one (PostgreSQL 15 builds no GIN index in parallel); the end transaction
 * attaches them and commits only after all are done. The mark stays set until then, so a kill at any point heals as
 * before (an index a partition's session committed is kept, IF NOT EXISTS below, once dropStrayIndexes has dropped
 * any of another definition). When one session fails, the others are ended before the error goes up. Without `pool`
 * everything is built here.
 */
export async function finishColdBuild(client: pg.ClientBase, s: string, schema: string, pool?: pg.Pool): Promise<void> {
  await flushCommits(client, s);
  await client.query(`VACUUM (PROCESS_TOAST FALSE, INDEX_CLEANUP ON) ${s}.posts`);
  const perPartition = partitions().map((k) => partitionIndexes(s, k));
  await dropStrayIndexes(client, s, perPartition);
  const analyze = partitions().map((k) => `ANALYZE ${s}.${postPartition(k)}`);
  const elsewhere = pool ? buildPartitions(pool, perPartition, analyze) : undefined;
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL maintenance_work_mem = '${BTREE_WORK_MEM}'`);
    await writeSimilarity(client, s);
    for (const index of storyIndexes(s)) await client.query(ifNotExists(index));
    if (elsewhere) await elsewhere.done;
    else {
      for (const index of perPartition.flat()) {
        await client.query(`SET LOCAL maintenance_work_mem = '${workMem(index[1])}'`);
        await client.query(ifNotExists(index));
      }
      for (const statement of analyze) await client.query(statement);
    }
    // Each finds its partitions' and attaches them (SHARE locks, as a build's).
    for (const index of postIndexes(s)) await client.query(ifNotExists(index));
    await analyzeParent(client, s);
    // The one statement of the end that readers wait for (ACCESS EXCLUSIVE), the last before COMMIT: the key's index
    // is made already, so it only names it.
    await client.query(`ALTER TABLE ${s}.sig_buckets ADD CONSTRAINT sig_buckets_pkey PRIMARY KEY USING INDEX sig_buckets_pkey`);
    await client.query(`DELETE FROM ${s}.meta WHERE key = $1`, [COLD_MARK]);
    await bumpGeneration(client, s, schema);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    // The partitions' sessions are ended (their backends terminated) and waited for before the error goes up and the
    // indexer lets its lock go: none builds on after it, and a retry started at once finds none running. An index one
    // committed before is kept (the mark is still set; dropStrayIndexes checks it on the heal).
    await elsewhere?.stop(client);
    throw unindexable(error, schema) ?? error;
  }
}

/**
 * An index of posts refusing a row at the end (program limit exceeded, 54000: writePosts refuses such posts first,
 * pg-write.ts PROBE_BYTES, so only a case it missed): one plain line, not the server's, naming a post as the cause.
 */
const unindexable = (error: unknown, schema: string): ArchiveError | undefined =>
  (error as { code?: unknown } | null)?.code === '54000'
    ? new ArchiveError('INTERNAL', `The first build of the team index in schema ${schema} could not be finished: a post could not be indexed (a value too large for an index of posts); remove or shorten that post's tags or categories and run the indexer again.`, { cause: error })
    : undefined;

const workMem = (sql: string): string => (/ USING gin /.test(sql) ? GIN_WORK_MEM : BTREE_WORK_MEM);
const ifNotExists = ([name, sql]: [string, string]): string => sql.replace(`CREATE INDEX ${name} `, `CREATE INDEX IF NOT EXISTS ${name} `);

/**
 * The partitioned parent's own statistics (the planner's for the whole table: joins, groups), without the tsvectors':
 * ANALYZE of a partitioned table analyzes each partition again too (PostgreSQL 15 has no ANALYZE ONLY), and the
 * tsvectors' statistics are most of its cost (each sampled row's tsvector read and its lexemes counted: 2.6 s at
 * 100,000 posts), which the partitions' sessions have made already, each its own, at once.
 */
async function analyzeParent(client: pg.ClientBase, s: string): Promise<void> {
  const { rows } = await client.query<{ columns: string }>(`SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) AS columns
    FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attname <> 'tsv'`, [`${s}.posts`]);
  await client.query(`ANALYZE ${s}.posts (${rows[0]!.columns})`);
}

interface PartitionBuilds {
  /** Settles once every session has ended: rejects with the first failure (in time) of any. */
  done: Promise<void>;
  /** Ends every session still building (terminating its backend, by `via` when it can) and waits for all. */
  stop(via?: pg.ClientBase): Promise<void>;
}

/**
 * One new session of the pool's role (pool.options: a pool's own connections) a partition, each building its
 * partition's indexes. The first failure of one ends the others at once (pg_terminate_backend: a backend busy in a
 * CREATE INDEX or idle between two alike, where a cancel sent between two statements is lost), so that `done` reports
 * it only once no session of the build is left on the server.
 */
function buildPartitions(pool: pg.Pool, perPartition: [string, string][][], analyze: string[]): PartitionBuilds {
  const pids: number[] = [];
  let stopped = false;
  let failure: { error: unknown } | undefined;
  const terminate = async (via?: pg.ClientBase): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const sql = 'SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid WHERE pid <> pg_backend_pid()';
    try {
      if (!via) throw new Error('no session to terminate from');
      await via.query(sql, [pids]);
    } catch {
      // The session that failed may have lost its connection: one of its own, only for this.
      const spare = new pg.Client(pool.options);
      spare.on('error', () => undefined);
      await spare.connect().then(() => spare.query(sql, [pids])).catch(() => undefined);
      await spare.end().catch(() => undefined);
    }
  };
  const runs = perPartition.map(async (indexes, k) => {
    const session = new pg.Client(pool.options);
    session.on('error', () => undefined);
    try {
      await session.connect();
      pids.push((await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
      await buildInSession(session, indexes, analyze[k]!, () => stopped);
    } catch (error) {
      if (!failure) {
        failure = { error };
        await terminate(session);
      }
      throw error;
    } finally {
      await session.end().catch(() => undefined);
    }
  });
  const settled = Promise.allSettled(runs);
  const done = settled.then(() => {
    if (failure) throw failure.error;
  });
  // Its failure is awaited by the end transaction; until then it must not be an unhandled rejection.
  done.catch(() => undefined);
  return {
    done,
    stop: async (via) => {
      await terminate(via);
      await settled;
    },
  };
}

/** A partition's indexes built on `session`, each committed, then `analyze` (the partition's statistics). */
async function buildInSession(session: pg.Client, indexes: [string, string][], analyze: string, stopped: () => boolean): Promise<void> {
  const goOn = (): void => {
    if (stopped()) throw new Error('The partition\'s index build was stopped: another part of the build failed.');
  };
  for (const index of indexes) {
    goOn();
    await session.query('BEGIN');
    try {
      await session.query(`SET LOCAL maintenance_work_mem = '${workMem(index[1])}'`);
      await session.query(ifNotExists(index));
      await session.query('COMMIT');
    } catch (error) {
      await session.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
  goOn();
  await session.query(analyze);
}

/**
 * A partition's index left by an earlier build that is not the one this build makes: one of another definition (an
 * earlier release's, or made by hand) or invalid (CREATE INDEX CONCURRENTLY interrupted) is dropped, where CREATE
 * INDEX IF NOT EXISTS would keep it beside a second copy that the parent's CREATE INDEX builds (in the end
 * transaction, on one core) and the stray one kept unattached, maintained on every write. A valid identical one (a
 * partition's session committed it before a kill) is kept. The definitions are compared as the server prints them,
 * the expected one made on an empty copy of the partition's columns in a transaction rolled back.
 */
async function dropStrayIndexes(client: pg.ClientBase, s: string, perPartition: [string, string][][]): Promise<void> {
  const expected = new Map(perPartition.flatMap((indexes, k) => indexes.map(([name, sql]) => [name, { k, sql }] as const)));
  const { rows: found } = await client.query<{ name: string; def: string; valid: boolean }>(
    `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS def, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = $1::regclass) AND c.relname = ANY($2::text[])`,
    [`${s}.posts`, [...expected.keys()]]);
  if (found.length === 0) return;
  const stray: string[] = [];
  await client.query('BEGIN');
  try {
    const probes = new Set<number>();
    for (const { name, def, valid } of found) {
      const { k, sql } = expected.get(name)!;
      if (!valid) {
        stray.push(name);
        continue;
      }
      const probe = `backfile_probe_p${k}`;
      if (!probes.has(k)) await client.query(`CREATE TEMP TABLE ${probe} (LIKE ${s}.${postPartition(k)})`);
      probes.add(k);
      await client.query(sql.replace(` ON ${s}.${postPartition(k)} `, ` ON pg_temp.${probe} `));
      const made = (await client.query<{ def: string }>('SELECT pg_get_indexdef($1::regclass) AS def', [`pg_temp.${name}`])).rows[0]!.def;
      if (indexShape(made) !== indexShape(def)) stray.push(name);
    }
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
  for (const name of stray) await client.query(`DROP INDEX IF EXISTS ${s}.${name}`);
}

/** An index's definition as pg_get_indexdef prints it, without its name and table. */
const indexShape = (def: string): string => def.replace(/^CREATE (UNIQUE )?INDEX .*? ON (ONLY )?\S+ USING /, 'CREATE $1INDEX USING ');

/**
 * With synchronous_commit = off (the server's or the role's) the last batches' commits may not be flushed yet, and
 * VACUUM leaves a page whose rows' commit is not flushed not all-visible: a commit that waits for its own record
 * flushes the WAL before it.
 */
export async function flushCommits(client: pg.ClientBase, s: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL synchronous_commit = on');
    await client.query(`UPDATE ${s}.meta SET value = value WHERE key = 'updated_at'`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * sig_buckets and post_story made again from every signed post (the story pass), rows in key order, then the key's
 * unique index (the constraint comes at the very end). Readers' collapsed lists and other versions read both tables
 * while this transaction goes on (they see them empty, as all through the build): DELETE, INSERT and CREATE INDEX
 * take locks that only writers wait for, where TRUNCATE and ALTER TABLE held ACCESS EXCLUSIVE until COMMIT, through
 * every index of the posts (about a minute at 100,000 posts). Both tables are empty while the mark is set.
 */
async function writeSimilarity(client: pg.ClientBase, s: string): Promise<void> {
  const { rows } = await client.query({
    text: `SELECT path, sig, hidden, date_key::text, seq::text FROM ${s}.posts WHERE sig IS NOT NULL ORDER BY date_key, seq`, rowMode: 'array',
  });
  const signed = rows as [string, Buffer, boolean, string, string][];
  const count = signed.length;
  const signatures = new Uint16Array(count * SIGNATURE_SIZE);
  const hidden = new Uint8Array(count);
  signed.forEach(([, sig, isHidden], rank) => {
    signatures.set(unpackSignature(sig), rank * SIGNATURE_SIZE);
    hidden[rank] = isHidden ? 1 : 0;
  });
  const pass = storyPass(signatures, hidden, count);
  await client.query(`DELETE FROM ${s}.sig_buckets`);
  await client.query(`DELETE FROM ${s}.post_story`);
  const total = pass.buckets.length;
  for (let start = 0; start < total; start += BUCKET_ROWS_PER_INSERT) {
    const end = Math.min(total, start + BUCKET_ROWS_PER_INSERT);
    const buckets: number[] = [];
    const dateKeys: string[] = [];
    const seqs: string[] = [];
    for (let k = start; k < end; k++) {
      const at = signed[pass.ranks[k]!]!;
      buckets.push(pass.buckets[k]!);
      dateKeys.push(at[3]);
      seqs.push(at[4]);
    }
    await client.query(`INSERT INTO ${s}.sig_buckets (bucket, date_key, seq) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[])`,
      [buckets, dateKeys, seqs]);
  }
  await client.query(`CREATE UNIQUE INDEX sig_buckets_pkey ON ${s}.sig_buckets (bucket, date_key, seq)`);
  const paths: string[] = [];
  const stories: number[] = [];
  for (let rank = 0; rank < count; rank++) {
    if (pass.story[rank]! === 0) continue;
    paths.push(signed[rank]![0]);
    stories.push(pass.story[rank]!);
  }
  if (paths.length > 0) {
    await client.query(`INSERT INTO ${s}.post_story (path, story) SELECT * FROM unnest($1::text[], $2::int[])`, [paths, stories]);
  }
}
