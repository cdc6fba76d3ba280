/**
 * Reopening an archive last read from a team index (issue 15), end to end in Chromium: the desktop app's service
 * (remembered team indexes in a real file, the keychain as main's TeamCredentials over real AES-GCM) behind the same
 * contract, carried here by the browser-mode HTTP adapter instead of IPC (Electron's binary cannot run here), with a
 * real, throwaway PostgreSQL. Each "start" is a new service and a new page over the same data folder:
 * - day 1 connects with the dialog and "Remember"; day 2 opens on the team index by itself;
 * - no password remembered: the dialog opens filled in ("Reconnect to the team index at HOST/DB?");
 * - a server that does not answer: the archive is read from the local index, a bar says why, with Retry;
 * - a server that takes the connection and says nothing: "Reconnecting…" with "Stop using it", which need not wait.
 * Screenshots of both new states: en light, zh dark.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { createArchiveApi } from '../../src-main/node/archive/create-archive-api';
import { RememberedTeams } from '../../src-main/node/archive/remembered-teams';
import { openPgConnection, type PgConnection } from '../../src-main/node/pg/pg-connection';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { RecentArchives } from '../../src-main/node/recent-archives';
import { startBrowserServer } from '../../src-main/server/http-server';
import { WEB_DIR } from '../../src-main/server/serve';
import { TeamCredentials, connectionKey } from '../../src-main/electron/team-credentials';
import { userCipher } from '../helpers/user-cipher';
import { withTeamPasswords } from '../../src-main/electron/team-passwords';
import { freePortForTest, pgAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';
import { copyArchive, sampleArchive, tempDir } from '../helpers/temp';
import { announceSkip, browserSkipReason, launchBrowser, openApp, screenshot, type ServedArchive } from './helpers/browser-app';

const skip = browserSkipReason();
announceSkip('Team index reconnect tests', skip);
const pg = pgAvailable();
if (!skip && !pg.ok) console.log(`Team index reconnect e2e skipped: ${pg.reason}.`);

const keychainCipher = userCipher;

describe.skipIf(skip !== null || !pg.ok)('reopening an archive last read from a team index (Chromium)', () => {
  let browser: Browser;
  let server: TestPostgres;
  let writer: PgConnection;
  const data = tempDir('team-reconnect-e2e-');
  const archive = copyArchive(sampleArchive);
  const remembered = new RememberedTeams(path.join(data, 'team-connections.json'));
  const credentials = new TeamCredentials(path.join(data, 'team-credentials.json'), keychainCipher);

  /**
   * A "server" on `port` that takes connections and never says a word (a PostgreSQL that hangs): a client waits on it
   * until `drop()` ends every connection it holds, which the client then reports at once.
   */
  async function silentServer(port: number): Promise<{ held: () => number; drop: () => void; close: () => Promise<void> }> {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    const drop = () => {
      for (const socket of sockets) socket.destroy();
    };
    return { held: () => sockets.size, drop, close: () => new Promise<void>((resolve) => (drop(), silent.close(() => resolve()))) };
  }

  /** One start of the desktop app: its service as main.ts makes it, the archive opened, a page on it. */
  async function start(): Promise<ServedArchive> {
    const service = new ArchiveService({
      indexPathFor: () => path.join(data, 'index.sqlite'),
      assetUrl: (p) => `/asset/${p.split('/').map(encodeURIComponent).join('/')}`,
      rememberedTeams: remembered,
      teamPassword: (url, schema) => credentials.recall(connectionKey(url, schema)),
    });
    await service.open(archive);
    const api = withTeamPasswords(
      createArchiveApi(service, { allowedRoots: [archive], recent: new RecentArchives(path.join(data, 'recent.json')), workspaceFile: path.join(data, 'workspace.sqlite') }),
      credentials,
    );
    const http = await startBrowserServer({ api, service, staticDir: WEB_DIR, token: randomBytes(24).toString('base64url') });
    return {
      server: { ...http, service, close: async () => undefined },
      url: http.url,
      origin: new URL(http.url).origin,
      close: async () => {
        await http.close();
        await service.close();
      },
    };
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startPostgres();
    writer = await openPgConnection(server.url());
    await updatePgIndex(writer.pool, 'backfile', archive);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await writer?.close();
    await server?.stop();
    fs.rmSync(archive, { recursive: true, force: true });
  });

  it('day 1 connects and remembers; day 2 opens on the team index by itself', async () => {
    const day1 = await start();
    const app = await openApp(browser, day1);
    await app.page.getByRole('button', { name: 'Team index…', exact: true }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Connect to a team index' });
    await dialog.getByLabel('Address').fill(server.url());
    await dialog.getByLabel('Password', { exact: true }).fill('hunter2-pw');
    await dialog.getByLabel('Remember the password on this computer').check();
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    await app.page.getByRole('group', { name: 'Team index' }).waitFor();
    await app.close();
    await day1.close();
    expect(fs.readFileSync(path.join(data, 'team-connections.json'), 'utf8')).not.toContain('hunter2');

    const day2 = await start();
    const again = await openApp(browser, day2);
    await again.page.getByRole('group', { name: 'Team index' }).waitFor();
    expect(await again.page.getByRole('group', { name: 'Team index' }).textContent()).toContain('127.0.0.1/postgres');
    expect(again.guard.errors).toEqual([]);
    await again.close();
    await day2.close();
  }, 60_000);

  it('no password remembered: the dialog opens filled in, and connecting with the password typed reads the team index', async () => {
    await credentials.forget(connectionKey(server.url()));
    const served = await start();
    for (const [locale, scheme] of [['en-US', 'light'], ['zh-CN', 'dark']] as const) {
      const app = await openApp(browser, served, { locale, colorScheme: scheme });
      const title = locale === 'en-US' ? 'Reconnect to the team index at 127.0.0.1/postgres?' : '重新连接到 127.0.0.1/postgres 的团队索引？';
      const dialog = app.page.getByRole('dialog', { name: title });
      await dialog.waitFor();
      expect(await dialog.getByLabel(locale === 'en-US' ? 'Address' : '地址').inputValue()).toBe(server.url());
      await screenshot(app.page, `team-reconnect-password-${locale === 'en-US' ? 'en-light' : 'zh-dark'}`);
      if (locale === 'en-US') {
        await app.close();
        continue;
      }
      await dialog.getByLabel('密码', { exact: true }).fill('hunter2-pw');
      await dialog.getByRole('button', { name: '连接', exact: true }).click();
      await app.page.getByRole('group', { name: '团队索引' }).waitFor();
      expect(app.guard.errors).toEqual([]);
      await app.close();
    }
    await served.close();
  }, 60_000);

  it('a server that does not answer: read from the local index, a bar with the reason and Retry, nothing blocked', async () => {
    const port = await freePortForTest();
    const away = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await remembered.remember(archive, { url: away, schema: 'backfile', password: false });
    const served = await start();
    for (const [locale, scheme] of [['en-US', 'light'], ['zh-CN', 'dark']] as const) {
      // openApp waits for the list: the archive is there to read.
      const app = await openApp(browser, served, { locale, colorScheme: scheme });
      const bar = app.page.getByRole('alert');
      await bar.waitFor();
      expect(await bar.textContent()).toContain(locale === 'en-US' ? 'did not answer or refused the connection' : '没有响应或拒绝了连接');
      // The cause in the page's language (the server's words only where PostgreSQL's driver gave some).
      expect(await bar.textContent()).toContain(
        locale === 'en-US' ? 'The server cannot be reached: check that PostgreSQL runs at this host and port' : '无法连接到服务器：请确认 PostgreSQL 正在该主机和端口上运行',
      );
      expect(await app.page.getByRole('dialog').count()).toBe(0);
      await screenshot(app.page, `team-reconnect-failed-${locale === 'en-US' ? 'en-light' : 'zh-dark'}`);
      if (locale === 'en-US') {
        // Retry reaches a server that holds the connection: "Retrying…" until it is dropped, then the newest reason.
        const silent = await silentServer(port);
        try {
          await bar.getByRole('button', { name: 'Retry' }).click();
          await bar.getByRole('button', { name: 'Retrying…' }).waitFor();
          await expect.poll(() => silent.held(), { timeout: 30_000 }).toBeGreaterThan(0);
          silent.drop();
          await bar.getByRole('button', { name: 'Retrying…' }).waitFor({ state: 'detached' });
        } finally {
          await silent.close();
        }
        expect(await bar.textContent()).toContain('The server cannot be reached: check that PostgreSQL runs at this host and port, and that this computer may connect to it. Server said: Connection terminated unexpectedly');
        expect(await bar.getByRole('button', { name: 'Retry' }).isEnabled()).toBe(true); // answered, still down: the bar stays
        await app.close();
        continue;
      }
      await bar.getByRole('button', { name: '不再使用' }).click();
      await bar.waitFor({ state: 'detached' });
      expect(await remembered.get(archive)).toBeNull();
      await app.close();
    }
    await served.close();
  }, 60_000);

  it('a server that takes the connection and says nothing: "Reconnecting…" with "Stop using it", which need not wait for it', async () => {
    const port = await freePortForTest();
    const silent = await silentServer(port);
    await remembered.remember(archive, { url: `postgres://postgres@127.0.0.1:${port}/postgres`, schema: 'backfile', password: false });
    const served = await start();
    try {
      for (const [locale, scheme] of [['en-US', 'light'], ['zh-CN', 'dark']] as const) {
        const app = await openApp(browser, served, { locale, colorScheme: scheme });
        const bar = app.page.locator('.team-reconnect[data-state="connecting"]');
        await bar.waitFor();
        expect(await bar.textContent()).toContain(locale === 'en-US' ? 'Reconnecting to the team index at 127.0.0.1/postgres…' : '正在重新连接到 127.0.0.1/postgres 的团队索引…');
        await screenshot(app.page, `team-reconnect-connecting-${locale === 'en-US' ? 'en-light' : 'zh-dark'}`);
        if (locale === 'en-US') {
          await app.close();
          continue;
        }
        await bar.getByRole('button', { name: '不再使用' }).click();
        await bar.waitFor({ state: 'detached' });
        expect(await remembered.get(archive)).toBeNull();
        expect(served.server.service.indexInfo()).toMatchObject({ kind: 'local' });
        expect(served.server.service.indexInfo().reconnect).toBeUndefined();
        expect(app.guard.errors).toEqual([]);
        await app.close();
      }
    } finally {
      await silent.close();
      await served.close();
    }
  }, 60_000);
});
