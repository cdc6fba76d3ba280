/**
 * Label sharing as the database holds it (issue 15), with the ws_* tables owned by an ordinary indexer role (not a
 * superuser: row-level security applies to it): deleting one's shared label is confirmed with every role's
 * labellings it removes (ws_label_others, a count and nothing more), and one shared label per name (any case) holds
 * in the database too (a unique index: raw SQL, racing sessions, a rename), added to tables made before it unless
 * shared labels already share a name there.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Label } from '../../src-main/shared/workspace-api';
import { openPgConnection } from '../../src-main/node/pg/pg-connection';
import { ensureWsTables, WS_TABLES } from '../../src-main/node/pg/pg-ws-schema';
import { PgWorkspaceStore } from '../../src-main/node/workspace/pg-workspace-store';
import { pgAvailableOrLog } from '../helpers/pg-store';
import { type TestPostgres } from '../helpers/postgres';
import { startTeamWorkspace, WS_GRANTS, type TeamReader, type TeamWorkspaceSetup } from '../helpers/team-workspace';

const available = pgAvailableOrLog('shared labels in the database skipped');

const brief = (labels: Label[]) => labels.map(({ name, count, shared, owner, labelledByOthers }) => ({ name, count, shared, owner, labelledByOthers }));

describe.skipIf(!available.ok)('shared labels in the team database', { timeout: 600_000 }, () => {
  let setup: TeamWorkspaceSetup;
  let server: TestPostgres;
  let paths: string[];
  const readers = new Map<string, TeamReader>();
  const as = async (role: string): Promise<TeamReader> => {
    if (!readers.has(role)) readers.set(role, await setup.reader(role, role, true));
    return readers.get(role)!;
  };
  /** A session of `role` of its own (for SQL as that role), ended by the caller. */
  const session = async (role: string): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: server.url(role) });
    await client.connect();
    return client;
  };
  /** Until a session of `role` waits on a lock, or `call` settles without waiting (the expectation after it fails). */
  const waitsOnLock = async (role: string, call: Promise<unknown>): Promise<void> => {
    let settled = false;
    void call.finally(() => { settled = true; });
    while (!settled) {
      const { rows } = await server.query("SELECT 1 FROM pg_stat_activity WHERE usename = $1 AND wait_event_type = 'Lock'", [role]);
      if (rows.length > 0) return;
    }
  };

  beforeAll(async () => {
    setup = await startTeamWorkspace({ prefix: 'team-label-share-db-', posts: 40, seed: 22, roles: ['alice', 'bob', 'carol'], indexer: 'indexer' });
    server = setup.server;
    paths = (await (await as('alice')).api.listArticles({ sort: 'oldest', limit: 500, includeHidden: true })).items.map((h) => h.path);
  }, 300_000);
  afterAll(async () => {
    await setup?.stop();
  });

  it('the tables are the indexer\'s, not a superuser\'s (row-level security applies to their owner)', async () => {
    const { rows } = await server.query<{ owner: string; super: boolean }>(
      "SELECT pg_get_userbyid(c.relowner) AS owner, r.rolsuper AS super FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE c.relname = 'ws_post_labels'");
    expect(rows).toEqual([{ owner: 'indexer', super: false }]);
  });

  it('the owner\'s delete confirmation counts the posts other roles labelled with its shared label (each post once), which the delete takes it from', async () => {
    const [alice, bob, carol] = [await as('alice'), await as('bob'), await as('carol')];
    for (const p of paths.slice(0, 2)) await alice.api.addLabel(p, '线索');
    await alice.api.addLabel(paths[2]!, 'private');
    await alice.api.setLabelShared('线索', true);
    for (const p of paths.slice(1, 4)) await bob.api.addLabel(p, '线索'); // paths[1]: a post alice labelled too
    for (const p of [paths[2]!, paths[9]!]) await carol.api.addLabel(p, '线索'); // paths[2]: one bob labelled too
    // Five labellings by others, on three posts alice did not label: paths 2, 3 and 9.
    expect(brief(await alice.api.listLabels())).toEqual([
      { name: 'private', count: 1, shared: undefined, owner: undefined, labelledByOthers: undefined },
      { name: '线索', count: 2, shared: true, owner: undefined, labelledByOthers: 3 },
    ]);
    // Another role's shared label carries no such count (it is not theirs to delete).
    expect(brief(await bob.api.listLabels())).toEqual([{ name: '线索', count: 3, shared: true, owner: 'alice', labelledByOthers: undefined }]);

    // Only a number: alice still reads only her labellings, bob learns nothing of alice's label, and the tables'
    // owner reads only its own rows outside the function.
    const id = (await server.query<{ id: string }>("SELECT id FROM backfile.ws_labels WHERE owner = 'alice' AND name = '线索'")).rows[0]!.id;
    for (const [role, labellings, counted] of [['alice', '3', [{ label: id, others: '3' }]], ['bob', '3', []], ['indexer', '0', []]] as const) {
      const client = await session(role);
      try {
        expect((await client.query('SELECT count(*) AS n FROM backfile.ws_post_labels')).rows, role).toEqual([{ n: labellings }]);
        expect((await client.query('SELECT * FROM backfile.ws_label_others($1)', [[id]])).rows, role).toEqual(counted);
      } finally {
        await client.end();
      }
    }

    const before = await server.query(
      'SELECT count(*) AS labellings, count(DISTINCT p.path) AS posts FROM backfile.ws_post_labels pl JOIN backfile.ws_posts p ON p.id = pl.post_id WHERE label_id = $1', [id]);
    expect(before.rows).toEqual([{ labellings: '7', posts: '5' }]); // the confirmation: "Delete from 5 posts?" (2 + 3)
    await alice.api.deleteLabel('线索');
    expect((await server.query('SELECT count(*) AS n FROM backfile.ws_post_labels WHERE label_id = $1', [id])).rows).toEqual([{ n: '0' }]);
    expect(await bob.api.listLabels()).toEqual([]);
  });

  it('one shared label per name, any case, in the database: raw SQL is refused', async () => {
    const [alice, bob] = [await as('alice'), await as('bob')];
    await alice.api.addLabel(paths[10]!, 'Economy');
    await alice.api.setLabelShared('Economy', true);
    const client = await session('bob');
    try {
      await client.query("INSERT INTO backfile.ws_labels (id, name, color) VALUES (nextval('backfile.ws_id'), 'economy', '#112233')");
      await expect(client.query("UPDATE backfile.ws_labels SET shared = true WHERE owner = 'bob' AND name = 'economy'")).rejects.toMatchObject({ code: '23505' });
    } finally {
      await client.end();
    }
    expect(brief(await bob.api.listLabels()).map((l) => [l.name, l.shared])).toEqual([['economy', undefined]]);
  });

  it('two roles sharing one name at once: exactly one wins, the other is told who shares it', async () => {
    const [bob, carol] = [await as('bob'), await as('carol')];
    await bob.api.addLabel(paths[11]!, 'Both');
    await carol.api.addLabel(paths[12]!, 'both');
    const results = await Promise.allSettled([bob.api.setLabelShared('Both', true), carol.api.setLabelShared('both', true)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect([won.length, lost.length]).toEqual([1, 1]);
    const winner = results[0]!.status === 'fulfilled' ? 'bob' : 'carol';
    expect(lost[0]!.reason).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(new RegExp(`^the label name (Both|both) is already shared by ${winner}: rename yours first; nothing was changed$`)) });
    expect((await server.query("SELECT owner FROM backfile.ws_labels WHERE lower(name) = 'both' AND shared")).rows).toEqual([{ owner: winner }]);
  });

  it('a sharer the check cannot see yet (uncommitted raw SQL) makes setLabelShared fail with the check\'s message, not the index\'s', async () => {
    const [alice, carol] = [await as('alice'), await as('carol')];
    await alice.api.addLabel(paths[13]!, 'Held');
    await carol.api.addLabel(paths[14]!, 'held');
    const client = await session('carol');
    try {
      await client.query('BEGIN');
      await client.query("UPDATE backfile.ws_labels SET shared = true WHERE owner = 'carol' AND name = 'held'");
      // Alice's check sees no sharer (not committed); her UPDATE then waits on the index entry carol holds.
      const racing = alice.api.setLabelShared('Held', true).then(() => 'shared', (error: unknown) => error);
      await waitsOnLock('alice', racing);
      await client.query('COMMIT');
      expect(await racing).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'the label name Held is already shared by carol: rename yours first; nothing was changed' });
    } finally {
      await client.end();
    }
    expect((await server.query("SELECT owner, shared FROM backfile.ws_labels WHERE lower(name) = 'held' ORDER BY owner")).rows)
      .toEqual([{ owner: 'alice', shared: false }, { owner: 'carol', shared: true }]);
  });

  it('renaming one\'s shared label into a name another role is sharing meanwhile is refused with the same message', async () => {
    const [alice, bob] = [await as('alice'), await as('bob')];
    await bob.api.addLabel(paths[15]!, 'Topic');
    await alice.api.addLabel(paths[16]!, 'subject');
    await alice.api.setLabelShared('subject', true);
    const client = await session('bob');
    try {
      await client.query('BEGIN');
      await client.query("UPDATE backfile.ws_labels SET shared = true WHERE owner = 'bob' AND name = 'Topic'");
      // Alice's copy holds no shared Topic (not committed): the rename is written, and waits on bob's index entry.
      const racing = alice.api.renameLabel('subject', 'TOPIC').then(() => 'renamed', (error: unknown) => error);
      await waitsOnLock('alice', racing);
      await client.query('COMMIT');
      expect(await racing).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'the label name TOPIC is already shared by bob: rename yours first; nothing was changed' });
    } finally {
      await client.end();
    }
    expect((await server.query("SELECT name FROM backfile.ws_labels WHERE owner = 'alice' AND shared ORDER BY name")).rows.map((r) => r.name)).toContain('subject');
  });

  it('tables made before the index and the count get them from their owner; where shared names repeat, opening still works and nothing is changed', async () => {
    const owner = await session('indexer');
    const objects = async (schema: string) => (await server.query<{ index: boolean; fn: boolean; policies: string }>(
      `SELECT to_regclass($1 || '.ws_labels_shared_name') IS NOT NULL AS index, to_regprocedure($1 || '.ws_label_others(bigint[])') IS NOT NULL AS fn,
         (SELECT count(*) FROM pg_policies WHERE schemaname = $1 AND policyname LIKE '%_count') AS policies`, [schema])).rows[0];
    const ensure = async () => {
      await owner.query('BEGIN');
      await ensureWsTables(owner, 'older');
      await owner.query('COMMIT');
    };
    const strip = async () => {
      for (const sql of ['DROP INDEX older.ws_labels_shared_name', 'DROP FUNCTION older.ws_label_others', 'DROP POLICY ws_labels_count ON older.ws_labels', 'DROP POLICY ws_post_labels_count ON older.ws_post_labels', 'DROP POLICY ws_posts_count ON older.ws_posts']) await owner.query(sql);
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await owner.query('CREATE SCHEMA older');
      await ensure();
      expect(await objects('older')).toEqual({ index: true, fn: true, policies: '3' });
      // Tables of an earlier version: the next run of their indexer adds what they lack.
      await strip();
      expect(await objects('older')).toEqual({ index: false, fn: false, policies: '0' });
      await ensure();
      expect(await objects('older')).toEqual({ index: true, fn: true, policies: '3' });
      expect(warn).not.toHaveBeenCalled();

      // Two roles already share one name there (made before the index): the run goes on, the rows stay, it is said.
      await strip();
      await server.query(`INSERT INTO older.ws_labels (id, owner, name, color, shared) VALUES
        (nextval('older.ws_id'), 'alice', 'Dup', '#112233', true), (nextval('older.ws_id'), 'bob', 'dup', '#112233', true)`);
      const rows = async () => (await server.query('SELECT owner, name, shared FROM older.ws_labels ORDER BY id')).rows;
      const held = await rows();
      await ensure();
      expect(await objects('older')).toEqual({ index: false, fn: true, policies: '3' });
      expect(await rows()).toEqual(held);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toContain('the label name Dup is shared by alice, bob');
      // Once one is unshared, the next run makes the index.
      await server.query("UPDATE older.ws_labels SET shared = false WHERE owner = 'bob'");
      await ensure();
      expect(await objects('older')).toEqual({ index: true, fn: true, policies: '3' });
    } finally {
      warn.mockRestore();
      await owner.end();
    }
  });

  it('on tables without the count (made before it; its indexer has not run since) labels read as before', async () => {
    const [alice, carol] = [await as('alice'), await as('carol')];
    await carol.api.addLabel(paths[17]!, 'Economy'); // alice's shared Economy
    expect(brief(await alice.api.listLabels()).find((l) => l.name === 'Economy')!.labelledByOthers).toBe(1);
    const owner = await session('indexer');
    try {
      await owner.query('DROP FUNCTION backfile.ws_label_others');
      await owner.query('DROP POLICY ws_post_labels_count ON backfile.ws_post_labels');
      expect(brief(await alice.api.listLabels()).find((l) => l.name === 'Economy')).toEqual({ name: 'Economy', count: 1, shared: true, owner: undefined, labelledByOthers: undefined });
      await owner.query('BEGIN');
      await ensureWsTables(owner, 'backfile');
      await owner.query('COMMIT');
    } finally {
      await owner.end();
    }
    expect(brief(await alice.api.listLabels()).find((l) => l.name === 'Economy')!.labelledByOthers).toBe(1);
    expect((await server.query("SELECT count(*) AS n FROM pg_policies WHERE schemaname = 'backfile' AND policyname LIKE '%_count'")).rows).toEqual([{ n: '3' }]);
  });

  it('a writer that does not own the tables leaves them as they are', async () => {
    await server.createRole('other_writer', { readOnly: false });
    await server.query('GRANT CREATE ON SCHEMA older TO other_writer');
    await server.query('DROP INDEX older.ws_labels_shared_name');
    const client = await session('other_writer');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await client.query('BEGIN');
      await ensureWsTables(client, 'older');
      await client.query('COMMIT');
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('lack ws_labels_shared_name: only their owner indexer (or a member of that role) can add them, and other_writer is neither')]);
    } finally {
      warn.mockRestore();
      await client.end();
    }
    expect((await server.query("SELECT to_regclass('older.ws_labels_shared_name') IS NULL AS missing")).rows).toEqual([{ missing: true }]);
  });

  /**
   * Schema `schema` with workspace tables made by the writer `owner` (a role of its own: a REASSIGN OWNED touches
   * nothing else) and, as in /tmp/rv-ws/data.sh, alice's shared 线索 (id 10, on _posts/a.md) and private label 11,
   * labelled with by bob on a.md and b.md and by carol on a.md: one post other roles labelled and alice did not.
   */
  const seeded = async (schema: string, owner: string): Promise<void> => {
    await server.createRole(owner, { readOnly: false });
    const client = await session(owner);
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query('BEGIN');
      await ensureWsTables(client, schema);
      await client.query('COMMIT');
      for (const role of ['alice', 'bob', 'carol']) for (const grant of WS_GRANTS(role, schema)) await client.query(grant);
    } finally {
      await client.end();
    }
    const post = (id: number, path: string) => `INSERT INTO ${schema}.ws_posts VALUES (${id}, DEFAULT, '${path}', NULL, 'T', NULL, false, false, '', 'x')`;
    const sql: [string, string[]][] = [
      ['alice', [post(1, '_posts/a.md'), `INSERT INTO ${schema}.ws_labels VALUES (10, DEFAULT, '线索', '#111111', true), (11, DEFAULT, 'private', '#111111', false)`,
        `INSERT INTO ${schema}.ws_post_labels VALUES (DEFAULT, 1, 10)`]],
      ['bob', [post(20, '_posts/a.md'), post(21, '_posts/b.md'), `INSERT INTO ${schema}.ws_post_labels VALUES (DEFAULT, 20, 10), (DEFAULT, 21, 10)`]],
      ['carol', [post(30, '_posts/a.md'), `INSERT INTO ${schema}.ws_post_labels VALUES (DEFAULT, 30, 10)`]],
    ];
    for (const [role, statements] of sql) {
      // The fixed ids written as they are: the seed runs with triggers off (ws_assign_id would draw its own), as `role`.
      const as = await session('postgres');
      try {
        await as.query(`SET session_replication_role = replica; SET ROLE ${role}`);
        for (const statement of statements) await as.query(statement);
      } finally {
        await as.end();
      }
    }
  };
  /** Alice's 线索 in `schema` as her workspace reads it: its count of others, or the read's error. */
  const othersOf = async (schema: string): Promise<number | undefined | string> => {
    const connection = await openPgConnection(server.url('alice'), schema);
    try {
      const store = new PgWorkspaceStore(connection);
      (await store.copy()).close();
      return store.sharingOf(10).others;
    } catch (error) {
      return `${(error as { code?: string }).code}: ${(error as Error).message}`;
    } finally {
      await connection.close();
    }
  };
  const ensureAs = async (role: string, schema: string): Promise<void> => {
    const client = await session(role);
    try {
      await client.query('BEGIN');
      await ensureWsTables(client, schema);
      expect((await client.query('SELECT current_user::text AS me')).rows).toEqual([{ me: role }]);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  };

  it('tables given to another owner (ALTER TABLE … OWNER TO): reads go on without the count; the new owner\'s run makes the policies its own', async () => {
    await seeded('moved', 'ws_a');
    expect(await othersOf('moved')).toBe(1);
    await server.createRole('ws_b', { readOnly: false });
    for (const t of WS_TABLES) await server.query(`ALTER TABLE moved.${t} OWNER TO ws_b`);
    await server.query('ALTER SEQUENCE moved.ws_id OWNER TO ws_b');
    await server.query('GRANT USAGE ON SCHEMA moved TO ws_b'); // the schema stays ws_a's
    // The function still runs as ws_a, who may read nothing now: only the count is left out.
    expect(await othersOf('moved')).toBeUndefined();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // ws_b may not take the function from ws_a: said, and nothing else changes.
      await ensureAs('ws_b', 'moved');
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('ws_label_others is owned by ws_a, the team workspace tables by ws_b')]);
      expect(await othersOf('moved')).toBeUndefined();
      await server.query('ALTER FUNCTION moved.ws_label_others(bigint[]) OWNER TO ws_b');
      // The policies still name ws_a: the function refuses rather than count too few.
      expect(await othersOf('moved')).toBeUndefined();
      await ensureAs('ws_b', 'moved');
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
    expect(await othersOf('moved')).toBe(1);
    expect((await server.query("SELECT DISTINCT roles::text FROM pg_policies WHERE schemaname = 'moved' AND policyname LIKE '%_count'")).rows).toEqual([{ roles: '{ws_b}' }]);
  });

  it('after REASSIGN OWNED the new owner\'s run makes the count its own, and a member of the owner\'s role makes what is missing as the owner', async () => {
    await seeded('reassigned', 'ws_c');
    await server.createRole('ws_d', { readOnly: false });
    await server.query('REASSIGN OWNED BY ws_c TO ws_d');
    expect(await othersOf('reassigned')).toBeUndefined(); // never a wrong number
    await ensureAs('ws_d', 'reassigned');
    expect(await othersOf('reassigned')).toBe(1);

    await server.createRole('ws_member', { readOnly: false });
    await server.query('GRANT ws_d TO ws_member');
    await server.query('DROP FUNCTION reassigned.ws_label_others');
    await server.query('DROP POLICY ws_posts_count ON reassigned.ws_posts');
    await server.query("ALTER POLICY ws_post_labels_own ON reassigned.ws_post_labels WITH CHECK (owner = current_user)");
    await server.query('DROP INDEX reassigned.ws_labels_shared_name');
    await ensureAs('ws_member', 'reassigned');
    expect(await othersOf('reassigned')).toBe(1);
    expect((await server.query(`SELECT pg_get_userbyid(proowner) AS owner FROM pg_proc WHERE oid = to_regprocedure('reassigned.ws_label_others(bigint[])')`)).rows).toEqual([{ owner: 'ws_d' }]);
    expect((await server.query("SELECT count(*) AS n FROM pg_policies WHERE schemaname = 'reassigned' AND (policyname LIKE '%_count' AND roles = '{ws_d}' OR with_check LIKE '%ws_labels%')")).rows).toEqual([{ n: '4' }]);
    expect((await server.query("SELECT pg_get_userbyid(c.relowner) AS owner FROM pg_class c WHERE oid = to_regclass('reassigned.ws_labels_shared_name')")).rows).toEqual([{ owner: 'ws_d' }]);
  });

  it('a role labels only its own posts with its own or shared labels: another\'s private label reads as none (no id probing), and a labelling racing an unshare is BUSY', async () => {
    const bob = await session('bob');
    try {
      const ids = {
        post: (await bob.query<{ id: string }>("INSERT INTO backfile.ws_posts VALUES (nextval('backfile.ws_id'), DEFAULT, '_posts/bob.md', NULL, 'T', NULL, false, false, '', 'x') RETURNING id")).rows[0]!.id,
        label: (await server.query<{ id: string }>("SELECT id FROM backfile.ws_labels WHERE owner = 'alice' AND name = 'private'")).rows[0]!.id,
        alices: (await server.query<{ id: string }>("SELECT id FROM backfile.ws_posts WHERE owner = 'alice' ORDER BY id LIMIT 1")).rows[0]!.id,
      };
      const bobsLabel = (await bob.query<{ id: string }>("INSERT INTO backfile.ws_labels (id, name, color) VALUES (nextval('backfile.ws_id'), 'bobs', '#112233') RETURNING id")).rows[0]!.id;
      const refusal = async (post: string, label: string) => bob.query('INSERT INTO backfile.ws_post_labels (post_id, label_id) VALUES ($1, $2)', [post, label])
        .then(() => 'inserted', (error: { code?: string; message: string }) => `${error.code}: ${error.message}`);
      const none = await refusal(ids.post, '987654321');
      expect(none).toBe('42501: new row violates row-level security policy for table "ws_post_labels"');
      expect(await refusal(ids.post, ids.label)).toBe(none); // alice's private label: as if there were none
      expect(await refusal(ids.alices, bobsLabel)).toBe(none); // alice's post
      expect(await refusal(ids.post, bobsLabel)).toBe('inserted');
    } finally {
      await bob.end();
    }

    const [alice, bobs] = [await as('alice'), await openPgConnection(server.url('bob'), 'backfile')];
    try {
      await alice.api.addLabel(paths[20]!, 'Lead');
      await alice.api.setLabelShared('Lead', true);
      const store = new PgWorkspaceStore(bobs);
      const postId = Number((await server.query<{ id: string }>("SELECT id FROM backfile.ws_posts WHERE owner = 'bob' AND path = '_posts/bob.md'")).rows[0]!.id);
      const racing = store.write(async (ws) => {
        await alice.api.setLabelShared('Lead', false); // committed before bob's labelling is written
        ws.addLabel(postId, 'Lead');
      });
      await expect(racing).rejects.toMatchObject({ code: 'BUSY', message: 'the label was deleted or unshared meanwhile; nothing was changed; try again' });
    } finally {
      await bobs.close();
    }
  });

  it('on a UTF-8 database (lower() folds É/é), sharing a name one shares oneself in another case says so, not "another role"', async () => {
    await server.query("CREATE DATABASE utf8 TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.utf8' LC_CTYPE 'C.utf8'");
    await server.query('GRANT CREATE ON DATABASE utf8 TO indexer');
    const url = (role: string) => server.url(role).replace(/\/postgres$/, '/utf8');
    const owner = new pg.Client({ connectionString: url('indexer') });
    await owner.connect();
    try {
      expect((await owner.query("SELECT lower('É') AS e")).rows).toEqual([{ e: 'é' }]);
      await owner.query('CREATE SCHEMA backfile');
      await owner.query('BEGIN');
      await ensureWsTables(owner, 'backfile');
      await owner.query('COMMIT');
      await owner.query('GRANT USAGE ON SCHEMA backfile TO alice');
      for (const grant of WS_GRANTS('alice')) await owner.query(grant);
    } finally {
      await owner.end();
    }
    const connection = await openPgConnection(url('alice'), 'backfile');
    try {
      const store = new PgWorkspaceStore(connection);
      await store.write((ws) => {
        ws.labelId('Économie');
        ws.labelId('économie'); // another label in the copy: its NOCASE folds A-Z only
      });
      await store.setShared('Économie', true);
      await expect(store.setShared('économie', true)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT', message: 'the label name économie is already shared by you (your label Économie): rename one of them first; nothing was changed',
      });
      await store.setShared('Économie', true); // sharing it again is no conflict with itself
    } finally {
      await connection.close();
    }
  });
});
