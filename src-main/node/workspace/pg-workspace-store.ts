/**
 * The team workspace (issue 15, opt-in: `--team-workspace`, or the connect dialog's "Keep my stars, labels and notes
 * in the team database"): one PostgreSQL role's marks, labels, highlights and saved searches in the team index's
 * schema (pg/pg-ws-schema.ts; row-level security keeps each role to its rows, a shared label is read by all).
 * The workspace's logic is the local one's, run on a copy: each call reads the role's rows into an in-memory
 * workspace (workspace-store.ts; a workspace is thousands of rows, not millions), and a change is made on that copy
 * inside one PostgreSQL transaction holding the role's lock, then the rows that differ are written back, so both
 * workspaces give the same answers for the same marks by construction. Ids come from one sequence (ws_id), drawn
 * by each INSERT of a row the copy made and returned by it (the database's trigger, pg-ws-schema.ts ws_assign_id,
 * keeps no other id than the session's last draw), on the way back.
 */
import type pg from 'pg';
import { ArchiveError } from '../../shared/archive-api';
import { pgError, quoteSchema, type PgConnection } from '../pg/pg-connection';
import { WS_OTHERS_FUNCTION, WS_SEQUENCE, WS_SHARED_NAME_INDEX } from '../pg/pg-ws-schema';
import { WorkspaceStore } from './workspace-store';

type Row = Record<string, unknown>;

interface Table {
  /** The local workspace's table (the copy's). */
  local: string;
  pg: string;
  key: string[];
  /** Every column but `owner` (and ws_labels' `shared`), in the copy's names, keys first. */
  cols: string[];
  /** Columns stored as boolean in PostgreSQL, 0/1 in the copy. */
  bools?: string[];
  /** Columns naming a row of another table by id (remapped with it), by that table. */
  refs?: Record<string, string>;
  /** The table's rows get ids from ws_id. */
  ids?: boolean;
}

/** Parents before children (written in this order, deleted in the reverse). */
const TABLES: Table[] = [
  { local: 'posts', pg: 'ws_posts', key: ['id'], cols: ['id', 'path', 'hash', 'title', 'date', 'missing', 'starred', 'note', 'updated_at'], bools: ['missing', 'starred'], ids: true },
  { local: 'labels', pg: 'ws_labels', key: ['id'], cols: ['id', 'name', 'color'], ids: true },
  { local: 'saved_searches', pg: 'ws_saved', key: ['id'], cols: ['id', 'name', 'query', 'created_at', 'last_opened_at'], ids: true },
  { local: 'post_labels', pg: 'ws_post_labels', key: ['post_id', 'label_id'], cols: ['post_id', 'label_id'], refs: { post_id: 'posts', label_id: 'labels' } },
  { local: 'highlights', pg: 'ws_highlights', key: ['id'], cols: ['id', 'post_id', 'exact', 'prefix', 'suffix', 'comment', 'created_at'], refs: { post_id: 'posts' } },
  { local: 'saved_seen', pg: 'ws_saved_seen', key: ['search_id', 'path'], cols: ['search_id', 'path'], refs: { search_id: 'saved_searches' } },
];

const ID_COLUMNS = new Set(['id', 'post_id', 'label_id', 'search_id']);
const keyOf = (t: Table, row: Row): string => JSON.stringify(t.key.map((k) => row[k]));

/** The rows of the copy as read from PostgreSQL, and the labels shared by other roles (read, never written). */
interface Loaded {
  store: WorkspaceStore;
  before: Map<string, Map<string, Row>>;
  foreignLabels: Map<number, string>;
}

/** A label's sharing as last read: `owner` set for another role's shared label (read-only here). */
export interface LabelSharing {
  shared: boolean;
  owner?: string;
  /**
   * One's own label: the posts (by path) other roles labelled with it and its owner did not (deleting or merging it
   * takes it from them too); absent: none, or not known (tables whose count is not usable).
   */
  others?: number;
}

