/**
 * The team workspace's tables in the team index's schema (issue 15: "labels and notes can optionally live in the
 * team database, per user = per PostgreSQL role, with shared labels visible to all"). They mirror the local
 * workspace file's tables (workspace/schema.ts), each row with its `owner` role; row-level security (forced, so
 * that the schema's owner too sees only its own rows) keeps each role to its rows, and a label its owner shared is
 * readable by every role. Unlike the index's tables they are the readers' work: never dropped with an index of
 * another version (PG_TABLES does not list them), made once, when missing, by a role that may create tables in the
 * schema (the indexer: ensurePgSchema). Readers need, besides the index's reader rights:
 *   GRANT SELECT, INSERT, UPDATE, DELETE ON backfile.ws_posts, backfile.ws_labels, backfile.ws_post_labels,
 *     backfile.ws_highlights, backfile.ws_saved, backfile.ws_saved_seen TO reader;
 *   GRANT USAGE ON SEQUENCE backfile.ws_id TO reader;
 */
import type pg from 'pg';
import { quoteSchema } from './pg-connection';

/** The team workspace's tables (never dropped by Backfile) and the sequence their ids come from (one for all). */
export const WS_TABLES = ['ws_posts', 'ws_labels', 'ws_post_labels', 'ws_highlights', 'ws_saved', 'ws_saved_seen'] as const;
export const WS_SEQUENCE = 'ws_id';

const OWNER = 'owner name NOT NULL DEFAULT current_user';

const createWsTables = (s: string): string[] => [
  `CREATE SEQUENCE ${s}.${WS_SEQUENCE}`,
  `CREATE TABLE ${s}.ws_posts (id bigint PRIMARY KEY, ${OWNER}, path text NOT NULL, hash text, title text NOT NULL, date text,
    missing boolean NOT NULL, starred boolean NOT NULL, note text NOT NULL, updated_at text NOT NULL)`,
  `CREATE INDEX ws_posts_owner ON ${s}.ws_posts (owner)`,
  `CREATE TABLE ${s}.ws_labels (id bigint PRIMARY KEY, ${OWNER}, name text NOT NULL, color text NOT NULL, shared boolean NOT NULL DEFAULT false)`,
  `CREATE TABLE ${s}.ws_post_labels (${OWNER}, post_id bigint NOT NULL REFERENCES ${s}.ws_posts (id) ON DELETE CASCADE,
    label_id bigint NOT NULL REFERENCES ${s}.ws_labels (id) ON DELETE CASCADE, PRIMARY KEY (post_id, label_id))`,
  `CREATE TABLE ${s}.ws_highlights (id text PRIMARY KEY, ${OWNER}, post_id bigint NOT NULL REFERENCES ${s}.ws_posts (id) ON DELETE CASCADE,
    exact text NOT NULL, prefix text NOT NULL, suffix text NOT NULL, comment text, created_at text NOT NULL)`,
  `CREATE TABLE ${s}.ws_saved (id bigint PRIMARY KEY, ${OWNER}, name text NOT NULL, query text NOT NULL, created_at text NOT NULL, last_opened_at text)`,
  `CREATE TABLE ${s}.ws_saved_seen (${OWNER}, search_id bigint NOT NULL REFERENCES ${s}.ws_saved (id) ON DELETE CASCADE, path text NOT NULL,
    PRIMARY KEY (search_id, path))`,
  ...WS_TABLES.flatMap((t) => [
    `ALTER TABLE ${s}.${t} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${s}.${t} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY ${t}_own ON ${s}.${t} USING (owner = current_user) WITH CHECK (owner = current_user)`,
  ]),
  `CREATE POLICY ws_labels_shared ON ${s}.ws_labels FOR SELECT USING (shared)`,
];

/**
 * Makes the team workspace's tables in `schema` when they are missing and this role may create tables there
 * (inside the caller's transaction and lock); does nothing otherwise (a writer that does not own the schema).
 */
export async function ensureWsTables(client: pg.ClientBase, schema: string): Promise<void> {
  const { rows } = await client.query<{ found: boolean; create: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = 'ws_posts') AS found,
       has_schema_privilege(current_user, $1, 'CREATE') AS create`, [schema]);
  if (rows[0]?.found || !rows[0]?.create) return;
  const s = quoteSchema(schema);
  for (const statement of createWsTables(s)) await client.query(statement);
}
