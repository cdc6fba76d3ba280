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
 * The ids of ws_posts, ws_labels and ws_saved are the database's: a trigger (ws_assign_id) gives every new row the
 * next value of ws_id, whatever id the INSERT named (but the value its session drew last), and refuses to change a
 * row's id. A role writing by raw SQL
 * could otherwise name an id another role's row holds and learn from the primary key's duplicate-key error (row-level
 * security hides the row, not the index) that it exists; a guessed id now never reaches that index.
 *
 * A row a role writes names only that role's own rows: it labels only its own posts, with its own labels or shared
 * ones; it highlights only its own posts; it marks as seen only its own saved searches (the WITH CHECK of
 * ws_post_labels_own, ws_highlights_own and ws_saved_seen_own; another role's row is refused as one that does not
 * exist). ws_posts, ws_labels and ws_saved name no other row: their check is the owner alone.
 *
 * Deleting or merging a shared label removes other roles' labellings of it (ON DELETE CASCADE), rows its owner may
 * not read. What the owner is told it removes counts them through one function, ws_label_others(ids): for each of
 * the given labels owned by the calling session's role (or a role it may SET ROLE to), how many posts (by path)
 * other roles labelled with it and its owner did not; a number, no row. It runs as the tables' owner (SECURITY
 * DEFINER, its own search_path), which sees every row of ws_labels, ws_post_labels and ws_posts only while the
 * function has set `backfile.ws_count` (the three *_count policies, for that role alone; set back before it
 * returns): the owner's ordinary reads keep to its rows. It counts only when it runs as the owner of the three
 * tables that the policies name (else it fails, and readers leave the count out). EXECUTE is PostgreSQL's default
 * (PUBLIC): the function answers no role about a label it does not own, so readers need no GRANT for it.
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
/** The trigger (and its function) that gives the rows of WS_ID_TABLES their ids (see above). */
export const WS_ID_TRIGGER = 'ws_assign_id';
/** The tables whose ids come from ws_id (ws_highlights' are the app's random UUIDs, which no one can guess). */
export const WS_ID_TABLES = ['ws_posts', 'ws_labels', 'ws_saved'] as const;

const OWNER = 'owner name NOT NULL DEFAULT current_user';

/** A role's name as an SQL identifier. */
const quoteRole = (role: string): string => `"${role.replace(/"/g, '""')}"`;

const sharedNameIndex = (s: string): string => `CREATE UNIQUE INDEX IF NOT EXISTS ${WS_SHARED_NAME_INDEX} ON ${s}.ws_labels (lower(name)) WHERE shared`;

/** The tables ws_label_others reads, each with a policy `<table>_count` for the tables' owner alone. */
const COUNTED = ['ws_labels', 'ws_post_labels', 'ws_posts'] as const;

/**
 * ws_label_others' body (compared as written by ensureWsTables: tables holding another one get this one). It counts
 * posts (by path) other roles labelled with the label and its owner did not: the posts a delete takes it from, beside
 * the owner's own count. It refuses to count unless it runs as the owner of the three tables that their *_count
 * policies name (an owner changed since the indexer's last run would count too few): the reader then leaves the count
 * out. backfile.ws_count is set here, back as it was before returning: an ordinary role may not give a function a SET
 * clause of a parameter PostgreSQL does not know.
 */
const othersBody = (s: string): string => `
    DECLARE was text := coalesce(current_setting('backfile.ws_count', true), '');
      me oid := (SELECT oid FROM pg_roles WHERE rolname = current_user);
    BEGIN
      IF (SELECT count(*) FROM pg_class c JOIN pg_policy p ON p.polrelid = c.oid AND p.polname = c.relname || '_count'
          WHERE c.relnamespace = '${s}'::regnamespace AND c.relname IN ('ws_labels', 'ws_post_labels', 'ws_posts')
            AND c.relowner = me AND p.polroles = ARRAY[me]) <> 3 THEN
        RAISE EXCEPTION 'ws_label_others runs as %, not as the owner of the team workspace tables named by their policies', current_user;
      END IF;
      PERFORM set_config('backfile.ws_count', 'on', true);
      RETURN QUERY SELECT l.id, count(DISTINCT p.path) FROM ${s}.ws_labels l
        JOIN ${s}.ws_post_labels pl ON pl.label_id = l.id AND pl.owner <> l.owner
        JOIN ${s}.ws_posts p ON p.id = pl.post_id
        WHERE l.id = ANY (ids) AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = l.owner AND pg_has_role(session_user, r.oid, 'MEMBER'))
          AND NOT EXISTS (SELECT 1 FROM ${s}.ws_post_labels o JOIN ${s}.ws_posts op ON op.id = o.post_id
            WHERE o.label_id = l.id AND o.owner = l.owner AND op.path = p.path)
        GROUP BY l.id;
      PERFORM set_config('backfile.ws_count', was, true);
    END `;

