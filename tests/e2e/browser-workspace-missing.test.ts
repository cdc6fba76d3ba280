/**
 * Browser mode, end to end: a starred post's file is deleted from the served archive (a temp copy); after the index
 * update and a reload the Workspace section shows Missing (1), whose dialog lists it and forgets it. The ⋯ menu
 * exports the workspace as a JSON download, and importing that file shows the report. Screenshots en light, zh dark.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyArchive, sampleArchive } from '../helpers/temp';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot, useBrowserSession } from './helpers/browser-app';

const skip = browserSkipReason();
announceSkip('Browser-mode workspace missing/export tests', skip);

const TITLE = '云溪镇端午龙舟赛吸引上万名观众';
const FILE = '_posts/2019-06-07-dragon-boat-races.md';

describe.skipIf(skip !== null)('browser mode: missing marks, export and import of the workspace', () => {
  let archive: string;
  const session = useBrowserSession(() => (archive = copyArchive(sampleArchive)));

  it('a deleted starred post shows as Missing (1); export downloads JSON, import reports; Forget removes it', async () => {
    const app = await openApp(session.browser, session.served, { viewport: { width: 1400, height: 900 } });
    const { page } = app;
    const ui = new AppUi(page);
    const section = page.getByRole('region', { name: 'Workspace' });
    try {
      await ui.openFound('龙舟赛', TITLE);
      await page.keyboard.press('s');
      await eventually(() => ui.article.getByRole('button', { name: 'Starred' }).getAttribute('aria-pressed')).toBe('true');
      expect(await section.getByRole('button', { name: /^Missing/ }).count()).toBe(0);

      fs.rmSync(path.join(archive, FILE));
      await session.served.server.service.reindex();
      await page.reload();
      const missing = section.getByRole('button', { name: 'Missing (1)' });
      await missing.waitFor();
      await missing.click();
      const dialog = page.getByRole('dialog', { name: 'Marks of missing posts' });
      await expect.poll(() => dialog.textContent()).toContain(TITLE);
      expect(await dialog.textContent()).toContain(FILE);
      await screenshot(page, 'workspace-missing-en-light-1400');
      await dialog.getByRole('button', { name: 'Close' }).click();

      // Export: a JSON download holding the missing mark.
      await section.getByRole('button', { name: 'Workspace actions' }).click();
      const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Export workspace…' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^backfile-workspace-.*\.json$/);
      const saved = await download.path();
      const data = JSON.parse(fs.readFileSync(saved, 'utf8')) as { format: string; marks: { path: string; starred: boolean }[] };
      expect(data.format).toBe('backfile-workspace');
      expect(data.marks).toMatchObject([{ path: FILE, starred: true }]);

      // Import it back: the report says it is kept as missing.
      await section.getByRole('button', { name: 'Workspace actions' }).click();
      await section.locator('input[type=file]').setInputFiles(saved);
      const report = page.getByRole('dialog', { name: 'Workspace imported' });
      await expect.poll(() => report.textContent()).toContain('0 merged into posts here, 1 kept as missing');
      await screenshot(page, 'workspace-import-report-en-light-1400');
      await report.getByRole('button', { name: 'Close' }).click();
      expect(app.guard.errors).toEqual([]);
    } finally {
      await app.close();
    }

    // zh dark: 已缺失（1）, then Forget (asked twice) removes it.
    const zh = await openApp(session.browser, session.served, { locale: 'zh-CN', colorScheme: 'dark', viewport: { width: 1400, height: 900 } });
    try {
      const zhSection = zh.page.getByRole('region', { name: '工作区' });
      await zhSection.getByRole('button', { name: '已缺失（1）' }).click();
      const dialog = zh.page.getByRole('dialog', { name: '已缺失文章的标记' });
      await dialog.getByRole('button', { name: `忘记“${TITLE}”的标记` }).waitFor();
      await screenshot(zh.page, 'workspace-missing-zh-dark-1400');
      await dialog.getByRole('button', { name: `忘记“${TITLE}”的标记` }).click();
      await dialog.getByRole('button', { name: '确定永久忘记？' }).click();
      await expect.poll(() => dialog.locator('li.missing-mark').count()).toBe(0);
      await dialog.getByRole('button', { name: '关闭' }).click();
      await expect.poll(() => zhSection.getByRole('button', { name: /^已缺失/ }).count()).toBe(0);
    } finally {
      await zh.close();
    }
  });
});
