/**
 * Bringing a team index on PostgreSQL in step with the archive on disk: the SQLite store's update loop
 * (node/index/update.ts updateIndex: scan, compare file states, read changed posts, write in batches) over the
 * PostgreSQL writer (pg-write.ts). One indexer per schema at a time (a session advisory lock, let go when the
 * process ends however it ends); every batch one transaction, so it is safe to kill at any moment.
 */
import type pg from 'pg';
import { ArchiveError } from '../../shared/archive-api';
import { readAndParse, updateIndex, type ParseHooks, type ParseOptions, type UpdateOptions, type UpdateSummary } from '../index/update';
import { PARALLEL_FROM, ParsePool, SoloParser, defaultPoolSize } from '../index/parse-pool';
import { pgError, quoteSchema, redactUrl, type PgTarget } from './pg-connection';
import { ensurePgSchema, lockKey } from './pg-schema';
import { finishColdBuild, flushCommits, startColdBuild } from './pg-cold';
import { PgIndexWriter } from './pg-write';

export interface PgUpdateOptions extends UpdateOptions {
  /**
   * Parse threads for a large update, as the app's indexing thread uses (index-worker.ts): default one per spare
   * core from PARALLEL_FROM files to read; 0 reads everything on this thread. The files of a batch a killed run
   * was reading are then each read on a thread of their own, as there.
   */
  parseThreads?: number;
  /** Posts written or removed from which the update vacuums the posts table (default VACUUM_FROM). */
  vacuumFrom?: number;
}

/** An update's summary, and (a large update by a role that does not own the posts table) why it was not vacuumed. */
export interface PgUpdateSummary extends UpdateSummary {
  /** "not vacuumed: ROLE does not own S.posts; autovacuum will do it" (only when the update would have vacuumed). */
  notVacuumed?: string;
}

/**
 * Updates the index in `schema` from the archive at `root` (made first when the schema holds none; rebuilt when it
 * holds another version). READ_ONLY for a role without write rights (before anything is read from disk, nothing
 * changed), BUSY while another indexer updates the same schema, STORE_UNAVAILABLE when the server goes away.
 */
export async function updatePgIndex(pool: pg.Pool, schema: string, root: string, options: PgUpdateOptions = {}): Promise<PgUpdateSummary> {
  const s = quoteSchema(schema);
  const target: PgTarget = { shown: redactUrl(pool.options.connectionString ?? 'postgres://'), role: pool.options.user ?? 'this role', secrets: [] };
  const map = (error: unknown) => pgError(error, target, 'write');
  const client = await pool.connect().catch((error: unknown) => {
    throw map(error);
  });
  let locked = false;
  try {
    target.role = (await client.query<{ role: string }>('SELECT current_user AS role')).rows[0]?.role ?? target.role;
    const free = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [lockKey(schema)])).rows[0]?.ok;
    if (!free) throw new ArchiveError('BUSY', `Another indexer is updating the team index in schema ${schema}; try again when it is done.`);
    locked = true;
    await ensurePgSchema(client, schema);
    const { rows } = await client.query<{ ok: boolean }>(
      `SELECT has_table_privilege($1, 'INSERT, UPDATE, DELETE') AND has_table_privilege($2, 'INSERT, UPDATE, DELETE')
        AND has_table_privilege($3, 'INSERT, UPDATE, DELETE') AND has_table_privilege($4, 'UPDATE') AND has_sequence_privilege($5, 'USAGE') AS ok`,
      [`${s}.posts`, `${s}.file_problems`, `${s}.meta`, `${s}.scan_problems`, `${s}.post_seq`]);
    if (!rows[0]?.ok) throw map({ code: '42501', message: 'permission denied' });
    const writer = new PgIndexWriter(client, schema);
    const { vacuumFrom = VACUUM_FROM, ...update } = options;
    // An empty index (or one whose cold build a kill interrupted) is loaded bare and indexed at the end (pg-cold.ts),
    // a cancelled update included: readers need the indexes of what it wrote. Another role than the owner of one
    // interrupted is refused there, nothing changed.
    writer.cold = await startColdBuild(client, s, schema);
    await writer.setMeta('archive_root', root);
    await compressWithLz4(client, s);
    const summary = await updateWithThreads(writer, root, update);
    if (writer.cold) {
      await finishColdBuild(client, s, schema, pool);
      return summary;
    }
    if (summary.updated + summary.deleted < vacuumFrom) return summary;
    const notVacuumed = await vacuumPosts(client, s, schema, target.role);
    return notVacuumed ? { ...summary, notVacuumed } : summary;
  } catch (error) {
    throw map(error);
  } finally {
    await client.query('RESET default_toast_compression').catch(() => undefined);
    if (locked) await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey(schema)]).catch(() => undefined);
    client.release();
  }
}

