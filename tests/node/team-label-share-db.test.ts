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
import { ensureWsTables } from '../../src-main/node/pg/pg-ws-schema';
import { pgAvailable, type TestPostgres } from '../helpers/postgres';
import { startTeamWorkspace, type TeamReader, type TeamWorkspaceSetup } from '../helpers/team-workspace';

const available = pgAvailable();
if (!available.ok) console.log(`shared labels in the database skipped: ${available.reason}`);

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

  it('the owner\'s delete confirmation counts every role\'s labellings of its shared label, which the delete removes', async () => {
    const [alice, bob, carol] = [await as('alice'), await as('bob'), await as('carol')];
    for (const p of paths.slice(0, 2)) await alice.api.addLabel(p, '线索');
    await alice.api.addLabel(paths[2]!, 'private');
    await alice.api.setLabelShared('线索', true);
    for (const p of paths.slice(1, 4)) await bob.api.addLabel(p, '线索'); // one post alice labelled too: a labelling each
    await carol.api.addLabel(paths[9]!, '线索');
    expect(brief(await alice.api.listLabels())).toEqual([
      { name: 'private', count: 1, shared: undefined, owner: undefined, labelledByOthers: undefined },
      { name: '线索', count: 2, shared: true, owner: undefined, labelledByOthers: 4 },
    ]);
    // Another role's shared label carries no such count (it is not theirs to delete).
    expect(brief(await bob.api.listLabels())).toEqual([{ name: '线索', count: 3, shared: true, owner: 'alice', labelledByOthers: undefined }]);

    // Only a number: alice still reads only her labellings, bob learns nothing of alice's label, and the tables'
    // owner reads only its own rows outside the function.
    const id = (await server.query<{ id: string }>("SELECT id FROM backfile.ws_labels WHERE owner = 'alice' AND name = '线索'")).rows[0]!.id;
    for (const [role, labellings, counted] of [['alice', '3', [{ label: id, others: '4' }]], ['bob', '3', []], ['indexer', '0', []]] as const) {
      const client = await session(role);
      try {
        expect((await client.query('SELECT count(*) AS n FROM backfile.ws_post_labels')).rows, role).toEqual([{ n: labellings }]);
        expect((await client.query('SELECT * FROM backfile.ws_label_others($1)', [[id]])).rows, role).toEqual(counted);
      } finally {
        await client.end();
      }
    }

    const before = await server.query('SELECT count(*) AS n FROM backfile.ws_post_labels WHERE label_id = $1', [id]);
    expect(before.rows).toEqual([{ n: '6' }]); // what the confirmation says: 2 + 4
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
      for (const sql of ['DROP INDEX older.ws_labels_shared_name', 'DROP FUNCTION older.ws_label_others', 'DROP POLICY ws_labels_count ON older.ws_labels', 'DROP POLICY ws_post_labels_count ON older.ws_post_labels']) await owner.query(sql);
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await owner.query('CREATE SCHEMA older');
      await ensure();
      expect(await objects('older')).toEqual({ index: true, fn: true, policies: '2' });
      // Tables of an earlier version: the next run of their indexer adds what they lack.
      await strip();
      expect(await objects('older')).toEqual({ index: false, fn: false, policies: '0' });
      await ensure();
      expect(await objects('older')).toEqual({ index: true, fn: true, policies: '2' });
      expect(warn).not.toHaveBeenCalled();

      // Two roles already share one name there (made before the index): the run goes on, the rows stay, it is said.
      await strip();
      await server.query(`INSERT INTO older.ws_labels (id, owner, name, color, shared) VALUES
        (nextval('older.ws_id'), 'alice', 'Dup', '#112233', true), (nextval('older.ws_id'), 'bob', 'dup', '#112233', true)`);
      const rows = async () => (await server.query('SELECT owner, name, shared FROM older.ws_labels ORDER BY id')).rows;
      const held = await rows();
      await ensure();
      expect(await objects('older')).toEqual({ index: false, fn: true, policies: '2' });
      expect(await rows()).toEqual(held);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toContain('the label name Dup is shared by alice, bob');
      // Once one is unshared, the next run makes the index.
      await server.query("UPDATE older.ws_labels SET shared = false WHERE owner = 'bob'");
      await ensure();
      expect(await objects('older')).toEqual({ index: true, fn: true, policies: '2' });
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
    expect((await server.query("SELECT count(*) AS n FROM pg_policies WHERE schemaname = 'backfile' AND policyname LIKE '%_count'")).rows).toEqual([{ n: '2' }]);
  });

  it('a writer that does not own the tables leaves them as they are', async () => {
    await server.createRole('other_writer', { readOnly: false });
    await server.query('GRANT CREATE ON SCHEMA older TO other_writer');
    await server.query('DROP INDEX older.ws_labels_shared_name');
    const client = await session('other_writer');
    try {
      await client.query('BEGIN');
      await ensureWsTables(client, 'older');
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    expect((await server.query("SELECT to_regclass('older.ws_labels_shared_name') IS NULL AS missing")).rows).toEqual([{ missing: true }]);
  });
});