/** A shared label of a name (any case, as PostgreSQL's lower() folds it): its owner and its name; `mine`: one's own. */
interface Sharer {
  owner: string;
  name: string;
  mine: boolean;
}

/**
 * What sharing a name already shared is told (the service's check and the database's index alike): by another role,
 * or by oneself under another case (PostgreSQL folds É/é and Ａ/ａ on a UTF-8 database; the copy's NOCASE only A-Z).
 */
const sharedAlready = (name: string, by: Sharer | undefined, cause?: unknown): ArchiveError => new ArchiveError('INVALID_ARGUMENT', by?.mine === true
  ? `the label name ${name.slice(0, 200)} is already shared by you (your label ${by.name.slice(0, 200)}): rename one of them first; nothing was changed`
  : `the label name ${name.slice(0, 200)} is already shared by ${by?.owner ?? 'another role'}: rename yours first; nothing was changed`, cause === undefined ? undefined : { cause });

/** A label write refused by the shared names' unique index, with the label's id and the name written. */
class SharedNameTaken extends Error {
  constructor(readonly id: number, readonly label: string, override readonly cause: unknown) {
    super(`the label name ${label} is already shared`);
  }
}

/** The unique violation of one shared label per name (pg-ws-schema.ts), as PostgreSQL reports it. */
const sharedNameTaken = (error: unknown): boolean => {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === WS_SHARED_NAME_INDEX;
};

/** What a row refused because a row it names is gone (or not one's own) is told, by the table written. */
const PARENT_GONE: Record<string, string> = {
  ws_post_labels: 'the label was deleted or unshared meanwhile',
  ws_highlights: 'the post was removed from the workspace meanwhile',
  ws_saved_seen: 'the saved search was deleted meanwhile',
};

/**
 * The table of a row refused for a row it names: a foreign key's violation (23503, any table), or the row-level
 * check of a table whose rows name another's (42501 with PostgreSQL's words; a missing GRANT is 42501 too).
 */
const parentRefused = (error: unknown): string | undefined => {
  const e = error as { code?: unknown; table?: unknown; message?: unknown } | null;
  if (e?.code === '23503') return typeof e.table === 'string' ? e.table : '';
  const table = e?.code === '42501' && typeof e.message === 'string' ? /row-level security policy for table "(\w+)"/.exec(e.message)?.[1] : undefined;
  return table !== undefined && Object.hasOwn(PARENT_GONE, table) ? table : undefined;
};

/** A failure after which the session is not given back to the pool (the server may have ended it); a refusal is not. */
const broken = (error: unknown): error is Error =>
  error instanceof Error && !(error instanceof ArchiveError) && !(error instanceof SharedNameTaken) && !sharedNameTaken(error);

export class PgWorkspaceStore {
  /** The sharing of the labels of the copy read last, by their id (the copy's ids are PostgreSQL's). */
  private sharing = new Map<number, LabelSharing>();

  constructor(private readonly connection: PgConnection) {}

  /** The sharing of the copy's label `id` as read last (a label the copy made: none, not shared). */
  sharingOf(id: number): LabelSharing {
    return this.sharing.get(id) ?? { shared: false };
  }