/**
 * The count of other roles' labellings: the owner's three policies, read only inside the function, and the function
 * (made anew whole, by the tables' owner: `owner` is named in the policies, and the function runs as its maker).
 */
const othersCount = (s: string, owner: string): string[] => [
  ...COUNTED.flatMap((t) => [`DROP POLICY IF EXISTS ${t}_count ON ${s}.${t}`, `CREATE POLICY ${t}_count ON ${s}.${t} FOR SELECT TO ${quoteRole(owner)}
    USING (current_setting('backfile.ws_count', true) = 'on')`]),
  `CREATE OR REPLACE FUNCTION ${s}.${WS_OTHERS_FUNCTION}(ids bigint[]) RETURNS TABLE (label bigint, others bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$${othersBody(s)}$$`,
];

/**
 * ws_assign_id's body (compared as written by ensureWsTables: tables holding another one get this one). An id is
 * kept only when it is the value this session drew from ws_id last (currval), which no other row can hold: Backfile's
 * INSERT … VALUES (nextval(…)) keeps its id, as does an app of an earlier version writing one new row (it drew its
 * ids first; of a write making several, only the last one's is kept, and the rows naming the others are refused).
 * The error of a changed id is one whatever the id named, so it tells nothing either.
 */
const assignIdBody = (s: string): string => `
    BEGIN
      IF TG_OP = 'INSERT' THEN
        BEGIN
          IF NEW.id IS DISTINCT FROM currval('${s}.${WS_SEQUENCE}') THEN
            NEW.id := nextval('${s}.${WS_SEQUENCE}');
          END IF;
        EXCEPTION WHEN object_not_in_prerequisite_state THEN -- no value drawn yet in this session
          NEW.id := nextval('${s}.${WS_SEQUENCE}');
        END;
      ELSIF NEW.id IS DISTINCT FROM OLD.id THEN
        RAISE EXCEPTION 'the id of a team workspace row is the database''s and cannot be changed' USING ERRCODE = 'feature_not_supported';
      END IF;
      RETURN NEW;
    END `;

/** The ids' function (made anew whole) and its trigger on each table of WS_ID_TABLES. */
const assignIds = (s: string): string[] => [
  `CREATE OR REPLACE FUNCTION ${s}.${WS_ID_TRIGGER}() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$${assignIdBody(s)}$$`,
  ...WS_ID_TABLES.flatMap((t) => [`DROP TRIGGER IF EXISTS ${WS_ID_TRIGGER} ON ${s}.${t}`,
    `CREATE TRIGGER ${WS_ID_TRIGGER} BEFORE INSERT OR UPDATE OF id ON ${s}.${t} FOR EACH ROW EXECUTE FUNCTION ${s}.${WS_ID_TRIGGER}()`]),
];

/**
 * The tables whose rows name another table's rows, each with the parent table its `<table>_own` check names (found
 * there by ensureWsTables: a check without it is one of an earlier version).
 */
const PARENT_CHECKED = { ws_post_labels: 'ws_labels', ws_highlights: 'ws_posts', ws_saved_seen: 'ws_saved' } as const;
type ChildTable = keyof typeof PARENT_CHECKED;

/**
 * A row written (INSERT, and an UPDATE's new row) is the writer's, and the rows it names are the writer's own (or a
 * shared label): another role's post, private label or saved search is refused as one that does not exist
 * (row-level security checks before the foreign keys, so ids cannot be probed, and no row of one role hangs on
 * another's).
 */
const ownCheck = (s: string, t: (typeof WS_TABLES)[number]): string => {
  const mine = (parent: string, column: string) => `EXISTS (SELECT 1 FROM ${s}.${parent} p WHERE p.id = ${t}.${column} AND p.owner = current_user)`;
  switch (t) {
    case 'ws_post_labels':
      return `owner = current_user AND ${mine('ws_posts', 'post_id')}
    AND EXISTS (SELECT 1 FROM ${s}.ws_labels l WHERE l.id = ws_post_labels.label_id AND (l.owner = current_user OR l.shared))`;
    case 'ws_highlights':
      return `owner = current_user AND ${mine('ws_posts', 'post_id')}`;
    case 'ws_saved_seen':
      return `owner = current_user AND ${mine('ws_saved', 'search_id')}`;
    default:
      return 'owner = current_user';
  }
};

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
    `CREATE POLICY ${t}_own ON ${s}.${t} USING (owner = current_user) WITH CHECK (${ownCheck(s, t)})`,
  ]),
  `CREATE POLICY ws_labels_shared ON ${s}.ws_labels FOR SELECT USING (shared)`,
  sharedNameIndex(s),
  ...assignIds(s),
];

