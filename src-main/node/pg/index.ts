/**
 * The PostgreSQL store's entry for the rest of the app (issue 15): open a team index, and keep one up to date.
 * The reader (pg-read.ts) and the wiring (archive service, CLI, serve) build on these.
 */
import type pg from 'pg';
import { DEFAULT_PG_SCHEMA, openPgConnection, type PgOptions } from './pg-connection';

export { updatePgIndex } from './pg-update';
export { DEFAULT_PG_SCHEMA, notifyChannel, quoteSchema, redactUrl, type PgOptions } from './pg-connection';
export { PG_SCHEMA_VERSION, pgSchemaVersion } from './pg-schema';

export interface PgStore {
  pool: pg.Pool;
  schema: string;
  /** The URL without its password, then ` schema NAME`: what IndexInfo.location shows. */
  location: string;
  /** The role logged in as (from the URL, or the driver's default). */
  role: string;
  close(): Promise<void>;
}

/**
 * A pool on the team index at `url` (postgres://USER[:PASSWORD]@HOST:PORT/DB) in `schema` (default backfile).
 * INVALID_ARGUMENT for a malformed URL or schema name, STORE_UNAVAILABLE when the server cannot be reached or the
 * login fails. It does not check that the schema holds an index: pgSchemaVersion(pool, schema) says (undefined: none).
 */
export async function openPgStore(url: string, schema: string = DEFAULT_PG_SCHEMA, options: PgOptions = {}): Promise<PgStore> {
  const connection = await openPgConnection(url, schema, options);
  let closed = false;
  return {
    pool: connection.pool,
    schema,
    location: `${connection.target.shown} schema ${schema}`,
    role: connection.target.role,
    close: async () => {
      if (closed) return;
      closed = true;
      await connection.close();
    },
  };
}
