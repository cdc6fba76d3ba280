/**
 * "Other versions of this story" in Chromium, browser mode (issue 14 part 3): a real scraped post and a reprint
 * planted beside it (another title and outlet, one phrase reworded, a boilerplate line added). Opening the post
 * shows "Other versions (1)" from the real index; the version opens the side-by-side diff with the reworded phrase
 * marked inside its sentence and the added line marked +; Escape closes it, and "Open the other version" opens the
 * reprint. Screenshots: en light and zh dark, each 1400×900 and 900×700.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { copyArchive, sharedCorpus } from '../helpers/temp';
import { AppUi, type UiLanguage } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot, useBrowserSession } from './helpers/browser-app';

const finews = path.join(sharedCorpus, 'finews-sample');
const skip = browserSkipReason() ?? (fs.existsSync(finews) ? null : `${finews} is absent`);
announceSkip('Browser-mode versions tests', skip);

const ORIGINAL = '2022-05-15-202205152379572893.md';
const ORIGINAL_TITLE = '“第四届双品网购节”带动山东实现网络零售额超294亿元';
const REPRINT = 'reprints/2022-05-16-shuangpin-reprint.md';
const REPRINT_TITLE = '双品网购节：山东网络零售额294亿元';

/** The reprint: new title and outlet, "落下帷幕" reworded as "圆满结束", a boilerplate line at the end. */
function plantReprint(dir: string): void {
  const source = fs.readFileSync(path.join(dir, ORIGINAL), 'utf8');
  const reprint = source
    .replace(/^title: .*$/m, `title: "${REPRINT_TITLE}"`)
    .replace(/^date: .*$/m, 'date: 2022-05-16 08:00:00 +0800')
    .replace(/^categories: .*$/m, 'categories: sdnews')
    .replace('活动于5月12日落下帷幕', '活动于5月12日圆满结束')
    .concat('\n<p>本文转载自大众网。</p>\n');
  expect(reprint).toContain('圆满结束');
  fs.mkdirSync(path.join(dir, 'reprints'), { recursive: true });
  fs.writeFileSync(path.join(dir, REPRINT), reprint);
}

const NAMES = {
  en: { versions: 'Other versions (1)', dialog: 'Compare versions', open: 'Open the other version' },
  zh: { versions: '其他版本（1）', dialog: '版本对比', open: '打开其他版本' },
} as const;

async function openOriginal(page: Page, language: UiLanguage): Promise<AppUi> {
  const ui = new AppUi(page, language);
  await ui.options.filter({ hasText: ORIGINAL_TITLE }).first().click();
  await eventually(() => ui.articleTitle.textContent()).toBe(ORIGINAL_TITLE);
  return ui;
}

describe.skipIf(skip !== null)('browser mode: other versions of a story', () => {
  const session = useBrowserSession(() => {
    const dir = copyArchive(finews, 'backfile-versions-');
    fs.rmSync(path.join(dir, 'README.md'), { force: true });
    plantReprint(dir);
    return dir;
  }, 60_000);

  it('the post shows "Other versions (1)"; the diff marks the reworded phrase and the added line; Escape closes (en light, 1400×900)', async () => {
    const similar = (await session.served.server.service.similar(ORIGINAL)).similar;
    expect(similar.map((v) => v.path)).toEqual([REPRINT]);
    const { page, guard, close } = await openApp(session.browser, session.served, { viewport: { width: 1400, height: 900 } });
    try {
      const ui = await openOriginal(page, 'en');
      const section = ui.article.getByRole('region', { name: NAMES.en.versions });
      await section.waitFor();
      const row = section.getByRole('button');
      expect(await row.getAttribute('aria-label')).toBe(`Compare with “${REPRINT_TITLE}”, ${Math.round((similar[0]?.score ?? 0) * 100)}% alike`);
      expect(await row.textContent()).toContain('sdnews');
      await section.scrollIntoViewIfNeeded();
      await screenshot(page, 'versions-section-en-light-1400');

      await row.click();
      const dialog = page.getByRole('dialog', { name: NAMES.en.dialog });
      await dialog.getByRole('table').waitFor();
      const changed = dialog.locator('.diff-row[data-kind=changed]');
      expect(await changed.count()).toBe(1);
      expect(await changed.locator('del.diff-chars-removed').allTextContents()).toEqual(['dropped: 落下帷幕 (end of dropped)']);
      expect(await changed.locator('ins.diff-chars-added').allTextContents()).toEqual(['added: 圆满结束 (end of added)']);
      const added = dialog.locator('.diff-row[data-kind=added]');
      expect(await added.locator('ins').allTextContents()).toEqual(['本文转载自大众网。']);
      expect(await dialog.locator('.diff-row[data-kind=removed]').count()).toBe(0);
      expect(await dialog.getByRole('status').textContent()).toContain('1 changed, 0 dropped, 1 added');
      await changed.scrollIntoViewIfNeeded();
      await screenshot(page, 'versions-diff-en-light-1400');

      await page.keyboard.press('Escape');
      await eventually(() => page.getByRole('dialog').count()).toBe(0);
      expect(await ui.articleTitle.textContent()).toBe(ORIGINAL_TITLE);

      // The same diff in a small window: two columns still, the dialog inside the viewport.
      await page.setViewportSize({ width: 900, height: 700 });
      await row.click();
      await dialog.getByRole('table').waitFor();
      const box = await dialog.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 900).toBe(true);
      await screenshot(page, 'versions-diff-en-light-900');
      await page.keyboard.press('Escape');
      await eventually(() => page.getByRole('dialog').count()).toBe(0);
      expect(guard.errors).toEqual([]);
      expect(guard.foreignRequests()).toEqual([]);
    } finally {
      await close();
    }
  });

  it('zh dark, 900×700: 其他版本（1）, the diff, and the button opens the reprint', async () => {
    const { page, guard, close } = await openApp(session.browser, session.served, { locale: 'zh-CN', colorScheme: 'dark', viewport: { width: 900, height: 700 } });
    try {
      const ui = await openOriginal(page, 'zh');
      const section = ui.article.getByRole('region', { name: NAMES.zh.versions });
      await section.waitFor();
      await section.scrollIntoViewIfNeeded();
      await screenshot(page, 'versions-section-zh-dark-900');
      await section.getByRole('button').click();
      const dialog = page.getByRole('dialog', { name: NAMES.zh.dialog });
      await dialog.getByRole('table').waitFor();
      await dialog.locator('.diff-row[data-kind=changed]').scrollIntoViewIfNeeded();
      await screenshot(page, 'versions-diff-zh-dark-900');
      await page.setViewportSize({ width: 1400, height: 900 });
      await screenshot(page, 'versions-diff-zh-dark-1400');
      await dialog.getByRole('button', { name: NAMES.zh.open }).click();
      await eventually(() => page.getByRole('dialog').count()).toBe(0);
      await eventually(() => ui.articleTitle.textContent()).toBe(REPRINT_TITLE);
      await ui.article.getByRole('region', { name: NAMES.zh.versions }).waitFor();
      expect(guard.errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
