/**
 * The team index's tables in PostgreSQL (the shared spec, /tmp/s19/pg-schema.md → docs/SCALING.md): one schema per
 * archive, `meta` with `schema_version`. A schema of an older version (or an older tokenizer's) is dropped and made
 * again (it is an index, rebuilt from the posts), but only our own tables, and only when its meta holds the mark
 * only Backfile writes (BACKFILE_MARK): a schema holding tables Backfile did not make is refused (NOT_OURS), and so
 * is a newer Backfile's index (STORE_UNAVAILABLE, newerIndexReason). Readers check the same on connect
 * (pg-schema-check.ts).
 */
import type pg from 'pg';
import { ArchiveError } from '../../shared/archive-api';
import { TOKENIZER_VERSION } from '../../core/tokenize';
import { quoteSchema } from './pg-connection';
import { notifyGeneration } from './pg-notify';
import { ensureWsTables } from './pg-ws-schema';

/**
 * Bump when the tables change, or what they hold (4: stories of visible posts only; 5: posts_tsv_hidden; 6:
 * posts_trees; 7: sig_buckets keyed by (bucket, date_key, seq) in one B-tree; 8: posts partitioned by HASH (path); 9: a
 * narrow posts heap, ROW_STORAGE): an index of an older version is dropped and rebuilt by its owner.
 */
export const PG_SCHEMA_VERSION = '9';

/** The meta row only Backfile writes: without it a `meta` table, even one with a schema_version, is another app's. */
export const BACKFILE_MARK = { key: 'backfile_index', value: '1' } as const;

/** Every table Backfile makes in the schema (and the only ones it ever drops). */
export const PG_TABLES = ['meta', 'posts', 'file_problems', 'scan_problems', 'sig_buckets', 'post_story'] as const;
/** The sequence that orders posts inside a date key (posts.seq), as the SQLite store's ids do. */
export const PG_SEQUENCE = 'post_seq';

/**
 * posts is split by HASH (path) into this many partitions, posts_p0, posts_p1… (v8; path is the primary key, so the
 * key stays one): a cold build's end (pg-cold.ts) builds each partition's indexes on a server session of its own, where
 * PostgreSQL 15 builds one GIN index on one core (posts_tsv: 32 s of the end at 100,000 posts). Readers and writers
 * only name `posts`; the server routes rows and prunes nothing (no query filters on the hash).
 */
export const POST_PARTITIONS = 2;
/** The partition tables of posts, by number. */
export const postPartition = (k: number): string => `posts_p${k}`;

/**
 * The posts table's indexes other than its primary key, by name: made with the table, or (a cold build, pg-cold.ts)
 * dropped before the load and made once after it. On the partitioned table each is one index a partition
 * (partitionIndexes), which the parent's CREATE INDEX attaches when they exist (or makes, when not).
 */
export const postIndexes = (s: string): [string, string][] => [
  ['posts_tsv', `CREATE INDEX posts_tsv ON ${s}.posts USING gin (tsv)`],
  // The title's lexemes alone (pg-query.ts TITLE_TSV): relevance puts title hits first and counts them (P2).
  ['posts_title', `CREATE INDEX posts_title ON ${s}.posts USING gin (ts_filter(tsv, '{a}'))`],
  // The hidden posts' words (few posts): a search's count is its words' hits less these (pg-read.ts countSql), both
  // from GIN indexes, so that no hit's row is read for the hidden rule (v5).
  ['posts_tsv_hidden', `CREATE INDEX posts_tsv_hidden ON ${s}.posts USING gin (tsv) WHERE hidden`],
  ['posts_facets', `CREATE INDEX posts_facets ON ${s}.posts USING gin (facets)`],
  ['posts_order', `CREATE INDEX posts_order ON ${s}.posts (date_key, seq)`],
  // Every column the trees count (pg-read.ts categoryRows, dateRows, tagNames, tagCounts), so that each is an
  // index-only scan of this index (14 MB at 100,000 posts) rather than a read of the whole posts table (142 MB, each
  // row's tsvector and body aside): the first trees call at 100,000 posts 364-379 → 156-160 ms of CPU (v6).
  ['posts_trees', `CREATE INDEX posts_trees ON ${s}.posts (category_key, year, month, hidden) INCLUDE (seq, tag_keys)`],
  ['posts_hash', `CREATE INDEX posts_hash ON ${s}.posts (hash)`],
];

