/**
 * The team index in browser mode, end to end (issue 15), in Chromium:
 * - the connect dialog's error path: a PostgreSQL address where nothing listens is said in plain words
 *   (STORE_UNAVAILABLE), in place, never a stack;
 * - a read-only team index: the archive is indexed into a real, throwaway PostgreSQL by the CLI
 *   (`index ARCHIVE --store URL` as the writing role) and served by `serve ARCHIVE --store URL` as a role with only
 *   USAGE and SELECT: the header says "Team index · HOST/DB" and "read-only team index", search finds what the
 *   SQLite index finds, and a drop of posts is refused, saying why, with nothing copied;
 * - the dialog connecting a page served from the local index to the same team index as the reader, and back.
 * Screenshots: en light wide, zh dark narrow.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliJson } from '../helpers/cli';
import { freePortForTest, pgAvailable } from '../helpers/postgres';
import { copyArchive, sampleArchive, tempDir } from '../helpers/temp';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, launchBrowser, openApp, screenshot, serveForTest, type ServedArchive } from './helpers/browser-app';
import { useTeamSession } from './helpers/team-store';

const skip = browserSkipReason();
announceSkip('Browser-mode team index tests', skip);
const pg = pgAvailable();
if (!skip && !pg.ok) console.log(`Browser-mode read-only team index test skipped: ${pg.reason}.`);

/** Fires dragenter, dragover and drop on the window with one post in the DataTransfer. */
async function dropPost(page: Page): Promise<void> {
  await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['---\ntitle: dropped\ndate: 2024-05-06\n---\nbody\n'], '2024-05-06-dropped.md', { type: 'text/markdown' }));
    for (const type of ['dragenter', 'dragover', 'drop']) window.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
}

async function connect(page: Page, fields: { url: string; schema?: string; password?: string }, names = EN): Promise<void> {
  await page.getByRole('button', { name: names.open, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: names.title });
  await dialog.getByLabel(names.url).fill(fields.url);
  if (fields.schema) await dialog.getByLabel(names.schema).fill(fields.schema);
  if (fields.password) await dialog.getByLabel(names.password).fill(fields.password);
  await dialog.getByRole('button', { name: names.connect, exact: true }).click();
}

/** Waits for the header's team group; when the dialog shows an error instead, fails with its words. */
async function connectedGroup(page: Page, name: string) {
  const group = page.getByRole('group', { name });
  const alert = page.getByRole('dialog').getByRole('alert');
  await Promise.race([group.waitFor({ timeout: 20_000 }), alert.waitFor({ timeout: 20_000 })]);
  if ((await alert.count()) > 0) throw new Error(`the dialog says: ${await alert.innerText()}`);
  return group;
}

const EN = { open: 'Team index…', title: 'Connect to a team index', url: 'Address', schema: 'Schema', password: 'Password', connect: 'Connect' };
const ZH = { open: '团队索引…', title: '连接团队索引', url: '地址', schema: '模式（schema）', password: '密码', connect: '连接' };

