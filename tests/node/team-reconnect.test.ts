/**
 * The desktop app remembers each archive's team index and connects to it again when the archive is opened again
 * (issue 15, what a journalist still hit: connecting anew at every start). The service owns it
 * (archive-service.ts open, remembered-teams.ts); the password comes from the keychain through `teamPassword`.
 * Opening never waits for the team index: the archive opens on the local index, which is brought up to date only
 * when the team index does not answer. Real PostgreSQL (tests/helpers/postgres.ts), real SQLite, real files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexInfo } from '../../src-main/shared/archive-api';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { RememberedTeams } from '../../src-main/node/archive/remembered-teams';
import { openPgConnection, type PgConnection } from '../../src-main/node/pg/pg-connection';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { freePortForTest, pgAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';
import { tempDir } from '../helpers/temp';

const available = pgAvailable();
if (!available.ok) console.log(`team index reconnect skipped: ${available.reason}`);

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

describe.skipIf(!available.ok)('reconnecting an archive to its remembered team index', () => {
  let server: TestPostgres;
  let writer: PgConnection;
  const asked: Array<[string, string]> = [];
  /** The keychain: a password for these keys (URL without password # schema). */
  const keychain = new Map<string, string>();
  const services: ArchiveService[] = [];

  /** A desktop app's service: a new one for each start, over the same remembered file. */
  function start(): ArchiveService {
    const service = new ArchiveService({
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
    server = await startPostgres();
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(root, '_posts', `2020-01-0${(i % 9) + 1}-p${i}.md`), `---\ntitle: P${i}\n---\n市场 ${i}\n`);
    writer = await openPgConnection(server.url());
    await updatePgIndex(writer.pool, 'backfile', root);
  }, 120_000);
  afterAll(async () => {
    for (const service of services) await service.close();
    await writer?.close();
    await server?.stop();
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
    const service = start();
    await service.open(root);
    const index = await until(service, (i) => i.reconnect?.state !== 'connecting');
    expect(index).toMatchObject({ kind: 'local', reconnect: { url: server.url(), schema: 'backfile', state: 'password' } });
    // The local index answers and is brought up to date.
    await service.reindex();
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

  it('a server that cannot be reached: the archive opens on the local index with STORE_UNAVAILABLE, and Retry connects', async () => {
    const port = await freePortForTest();
    const away = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await new RememberedTeams(file).remember(root, { url: away, schema: 'backfile', password: false });
    const service = start();
    const opened = await service.open(root);
    expect(opened.index?.reconnect?.state).toBe('connecting');
    const index = await until(service, (i) => i.reconnect?.state === 'failed');
    expect(index.kind).toBe('local');
    expect(index.reconnect?.error?.code).toBe('STORE_UNAVAILABLE');
    expect(index.reconnect?.error?.message).toContain(`127.0.0.1:${port}`);
    await service.reindex();
    expect(service.info().posts).toBe(30); // the local index answers meanwhile
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
    await service.reindex();
    expect(service.info().posts).toBe(30);
    await service.close();
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
