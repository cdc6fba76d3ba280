/**
 * A team index reader that LISTENs (issue 15) when the network misbehaves or the indexer commits fast, with a real,
 * throwaway PostgreSQL behind a proxy of ours that can cut flows without a word (no FIN, no RST: a VPN drop) and
 * refuse new connections. Every poll is set to days: only a notification (or a catch-up after LISTEN) explains what
 * a reader sees; nothing here waits for a time, only for conditions and counts.
 */
import fs from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TeamIndex, type TeamIndexOptions } from '../../src-main/node/archive/team-index';
import { bumpGeneration } from '../../src-main/node/pg/pg-notify';
import { openPgConnection } from '../../src-main/node/pg/pg-connection';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { PgIndexWriter } from '../../src-main/node/pg/pg-write';
import { pgAvailableOrLog, usePostgres } from '../helpers/pg-store';
import { copyArchive, sampleArchive } from '../helpers/temp';
import { until } from '../helpers/until';

const available = pgAvailableOrLog('team notify resilience skipped');

/** About eleven days: no poll runs during a test. */
const NEVER = 1_000_000_000;
const QUIET: TeamIndexOptions = { pollMs: NEVER, safetyPollMs: NEVER, listenRetryMs: 50, refreshGapMs: 0 };


/** One client connection through the proxy: `dead` stops its bytes both ways, sockets left open (a silent cut). */
interface Flow { inbound: net.Socket; outbound: net.Socket; dead: boolean; listen: boolean }

