/**
 * The desktop app remembers each archive's team index and connects to it again when the archive is opened again
 * (issue 15, what a journalist still hit: connecting anew at every start). The service owns it
 * (archive-service.ts open, remembered-teams.ts); the password comes from the keychain through `teamPassword`.
 * Opening never waits for the team index: the archive opens on the local index, which is brought up to date only
 * when the team index does not answer. Real PostgreSQL (tests/helpers/postgres.ts), real SQLite, real files.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { IndexInfo } from '../../src-main/shared/archive-api';
import type * as ImportPostsModule from '../../src-main/node/import/import-posts';
import { ArchiveService, RECONNECT_IMPORT_REFUSED, RECONNECT_IMPORT_RUNNING } from '../../src-main/node/archive/archive-service';
import { RememberedTeams } from '../../src-main/node/archive/remembered-teams';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { pgAvailableOrLog, usePgConnection } from '../helpers/pg-store';
import { freePortForTest } from '../helpers/postgres';
import { tempDir } from '../helpers/temp';

/** An import held before it copies anything (set `hold`), so one can be under way while the archive is opened again. */
const importGate = vi.hoisted(() => ({ hold: null as Promise<void> | null }));
vi.mock('../../src-main/node/import/import-posts', async (original) => {
  const actual = await original<typeof ImportPostsModule>();
  return {
    ...actual,
    importPosts: async (...args: Parameters<typeof actual.importPosts>) => {
      await importGate.hold;
      return actual.importPosts(...args);
    },
  };
});

const available = pgAvailableOrLog('team index reconnect skipped');

const base = tempDir('team-reconnect-');
const root = path.join(base, 'archive');
const file = path.join(base, 'data', 'team-connections.json');

/** Resolves once the open archive's index passes `done` (checked now, then at each archiveChanged). */
function until(service: ArchiveService, done: (index: IndexInfo) => boolean): Promise<IndexInfo> {
  return new Promise((resolve) => {
    const check = () => {
      const index = service.indexInfo();
      if (!done(index)) return;
      off();
      resolve(index);
    };
    const off = service.on('archiveChanged', check);
    check();
  });
}

/**
 * Resolves once the open archive's local index was brought up to date (lastSummary), checked now and at each progress
 * event: the test never updates it itself, so an update the service forgot never comes (and the test times out).
 */
function untilUpdated(service: ArchiveService): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (service.lastSummary() === null) return;
      off();
      resolve();
    };
    const off = service.on('indexProgress', check);
    check();
  });
}

/** No local index yet: the posts counted after an update are the ones that update wrote. */
function removeIndex(): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(base, `index.sqlite${suffix}`), { force: true });
}

