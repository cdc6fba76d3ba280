/**
 * The team workspace's row-level policies (issue 15) with the ws_* tables owned by an ordinary indexer role (not a
 * superuser: row-level security applies to it): a row that names another table's row (a highlight its post, a
 * "seen" row its saved search) may name only the writer's own, so no role hangs rows on another's workspace or
 * probes its ids; a refusal reads as a missing parent. Tables made before the checks get them from their owner's run.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPgConnection } from '../../src-main/node/pg/pg-connection';
import { ensureWsTables } from '../../src-main/node/pg/pg-ws-schema';
import { PgWorkspaceStore } from '../../src-main/node/workspace/pg-workspace-store';
import { inSession, pgAvailableOrLog } from '../helpers/pg-store';
import { type TestPostgres } from '../helpers/postgres';
import { startTeamWorkspace, WS_GRANTS, type TeamWorkspaceSetup } from '../helpers/team-workspace';

const available = pgAvailableOrLog('team workspace policies skipped');

describe.skipIf(!available.ok)('team workspace policies', { timeout: 600_000 }, () => {
  let setup: TeamWorkspaceSetup;
  let server: TestPostgres;

  beforeAll(async () => {
    setup = await startTeamWorkspace({ prefix: 'team-ws-policies-', posts: 10, seed: 23, roles: ['alice', 'bob'], indexer: 'indexer' });
    server = setup.server;
  }, 300_000);
  afterAll(async () => {
    await setup?.stop();
  });

  /** Runs `job` on a session of `role` of its own (for SQL as that role). */
  const as = <T>(role: string, job: (client: pg.Client) => Promise<T>): Promise<T> => inSession(server.url(role), job);
  /** `sql` as run by `client`: 'done', or the error's code and message (what a prober learns). */
  const outcome = (client: pg.Client, sql: string, params: unknown[]): Promise<string> => client.query(sql, params)
    .then(() => 'done', (error: { code?: string; message: string }) => `${error.code}: ${error.message}`);
  const idOf = async (client: pg.Client, sql: string): Promise<string> => (await client.query<{ id: string }>(`${sql} RETURNING id`)).rows[0]!.id;
  const post = (schema: string, path: string) => `INSERT INTO ${schema}.ws_posts VALUES (nextval('${schema}.ws_id'), DEFAULT, '${path}', NULL, 'T', NULL, false, false, '', 'x')`;
  const saved = (schema: string, name: string) => `INSERT INTO ${schema}.ws_saved VALUES (nextval('${schema}.ws_id'), DEFAULT, '${name}', '市场', 'x', NULL)`;
  const highlight = (schema: string) => `INSERT INTO ${schema}.ws_highlights (id, post_id, exact, prefix, suffix, created_at) VALUES ($1, $2, 'e', '', '', 'x')`;
  const seen = (schema: string) => `INSERT INTO ${schema}.ws_saved_seen (search_id, path) VALUES ($1, $2)`;
  /** Every row of the two tables, whoever owns it (the superuser). */
  const everything = async (schema: string) => ({
    highlights: (await server.query(`SELECT owner, id, post_id FROM ${schema}.ws_highlights ORDER BY id`)).rows,
    seen: (await server.query(`SELECT owner, search_id, path FROM ${schema}.ws_saved_seen ORDER BY search_id, path`)).rows,
  });

  it('bob cannot hang a highlight on alice\'s post or a "seen" row on her saved search: refused as a missing one would be, and alice\'s work goes on unchanged', async () => {
    const alice = await as('alice', async (c) => {
      const ids = { post: await idOf(c, post('backfile', '_posts/a.md')), saved: await idOf(c, saved('backfile', 'alice 市场')) };
      expect(await outcome(c, highlight('backfile'), ['h-alice', ids.post])).toBe('done');
      expect(await outcome(c, seen('backfile'), [ids.saved, '_posts/seen.md'])).toBe('done');
      return ids;
    });
    const before = await everything('backfile');

    await as('bob', async (c) => {
      const own = { post: await idOf(c, post('backfile', '_posts/b.md')), saved: await idOf(c, saved('backfile', 'bob 市场')) };
      // A parent that does not exist, and alice's: the same words, no id, no foreign key's detail.
      const none = await outcome(c, highlight('backfile'), ['h-bob-1', '987654321']);
      expect(none).toBe('42501: new row violates row-level security policy for table "ws_highlights"');
      expect(await outcome(c, highlight('backfile'), ['h-bob-2', alice.post])).toBe(none);
      const noSearch = await outcome(c, seen('backfile'), ['987654321', '_posts/new.md']);
      expect(noSearch).toBe('42501: new row violates row-level security policy for table "ws_saved_seen"');
      expect(await outcome(c, seen('backfile'), [alice.saved, '_posts/new.md'])).toBe(noSearch);
      // A path alice has seen: no unique violation telling bob her row exists.
      expect(await outcome(c, seen('backfile'), [alice.saved, '_posts/seen.md'])).toBe(noSearch);
      // Bob's own rows are his to write; moving one onto alice's rows is refused alike.
      expect(await outcome(c, highlight('backfile'), ['h-bob-3', own.post])).toBe('done');
      expect(await outcome(c, seen('backfile'), [own.saved, '_posts/new.md'])).toBe('done');
      expect(await outcome(c, 'UPDATE backfile.ws_highlights SET post_id = $1 WHERE id = $2', [alice.post, 'h-bob-3'])).toBe(none);
      expect(await outcome(c, 'UPDATE backfile.ws_saved_seen SET search_id = $1 WHERE search_id = $2', [alice.saved, own.saved])).toBe(noSearch);
    });
    const after = await everything('backfile');
    expect(after.highlights.filter((r) => r.owner !== 'bob')).toEqual(before.highlights);
    expect(after.seen.filter((r) => r.owner !== 'bob')).toEqual(before.seen);
    expect(after.highlights.filter((r) => r.owner === 'bob').map((r) => r.id)).toEqual(['h-bob-3']);
    expect((await server.query(`SELECT (SELECT count(*) FROM backfile.ws_highlights h JOIN backfile.ws_posts p ON p.id = h.post_id WHERE h.owner <> p.owner)
      + (SELECT count(*) FROM backfile.ws_saved_seen s JOIN backfile.ws_saved v ON v.id = s.search_id WHERE s.owner <> v.owner) AS n`)).rows).toEqual([{ n: '0' }]);

    // Alice's workspace: her rows, and marking the path bob tried as seen for her search works.
    const connection = await openPgConnection(server.url('alice'), 'backfile');
    try {
      const store = new PgWorkspaceStore(connection);
      await store.write((ws) => {
        expect(ws.db.prepare('SELECT id FROM highlights').pluck().all()).toEqual(['h-alice']);
        ws.db.prepare('INSERT INTO saved_seen (search_id, path) VALUES (?, ?)').run(Number(alice.saved), '_posts/new.md');
      });
    } finally {
      await connection.close();
    }
    expect((await server.query('SELECT path FROM backfile.ws_saved_seen WHERE search_id = $1 ORDER BY path', [alice.saved])).rows.map((r) => r.path))
      .toEqual(['_posts/new.md', '_posts/seen.md']);
  });

  it('a highlight or "seen" row whose post or saved search went meanwhile is BUSY, said plainly without ids, and nothing is written', async () => {
    const connection = await openPgConnection(server.url('bob'), 'backfile');
    try {
      const store = new PgWorkspaceStore(connection);
      const gone = await as('bob', async (c) => {
        const ids = { post: Number(await idOf(c, post('backfile', '_posts/gone.md'))), saved: Number(await idOf(c, saved('backfile', 'gone'))) };
        // Deleted by another session of bob's (another computer) after the copy was read, before it is written back.
        await expect(store.write(async (ws) => {
          await c.query('DELETE FROM backfile.ws_posts WHERE id = $1', [ids.post]);
          ws.db.prepare("INSERT INTO highlights (id, post_id, exact, prefix, suffix, created_at) VALUES ('h-race', ?, 'e', '', '', 'x')").run(ids.post);
        })).rejects.toMatchObject({ code: 'BUSY', message: 'the post was removed from the workspace meanwhile; nothing was changed; try again' });
        await expect(store.write(async (ws) => {
          await c.query('DELETE FROM backfile.ws_saved WHERE id = $1', [ids.saved]);
          ws.db.prepare('INSERT INTO saved_seen (search_id, path) VALUES (?, ?)').run(ids.saved, '_posts/race.md');
        })).rejects.toMatchObject({ code: 'BUSY', message: 'the saved search was deleted meanwhile; nothing was changed; try again' });
        return ids;
      });
      expect((await server.query("SELECT count(*) AS n FROM backfile.ws_highlights WHERE id = 'h-race' OR post_id = $1", [gone.post])).rows).toEqual([{ n: '0' }]);
      expect((await server.query("SELECT count(*) AS n FROM backfile.ws_saved_seen WHERE path = '_posts/race.md'")).rows).toEqual([{ n: '0' }]);
    } finally {
      await connection.close();
    }
  });

  it('tables made before the checks get them from their owner\'s run (or a member\'s, acting as the owner); another role\'s run changes nothing and says so', async () => {
    const checks = async () => (await server.query<{ table: string; parent: boolean }>(
      `SELECT tablename AS table, with_check ~ (CASE tablename WHEN 'ws_highlights' THEN '\\mws_posts\\M' ELSE '\\mws_saved\\M' END) AS parent
         FROM pg_policies WHERE schemaname = 'older' AND policyname IN ('ws_highlights_own', 'ws_saved_seen_own') ORDER BY 1`)).rows;
    const ensureAs = (role: string) => as(role, async (c) => {
      await c.query('BEGIN');
      await ensureWsTables(c, 'older');
      expect((await c.query('SELECT current_user::text AS me')).rows).toEqual([{ me: role }]);
      await c.query('COMMIT');
    });
    const current = [{ table: 'ws_highlights', parent: true }, { table: 'ws_saved_seen', parent: true }];
    await as('indexer', async (c) => {
      await c.query('CREATE SCHEMA older');
      await c.query('GRANT USAGE ON SCHEMA older TO alice, bob');
    });
    await ensureAs('indexer');
    expect(await checks()).toEqual(current);
    // As the tables of an earlier version had them: the owner alone.
    await as('indexer', async (c) => {
      for (const grant of [...WS_GRANTS('alice', 'older'), ...WS_GRANTS('bob', 'older')]) await c.query(grant);
      await c.query('ALTER POLICY ws_highlights_own ON older.ws_highlights WITH CHECK (owner = current_user)');
      await c.query('ALTER POLICY ws_saved_seen_own ON older.ws_saved_seen WITH CHECK (owner = current_user)');
    });
    const alice = await as('alice', async (c) => ({ post: await idOf(c, post('older', '_posts/a.md')), saved: await idOf(c, saved('older', 'a')) }));
    const bobTries = () => as('bob', async (c) => [
      await outcome(c, highlight('older'), ['h-bob', alice.post]),
      await outcome(c, seen('older'), [alice.saved, '_posts/x.md']),
    ]);
    expect(await bobTries()).toEqual(['done', 'done']); // the hole, on such tables
    await server.query("DELETE FROM older.ws_highlights WHERE owner = 'bob'");
    await server.query("DELETE FROM older.ws_saved_seen WHERE owner = 'bob'");

    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await server.createRole('stranger', { readOnly: false });
      await server.query('GRANT CREATE, USAGE ON SCHEMA older TO stranger');
      await ensureAs('stranger');
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining(
        'lack the own-rows check of ws_highlights_own, the own-rows check of ws_saved_seen_own: only their owner indexer (or a member of that role) can add them, and stranger is neither; nothing was changed')]);
      expect((await checks()).map((c) => c.parent)).toEqual([false, false]);

      await server.createRole('deputy', { readOnly: false });
      await server.query('GRANT indexer TO deputy');
      await ensureAs('deputy');
      expect(await checks()).toEqual(current);
      expect(warn).toHaveBeenCalledTimes(1);
      // Found current from now on: nothing is said even to a role that could not make them.
      await ensureAs('stranger');
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
    expect(await bobTries()).toEqual([
      '42501: new row violates row-level security policy for table "ws_highlights"',
      '42501: new row violates row-level security policy for table "ws_saved_seen"',
    ]);
    expect(await everything('older')).toEqual({ highlights: [], seen: [] });
  });
});
