/**
 * What a schema holds, looked at before anything reads it, without changing anything (the indexer's own look, inside
 * its lock, is pg-schema.ts inspect): tables of Backfile's names without Backfile's mark are another app's (NOT_OURS,
 * rather than a raw "column … does not exist" from the first query that assumes our columns); an index a newer
 * Backfile made is refused (STORE_UNAVAILABLE: upgrade); readers also refuse an older one, which only its owner's
 * indexer can rebuild.
 */
import type pg from 'pg';
import { TOKENIZER_VERSION } from '../../core/tokenize';
import { ArchiveError } from '../../shared/archive-api';
import { quoteSchema } from './pg-connection';
import { BACKFILE_MARK, PG_SCHEMA_VERSION, PG_SEQUENCE, PG_TABLES, refuseForeignOrNewer } from './pg-schema';

type Queryable = Pick<pg.Pool, 'query'>;

interface Look {
  /** The tables (and sequence) of Backfile's names in the schema. */
  ours: string[];
  /** meta's mark and versions (empty when meta is missing or of another shape). */
  meta: Map<string, string>;
  /** The owner of meta (who may rebuild the index). */
  owner: string | undefined;
}

async function look(q: Queryable, schema: string): Promise<Look> {
  const { rows } = await q.query<{ relname: string; owner: string }>(
    `SELECT c.relname, pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`,
    [schema, [...PG_TABLES, PG_SEQUENCE]]);
  const ours = rows.map((r) => r.relname).sort();
  const owner = rows.find((r) => r.relname === 'meta')?.owner;
  const meta = new Map<string, string>();
  if (owner === undefined) return { ours, meta, owner };
  const s = quoteSchema(schema);
  // Another app's meta may lack our columns: only a meta with `key` and `value` is read (as text, whatever their type).
  const columns = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname IN ('key', 'value') AND NOT attisdropped`,
    [`${s}.meta`]);
  if (columns.rows[0]?.n === 2) {
    const found = await q.query<{ key: string; value: string }>(
      `SELECT key::text AS key, value::text AS value FROM ${s}.meta WHERE key::text IN ($1, 'schema_version', 'tokenizer_version')`,
      [BACKFILE_MARK.key]);
    for (const row of found.rows) meta.set(row.key, row.value);
  }
  return { ours, meta, owner };
}

/** NOT_OURS when the schema holds tables of our names without Backfile's mark; STORE_UNAVAILABLE when a newer Backfile made them. */
function refuseFound(schema: string, { ours, meta }: Look): void {
  if (ours.length > 0) refuseForeignOrNewer(schema, ours, meta);
}

/** The indexer, before it compares the index with the archive: the schema is empty, or holds a Backfile index no newer than this one. */
export async function checkSchemaIsOurs(q: Queryable, schema: string): Promise<void> {
  refuseFound(schema, await look(q, schema));
}

/**
 * A reader's connect: the schema holds an index this Backfile can read, or nothing of ours (the first read then says
 * there is no index). Another app's tables: NOT_OURS; a newer index: upgrade; an older one: its owner must rebuild it.
 */
export async function checkSchemaReadable(q: Queryable, schema: string): Promise<void> {
  const found = await look(q, schema);
  refuseFound(schema, found);
  if (found.ours.length === 0) return;
  const version = found.meta.get('schema_version') ?? '?';
  const tokenizer = found.meta.get('tokenizer_version') ?? '?';
  const change = version !== PG_SCHEMA_VERSION ? `v${version} → v${PG_SCHEMA_VERSION}`
    : tokenizer !== String(TOKENIZER_VERSION) ? `tokenizer ${tokenizer} → ${TOKENIZER_VERSION}` : null;
  if (change === null) return;
  throw new ArchiveError('STORE_UNAVAILABLE', `The team index in schema ${schema} needs a rebuild (${change}) by its owner ${found.owner ?? '?'} `
    + `(cli index ARCHIVE --store URL, as that role): this Backfile cannot read it until then, and nothing was changed.`);
}