describe.skipIf(!available.ok)('reconnecting an archive to its remembered team index', () => {
  const { server, connection: writer } = usePgConnection();
  const asked: Array<[string, string]> = [];
  /** The keychain: a password for these keys (URL without password # schema). */
  const keychain = new Map<string, string>();
  const services: ArchiveService[] = [];

  /** A desktop app's service: a new one for each start, over the same remembered file. */
  function start(reconnectTimeoutMs?: number): ArchiveService {
    const service = new ArchiveService({
      ...(reconnectTimeoutMs !== undefined ? { reconnectTimeoutMs } : {}),
      indexPathFor: () => path.join(base, 'index.sqlite'),
      rememberedTeams: new RememberedTeams(file),
      teamPassword: async (url, schema) => {
        asked.push([url, schema]);
        return keychain.get(`${url}#${schema}`) ?? null;
      },
    });
    services.push(service);
    return service;
  }

  beforeAll(async () => {
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(root, '_posts', `2020-01-0${(i % 9) + 1}-p${i}.md`), `---\ntitle: P${i}\n---\n市场 ${i}\n`);
    await updatePgIndex(writer.pool, 'backfile', root);
  }, 120_000);
  afterAll(async () => {
    for (const service of services) await service.close();
  });

  it('remembered on connect (no password on disk), connected again with the keychain password on the next open', async () => {
    fs.rmSync(path.join(base, 'index.sqlite'), { force: true });
    const day1 = start();
    await day1.open(root);
    const withPassword = server.url().replace('postgres@', 'postgres:s3cret-pw@');
    await day1.connectTeamIndex({ url: withPassword, schema: 'backfile' }, { pollMs: 0 });
    await day1.close();
    const stored = fs.readFileSync(file, 'utf8');
    expect(stored).not.toContain('s3cret-pw');
    expect(await new RememberedTeams(file).get(root)).toEqual({ url: server.url(), schema: 'backfile', password: true });

    keychain.set(`${server.url()}#backfile`, 's3cret-pw');
    const day2 = start();
    const opened = await day2.open(root);
    // The archive opened at once, on the local index, without building it while the team index is tried.
    expect(opened.index?.kind).toBe('local');
    expect(opened.index?.reconnect).toEqual({ url: server.url(), schema: 'backfile', state: 'connecting' });
    expect(opened.indexProgress).toBeNull();
    const index = await until(day2, (i) => i.kind === 'postgres');
    expect(index.location).toBe(`${server.url()} schema backfile`);
    expect(index.reconnect).toBeUndefined();
    expect(asked.at(-1)).toEqual([server.url(), 'backfile']);
    expect(day2.info().posts).toBe(30);
    // Not built meanwhile: the local index was never brought up to date (a cold build for an index not read).
    expect(day2.lastSummary()).toBeNull();
    await day2.close();
  }, 60_000);

  it('no password in the keychain: the archive opens on the local index and the reader is asked (state "password")', async () => {
    keychain.clear();
    removeIndex();
    const service = start();
    await service.open(root);
    const index = await until(service, (i) => i.reconnect?.state !== 'connecting');
    expect(index).toMatchObject({ kind: 'local', reconnect: { url: server.url(), schema: 'backfile', state: 'password' } });
    // The local index answers and is brought up to date by itself.
    await untilUpdated(service);
    expect(service.info().posts).toBe(30);
    // The reader types the password in the prefilled dialog: connected, still remembered.
    await service.connectTeamIndex({ url: server.url(), schema: 'backfile', password: 's3cret-pw' }, { pollMs: 0 });
    expect(service.indexInfo()).toMatchObject({ kind: 'postgres' });
    expect(service.indexInfo().reconnect).toBeUndefined();
    expect(await new RememberedTeams(file).get(root)).toMatchObject({ password: true });
    await service.close();
  }, 60_000);

  it('a connection made without a password is made again without asking the keychain', async () => {
    const service = start();
    await service.open(root);
    await service.connectTeamIndex({ url: server.url() }, { pollMs: 0 });
    await service.close();
    expect(await new RememberedTeams(file).get(root)).toEqual({ url: server.url(), schema: 'backfile', password: false });
    const asks = asked.length;
    const again = start();
    await again.open(root);
    await until(again, (i) => i.kind === 'postgres');
    expect(asked.length).toBe(asks);
    await again.close();
  }, 60_000);

  it('a connection that kept the marks in the team database reconnects with them there (workspace: team)', async () => {
    const service = start();
    await service.open(root);
    await service.connectTeamIndex({ url: server.url(), teamWorkspace: true }, { pollMs: 0 });
    expect(service.indexInfo().team?.workspace).toBe('team');
    await service.close();
    expect(await new RememberedTeams(file).get(root)).toEqual({ url: server.url(), schema: 'backfile', password: false, teamWorkspace: true });
    const again = start();
    const opened = await again.open(root);
    expect(opened.index?.reconnect).toMatchObject({ state: 'connecting', teamWorkspace: true });
    const index = await until(again, (i) => i.kind === 'postgres');
    expect(index.team?.workspace).toBe('team');
    await again.close();
  }, 60_000);

  it('a server that cannot be reached: the archive opens on the local index with STORE_UNAVAILABLE, and Retry connects', async () => {
    const port = await freePortForTest();
    const away = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await new RememberedTeams(file).remember(root, { url: away, schema: 'backfile', password: false });
    removeIndex();
    const service = start();
    const opened = await service.open(root);
    expect(opened.index?.reconnect?.state).toBe('connecting');
    const index = await until(service, (i) => i.reconnect?.state === 'failed');
    expect(index.kind).toBe('local');
    expect(index.reconnect?.error?.code).toBe('STORE_UNAVAILABLE');
    expect(index.reconnect?.error?.message).toContain(`127.0.0.1:${port}`);
    await untilUpdated(service);
    expect(service.info().posts).toBe(30); // the local index answers meanwhile, brought up to date by itself
    // Retry with the same address: still down, the newest reason is told; still remembered.
    await expect(service.connectTeamIndex({ url: away, schema: 'backfile' }, { pollMs: 0 })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(service.indexInfo().reconnect?.state).toBe('failed');
    expect(await new RememberedTeams(file).get(root)).toMatchObject({ url: away });
    await service.close();

    // A schema the indexer has not filled yet fails the same way; once indexed, Retry connects.
    await new RememberedTeams(file).remember(root, { url: server.url(), schema: 'desk', password: false });
    const next = start();
    await next.open(root);
    const failed = await until(next, (i) => i.reconnect?.state === 'failed');
    expect(failed.reconnect?.error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await updatePgIndex(writer.pool, 'desk', root);
    await next.connectTeamIndex({ url: server.url(), schema: 'desk' }, { pollMs: 0 });
    expect(next.indexInfo()).toMatchObject({ kind: 'postgres', location: `${server.url()} schema desk` });
    expect(next.indexInfo().reconnect).toBeUndefined();
    await next.close();
  }, 60_000);

  it('Disconnect forgets the remembered team index: the next open stays on the local index', async () => {
    await new RememberedTeams(file).remember(root, { url: server.url(), schema: 'backfile', password: false });
    const service = start();
    await service.open(root);
    await until(service, (i) => i.kind === 'postgres');
    const local = await service.disconnectTeamIndex();
    expect(local.kind).toBe('local');
    expect(await new RememberedTeams(file).get(root)).toBeNull();
    await service.close();
    const again = start();
    const opened = await again.open(root);
    expect(opened.index).toEqual({ kind: 'local', readOnly: false, location: path.join(base, 'index.sqlite') });
    await again.close();
  }, 60_000);

  it('Disconnect while the remembered one is unreachable forgets it too, and ends the message', async () => {
    const away = `postgres://postgres@127.0.0.1:${await freePortForTest()}/postgres`;
    await new RememberedTeams(file).remember(root, { url: away, schema: 'backfile', password: false });
    const service = start();
    await service.open(root);
    await until(service, (i) => i.reconnect?.state === 'failed');
    const index = await service.disconnectTeamIndex();
    expect(index.reconnect).toBeUndefined();
    expect(await new RememberedTeams(file).get(root)).toBeNull();
    await service.close();
  }, 60_000);

  it('Disconnect while the reconnect is under way wins: what it connects is closed, the archive stays local, forgotten', async () => {
    await new RememberedTeams(file).remember(root, { url: server.url(), schema: 'backfile', password: false });
    removeIndex();
    const service = start();
    const opened = await service.open(root);
    expect(opened.index?.reconnect?.state).toBe('connecting');
    const local = await service.disconnectTeamIndex();
    expect(local.kind).toBe('local');
    expect(local.reconnect).toBeUndefined();
    await service.whenReconnected();
    expect(service.indexInfo()).toMatchObject({ kind: 'local' });
    expect(service.teamIndex).toBeNull();
    expect(await new RememberedTeams(file).get(root)).toBeNull();
    await untilUpdated(service);
    expect(service.info().posts).toBe(30);
    await service.close();
  }, 60_000);

  it('a server that takes the login but never answers (a table locked): failed after the deadline, the local index brought up to date', async () => {
    await new RememberedTeams(file).remember(root, { url: server.url(), schema: 'backfile', password: false });
    removeIndex();
    const locker = new pg.Client({ connectionString: server.url(), application_name: 'locker' });
    await locker.connect();
    // Ended however the test ends (a timeout too): the lock goes with the session, never left to the next test.
    onTestFinished(() => locker.end().catch(() => undefined));
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE backfile.posts IN ACCESS EXCLUSIVE MODE');
    const service = start(300);
    const opened = await service.open(root);
    expect(opened.index?.reconnect?.state).toBe('connecting');
    const index = await until(service, (i) => i.reconnect?.state !== 'connecting');
    expect(index.kind).toBe('local');
    expect(index.reconnect).toMatchObject({ url: server.url(), schema: 'backfile', state: 'failed', error: { code: 'STORE_UNAVAILABLE' } });
    expect(index.reconnect?.error?.message).toBe(`The team index at ${server.url()} did not answer within 0.3 s.`);
    await service.whenReconnected();
    await untilUpdated(service);
    expect(service.info().posts).toBe(30);
    expect(service.info().indexProgress?.phase).toBe('ready');
    // The lock ends: the connection still under way is made, then closed, never read; the archive stays local.
    await locker.query('ROLLBACK');
    await vi.waitFor(async () => expect((await server.query(`SELECT 1 FROM pg_locks WHERE NOT granted`)).rowCount).toBe(0), { timeout: 30_000, interval: 50 });
    expect(service.indexInfo()).toMatchObject({ kind: 'local', reconnect: { state: 'failed' } });
    expect(service.teamIndex).toBeNull();
    await service.close();
  }, 60_000);

  it('no import while the team index is being reconnected (BUSY, nothing copied); the reconnect then goes on', async () => {
    await new RememberedTeams(file).remember(root, { url: server.url(), schema: 'backfile', password: true });
    keychain.set(`${server.url()}#backfile`, 's3cret-pw');
    let release!: () => void;
    const keychainAnswers = new Promise<void>((resolve) => (release = resolve));
    const service = new ArchiveService({
      indexPathFor: () => path.join(base, 'index.sqlite'),
      rememberedTeams: new RememberedTeams(file),
      // The keychain answering slowly: the archive is 'connecting' meanwhile.
      teamPassword: async (url, schema) => {
        await keychainAnswers;
        return keychain.get(`${url}#${schema}`) ?? null;
      },
    });
    services.push(service);
    await service.open(root);
    const source = path.join(base, 'incoming', '2021-05-05-imported.md');
    fs.mkdirSync(path.dirname(source), { recursive: true });
    fs.writeFileSync(source, '---\ntitle: Imported\n---\n新闻\n');
    await expect(service.importPaths([source])).rejects.toMatchObject({ code: 'BUSY', message: RECONNECT_IMPORT_REFUSED });
    expect(service.isImporting).toBe(false);
    expect(fs.readdirSync(path.join(root, '_posts'))).toHaveLength(30);
    release();
    await until(service, (i) => i.kind === 'postgres');
    expect(service.info().posts).toBe(30);
    await service.close();
  }, 60_000);

  it('an import under way when the team index answers: not switched (failed, BUSY), Retry connects once it is done', async () => {
    await new RememberedTeams(file).forget(root);
    const service = start();
    await service.open(root);
    const source = path.join(base, 'incoming', '2021-05-06-held.md');
    fs.mkdirSync(path.dirname(source), { recursive: true });
    fs.writeFileSync(source, '---\ntitle: Held\n---\n新闻\n');
    let release!: () => void;
    importGate.hold = new Promise<void>((resolve) => (release = resolve));
    // Begun on the archive as it was open; the reader then opens it again (it is now remembered with a team index).
    const importing = service.importPaths([source]).catch((error: unknown) => error);
    await new RememberedTeams(file).remember(root, { url: server.url(), schema: 'backfile', password: false });
    try {
      await service.open(root);
      const index = await until(service, (i) => i.kind === 'postgres' || i.reconnect?.state === 'failed');
      expect(index).toMatchObject({ kind: 'local', reconnect: { state: 'failed', error: { code: 'BUSY', message: RECONNECT_IMPORT_RUNNING } } });
      expect(service.teamIndex).toBeNull();
    } finally {
      importGate.hold = null;
      release();
    }
    await importing;
    expect(service.isImporting).toBe(false);
    await service.connectTeamIndex({ url: server.url(), schema: 'backfile' }, { pollMs: 0 });
    expect(service.indexInfo()).toMatchObject({ kind: 'postgres' });
    await service.close();
    for (const entry of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) if (entry.endsWith('held.md')) fs.rmSync(path.join(root, entry));
    await new RememberedTeams(file).forget(root);
  }, 60_000);

  it('without a remembered store (the CLI, browser mode) nothing is remembered or reconnected', async () => {
    await new RememberedTeams(file).remember(root, { url: server.url(), schema: 'backfile', password: false });
    const service = new ArchiveService({ indexPathFor: () => path.join(base, 'index.sqlite') });
    services.push(service);
    const opened = await service.open(root, { waitForIndex: true });
    expect(opened.index?.kind).toBe('local');
    expect(opened.index?.reconnect).toBeUndefined();
    await service.close();
    await new RememberedTeams(file).forget(root);
  }, 60_000);
});