/** A proxy to the server that can cut flows silently and refuse (close at once) new connections. */
async function startProxy(port: number) {
  const flows: Flow[] = [];
  const state = { refuse: false, refused: 0 };
  const server = net.createServer((inbound) => {
    if (state.refuse) {
      state.refused++;
      inbound.destroy();
      return;
    }
    const outbound = net.connect(port, '127.0.0.1');
    const flow: Flow = { inbound, outbound, dead: false, listen: false };
    flows.push(flow);
    inbound.on('data', (chunk: Buffer) => {
      if (chunk.includes('backfile-listen')) flow.listen = true;
      if (!flow.dead) outbound.write(chunk);
    });
    outbound.on('data', (chunk: Buffer) => {
      if (!flow.dead) inbound.write(chunk);
    });
    for (const socket of [inbound, outbound]) socket.on('error', () => undefined);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    flows,
    state,
    url: (role: string) => `postgres://${role}@127.0.0.1:${(server.address() as net.AddressInfo).port}/postgres`,
    /** Cuts every flow open now but the listener's, silently. */
    cutPool: () => flows.filter((f) => !f.listen).forEach((f) => (f.dead = true)),
    close: () => {
      for (const f of flows) {
        f.inbound.destroy();
        f.outbound.destroy();
      }
      server.close();
    },
  };
}

describe.skipIf(!available.ok)('a listening team index reader survives cuts and bursts', () => {
  const server = usePostgres({ roles: { reader: { readOnly: true } }, timeout: 120_000 });
  let archive: string;
  let writer: pg.Client;
  const teams: TeamIndex[] = [];
  const proxies: { close(): void }[] = [];
  const commitBump = async () => {
    await writer.query('BEGIN');
    const generation = await bumpGeneration(writer, '"backfile"', 'backfile');
    await writer.query('COMMIT');
    return generation;
  };
  const proxied = async (options: TeamIndexOptions = QUIET) => {
    const proxy = await startProxy(server.port);
    proxies.push(proxy);
    const team = await TeamIndex.connect({ url: proxy.url('reader') }, options);
    teams.push(team);
    return { proxy, team };
  };

  beforeAll(async () => {
    archive = copyArchive(sampleArchive);
    const indexer = await openPgConnection(server.url());
    try {
      await updatePgIndex(indexer.pool, 'backfile', archive);
    } finally {
      await indexer.close();
    }
    writer = new pg.Client({ connectionString: server.url() });
    await writer.connect();
  }, 120_000);
  afterEach(async () => {
    await Promise.all(teams.splice(0).map((t) => t.close()));
    for (const proxy of proxies.splice(0)) proxy.close();
  });
  afterAll(async () => {
    await writer?.end();
    if (archive) fs.rmSync(archive, { recursive: true, force: true });
  });

  it("with the pool's connections cut silently, a heard commit is still read (generation and counts on the listening connection)", async () => {
    const { proxy, team } = await proxied();
    await until(() => team.listenState === 'listening');
    proxy.cutPool();
    proxy.state.refuse = true;
    const committed = await commitBump();
    await until(() => team.seenGeneration === committed);
    expect(team.counts.posts).toBeGreaterThan(0);
  }, 60_000);

  it('a refresh stuck on a silently cut pool connection is given up and the connection let go; a later one reads the commit', async () => {
    // Not listening: the refresh reads through the pool, whose every connection is cut.
    const { proxy, team } = await proxied({ ...QUIET, listen: false, refreshTimeoutMs: 200 });
    proxy.cutPool();
    await expect(team.refresh()).rejects.toThrow(/timeout|did not answer/i);
    const committed = await commitBump();
    // Each refresh that times out lets its dead connection go; one on a new connection reads the commit.
    while (!(await team.refresh().catch(() => false)));
    expect(team.seenGeneration).toBe(committed);
  }, 60_000);

  it('close() returns although a read is stuck on a silently cut connection (its socket is destroyed, the read fails)', async () => {
    const { proxy, team } = await proxied({ ...QUIET, closeWaitMs: 50 });
    proxy.cutPool();
    const stuck = Promise.resolve(team.read((reader) => reader.counts()));
    const outcome = stuck.then(() => 'answered', () => 'failed');
    await team.close();
    expect(await outcome).toBe('failed');
  }, 60_000);

  it("an indexer's run of spread-out commits costs a change a gap, not one a commit, and the last commit is read", async () => {
    const waits: (() => void)[] = [];
    const { team } = await proxied({ ...QUIET, refreshGapMs: NEVER, wait: () => new Promise<void>((resolve) => waits.push(resolve)) });
    await until(() => team.listenState === 'listening');
    await team.refresh();
    let changes = 0;
    team.onChanged = () => changes++;
    let last = '';
    for (let i = 0; i < 20; i++) {
      const heard = team.activity.notifications;
      last = await commitBump();
      // Spread out: each commit is heard, and read or held by the gap, before the next.
      await until(() => team.activity.notifications === heard + 1 && (team.seenGeneration === last || waits.length > 0));
    }
    expect(changes).toBe(1);
    // The gap ends: the refresh held by it reads the last commit.
    waits.shift()!();
    await until(() => team.seenGeneration === last);
    expect(changes).toBe(2);
  }, 60_000);

  it("the folder's scan problems are a commit readers hear (a new generation and its NOTIFY); unchanged ones are none", async () => {
    const { team } = await proxied();
    await until(() => team.listenState === 'listening');
    const before = team.counts.problems;
    const problems = [{ path: '_posts/odd', message: 'not a post folder', severity: 'warning' as const }];
    await new PgIndexWriter(writer, 'backfile').setScanProblems(problems);
    await until(() => team.counts.problems === before + 1);
    const generation = (await writer.query<{ value: string }>("SELECT value FROM backfile.meta WHERE key = 'generation'")).rows[0]!.value;
    expect(team.seenGeneration).toBe(generation);
    await new PgIndexWriter(writer, 'backfile').setScanProblems(problems);
    expect((await writer.query<{ value: string }>("SELECT value FROM backfile.meta WHERE key = 'generation'")).rows[0]!.value).toBe(generation);
    await new PgIndexWriter(writer, 'backfile').setScanProblems([]);
    await until(() => team.counts.problems === before);
  }, 60_000);

  it('a commit made while the listener could not reconnect is read when it listens again (catch-up refresh, no notification)', async () => {
    const { proxy, team } = await proxied();
    await until(() => team.listenState === 'listening');
    const listens = team.activity.listens;
    const heard = team.activity.notifications;
    proxy.state.refuse = true;
    proxy.flows.find((f) => f.listen && !f.inbound.destroyed)!.inbound.destroy();
    await until(() => proxy.state.refused >= 1);
    const committed = await commitBump();
    proxy.state.refuse = false;
    await until(() => team.activity.listens > listens && team.seenGeneration === committed);
    expect(team.activity.notifications).toBe(heard);
  }, 60_000);
});
