/**
 * Browser mode, end to end: rows checked with Shift-click are exported as CSV through the export dialog, the browser
 * downloads the file, and its rows are exactly the checked posts in list order; the whole result exports as JSON
 * in Chinese; the dossier comes as one .zip. Screenshots of the checked list and of the dialog's progress (en light 1400×900, zh dark 900×700).
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { sampleArchive } from '../helpers/temp';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot, useBrowserSession } from './helpers/browser-app';

const skip = browserSkipReason();
announceSkip('Browser-mode export tests', skip);

/**
 * Holds the answer to exportToFile until `release()`: the server does the work (and its progress events reach the
 * page) while the dialog still shows the run, so the run can be looked at.
 */
async function holdExport(page: Page): Promise<{ release(): void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/call/exportToFile', async (route: Route) => {
    const response = await route.fetch();
    await released;
    await route.fulfill({ response });
  });
  return { release };
}

describe.skipIf(skip !== null)('browser mode: exporting', () => {
  const session = useBrowserSession(() => sampleArchive);

  it('Shift-click checks a range; CSV of the checked rows is downloaded with exactly those rows', async () => {
    const app = await openApp(session.browser, session.served, { viewport: { width: 1400, height: 900 } });
    try {
      const { page } = app;
      const listed = (await session.served.server.service.list({ limit: 10, sort: 'date' })).items;
      const options = page.getByRole('listbox', { name: 'Articles' }).getByRole('option');
      await options.nth(1).click();
      await options.nth(5).click({ modifiers: ['Shift'] });
      await eventually(() => page.locator('.checked-count').textContent()).toBe('5 selected');
      expect(await options.nth(0).getAttribute('aria-checked')).toBe('false');
      for (let i = 1; i <= 5; i++) expect(await options.nth(i).getAttribute('aria-checked')).toBe('true');
      await screenshot(page, 'export-selection-en');

      await page.getByRole('button', { name: 'Export…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export' });
      expect(await dialog.getByRole('radio', { name: 'The 5 selected posts' }).isChecked()).toBe(true);
      expect(await dialog.getByRole('radio', { name: 'CSV (spreadsheets)' }).isChecked()).toBe(true);
      const held = await holdExport(page);
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByRole('progressbar').waitFor();
      expect(await dialog.getByRole('button', { name: 'Cancel' }).isVisible()).toBe(true);
      await screenshot(page, 'export-progress-en');

      const downloading = page.waitForEvent('download');
      held.release();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      const bytes = fs.readFileSync(await download.path());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM, for Excel
      const rows = parse(bytes.toString('utf8').slice(1), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
      expect(Object.keys(rows[0] ?? {})).toEqual(['path', 'title', 'date', 'categories', 'tags', 'url', 'snippet']);
      expect(rows.map((r) => r.path)).toEqual(listed.slice(1, 6).map((hit) => hit.path));
      expect(rows.map((r) => r.title)).toEqual(listed.slice(1, 6).map((hit) => hit.title));

      await eventually(() => page.locator('.export-toast').textContent()).toContain(`Exported 5 posts to ${download.suggestedFilename()}`);
      expect(await dialog.count()).toBe(0);
      await screenshot(page, 'export-done-en');
      expect(app.guard.errors).toEqual([]);
      expect(app.guard.foreignRequests()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('exports the whole result as JSON from the Chinese UI (dark, narrow window)', async () => {
    const app = await openApp(session.browser, session.served, { locale: 'zh-CN', colorScheme: 'dark', viewport: { width: 900, height: 700 } });
    try {
      const { page } = app;
      const total = (await session.served.server.service.list({ limit: 1, sort: 'date' })).total;
      const options = page.getByRole('listbox', { name: '文章' }).getByRole('option');
      await options.nth(0).getByRole('checkbox').click();
      await options.nth(2).click({ modifiers: ['Control'] });
      await eventually(() => page.locator('.checked-count').textContent()).toBe('已选 2 篇');
      await screenshot(page, 'export-selection-zh-dark');

      await page.getByRole('button', { name: '导出…' }).click();
      const dialog = page.getByRole('dialog', { name: '导出' });
      await dialog.getByRole('radio', { name: `整个结果：${total} 篇` }).check();
      await dialog.getByRole('radio', { name: 'JSON', exact: true }).check();
      const held = await holdExport(page);
      await dialog.getByRole('button', { name: '导出', exact: true }).click();
      await dialog.getByRole('progressbar').waitFor();
      await screenshot(page, 'export-progress-zh-dark');

      const downloading = page.waitForEvent('download');
      held.release();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/\.json$/);
      const records = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as { path: string }[];
      expect(records).toHaveLength(total);
      await eventually(() => page.locator('.export-toast').textContent()).toContain(`已导出 ${total} 篇文章到`);
      expect(app.guard.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('downloads the dossier as one .zip that unpacks to index.html and the article pages (Chinese UI)', async () => {
    const app = await openApp(session.browser, session.served, { locale: 'zh-CN', viewport: { width: 1200, height: 800 } });
    try {
      const { page } = app;
      const total = (await session.served.server.service.list({ limit: 1, sort: 'date' })).total;
      await page.getByRole('button', { name: '导出…' }).click();
      const dialog = page.getByRole('dialog', { name: '导出' });
      await dialog.getByRole('radio', { name: '资料包（可在任何浏览器中打开的文件夹）' }).check();
      await dialog.getByText('资料包将由浏览器下载为一个 .zip 文件：请先解压，再打开解压出的文件夹中的 index.html。').waitFor();
      await screenshot(page, 'export-dossier-zip-zh');

      const downloading = page.waitForEvent('download');
      await dialog.getByRole('button', { name: '导出', exact: true }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/-dossier\.zip$/);
      const zip = await yauzl.openPromise(await download.path(), { lazyEntries: true });
      const names: string[] = [];
      for await (const entry of zip.eachEntry()) names.push(entry.fileName);
      zip.close();
      const root = download.suggestedFilename().replace(/\.zip$/, '');
      expect(names.every((name) => name.startsWith(`${root}/`) && !name.split('/').includes('..'))).toBe(true);
      expect(names).toContain(`${root}/index.html`);
      expect(names).toContain(`${root}/lunr.min.js`);
      expect(names.filter((name) => name.startsWith(`${root}/articles/`))).toHaveLength(total);
      await eventually(() => page.locator('.export-toast').textContent()).toContain(`已导出 ${total} 篇文章到 ${download.suggestedFilename()}`);
      expect(app.guard.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