/**
 * The indexer's session compresses the long values it writes with lz4 where the server has it (PostgreSQL 14 and
 * later, built with lz4 as Debian's is): pglz, the default, was most of the server's CPU for the post rows (20,000
 * synthetic posts, cold: the server's CPU 19.0 → 15.9 s). Each value records its method, so any reader of the same
 * server reads both; a server without lz4 refuses the setting and keeps pglz. Only where the tsvectors are stored
 * uncompressed (pg-schema.ts TSV_STORAGE): an index made before keeps pglz, which leaves them uncompressed too.
 */
async function compressWithLz4(client: pg.ClientBase, s: string): Promise<void> {
  const { rows } = await client.query<{ storage: string }>(
    "SELECT attstorage AS storage FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'tsv'", [`${s}.posts`]);
  if (rows[0]?.storage !== 'e') return;
  await client.query('SET default_toast_compression = lz4').catch(() => undefined);
}

/** Posts written or removed by one update from which it vacuums the posts table itself (autovacuum's base threshold). */
export const VACUUM_FROM = 1000;

/**
 * VACUUM (ANALYZE) of the posts after a large update, so that its pages are marked all-visible and the planner
 * knows the new rows: a search's count through the GIN index then skips the heap for hits that need no recheck
 * (PostgreSQL's bitmap heap scan reads only pages not all-visible), where before autovacuum came by each hit's row
 * was read (市 at 100,000 posts: 74,920 rows). The toast table (the tsvectors and bodies) is left to autovacuum:
 * nothing reads its visibility. Only the table's owner (or a member of its role) may vacuum it: for another role
 * the server would skip it with a WARNING no one reads, so the update does not ask, and says so instead (the line
 * returned).
 */
async function vacuumPosts(client: pg.ClientBase, s: string, schema: string, role: string): Promise<string | undefined> {
  const owner = (await client.query<{ owns: boolean }>(
    "SELECT pg_has_role(relowner, 'USAGE') AS owns FROM pg_class WHERE oid = $1::regclass", [`${s}.posts`])).rows[0];
  if (!owner?.owns) return `not vacuumed: ${role} does not own ${schema}.posts; autovacuum will do it`;
  // The batches' commits must be on disk first (pg-cold.ts flushCommits; without it, at 600 posts 45 of 111 pages
  // were left not all-visible, half the runs).
  await flushCommits(client, s);
  // INDEX_CLEANUP ON: with few rows removed the server would otherwise leave their line pointers for later, and
  // their pages not all-visible.
  await client.query(`VACUUM (ANALYZE, PROCESS_TOAST FALSE, INDEX_CLEANUP ON) ${s}.posts`);
  return undefined;
}

/** Posts parsed for this store: the text is stored as text, not deflated as the SQLite store's post_text is. */
const PARSE_FOR_PG: ParseOptions = { packText: false };

/** Parsing on the indexing thread, for this store (update.ts's default, with PARSE_FOR_PG). */
const parseHere = async (files: Parameters<typeof readAndParse>[0], hooks: ParseHooks) => {
  await hooks.parsingHere();
  return readAndParse(files, PARSE_FOR_PG);
};

/** updateIndex with the app's parse threads (index-worker.ts), unless the caller brings its own parsing. */
async function updateWithThreads(writer: PgIndexWriter, root: string, options: PgUpdateOptions): Promise<UpdateSummary> {
  const { parseThreads, ...rest } = options;
  const threads = parseThreads ?? defaultPoolSize();
  if (rest.parseFiles || rest.planParsing) return updateIndex(writer, root, rest);
  if (threads < 1) return updateIndex(writer, root, { parseFiles: parseHere, ...rest });
  let parsePool: ParsePool | null = null;
  const solo = new SoloParser();
  try {
    const summary = await updateIndex(writer, root, {
      parseAlone: solo.parseOne,
      planParsing: (toRead) => {
        if (toRead < PARALLEL_FROM) return { parseFiles: parseHere };
        parsePool = new ParsePool(threads, PARSE_FOR_PG);
        return { parseFiles: parsePool.parseFiles, parseAhead: 2 * parsePool.size + 2 };
      },
      ...rest,
    });
    const stats = (parsePool as ParsePool | null)?.stats;
    return stats ? { ...summary, parsedOnThreads: stats.onThreads, parsedHere: stats.here } : summary;
  } finally {
    await (parsePool as ParsePool | null)?.close();
    await solo.close();
  }
}