  /**
   * Shares the role's own label `name` with every role, or takes it back; only its owner may: another role's shared
   * label is READ_ONLY, no label of that name NOT_FOUND (nothing changed either way).
   */
  setShared(name: string, shared: boolean): Promise<void> {
    return this.guard(async () => {
      // The label as every other label method finds it: in the copy, by name without regard to case (COLLATE NOCASE).
      const copy = await this.copy();
      let id: number | undefined;
      try {
        id = copy.db.prepare('SELECT id FROM labels WHERE name = ?').pluck().get(name) as number | undefined;
      } finally {
        copy.close();
      }
      if (id === undefined) throw new ArchiveError('NOT_FOUND', `no label "${name.slice(0, 200)}"`);
      const { owner } = this.sharingOf(id);
      if (owner !== undefined) throw new ArchiveError('READ_ONLY', `The label "${name.slice(0, 200)}" is shared by ${owner}: only ${owner} can share or unshare it; nothing was changed.`);
      const client = await this.connection.pool.connect();
      let failed: unknown;
      try {
        await client.query('BEGIN');
        // One sharer of a name at a time: two roles' shared labels of one name would hide one's labellings from others.
        await client.query("SELECT pg_advisory_xact_lock(hashtext('backfile-ws-share:' || lower($1)))", [name]);
        if (shared) {
          const taken = await this.nameTaken(client, name, id);
          if (taken) throw taken;
        }
        // The shared names' unique index refuses a sharer the check did not see (raw SQL, not yet committed): 23505.
        const { rows } = await client.query(`UPDATE ${this.s}.ws_labels SET shared = $2 WHERE id = $1 AND owner = current_user RETURNING id`, [id, shared]);
        if (rows.length === 0) throw new ArchiveError('NOT_FOUND', `no label "${name.slice(0, 200)}"`);
        await client.query('COMMIT');
      } catch (error) {
        failed = error;
        await client.query('ROLLBACK').catch(() => undefined);
        throw sharedNameTaken(error) ? await this.takenAfter(error, name, id) : error;
      } finally {
        client.release(broken(failed) ? failed : undefined);
      }
    });
  }

  /**
   * The shared label of this name (any case, as the unique index folds it) other than label `id`, if any: another
   * role's first, else one's own of another case.
   */
  private async sharer(db: Pick<pg.ClientBase, 'query'>, name: string, id: number): Promise<Sharer | undefined> {
    const { rows } = await db.query<Sharer>(
      `SELECT owner::text AS owner, name, owner = current_user AS mine FROM ${this.s}.ws_labels
        WHERE lower(name) = lower($1) AND shared AND id <> $2 ORDER BY owner = current_user, id LIMIT 1`, [name, id]);
    return rows[0];
  }

  /** INVALID_ARGUMENT when a label of this name (any case) other than `id` is shared, else null. */
  private async nameTaken(db: Pick<pg.ClientBase, 'query'>, name: string, id: number): Promise<ArchiveError | null> {
    const by = await this.sharer(db, name, id);
    return by === undefined ? null : sharedAlready(name, by);
  }

  /** The shared names' unique violation said as the service's check says it: `name` and who shares it (read anew). */
  private async takenAfter(error: unknown, name: string, id: number): Promise<ArchiveError> {
    const by = await this.sharer(this.connection.pool, name, id).catch(() => undefined);
    return sharedAlready(name, by, error);
  }

  private get s(): string {
    return quoteSchema(this.connection.schema);
  }

  /** STORE_UNAVAILABLE when the team index's schema has no workspace tables (an index made before them). */
  async check(): Promise<void> {
    const { rows } = await this.connection.pool.query<{ found: boolean }>(
      "SELECT to_regclass($1) IS NOT NULL AS found", [`${this.s}.ws_posts`]);
    if (!rows[0]?.found) {
      throw new ArchiveError('STORE_UNAVAILABLE', `The team index in schema ${this.connection.schema} has no team workspace tables yet: its indexer makes them at its next run (cli index ARCHIVE --store URL).`);
    }
  }

