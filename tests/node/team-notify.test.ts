/**
 * Readers of a team index hear of the indexer's commits by LISTEN/NOTIFY (issue 15), with a real, throwaway
 * PostgreSQL: every poll is set to days, so only a notification can explain what a reader sees. A read-only role
 * hears them; a burst of commits costs two refreshes; a rolled-back transaction sends nothing; a rebuilt or dropped
 * and made again index is heard; the listener comes back after the server restarts; on a hot-standby replica, which
 * refuses LISTEN, the reader falls back to the quick poll.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TeamIndex, type TeamIndexOptions } from '../../src-main/node/archive/team-index';
import { openPgConnection } from '../../src-main/node/pg/pg-connection';
import { bumpGeneration, notifyChannel } from '../../src-main/node/pg/pg-notify';
import { ensurePgSchema } from '../../src-main/node/pg/pg-schema';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { pgAvailableOrLog, usePostgres } from '../helpers/pg-store';
import { freePortForTest, pgBinDir } from '../helpers/postgres';
import { copyArchive, sampleArchive, tempDir } from '../helpers/temp';
import { until } from '../helpers/until';

const available = pgAvailableOrLog('team notify skipped');

const run = promisify(execFile);
/** About eleven days: no poll runs during a test. */
const NEVER = 1_000_000_000;
const QUIET: TeamIndexOptions = { pollMs: NEVER, safetyPollMs: NEVER, listenRetryMs: 50 };
const post = (title: string) => `---\ntitle: ${title}\ndate: 2024-03-01\n---\n${title}：一篇新的文章。\n`;


/** Runs a PostgreSQL tool as `postgres` when we are root (as tests/helpers/postgres.ts does). */
const asPostgres = (tool: string, args: string[]) => (process.getuid?.() === 0
  ? run('runuser', ['-u', 'postgres', '--', path.join(pgBinDir()!, tool), ...args])
  : run(path.join(pgBinDir()!, tool), args));