/**
 * Makes the team workspace's tables in `schema` when they are missing and this role may create tables there
 * (inside the caller's transaction and lock). Tables made before are brought up to date when this role owns them or
 * is a member of their owner (it then acts as the owner, SET LOCAL ROLE, so what it makes is the owner's): the shared
 * names' unique index, the count function and its policies (made anew when they name another role than the tables'
 * owner, after an ALTER TABLE … OWNER TO or a REASSIGN OWNED) and the checks that a labelling, highlight or seen row
 * names the writer's own rows. What cannot be made is said on stderr and left out (never failing the indexer's run):
 * shared labels that already share a name (the data is the readers', never changed here; the service's check still
 * refuses a second sharer), a function of a role the owner cannot take it from. A role that is not the owner (nor a member) changes nothing and says on stderr what is missing.
 */
export async function ensureWsTables(client: pg.ClientBase, schema: string): Promise<void> {
  const s = quoteSchema(schema);
  // Looked up in the catalogs by name (to_regclass needs USAGE on the schema, which a writer may lack).
  const { rows: [found] } = await client.query<{ found: boolean; create: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = 'ws_posts') AS found,
       has_schema_privilege(current_user, $1, 'CREATE') AS create`, [schema]);
  if (!found!.found) {
    if (!found!.create) return;
    const { rows: [me] } = await client.query<{ me: string }>('SELECT current_user::text AS me');
    for (const statement of [...createWsTables(s), ...othersCount(s, me!.me)]) await client.query(statement);
    return;
  }
  const { rows: [state] } = await client.query<WsState>(
    `SELECT current_user::text AS me, pg_get_userbyid(l.relowner) AS owner, pg_has_role(current_user, l.relowner, 'MEMBER') AS member,
       (SELECT count(*) FROM pg_class c WHERE c.relnamespace = l.relnamespace AND c.relname = ANY ($2) AND c.relowner = l.relowner) = 3 AS one_owner,
       pg_get_userbyid(f.proowner) AS fn_owner, coalesce(f.proowner = l.relowner, false) AS fn_owned, coalesce(pg_has_role(l.relowner, f.proowner, 'USAGE'), false) AS fn_movable,
       coalesce(f.prosecdef AND f.prosrc = $3, false) AS fn_current,
       (SELECT count(*) FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = l.relnamespace AND c.relname = ANY ($2)
         AND p.polname = c.relname || '_count' AND p.polroles = ARRAY[l.relowner]) = 3 AS policies,
       ARRAY(SELECT u.t FROM unnest($6::text[], $7::text[]) AS u (t, parent) WHERE NOT EXISTS (SELECT 1 FROM pg_policies
         WHERE schemaname = $4 AND tablename = u.t AND policyname = u.t || '_own' AND with_check ~ ('\\m' || u.parent || '\\M')) ORDER BY u.t) AS stale,
       EXISTS (SELECT 1 FROM pg_class i WHERE i.relnamespace = l.relnamespace AND i.relname = $5) AS unique,
       (SELECT count(*) FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_proc p ON p.oid = tg.tgfoid
         WHERE c.relnamespace = l.relnamespace AND c.relname = ANY ($8) AND tg.tgname = $9 AND p.proname = $9
           AND p.pronamespace = l.relnamespace AND p.prosrc = $10) = ${WS_ID_TABLES.length} AS ids
     FROM pg_namespace n JOIN pg_class l ON l.relnamespace = n.oid AND l.relname = 'ws_labels'
       LEFT JOIN pg_proc f ON f.pronamespace = n.oid AND f.proname = $1 AND f.pronargs = 1 AND f.proargtypes[0] = 'bigint[]'::regtype
     WHERE n.nspname = $4`,
    [WS_OTHERS_FUNCTION, [...COUNTED], othersBody(s), schema, WS_SHARED_NAME_INDEX, Object.keys(PARENT_CHECKED), Object.values(PARENT_CHECKED),
      [...WS_ID_TABLES], WS_ID_TRIGGER, assignIdBody(s)]);
  const st = state!;
  const counts = st.fn_owned && st.fn_current && st.policies;
  const missing = [
    ...(counts ? [] : [`${WS_OTHERS_FUNCTION} and its policies as ${st.owner}'s`]),
    ...st.stale.map((t) => `the own-rows check of ${t}_own`),
    ...(st.unique ? [] : [WS_SHARED_NAME_INDEX]),
    ...(st.ids ? [] : [`the database's ids (${WS_ID_TRIGGER})`]),
  ];
  if (missing.length === 0) return;
  if (!st.member) {
    console.warn(`Backfile: the team workspace tables in schema ${schema} lack ${missing.join(', ')}: only their owner ${st.owner} (or a member of that role) `
      + `can add them, and ${st.me} is neither; nothing was changed there (until then delete confirmations may leave other roles' labellings out, `
      + 'a role may write rows naming another role\'s rows, and probe the ids of other roles\' rows).');
    return;
  }
  const asOwner = st.owner !== st.me;
  if (asOwner) await client.query(`SET LOCAL ROLE ${quoteRole(st.owner)}`);
  const fn = `${s}.${WS_OTHERS_FUNCTION}(bigint[])`;
  if (!counts && !st.one_owner) {
    console.warn(`Backfile: in schema ${schema}, ws_labels, ws_post_labels and ws_posts have different owners: delete confirmations leave other roles' labellings out until one role owns them.`);
  } else if (!counts && st.fn_owner !== null && !st.fn_owned && !st.fn_movable) {
    console.warn(`Backfile: in schema ${schema}, ${WS_OTHERS_FUNCTION} is owned by ${st.fn_owner}, the team workspace tables by ${st.owner}: delete confirmations `
      + `leave other roles' labellings out until a superuser runs ALTER FUNCTION ${schema}.${WS_OTHERS_FUNCTION}(bigint[]) OWNER TO ${st.owner}.`);
  } else if (!counts) {
    await step(client, schema, `${WS_OTHERS_FUNCTION} and its policies`, [
      ...(st.fn_owner !== null && !st.fn_owned ? [`ALTER FUNCTION ${fn} OWNER TO ${quoteRole(st.owner)}`] : []),
      ...othersCount(s, st.owner).filter((statement) => (st.fn_current ? !statement.startsWith('CREATE OR REPLACE FUNCTION') : true)),
    ]);
  }
  for (const t of st.stale) await step(client, schema, `the own-rows check of ${t}_own`, [`ALTER POLICY ${t}_own ON ${s}.${t} WITH CHECK (${ownCheck(s, t)})`]);
  if (!st.unique) await addSharedNameIndex(client, s, schema);
  if (!st.ids) await step(client, schema, `the database's ids (${WS_ID_TRIGGER})`, assignIds(s));
  if (asOwner) await client.query(`SET LOCAL ROLE ${quoteRole(st.me)}`);
}