  /**
   * A copy of the role's workspace as it is now (what is changed on it is not kept); the caller closes it. The six
   * tables are read in one snapshot (REPEATABLE READ): a change another computer commits meanwhile is either all in
   * the copy or not at all (never a labelling whose post was read before it was made).
   */
  copy(): Promise<WorkspaceStore> {
    return this.guard(async () => {
      const client = await this.connection.pool.connect();
      let failed: unknown;
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const { store } = await this.load(client);
        await client.query('COMMIT').catch((error: unknown) => {
          store.close();
          throw error;
        });
        return store;
      } catch (error) {
        failed = error;
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        // A connection that failed is not given back to the pool (the server may have ended it).
        client.release(failed instanceof Error ? failed : undefined);
      }
    });
  }

  /**
   * Runs `job` on a copy of the role's workspace read inside one transaction under the role's lock, and writes what
   * it changed back in that transaction; returns the job's answer and the copy (the workspace now, but for the ids
   * of rows it made: read, never written again).
   */
  async write<T>(job: (store: WorkspaceStore) => T | Promise<T>): Promise<{ value: T; store: WorkspaceStore }> {
    const client = await this.guard(() => this.connection.pool.connect());
    let loaded: Loaded | undefined;
    let failed: unknown;
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtext('backfile-ws:' || current_user))");
      loaded = await this.load(client);
      const value = await job(loaded.store);
      await this.writeBack(client, loaded);
      await client.query('COMMIT');
      return { value, store: loaded.store };
    } catch (error) {
      failed = error;
      await client.query('ROLLBACK').catch(() => undefined);
      loaded?.store.close();
      throw error instanceof SharedNameTaken ? await this.takenAfter(error.cause, error.label, error.id) : this.describe(error);
    } finally {
      client.release(broken(failed) ? failed : undefined);
    }
  }

  private async guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.describe(error);
    }
  }

  /**
   * A missing right on the workspace tables is READ_ONLY, said with the GRANTs that give it; any other failure of
   * PostgreSQL or the driver as the team index's (pgError: a server gone is STORE_UNAVAILABLE, no password shown).
   */
  private describe(error: unknown): unknown {
    if (error instanceof ArchiveError) return error;
    const code = (error as { code?: unknown } | null)?.code;
    const { role } = this.connection.target;
    const schema = this.connection.schema;
    // A row refused by its table's own-rows check (a row it names is no longer one's own, or shared: deleted or
    // unshared meanwhile) or by its foreign key (that row gone): said alike, by the table written, without ids.
    const refused = parentRefused(error);
    if (refused !== undefined) return new ArchiveError('BUSY', `${PARENT_GONE[refused] ?? 'a row it names was deleted meanwhile'}; nothing was changed; try again`, { cause: error });
    if (code === '42501') {
      return new ArchiveError('READ_ONLY', `The team workspace is read-only for ${role}: nothing was changed. Marks in the team database need `
        + `GRANT SELECT, INSERT, UPDATE, DELETE ON ${schema}.ws_posts, ${schema}.ws_labels, ${schema}.ws_post_labels, ${schema}.ws_highlights, ${schema}.ws_saved, ${schema}.ws_saved_seen TO ${role}; `
        + `GRANT USAGE ON SEQUENCE ${schema}.${WS_SEQUENCE} TO ${role};`, { cause: error });
    }
    if (code === '42P01') return new ArchiveError('STORE_UNAVAILABLE', `The team index in schema ${schema} has no team workspace tables.`, { cause: error });
    // pg's words for a query on a connection the server already ended (a session ended while a job ran).
    if (error instanceof Error && /is not queryable$/.test(error.message)) {
      return new ArchiveError('STORE_UNAVAILABLE', `The team index at ${this.connection.target.shown} cannot be used: the connection was cut; nothing was changed.`, { cause: error });
    }
    return pgError(error, this.connection.target);
  }

  private async load(db: Pick<pg.ClientBase, 'query'>): Promise<Loaded> {
    const store = WorkspaceStore.inMemory();
    const before = new Map<string, Map<string, Row>>();
    const foreignLabels = new Map<number, string>();
    try {
      const labelIds = new Set<number>();
      const sharing = new Map<number, LabelSharing>();
      for (const t of TABLES) {
        const select = t.cols.map((c) => (ID_COLUMNS.has(c) && c !== 'id' ? `${c}::float8 AS ${c}` : c === 'id' && t.ids ? 'id::float8 AS id' : c));
        const extra = t.pg === 'ws_labels' ? ', owner::text AS owner, owner = current_user AS mine, shared' : '';
        // Only the role's own rows (and labels shared with all), whatever row-level security lets this role read: a
        // superuser or a BYPASSRLS role reads every row.
        const mine = t.pg === 'ws_labels' ? 'WHERE owner = current_user OR shared' : 'WHERE owner = current_user';
        // Own labels first: a shared label of the same name as one's own is not read (the own one is the one used).
        const order = t.pg === 'ws_labels' ? 'ORDER BY mine DESC, id' : `ORDER BY ${t.key.join(', ')}`;
        const { rows } = await db.query<Row>(`SELECT ${select.join(', ')}${extra} FROM ${this.s}.${t.pg} ${mine} ${order}`);
        const kept = new Map<string, Row>();
        const insert = store.db.prepare(`INSERT OR IGNORE INTO ${t.local} (${t.cols.join(', ')}) VALUES (${t.cols.map(() => '?').join(', ')})`);
        for (const row of rows) {
          if (t.local === 'post_labels' && !labelIds.has(row.label_id as number)) continue; // a label no longer shared
          const local = this.toLocal(t, row);
          if (insert.run(...t.cols.map((c) => local[c])).changes === 0) continue;
          kept.set(keyOf(t, local), local);
          if (t.local === 'labels') {
            labelIds.add(local.id as number);
            if (row.mine !== true) foreignLabels.set(local.id as number, String(row.owner));
            sharing.set(local.id as number, row.mine === true ? { shared: row.shared === true } : { shared: true, owner: String(row.owner) });
          }
        }
        before.set(t.local, kept);
      }
      await this.readOthers(db, sharing);
      this.sharing = sharing;
      return { store, before, foreignLabels };
    } catch (error) {
      store.close();
      throw error;
    }
  }

  /**
   * Adds to one's own labels how many posts other roles labelled with them (ws_label_others). The count is optional:
   * where it cannot be had (tables made before it, a function revoked, or one that refuses because the tables'
   * owner changed since the indexer's last run) it is left out, in a savepoint, and the reads go on.
   */
  private async readOthers(db: Pick<pg.ClientBase, 'query'>, sharing: Map<number, LabelSharing>): Promise<void> {
    const own = [...sharing].filter(([, s]) => s.owner === undefined).map(([id]) => id);
    if (own.length === 0) return;
    const fn = `${this.s}.${WS_OTHERS_FUNCTION}`;
    // Tables made before the function lack it until their indexer's next run (and an admin may revoke it).
    const { rows: found } = await db.query<{ ok: boolean }>(
      "SELECT coalesce(has_function_privilege(to_regprocedure($1), 'EXECUTE'), false) AS ok", [`${fn}(bigint[])`]);
    if (found[0]?.ok !== true) return;
    let rows: { label: number; others: number }[];
    await db.query('SAVEPOINT ws_others');
    try {
      ({ rows } = await db.query<{ label: number; others: number }>(`SELECT label::float8 AS label, others::float8 AS others FROM ${fn}($1::bigint[])`, [own]));
      await db.query('RELEASE SAVEPOINT ws_others');
    } catch {
      await db.query('ROLLBACK TO SAVEPOINT ws_others');
      return;
    }
    for (const { label, others } of rows) {
      const known = sharing.get(label);
      if (known && others > 0) sharing.set(label, { ...known, others });
    }
  }

  private toLocal(t: Table, row: Row): Row {
    const out: Row = {};
    for (const c of t.cols) out[c] = t.bools?.includes(c) ? (row[c] ? 1 : 0) : row[c] ?? null;
    return out;
  }

  /** Writes the rows of the copy that differ from those read; ids the copy made are replaced by ws_id's, parents first. */
  private async writeBack(client: pg.ClientBase, loaded: Loaded): Promise<void> {
    const after = new Map<string, Map<string, Row>>();
    for (const t of TABLES) {
      const rows = loaded.store.db.prepare(`SELECT ${t.cols.join(', ')} FROM ${t.local}`).all() as Row[];
      after.set(t.local, new Map(rows.map((r) => [keyOf(t, r), r])));
    }
    const changes = TABLES.map((t) => {
      const was = loaded.before.get(t.local)!;
      const now = after.get(t.local)!;
      const same = (a: Row, b: Row) => t.cols.every((c) => a[c] === b[c]);
      return {
        t,
        inserted: [...now].filter(([k]) => !was.has(k)).map(([, r]) => r),
        updated: [...now].filter(([k, r]) => was.has(k) && !same(was.get(k)!, r)).map(([, r]) => r),
        deleted: [...was].filter(([k]) => !now.has(k)).map(([, r]) => r),
      };
    });
    for (const { t, updated, deleted } of changes) {
      if (t.local !== 'labels') continue;
      for (const r of [...updated, ...deleted]) {
        const owner = loaded.foreignLabels.get(r.id as number);
        if (owner !== undefined) throw new ArchiveError('READ_ONLY', `The label "${String(loaded.before.get('labels')!.get(keyOf(t, r))?.name ?? r.name).slice(0, 200)}" is shared by ${owner}: only ${owner} can change or delete it; nothing was changed.`);
      }
    }
    const ids = new Map<string, Map<number, number>>(TABLES.filter((t) => t.ids).map((t) => [t.local, new Map()]));
    const mapped = (t: Table, r: Row): Row => {
      const out = { ...r };
      if (t.ids) out.id = ids.get(t.local)!.get(r.id as number) ?? r.id;
      for (const [c, parent] of Object.entries(t.refs ?? {})) out[c] = ids.get(parent)!.get(r[c] as number) ?? r[c];
      return out;
    };
    const value = (t: Table, r: Row, c: string) => (t.bools?.includes(c) ? r[c] === 1 : r[c]);
    // Never another role's row, whatever row-level security lets this role change (a superuser, BYPASSRLS).
    const where = (t: Table, from: number) => `${t.key.map((k, i) => `${k} = $${from + i}`).join(' AND ')} AND owner = current_user`;
    for (const { t, deleted } of [...changes].reverse()) {
      for (const r of deleted) await client.query(`DELETE FROM ${this.s}.${t.pg} WHERE ${where(t, 1)}`, t.key.map((k) => r[k]));
    }
    for (const { t, inserted, updated } of changes) {
      for (const raw of inserted) {
        const r = mapped(t, raw);
        if (!t.ids) {
          await client.query(`INSERT INTO ${this.s}.${t.pg} (${t.cols.join(', ')}) VALUES (${t.cols.map((_, i) => `$${i + 1}`).join(', ')})`, t.cols.map((c) => value(t, r, c)));
          continue;
        }
        // The id is ws_id's, drawn here: the trigger keeps it (the session's last draw), tables made before it take it.
        const cols = t.cols.filter((c) => c !== 'id');
        const { rows } = await client.query<{ id: number }>(`INSERT INTO ${this.s}.${t.pg} (id, ${cols.join(', ')})
          VALUES (nextval('${this.s}.${WS_SEQUENCE}'), ${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id::float8 AS id`, cols.map((c) => value(t, r, c)));
        ids.get(t.local)!.set(raw.id as number, rows[0]!.id);
      }
      const rest = t.cols.filter((c) => !t.key.includes(c));
      for (const r of updated) {
        if (rest.length === 0) continue;
        await client.query(`UPDATE ${this.s}.${t.pg} SET ${rest.map((c, i) => `${c} = $${i + 1}`).join(', ')} WHERE ${where(t, rest.length + 1)}`,
          [...rest.map((c) => value(t, r, c)), ...t.key.map((k) => r[k])]).catch((error: unknown) => {
          // A rename of one's shared label into a name another role shares (the index; row-level security keeps the
          // key out of PostgreSQL's detail, so the name goes with the error).
          throw sharedNameTaken(error) ? new SharedNameTaken(Number(r.id), String(r.name), error) : error;
        });
      }
    }
  }
}
