/**
 * The team workspace's ids (issue 15): ws_posts, ws_labels and ws_saved take their ids from one sequence, and every
 * role that keeps marks there may INSERT and UPDATE its own rows by raw SQL (it holds the GRANTs the app needs).
 * Row-level security hides another role's rows, but not the primary key: an INSERT naming an id another role's row
 * holds used to fail with a duplicate-key error where a free id succeeded, so a role could probe which ids exist.
 * The database now gives each new row its id (trigger ws_assign_id) whatever the INSERT named, and refuses to change
 * an id alike for every value. Backfile's own writes (the app, the CLI) never chose an id: they still work, on tables
 * with the trigger and on tables made before it. Real PostgreSQL; the tables are an ordinary indexer role's.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWsTables, WS_ID_TABLES } from '../../src-main/node/pg/pg-ws-schema';
import type { TestPostgres } from '../helpers/postgres';
import { inSession, pgAvailableOrLog } from '../helpers/pg-store';
import { startTeamWorkspace, type TeamReader, type TeamWorkspaceSetup } from '../helpers/team-workspace';

const available = pgAvailableOrLog('team workspace ids skipped');

describe.skipIf(!available.ok)('team workspace ids are the database\'s', { timeout: 600_000 }, () => {
  let setup: TeamWorkspaceSetup;
  let server: TestPostgres;
  let alice: TeamReader;
  let paths: string[];

  beforeAll(async () => {
    setup = await startTeamWorkspace({ prefix: 'pg-ws-ids-', posts: 10, seed: 23, roles: ['alice', 'bob'], indexer: 'indexer' });
    server = setup.server;
    alice = await setup.reader('alice', 'alice', true);
    paths = (await alice.api.listArticles({ sort: 'oldest', limit: 50, includeHidden: true })).items.map((h) => h.path);
  }, 300_000);
  afterAll(async () => {
    await setup?.stop();
  });

  /** Runs `job` in a session of `role` of its own (raw SQL, as a role with psql could). */
  const as = <T>(role: string, job: (client: pg.Client) => Promise<T>): Promise<T> => inSession(server.url(role), job);
  /** What `sql` tells its runner, rolled back either way: 'done', or the error's code and message. */
  const outcome = async (client: pg.Client, sql: string, params: unknown[]): Promise<string> => {
    await client.query('BEGIN');
    try {
      await client.query(sql, params);
      return 'done';
    } catch (error) {
      return `${(error as { code?: string }).code}: ${(error as Error).message}`;
    } finally {
      await client.query('ROLLBACK');
    }
  };
  /** One row of each table, `$1` its id. */
  const INSERTS: Record<(typeof WS_ID_TABLES)[number], string> = {
    ws_posts: "INSERT INTO backfile.ws_posts VALUES ($1, DEFAULT, '_posts/probe.md', NULL, 'T', NULL, false, false, '', 'x')",
    ws_labels: "INSERT INTO backfile.ws_labels (id, name, color) VALUES ($1, 'probe', '#000000')",
    ws_saved: "INSERT INTO backfile.ws_saved VALUES ($1, DEFAULT, 'probe', '{}', 'x', NULL)",
  };
  /** Alice's marks made through Backfile: a labelled, starred post and a saved search. */
  const aliceMarks = async () => {
    await alice.api.addLabel(paths[0]!, 'private');
    await alice.api.setStar(paths[0]!, true);
    await alice.api.addSavedSearch('mine', { query: 'is:starred' });
  };
  /** Alice's id in each table (read by the superuser) and an id no row holds. */
  const aliceIds = async () => {
    const ids: Record<string, string> = {};
    for (const t of WS_ID_TABLES) ids[t] = (await server.query<{ id: string }>(`SELECT min(id)::text AS id FROM backfile.${t} WHERE owner = 'alice'`)).rows[0]!.id;
    return ids;
  };
  const FREE = '987654321';
  /** What bob is told inserting a row with alice's id, and with a free one, in each table; and changing his row's id. */
  const probes = (ids: Record<string, string>) => as('bob', async (c) => {
    const told: Record<string, [string, string]> = {};
    for (const t of WS_ID_TABLES) told[t] = [await outcome(c, INSERTS[t], [ids[t]]), await outcome(c, INSERTS[t], [FREE])];
    await c.query("INSERT INTO backfile.ws_labels (id, name, color) VALUES (nextval('backfile.ws_id'), 'bob own', '#000000')");
    told.update = [await outcome(c, "UPDATE backfile.ws_labels SET id = $1 WHERE name = 'bob own'", [ids.ws_labels]),
      await outcome(c, "UPDATE backfile.ws_labels SET id = $1 WHERE name = 'bob own'", [FREE])];
    await c.query("DELETE FROM backfile.ws_labels WHERE name = 'bob own'");
    return told;
  });

  it('a role inserting an id another role\'s row holds is told what a free id is told, and gets an id of the database\'s', async () => {
    await aliceMarks();
    const ids = await aliceIds();
    const before = (await server.query('SELECT owner, id, name FROM backfile.ws_labels ORDER BY id')).rows;
    const told = await probes(ids);
    for (const t of WS_ID_TABLES) expect(told[t], t).toEqual(['done', 'done']);
    expect(told.update).toEqual(Array(2).fill("0A000: the id of a team workspace row is the database's and cannot be changed"));
    // An INSERT that names an id gets the next one of ws_id instead (committed here, then looked at).
    const given = await as('bob', async (c) => (await c.query<{ id: string }>(`${INSERTS.ws_labels} RETURNING id::text AS id`, [ids.ws_labels])).rows[0]!.id);
    expect(given).not.toBe(ids.ws_labels);
    expect(BigInt(given)).toBeGreaterThan(BigInt(ids.ws_saved!));
    await server.query("DELETE FROM backfile.ws_labels WHERE owner = 'bob'");
    expect((await server.query('SELECT owner, id, name FROM backfile.ws_labels ORDER BY id')).rows).toEqual(before);
    // Alice's workspace reads as she made it (the labelling names her label by the id the database gave it).
    const marks = await alice.api.getMarks(paths[0]!);
    expect([marks.starred, marks.labels]).toEqual([true, ['private']]);
    expect((await alice.api.listSavedSearches()).map((s) => s.name)).toEqual(['mine']);
  });

  it('on tables made before the trigger Backfile writes as before, and their owner\'s run adds it', async () => {
    const triggers = async () => (await server.query<{ table: string }>(
      "SELECT c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = 'ws_assign_id' ORDER BY 1")).rows.map((r) => r.table);
    expect(await triggers()).toEqual([...WS_ID_TABLES].sort());
    await as('indexer', async (c) => {
      for (const t of WS_ID_TABLES) await c.query(`DROP TRIGGER ws_assign_id ON backfile.${t}`);
    });
    // The hole, on such tables.
    const ids = await aliceIds();
    const told = await probes(ids);
    expect(told.ws_labels![0]).toBe('23505: duplicate key value violates unique constraint "ws_labels_pkey"');
    expect(told.ws_labels![1]).toBe('done');
    // The app draws its ids itself there: a new label on a new post, linked by those ids.
    await alice.api.addLabel(paths[1]!, 'older');
    expect((await alice.api.getMarks(paths[1]!)).labels).toEqual(['older']);
    await as('indexer', async (c) => {
      await c.query('BEGIN');
      await ensureWsTables(c, 'backfile');
      await c.query('COMMIT');
    });
    expect(await triggers()).toEqual([...WS_ID_TABLES].sort());
    const closed = await probes(await aliceIds());
    for (const t of WS_ID_TABLES) expect(closed[t], t).toEqual(['done', 'done']);
    expect((await alice.api.getMarks(paths[1]!)).labels).toEqual(['older']);
  });
});