/** What ensureWsTables finds on existing tables. */
interface WsState {
  me: string;
  /** The owner of ws_labels, and whether this role is a member of it (may act as it). */
  owner: string;
  member: boolean;
  /** ws_labels, ws_post_labels and ws_posts have one owner. */
  one_owner: boolean;
  /** ws_label_others' owner (null: none), whether it is the tables' owner, or one the owner may take it from. */
  fn_owner: string | null;
  fn_owned: boolean;
  fn_movable: boolean;
  /** The function is SECURITY DEFINER with this version's body. */
  fn_current: boolean;
  /** The three *_count policies exist, for the tables' owner alone. */
  policies: boolean;
  /** The tables whose `<table>_own` policy does not check yet that the rows a new row names are the writer's. */
  stale: ChildTable[];
  unique: boolean;
  /** ws_assign_id, this version's, is the trigger of each table of WS_ID_TABLES. */
  ids: boolean;
}

/** Runs `statements` (a savepoint); when the server refuses one: none of them, said on stderr, the run goes on. */
async function step(client: pg.ClientBase, schema: string, what: string, statements: string[]): Promise<void> {
  await client.query('SAVEPOINT ws_step');
  try {
    for (const statement of statements) await client.query(statement);
    await client.query('RELEASE SAVEPOINT ws_step');
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT ws_step');
    console.warn(`Backfile: in schema ${schema}, ${what} could not be made (${(error as Error).message}); nothing of it was changed.`);
  }
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