describe.skipIf(!available.ok)('a team index reader hears the indexer (LISTEN/NOTIFY)', () => {
  const server = usePostgres({ roles: { reader: { readOnly: true } }, timeout: 120_000 });
  let archive: string;
  const teams: TeamIndex[] = [];
  const connect = async (role: string, options: TeamIndexOptions = QUIET, url?: string) => {
    const team = await TeamIndex.connect({ url: url ?? server.url(role) }, options);
    teams.push(team);
    return team;
  };
  /** The indexer's run over the archive, as `cli index --store` does it. */
  const index = async () => {
    const writer = await openPgConnection(server.url());
    try {
      await updatePgIndex(writer.pool, 'backfile', archive);
    } finally {
      await writer.close();
    }
  };
  /** One commit of the writer's generation bump (the statements every indexer transaction ends with). */
  const commitBump = async (client: pg.Client, rollback = false) => {
    await client.query('BEGIN');
    const generation = await bumpGeneration(client, '"backfile"', 'backfile');
    await client.query(rollback ? 'ROLLBACK' : 'COMMIT');
    return generation;
  };
  const changed = (team: TeamIndex, test: () => boolean) => new Promise<void>((resolve) => {
    team.onChanged = () => {
      if (test()) resolve();
    };
  });

  beforeAll(async () => {
    archive = copyArchive(sampleArchive);
    await index();
  }, 120_000);
  afterEach(async () => {
    await Promise.all(teams.splice(0).map((t) => t.close()));
  });
  afterAll(async () => {
    if (archive) fs.rmSync(archive, { recursive: true, force: true });
  });

  it("a read-only role sees the indexer's commit through the notification alone (every poll set to days)", async () => {
    const team = await connect('reader');
    expect(team.readOnly).toBe(true);
    await until(() => team.listenState === 'listening');
    const before = team.counts.posts;
    const seen = changed(team, () => team.counts.posts === before + 1);
    fs.writeFileSync(path.join(archive, '_posts', '2024-03-01-heard.md'), post('听到的新文章'));
    await index();
    await seen;
    expect(team.activity.notifications).toBeGreaterThanOrEqual(1);
    expect(team.seenGeneration).toBe((await server.query<{ value: string }>("SELECT value FROM backfile.meta WHERE key = 'generation'")).rows[0]!.value);
  }, 60_000);

  it('a burst of 20 commits costs two refreshes: the one running and one after it (after the gap), which reads the last', async () => {
    const team = await connect('reader');
    await until(() => team.listenState === 'listening');
    await team.refresh();
    const base = team.activity.refreshes;
    const heard = team.activity.notifications;
    const writer = new pg.Client({ connectionString: server.url() });
    const blocker = new pg.Client({ connectionString: server.adminUrl });
    await Promise.all([writer.connect(), blocker.connect()]);
    try {
      // The first refresh is held at the counts (scan_problems locked) while the other 19 commits are made. It reads
      // on the listening connection, which PostgreSQL hands their notifications once that read's transaction ends.
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE backfile.scan_problems IN ACCESS EXCLUSIVE MODE');
      await commitBump(writer);
      await until(async () => (await server.query(
        "SELECT 1 FROM pg_locks WHERE NOT granted AND relation = 'backfile.scan_problems'::regclass")).rowCount === 1);
      let last = '';
      for (let i = 0; i < 19; i++) last = await commitBump(writer);
      await blocker.query('COMMIT');
      await until(() => team.seenGeneration === last && team.activity.notifications === heard + 20);
      expect(team.activity.refreshes - base).toBe(2);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await Promise.all([writer.end(), blocker.end()]);
    }
  }, 60_000);

  it('while listening, the generation is read on the listening connection (no pool connection, which may have closed)', async () => {
    const team = await connect('reader');
    await until(() => team.listenState === 'listening');
    await team.refresh();
    const { rows } = await server.query<{ query: string }>(
      "SELECT query FROM pg_stat_activity WHERE application_name = 'backfile-listen' AND usename = 'reader'");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.query).toMatch(/FROM "backfile"\.meta WHERE key = \$1/);
  }, 60_000);

  it('a listening connection cut without a word (no FIN, no RST) gives up its read (the refresh deadline) and is let go, so the quick poll takes over', async () => {
    // A proxy between the reader and the server that can stop passing bytes while keeping both sockets open.
    const sockets = new Set<net.Socket>();
    let frozen = false;
    const proxy = net.createServer((inbound) => {
      const outbound = net.connect(server.port, '127.0.0.1');
      for (const [from, to] of [[inbound, outbound], [outbound, inbound]] as const) {
        sockets.add(from);
        from.on('data', (chunk) => {
          if (!frozen) to.write(chunk);
        });
        from.on('error', () => undefined);
        from.on('close', () => to.destroy());
      }
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as net.AddressInfo).port;
    try {
      const team = await connect('reader', QUIET, `postgres://reader@127.0.0.1:${port}/postgres`);
      await until(() => team.listenState === 'listening');
      frozen = true;
      await expect(team.refresh()).rejects.toThrow(/timeout|did not answer/i);
      expect(team.listenState).not.toBe('listening');
    } finally {
      for (const socket of sockets) socket.destroy();
      proxy.close();
    }
  }, 60_000);

  it('a rolled-back transaction sends nothing; the next commit is heard', async () => {
    const team = await connect('reader');
    await until(() => team.listenState === 'listening');
    await team.refresh();
    const heard = team.activity.notifications;
    const writer = new pg.Client({ connectionString: server.url() });
    await writer.connect();
    try {
      const undone = await commitBump(writer, true);
      const done = await commitBump(writer);
      // Same number: the rolled-back bump's value is used again by the commit.
      expect(done).toBe(undone);
      await until(() => team.seenGeneration === done);
      expect(team.activity.notifications).toBe(heard + 1);
      // Nothing else arrives: a query on a listening session of our own receives any pending notification first.
      const own = new pg.Client({ connectionString: server.url('reader') });
      const got: string[] = [];
      own.on('notification', (n) => got.push(n.payload ?? ''));
      await own.connect();
      await own.query(`LISTEN "${notifyChannel('backfile')}"`);
      await commitBump(writer, true);
      await own.query('SELECT 1');
      await own.end();
      expect(got).toEqual([]);
    } finally {
      await writer.end();
    }
  }, 60_000);

  it('a schema name of 63 characters still has a channel (pg_notify refuses one longer than 63 bytes), and its reader hears it', async () => {
    const schema = `s${'x'.repeat(62)}`;
    expect(notifyChannel(schema).length).toBeLessThanOrEqual(63);
    expect(notifyChannel(schema)).not.toBe(notifyChannel(`s${'x'.repeat(61)}y`));
    const writer = await openPgConnection(server.url(), schema);
    const own = copyArchive(sampleArchive);
    try {
      await updatePgIndex(writer.pool, schema, own);
      await server.query(`GRANT USAGE ON SCHEMA ${schema} TO reader`);
      await server.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO reader`);
      const team = await TeamIndex.connect({ url: server.url('reader'), schema }, QUIET);
      teams.push(team);
      await until(() => team.listenState === 'listening');
      const before = team.counts.posts;
      const seen = changed(team, () => team.counts.posts === before + 1);
      fs.writeFileSync(path.join(own, '_posts', '2024-03-01-long-schema.md'), post('长名字的模式'));
      await updatePgIndex(writer.pool, schema, own);
      await seen;
    } finally {
      await writer.close();
      fs.rmSync(own, { recursive: true, force: true });
    }
  }, 60_000);

  it('comes back after the server restarts: LISTEN again, commits made meanwhile read, and notifications flow again', async () => {
    const team = await connect('reader');
    await until(() => team.listenState === 'listening');
    const listens = team.activity.listens;
    // pg_ctl reuses the server's options; the log (a pg_ctl option) is named again, else the server keeps our stdout.
    await asPostgres('pg_ctl', ['restart', '-w', '-m', 'fast', '-D', server.dataDir, '-l', path.join(path.dirname(server.dataDir), 'postgres.log')]);
    await until(() => team.activity.listens > listens && team.listenState === 'listening');
    const heard = team.activity.notifications;
    const before = team.counts.posts;
    const seen = changed(team, () => team.counts.posts === before + 1);
    fs.writeFileSync(path.join(archive, '_posts', '2024-03-01-after-restart.md'), post('重启之后的文章'));
    await index();
    await seen;
    expect(team.activity.notifications).toBeGreaterThan(heard);
    // Reads work again through the pool (its connections the restart ended are replaced).
    expect(await team.read((reader) => reader.counts())).toMatchObject({ posts: before + 1 });
  }, 60_000);

  it('on a hot-standby replica, which refuses LISTEN, the reader falls back to the quick poll', async () => {
    const dir = tempDir('backfile-standby-');
    if (process.getuid?.() === 0) await run('chown', ['postgres:postgres', dir]);
    const data = path.join(dir, 'data');
    const port = await freePortForTest();
    await asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(server.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '--checkpoint=fast']);
    await asPostgres('pg_ctl', ['start', '-w', '-D', data, '-l', path.join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c hot_standby=on`]);
    try {
      const replica = `postgres://reader@127.0.0.1:${port}/postgres`;
      const team = await connect('reader', { pollMs: 50, safetyPollMs: NEVER, listenRetryMs: NEVER }, replica);
      await until(() => team.listenState === 'refused');
      // A poll has run since (a generation read), before the commit it is to find: the reader polls on, not once.
      const polled = team.activity.refreshes;
      await until(() => team.activity.refreshes > polled);
      const before = team.counts.posts;
      const seen = changed(team, () => team.counts.posts === before + 1);
      fs.writeFileSync(path.join(archive, '_posts', '2024-03-01-replica.md'), post('副本上的文章'));
      await index();
      await seen;
      expect(team.activity.notifications).toBe(0);
      expect(team.activity.refreshes).toBeGreaterThan(1);
    } finally {
      await asPostgres('pg_ctl', ['stop', '-m', 'immediate', '-D', data]).catch(() => undefined);
    }
  }, 120_000);

  // Last: it drops the index.
  it('a rebuilt index and one dropped and made again are heard (the schema change notifies on COMMIT)', async () => {
    const team = await connect('reader');
    await until(() => team.listenState === 'listening');
    expect(team.counts.posts).toBeGreaterThan(0);
    const indexer = new pg.Client({ connectionString: server.url() });
    await indexer.connect();
    try {
      // An index of an older version: the next indexer run rebuilds it (empty, a new generation) before it loads.
      await server.query("UPDATE backfile.meta SET value = '0' WHERE key = 'schema_version'");
      let seen = changed(team, () => team.counts.posts === 0);
      expect(await ensurePgSchema(indexer, 'backfile')).toBe('rebuilt');
      await seen;
      const rebuilt = team.seenGeneration;
      // An administrator drops the schema; the indexer makes it again.
      await index();
      await until(() => team.counts.posts > 0);
      await server.query('DROP SCHEMA backfile CASCADE');
      seen = changed(team, () => team.counts.posts === 0);
      expect(await ensurePgSchema(indexer, 'backfile')).toBe('created');
      await seen;
      expect(team.seenGeneration).not.toBe(rebuilt);
    } finally {
      await indexer.end();
    }
  }, 120_000);
});
