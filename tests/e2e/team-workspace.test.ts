/**
 * The reader's workspace on a team index, end to end in Chromium (issue 15's workspace item): the archive is indexed
 * into a real, throwaway PostgreSQL by the CLI as the writing role and served by `serve ARCHIVE --store URL` as a
 * role that may only read it. The reader stars a post with `s` and labels it; `is:starred` and `label:` list it from
 * the team index, the trees count it, and after a reload (zh dark) it is still starred. The stars stay in this
 * computer's workspace: a read-only team role is no obstacle. Screenshots: en light, zh dark.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { pgAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';
import { copyArchive, repoRoot, sampleArchive } from '../helpers/temp';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, launchBrowser, openApp, screenshot, type ServedArchive } from './helpers/browser-app';

const skip = browserSkipReason();
announceSkip('Browser-mode team workspace tests', skip);
const pg = pgAvailable();
if (!skip && !pg.ok) console.log(`Browser-mode team workspace test skipped: ${pg.reason}.`);

const TITLE = '云溪镇端午龙舟赛吸引上万名观众';

/** `serve ARCHIVE --store URL` in a child process (this test's own, stopped by its pid), its data folder a temp one. */
async function serveStore(archive: string, storeUrl: string): Promise<ServedArchive> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-e2e-team-ws-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src-main/cli/main.ts'), 'serve', archive, '--store', storeUrl], {
    cwd: repoRoot,
    env: { ...process.env, BACKFILE_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output)?.[1];
      if (found) resolve(found);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve --store ended (${code}): ${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    server: undefined as unknown as ServedArchive['server'],
    url,
    origin: new URL(url).origin,
    close: async () => {
      if (child.exitCode === null) {
        process.kill(child.pid ?? 0, 'SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe.skipIf(skip !== null || !pg.ok)('browser mode: the workspace on a read-only team index', () => {
  let browser: Browser;
  let team: ServedArchive;
  let postgres: TestPostgres;
  const archive = skip === null && pg.ok ? copyArchive(sampleArchive) : '';

  beforeAll(async () => {
    postgres = await startPostgres();
    await postgres.createRole('indexer', { readOnly: false });
    await postgres.createRole('reader', { readOnly: true });
    const indexed = runCli(['index', archive, '--store', postgres.url('indexer')]);
    if (indexed.status !== 0) throw new Error(`cli index --store failed (${indexed.status}): ${indexed.stderr}`);
    [team, browser] = await Promise.all([serveStore(archive, postgres.url('reader')), launchBrowser()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await team?.close();
    await postgres?.stop();
  });

  it('stars and labels a post of the team index; is:starred and label: list it; still starred after a reload (en light, zh dark)', async () => {
    const app = await openApp(browser, team, { viewport: { width: 1400, height: 860 } });
    const { page } = app;
    const ui = new AppUi(page);
    try {
      await page.getByRole('group', { name: 'Team index' }).getByText('read-only team index').waitFor();
      await ui.search.fill('龙舟赛');
      await eventually(async () => (await ui.rows()).map((r) => r.title)).toContain(TITLE);
      await ui.options.filter({ hasText: TITLE }).click();
      await ui.articleTitle.filter({ hasText: TITLE }).waitFor();
      await ui.options.filter({ hasText: TITLE }).focus();
      await page.keyboard.press('s');
      await eventually(() => ui.article.getByRole('button', { name: 'Starred' }).getAttribute('aria-pressed')).toBe('true');
      await ui.article.getByRole('button', { name: 'Label…' }).click();
      const popover = page.getByRole('dialog', { name: 'Labels' });
      await popover.getByRole('textbox').fill('team story');
      await popover.getByRole('textbox').press('Enter');
      await page.keyboard.press('Escape');

      await ui.search.fill('is:starred');
      await eventually(async () => (await ui.rows()).map((r) => r.title)).toEqual([TITLE]);
      await ui.search.fill('label:"team story" 龙舟');
      await eventually(async () => (await ui.rows()).map((r) => r.title)).toEqual([TITLE]);
      await ui.search.fill('is:starred');
      await eventually(async () => (await ui.rows()).map((r) => r.title)).toEqual([TITLE]);
      await ui.options.filter({ hasText: TITLE }).click();
      await ui.articleTitle.filter({ hasText: TITLE }).waitFor();
      await screenshot(page, 'team-starred-en-light');
      expect(app.guard.errors).toEqual([]);
      expect(app.guard.foreignRequests()).toEqual([]);
    } finally {
      await app.close();
    }

    const zh = await openApp(browser, team, { locale: 'zh-CN', colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
    const zhUi = new AppUi(zh.page, 'zh');
    try {
      await zh.page.getByRole('group', { name: '团队索引' }).waitFor();
      await zhUi.search.fill('is:starred');
      await eventually(async () => (await zhUi.rows()).map((r) => r.title)).toEqual([TITLE]);
      await zhUi.options.filter({ hasText: TITLE }).click();
      await zhUi.articleTitle.filter({ hasText: TITLE }).waitFor();
      await eventually(() => zhUi.article.getByRole('button', { name: '已加星' }).getAttribute('aria-pressed')).toBe('true');
      await zhUi.article.getByText('team story').first().waitFor();
      await screenshot(zh.page, 'team-starred-zh-dark');
      expect(zh.guard.errors).toEqual([]);
    } finally {
      await zh.close();
    }
  });
});