/**
 * The indexes of partition `k` that make up postIndexes(s) (each named after the parent's, `_p<k>` added), as the
 * parent's CREATE INDEX would make them: made first, they are attached to it without a second build.
 */
export const partitionIndexes = (s: string, k: number): [string, string][] => postIndexes(s).map(([name, sql]) => [
  `${name}_p${k}`, sql.replace(`CREATE INDEX ${name} ON ${s}.posts `, `CREATE INDEX ${name}_p${k} ON ${s}.${postPartition(k)} `),
]);

/** post_story's index other than its primary key. */
export const storyIndexes = (s: string): [string, string][] => [
  ['post_story_story', `CREATE INDEX post_story_story ON ${s}.post_story (story)`],
];

/**
 * The tsvectors are stored out of line uncompressed (STORAGE EXTERNAL; PostgreSQL 14-15 take it only by ALTER): a
 * search checks the positions of each hit's tsvector, and one compressed (lz4 keeps ~3 % off) costs that check ~13 %
 * more; pglz gave up on them anyway, after trying each. The bodies take the indexer's lz4 (pg-update.ts).
 */
export const TSV_STORAGE = (s: string): string => `ALTER TABLE ${s}.posts ALTER COLUMN tsv SET STORAGE EXTERNAL`;

/**
 * The posts' heap holds only what is read row by row (v9): a count of a word's hits reads each hit's heap page
 * (PostgreSQL 15's bitmap count skips no all-visible page), as do the trees' and timeline's filtered reads, the file
 * states, the workspace's path/hash/title/date look-ups and the story look-ups' signatures. These columns are kept
 * inline (STORAGE MAIN: out of line only when a row would not fit a page); the ones read for a page of results or one
 * post (excerpt, description, source, problems, body; tsv is EXTERNAL) go to the TOAST table once a row passes
 * TOAST_TUPLE_TARGET, where PostgreSQL's default (~2 kB) kept them inline beside the row: 100,000 synthetic posts,
 * 9,203 → 4,706 heap pages a partition (docs/BENCHMARKS.md "Stop 23: a narrow posts heap"). PostgreSQL toasts only a
 * row over ~2 kB (TOAST_TUPLE_THRESHOLD), whatever the target: a short post's row stays whole, as before. A row it
 * toasts also has its MAIN columns compressed where that saves bytes (facets in every synthetic row, tag_keys in 2 of 3).
 */
export const ROW_COLUMNS = ['path', 'hash', 'title', 'date', 'sort_key', 'categories', 'category_key', 'tags', 'tag_keys', 'facets', 'sig'] as const;
/** The partitions' toast_tuple_target (the least PostgreSQL takes): a row it toasts is made this small if it can be. */
export const TOAST_TUPLE_TARGET = 128;
/** On the parent: the partitions take it too (ALTER TABLE recurses). */
export const ROW_STORAGE = (s: string): string =>
  `ALTER TABLE ${s}.posts ${ROW_COLUMNS.map((c) => `ALTER COLUMN ${c} SET STORAGE MAIN`).join(', ')}`;

/** 0 … POST_PARTITIONS - 1. */
export const partitions = (): number[] => [...Array(POST_PARTITIONS).keys()];

