/**
 * A team index reader's refresh that hangs on the server (issue 15): another session holds an ACCESS EXCLUSIVE lock
 * on the posts, so the refresh's count of them waits. At the refresh's deadline the read must stop ON THE SERVER
 * (cancelled), not only be given up by the app while its backend keeps waiting until the lock goes: each refresh
 * after the deadline would then add one more waiting read to a sick server. Real PostgreSQL; pg_stat_activity says
 * what the server runs. Nothing waits for a time: the deadlines are short, the test waits for conditions.
 */
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TeamIndex, type TeamIndexOptions } from '../../src-main/node/archive/team-index';
import { openPgConnection } from '../../src-main/node/pg/pg-connection';
import { bumpGeneration } from '../../src-main/node/pg/pg-notify';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { pgAvailableOrLog, usePostgres } from '../helpers/pg-store';
import { sampleArchive } from '../helpers/temp';
import { until } from '../helpers/until';

const available = pgAvailableOrLog('team refresh deadline skipped');

/** About eleven days: no poll runs during a test; only the refreshes the test asks for. */
const NEVER = 1_000_000_000;
const QUIET: TeamIndexOptions = { pollMs: NEVER, safetyPollMs: NEVER, refreshGapMs: 0, refreshTimeoutMs: 300 };


describe.skipIf(!available.ok)("a team index refresh stuck on the server is cancelled at its deadline", () => {
  const server = usePostgres({ roles: { reader: { readOnly: true } }, timeout: 120_000 });
  let writer: pg.Client;
  let locker: pg.Client;
  const teams: TeamIndex[] = [];

  /** The reader's statements the server is running and that wait for a lock (pid and text). */
  const waiting = async () => (await server.query<{ pid: number; query: string; application_name: string }>(
    "SELECT pid, query, application_name FROM pg_stat_activity WHERE usename = 'reader' AND state = 'active' AND wait_event_type = 'Lock'")).rows;
  const commitBump = async () => {
    await writer.query('BEGIN');
    const generation = await bumpGeneration(writer, '"backfile"', 'backfile');
    await writer.query('COMMIT');
    return generation;
  };
  const connect = async (options: TeamIndexOptions) => {
    const team = await TeamIndex.connect({ url: server.url('reader') }, options);
    teams.push(team);
    return team;
  };

  beforeAll(async () => {
    const indexer = await openPgConnection(server.url());
    try {
      await updatePgIndex(indexer.pool, 'backfile', path.resolve(sampleArchive));
    } finally {
      await indexer.close();
    }
    writer = new pg.Client({ connectionString: server.url() });
    await writer.connect();
    locker = new pg.Client({ connectionString: server.url() });
    await locker.connect();
  }, 120_000);
  afterEach(async () => {
    await locker.query('ROLLBACK');
    await Promise.all(teams.splice(0).map((t) => t.close()));
  });
  afterAll(async () => {
    await locker?.end();
    await writer?.end();
  });

  it('over the pool: the waiting read is cancelled on the server, one refresh at a time, and the next one reads the commit', async () => {
    const team = await connect({ ...QUIET, listen: false });
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE backfile.posts IN ACCESS EXCLUSIVE MODE');
    const committed = await commitBump();
    const first = team.refresh();
    // Asked while the first waits: one more runs after it (not beside it).
    const second = team.refresh();
    await until(async () => (await waiting()).length > 0);
    const stuck = (await waiting()).map((w) => w.pid);
    expect(stuck).toHaveLength(1);
    const outcomes = await Promise.allSettled([first, second]);
    // Both refreshes are over, and so is every read they made on the server (no pile of waiting reads).
    expect(await waiting()).toEqual([]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/did not answer within 300 ms/);
    }
    expect(team.activity.refreshes).toBe(2);
    expect(team.seenGeneration).not.toBe(committed);
    await locker.query('ROLLBACK');
    expect(await team.refresh()).toBe(true);
    expect(team.seenGeneration).toBe(committed);
  }, 60_000);

  it('while listening: the read on the listening connection is cancelled, and that connection keeps listening', async () => {
    const team = await connect(QUIET);
    await until(() => team.listenState === 'listening');
    // The catch-up refresh made when LISTEN took hold is over before the lock is taken.
    await team.refresh();
    const listeners = async () => (await server.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE usename = 'reader' AND application_name = 'backfile-listen'")).rows.map((r) => r.pid);
    const [listener] = await listeners();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE backfile.posts IN ACCESS EXCLUSIVE MODE');
    const heard = team.activity.notifications;
    const committed = await commitBump();
    // The notification starts a refresh, which waits on the lock over the listening connection.
    await until(() => team.activity.notifications > heard);
    await until(async () => (await waiting()).length > 0);
    expect((await waiting()).map((w) => [w.pid, w.application_name])).toEqual([[listener, 'backfile-listen']]);
    // One more refresh, run after the stuck one: both end, each at its deadline, nothing left waiting.
    const outcome = await team.refresh().then(() => 'answered', (error: unknown) => String(error));
    expect(await waiting()).toEqual([]);
    expect(outcome).toMatch(/did not answer within 300 ms/);
    expect(team.listenState).toBe('listening');
    expect(await listeners()).toEqual([listener]);
    await locker.query('ROLLBACK');
    expect(await team.refresh()).toBe(true);
    expect(team.seenGeneration).toBe(committed);
  }, 60_000);
});