describe.skipIf(skip !== null)('browser mode: connecting to a team index that cannot be reached', () => {
  let browser: Browser;
  let served: ServedArchive;
  const archive = skip === null ? copyArchive(sampleArchive) : '';

  beforeAll(async () => {
    [served, browser] = await Promise.all([serveForTest(archive), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('says STORE_UNAVAILABLE in plain words inside the dialog, and the archive stays on its own index', async () => {
    const port = await freePortForTest();
    const app = await openApp(browser, served);
    try {
      await connect(app.page, { url: `postgres://reader@127.0.0.1:${port}/news`, password: 'not-a-real-password' });
      const dialog = app.page.getByRole('dialog', { name: EN.title });
      const alert = dialog.getByRole('alert');
      await alert.waitFor({ timeout: 20_000 });
      const text = await alert.innerText();
      expect(text).toContain('The server cannot be reached: check that PostgreSQL runs at this host and port');
      expect(text).not.toMatch(/\n\s+at\s|node:|\.ts:\d|not-a-real-password/);
      expect(await dialog.getByLabel(EN.url).getAttribute('aria-invalid')).toBeNull();
      await screenshot(app.page, 'team-unreachable-en-light');
      // Nothing changed: no badge, the list still answers from the local index.
      expect(await app.page.getByRole('group', { name: 'Team index' }).count()).toBe(0);
      await app.page.keyboard.press('Escape');
      await eventually(() => new AppUi(app.page).matchCount()).toBe(30);
      expect(app.guard.errors).toEqual([]);
      expect(app.guard.foreignRequests()).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe.skipIf(skip !== null || !pg.ok)('browser mode: a read-only team index on a real PostgreSQL', () => {
  let local: ServedArchive;
  let localTotal: number;
  // Made here, at collection, so that their afterAll is registered (one registered inside beforeAll does not run).
  const archive = skip === null && pg.ok ? copyArchive(sampleArchive) : '';
  const localIndexDir = skip === null && pg.ok ? tempDir('backfile-e2e-local-') : '';
  // The team's indexer writes the shared index, as the README tells a newsroom to; served as the reader.
  const session = useTeamSession(archive);

  beforeAll(async () => {
    // What this computer's own (SQLite) index finds, for the team index to match.
    localTotal = runCliJson<{ total: number }>(['search', archive, '澄湖市', '--index', path.join(localIndexDir, 'index.sqlite')]).total;
    local = await serveForTest(archive);
  }, 180_000);
  afterAll(async () => {
    await local?.close();
  });

  it('serve --store as a read-only role: the badge and "read-only team index", search as SQLite finds, a drop refused saying why (en light, wide)', async () => {
    const app = await openApp(session.browser, session.served, { viewport: { width: 1400, height: 860 } });
    const ui = new AppUi(app.page);
    try {
      const before = fs.readdirSync(archive, { recursive: true }).map(String).sort();
      const group = app.page.getByRole('group', { name: 'Team index' });
      await group.waitFor();
      expect(await group.getByRole('button', { name: 'Team index · 127.0.0.1/postgres' }).count()).toBe(1);
      expect(await group.getByText('read-only team index').count()).toBe(1);
      await eventually(() => ui.matchCount()).toBe(30);
      await ui.search.fill('澄湖市');
      await eventually(() => ui.matchCount()).toBe(localTotal);
      expect(localTotal).toBeGreaterThan(0);

      await dropPost(app.page);
      await app.page.getByRole('status').filter({ hasText: 'Import is off: this app never writes a team index, and your role may only read it' }).waitFor();
      await screenshot(app.page, 'team-readonly-en-light-wide');
      expect(fs.readdirSync(archive, { recursive: true }).map(String).sort()).toEqual(before);
      expect(app.guard.errors).toEqual([]);
      expect(app.guard.foreignRequests()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('the dialog connects a local page to the team index as the reader, then disconnects (zh dark, narrow)', async () => {
    const app = await openApp(session.browser, local, { locale: 'zh-CN', colorScheme: 'dark', viewport: { width: 820, height: 760 } });
    try {
      await connect(app.page, { url: session.postgres.url('reader') }, ZH);
      const group = await connectedGroup(app.page, '团队索引');
      expect(await group.getByRole('button', { name: '团队索引 · 127.0.0.1/postgres' }).count()).toBe(1);
      expect(await group.getByText('只读团队索引').count()).toBe(1);
      await dropPost(app.page);
      await app.page.getByRole('status').filter({ hasText: '导入已停用：本应用从不写入团队索引，且你的角色只能读取' }).waitFor();
      await screenshot(app.page, 'team-readonly-zh-dark-narrow');
      await group.getByRole('button', { name: '团队索引 · 127.0.0.1/postgres' }).click();
      const dialog = app.page.getByRole('dialog', { name: ZH.title });
      await dialog.getByText('你的角色只能读取').waitFor();
      await screenshot(app.page, 'team-dialog-zh-dark-narrow');
      await dialog.getByRole('button', { name: '断开连接' }).click();
      await app.page.getByRole('button', { name: ZH.open, exact: true }).waitFor();
      expect(await app.page.getByRole('group', { name: '团队索引' }).count()).toBe(0);
      expect(app.guard.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