const createTables = (s: string): string[] => [
  `CREATE TABLE ${s}.meta (key text PRIMARY KEY, value text NOT NULL)`,
  `CREATE SEQUENCE ${s}.${PG_SEQUENCE}`,
  `CREATE TABLE ${s}.posts (
    path text PRIMARY KEY,
    date_key bigint NOT NULL,
    seq bigint NOT NULL,
    size bigint NOT NULL, mtime_ms double precision NOT NULL, hash text,
    title text NOT NULL, date text, sort_key text NOT NULL, year int, month int,
    categories jsonb NOT NULL, category_key text NOT NULL, tags jsonb NOT NULL, tag_keys jsonb NOT NULL,
    hidden boolean NOT NULL, draft boolean NOT NULL, excerpt text NOT NULL, description text NOT NULL, source text,
    problems jsonb NOT NULL, problem_count int NOT NULL,
    facets text[] NOT NULL,
    tsv tsvector NOT NULL,
    body text NOT NULL,
    sig bytea
  ) PARTITION BY HASH (path)`,
  // A partitioned table takes no storage parameters: each partition its own.
  ...partitions().map((k) => `CREATE TABLE ${s}.${postPartition(k)} PARTITION OF ${s}.posts FOR VALUES WITH (MODULUS ${POST_PARTITIONS}, REMAINDER ${k})`
    + ` WITH (toast_tuple_target = ${TOAST_TUPLE_TARGET})`),
  // On the parent: the partitions take it too (ALTER TABLE recurses).
  TSV_STORAGE(s),
  ROW_STORAGE(s),
  ...partitions().flatMap((k) => partitionIndexes(s, k).map(([, sql]) => sql)),
  ...postIndexes(s).map(([, sql]) => sql),
  // Other versions and stories (v2, issue 14 on the team index; pg-similar.ts): posts.sig is the post's packed
  // MinHash signature (core/similarity/signature.ts, null: too little text), sig_buckets its LSH band buckets
  // (core/similarity/bands.ts), post_story the story of each post in a story of two or more (story.ts's rule).
  // A bucket row is its post's place in the list's order (posts.seq is unique), so a story look-up reads a bucket's
  // first posts (STORY_BUCKET_READ) from one index range (v3), and its one B-tree (the primary key) serves that,
  // uniqueness and deletion alike: a post's rows are found from its stored signature's buckets (pg-similar.ts
  // leaveStories), paths are joined from posts by (date_key, seq) (v7; v6 kept the path and three B-trees).
  `CREATE TABLE ${s}.sig_buckets (bucket bigint NOT NULL, date_key bigint NOT NULL, seq bigint NOT NULL, PRIMARY KEY (bucket, date_key, seq))`,
  `CREATE TABLE ${s}.post_story (path text PRIMARY KEY, story int NOT NULL)`,
  ...storyIndexes(s).map(([, sql]) => sql),
  `CREATE TABLE ${s}.file_problems (path text PRIMARY KEY, size bigint NOT NULL, mtime_ms double precision NOT NULL, hash text, problems jsonb NOT NULL)`,
  `CREATE TABLE ${s}.scan_problems (problems jsonb NOT NULL)`,
  `INSERT INTO ${s}.scan_problems (problems) VALUES ('[]')`,
];

/** What ensurePgSchema found: nothing (made now), our tables of this version, or another version (made again). */
export type PgSchemaState = 'created' | 'current' | 'rebuilt';

/** The lock every schema change and every indexer holds (two indexers of one schema would interleave batches). */
export const lockKey = (schema: string): string => `backfile:${schema}`;

/**
 * Makes `schema` hold an empty index of this version, unless it already holds one. Needs CREATE on the database
 * (a new schema) or ownership of the schema; a read-only role fails with 42501 (pg-connection's READ_ONLY).
 */
