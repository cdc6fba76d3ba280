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
 *
 * One shared label per name, any case: a unique index on lower(name) of the shared rows (the service checks first,
 * to say who shares it; the index holds for raw SQL and racing sessions too).
 *
 * Deleting or merging a shared label removes other roles' labellings of it (ON DELETE CASCADE), rows its owner may
 * not read. What the owner is told it removes counts them through one function, ws_label_others(ids): for each of
 * the given labels owned by the calling session's role (or a role it may SET ROLE to), how many labellings other
 * roles made with it; a number, no row. It runs as the tables' owner (SECURITY DEFINER, its own search_path), which
 * sees every row of ws_labels and ws_post_labels only while the function has set `backfile.ws_count` (the two
 * *_count policies, for that role alone; set back before it returns): the owner's ordinary reads keep to its rows. EXECUTE is PostgreSQL's
 * default (PUBLIC): the function answers no role about a label it does not own, so readers need no GRANT for it.
 */
import type pg from 'pg';
import { quoteSchema } from './pg-connection';

/** The team workspace's tables (never dropped by Backfile) and the sequence their ids come from (one for all). */
export const WS_TABLES = ['ws_posts', 'ws_labels', 'ws_post_labels', 'ws_highlights', 'ws_saved', 'ws_saved_seen'] as const;
export const WS_SEQUENCE = 'ws_id';

/** The unique index of the shared labels' names (any case): its violation (23505) names it as `constraint`. */
export const WS_SHARED_NAME_INDEX = 'ws_labels_shared_name';
/** The function counting other roles' labellings of one's own labels (see above). */
export const WS_OTHERS_FUNCTION = 'ws_label_others';

const OWNER = 'owner name NOT NULL DEFAULT current_user';

const sharedNameIndex = (s: string): string => `CREATE UNIQUE INDEX IF NOT EXISTS ${WS_SHARED_NAME_INDEX} ON ${s}.ws_labels (lower(name)) WHERE shared`;

/**
 * The count of other roles' labellings: the owner's two policies, read only inside the function, and the function
 * (made anew whole: tables that lack one of them get all three).
 */
const othersCount = (s: string): string[] => [
  ...['ws_labels', 'ws_post_labels'].flatMap((t) => [`DROP POLICY IF EXISTS ${t}_count ON ${s}.${t}`, `CREATE POLICY ${t}_count ON ${s}.${t} FOR SELECT TO CURRENT_USER
    USING (current_setting('backfile.ws_count', true) = 'on')`]),
  // backfile.ws_count is set in the body, back as it was before returning: an ordinary role may not give a function
  // a SET clause of a parameter PostgreSQL does not know.
  `CREATE OR REPLACE FUNCTION ${s}.${WS_OTHERS_FUNCTION}(ids bigint[]) RETURNS TABLE (label bigint, others bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    DECLARE was text := coalesce(current_setting('backfile.ws_count', true), '');
    BEGIN
      PERFORM set_config('backfile.ws_count', 'on', true);
      RETURN QUERY SELECT l.id, count(*) FROM ${s}.ws_labels l JOIN ${s}.ws_post_labels pl ON pl.label_id = l.id AND pl.owner <> l.owner
        WHERE l.id = ANY (ids) AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = l.owner AND pg_has_role(session_user, r.oid, 'MEMBER'))
        GROUP BY l.id;
      PERFORM set_config('backfile.ws_count', was, true);
    END $$`,
];

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
  sharedNameIndex(s),
  ...othersCount(s),
];

/**
 * Makes the team workspace's tables in `schema` when they are missing and this role may create tables there
 * (inside the caller's transaction and lock); does nothing otherwise (a writer that does not own the schema). Tables
 * made before the shared names' unique index or the count function get them from their owner; where shared labels
 * already share a name the index is not made (said on stderr: the data is the readers', never changed here) and
 * the service's check still refuses a second sharer.
 */
export async function ensureWsTables(client: pg.ClientBase, schema: string): Promise<void> {
  const s = quoteSchema(schema);
  const { rows } = await client.query<{ found: boolean; create: boolean; owns: boolean; counts: boolean; unique: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = 'ws_posts') AS found,
       has_schema_privilege(current_user, $1, 'CREATE') AS create,
       EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relname = 'ws_labels' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)) AS owns,
       EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = $2)
         AND (SELECT count(*) FROM pg_policies WHERE schemaname = $1 AND policyname IN ('ws_labels_count', 'ws_post_labels_count')) = 2 AS counts,
       EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $3) AS unique`,
    [schema, WS_OTHERS_FUNCTION, WS_SHARED_NAME_INDEX]);
  const state = rows[0]!;
  if (!state.found) {
    if (!state.create) return;
    for (const statement of createWsTables(s)) await client.query(statement);
    return;
  }
  // Tables of an earlier version: only their owner may add a policy or an index.
  if (!state.owns) return;
  if (!state.counts) for (const statement of othersCount(s)) await client.query(statement);
  if (!state.unique) await addSharedNameIndex(client, s, schema);
}

/** The shared names' unique index on existing tables; where two shared labels already share a name: not made, said. */
async function addSharedNameIndex(client: pg.ClientBase, s: string, schema: string): Promise<void> {
  await client.query('SAVEPOINT ws_shared_name');
  try {
    await client.query(sharedNameIndex(s));
    await client.query('RELEASE SAVEPOINT ws_shared_name');
  } catch (error) {
    if ((error as { code?: unknown }).code !== '23505') throw error;
    await client.query('ROLLBACK TO SAVEPOINT ws_shared_name');
    const { rows } = await client.query<{ name: string; owners: string }>(
      `SELECT min(name) AS name, string_agg(owner::text, ', ' ORDER BY id) AS owners FROM ${s}.ws_labels WHERE shared GROUP BY lower(name) HAVING count(*) > 1 ORDER BY 1`);
    console.warn(`Backfile: in schema ${schema}, ${rows.map((r) => `the label name ${r.name} is shared by ${r.owners}`).join('; ')}: `
      + `one shared label per name is not enforced by the database until all but one of them are unshared (Backfile still refuses a new one); nothing was changed.`);
  }
}