export async function ensurePgSchema(client: pg.ClientBase, schema: string): Promise<PgSchemaState> {
  const s = quoteSchema(schema);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey(schema)]);
    const state = await inspect(client, schema);
    if (state === 'current') {
      await ensureWsTables(client, schema);
      await client.query('COMMIT');
      return state;
    }
    if (state === 'missing') await client.query(`CREATE SCHEMA ${s}`);
    // Readers cache trees and counts per generation and poll it for changes: a new index must never reuse a
    // generation of the one before (dropped by us or by an admin), hence a start from the clock, past the old one.
    let generation = Date.now();
    if (state === 'ours-old') {
      await mustOwn(client, schema);
      const old = await client.query<{ value: string }>(`SELECT value FROM ${s}.meta WHERE key = 'generation'`);
      const before = Number(old.rows[0]?.value);
      if (Number.isSafeInteger(before) && before >= generation) generation = before + 1;
      for (const table of PG_TABLES) await client.query(`DROP TABLE IF EXISTS ${s}."${table}"`);
      await client.query(`DROP SEQUENCE IF EXISTS ${s}.${PG_SEQUENCE}`);
    }
    for (const statement of createTables(s)) await client.query(statement);
    const now = new Date().toISOString();
    for (const [key, value] of [[BACKFILE_MARK.key, BACKFILE_MARK.value], ['schema_version', PG_SCHEMA_VERSION], ['tokenizer_version', String(TOKENIZER_VERSION)], ['generation', String(generation)], ['updated_at', now]]) {
      await client.query(`INSERT INTO ${s}.meta (key, value) VALUES ($1, $2)`, [key, value]);
    }
    await ensureWsTables(client, schema);
    // Readers listening on the schema's channel hear of the new (or rebuilt) index on COMMIT.
    await notifyGeneration(client, schema, String(generation));
    await client.query('COMMIT');
    return state === 'missing' || state === 'empty' ? 'created' : 'rebuilt';
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Before an old index is dropped: only the owner of its tables (or a member of the owner's role) may drop them, so
 * another writer (one granted INSERT/UPDATE/DELETE) is told who must rebuild it, rather than that it may not write
 * (READ_ONLY) when the server refuses the DROP. STORE_UNAVAILABLE: this schema holds no index this version can use.
 */
async function mustOwn(client: pg.ClientBase, schema: string): Promise<void> {
  const { rows } = await client.query<{ relname: string; owner: string; owns: boolean }>(
    `SELECT c.relname, pg_get_userbyid(c.relowner) AS owner, pg_has_role(c.relowner, 'USAGE') AS owns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2)`,
    [schema, [...PG_TABLES, PG_SEQUENCE]]);
  const foreign = rows.filter((r) => !r.owns);
  if (foreign.length === 0) return;
  const s = quoteSchema(schema);
  const meta = new Map((await client.query<{ key: string; value: string }>(
    `SELECT key, value FROM ${s}.meta WHERE key IN ('schema_version', 'tokenizer_version')`)).rows.map((r) => [r.key, r.value]));
  const version = meta.get('schema_version') ?? '?';
  const tokenizer = meta.get('tokenizer_version') ?? '?';
  const change = version !== PG_SCHEMA_VERSION ? `v${version} → v${PG_SCHEMA_VERSION}`
    : tokenizer !== String(TOKENIZER_VERSION) ? `tokenizer ${tokenizer} → ${TOKENIZER_VERSION}` : `v${version}, tables missing`;
  const owners = [...new Set(foreign.map((r) => r.owner))].join(', ');
  throw new ArchiveError('STORE_UNAVAILABLE', `The team index in schema ${schema} needs a rebuild (${change}) by its owner ${owners}: `
    + `the role that indexes it now does not own its tables, and nothing was changed.`);
}

type Found = 'missing' | 'empty' | 'current' | 'ours-old';

/**
 * Tables of Backfile's names (`ours`, non-empty) whose meta lacks Backfile's mark are another app's (NOT_OURS; another
 * app's meta may well hold a schema_version); an index a newer Backfile made is refused (STORE_UNAVAILABLE: upgrade), never
 * dropped for this one's (an old indexer would rebuild it cold, each way). The indexer's inspect and readers'
 * pg-schema-check.ts share it.
 */
export function refuseForeignOrNewer(schema: string, ours: string[], meta: Map<string, string>): void {
  if (meta.get(BACKFILE_MARK.key) !== BACKFILE_MARK.value || !meta.has('schema_version')) {
    throw new ArchiveError('NOT_OURS', `The schema ${schema} holds tables Backfile did not make (${ours.join(', ')}): choose another schema for the team index.`);
  }
  const newer = newerIndexReason(schema, meta);
  if (newer) throw new ArchiveError('STORE_UNAVAILABLE', newer);
}

/** What the schema holds now; NOT_OURS when it holds a table of our names that Backfile did not make. */
async function inspect(client: pg.ClientBase, schema: string): Promise<Found> {
  const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (exists.rowCount === 0) return 'missing';
  const tables = new Set((await client.query<{ relname: string }>(
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')",
    [schema])).rows.map((r) => r.relname));
  const ours = [...PG_TABLES, PG_SEQUENCE].filter((t) => tables.has(t));
  if (ours.length === 0) return 'empty';
  let meta = new Map<string, string>();
  if (tables.has('meta')) {
    try {
      await client.query('SAVEPOINT look');
      meta = new Map((await client.query<{ key: string; value: string }>(
        `SELECT key, value FROM ${quoteSchema(schema)}.meta WHERE key IN ($1, 'schema_version', 'tokenizer_version')`, [BACKFILE_MARK.key])).rows
        .map((r) => [r.key, r.value]));
      await client.query('RELEASE SAVEPOINT look');
    } catch (error) {
      // A `meta` of another shape is not ours; a missing right is the role's problem, said as such.
      if ((error as { code?: string }).code === '42501') throw error;
      await client.query('ROLLBACK TO SAVEPOINT look');
    }
  }
  refuseForeignOrNewer(schema, ours, meta);
  // Tokens of another tokenizer would not match the queries of this one: an old index, as in the SQLite store.
  if (meta.get('schema_version') === PG_SCHEMA_VERSION && meta.get('tokenizer_version') === String(TOKENIZER_VERSION)
    && PG_TABLES.every((t) => tables.has(t)) && tables.has(PG_SEQUENCE)) return 'current';
  return 'ours-old';
}

/**
 * The refusal of an index a newer Backfile made (its schema_version or tokenizer_version above this code's, compared
 * as numbers), or null: this Backfile can neither read it nor rebuild it without undoing the upgrade.
 */
export function newerIndexReason(schema: string, meta: ReadonlyMap<string, string>): string | null {
  const above = (stored: string | undefined, own: number): boolean => stored !== undefined && Number(stored) > own;
  const version = meta.get('schema_version');
  if (above(version, Number(PG_SCHEMA_VERSION))) {
    return `The team index in schema ${schema} was made by a newer Backfile (schema ${version}); upgrade Backfile on this machine (nothing was changed).`;
  }
  const tokenizer = meta.get('tokenizer_version');
  if (above(tokenizer, TOKENIZER_VERSION)) {
    return `The team index in schema ${schema} was made by a newer Backfile (tokenizer ${tokenizer}); upgrade Backfile on this machine (nothing was changed).`;
  }
  return null;
}

/** The schema's index version, or undefined when it holds no Backfile index (for readers: nothing to read). */
export async function pgSchemaVersion(client: pg.ClientBase | pg.Pool, schema: string): Promise<string | undefined> {
  const found = await client.query<{ value: string }>(
    `SELECT value FROM ${quoteSchema(schema)}.meta WHERE key = 'schema_version'`).catch((error: { code?: string }) => {
    if (error.code === '42P01' || error.code === '3F000') return null; // no such table / schema
    throw error;
  });
  return found?.rows[0]?.value;
}
