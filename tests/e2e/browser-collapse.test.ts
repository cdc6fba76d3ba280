/**
 * "Collapse versions" in Chromium, browser mode (issue 14 part 3): real scraped posts with two reprints of one post
 * planted beside it, the whole archive listed. Turning the list header's toggle on lists one row per story (two rows fewer, "N stories"), the
 * story's newest post carries "+2 versions", and clicking it opens that post with "Other versions (2)" in view and
 * focused; the choice survives a reload. Screenshots: en light and zh dark, each 1400×900 and 900×700.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyArchive, sharedCorpus } from '../helpers/temp';
import { AppUi, type UiLanguage } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot, useBrowserSession } from './helpers/browser-app';

const finews = path.join(sharedCorpus, 'finews-sample');
const skip = browserSkipReason() ?? (fs.existsSync(finews) ? null : `${finews} is absent`);
announceSkip('Browser-mode collapse-versions tests', skip);

const ORIGINAL = '2022-05-15-202205152379572893.md';
const REPRINTS = [
  { path: 'reprints/2022-05-16-shuangpin-a.md', title: '双品网购节：山东网络零售额294亿元', date: '2022-05-16 08:00:00 +0800', outlet: 'sdnews' },
  { path: 'reprints/2022-05-17-shuangpin-b.md', title: '山东双品网购节网络零售额超294亿', date: '2022-05-17 09:30:00 +0800', outlet: 'dzwnews' },
];
const NEWEST = REPRINTS[1]!;

function plantReprints(dir: string): void {
  const source = fs.readFileSync(path.join(dir, ORIGINAL), 'utf8');
  fs.mkdirSync(path.join(dir, 'reprints'), { recursive: true });
  for (const r of REPRINTS) {
    const reprint = source
      .replace(/^title: .*$/m, `title: "${r.title}"`)
      .replace(/^date: .*$/m, `date: ${r.date}`)
      .replace(/^categories: .*$/m, `categories: ${r.outlet}`)
      .concat(`\n<p>本文转载自${r.outlet}。</p>\n`);
    fs.writeFileSync(path.join(dir, r.path), reprint);
  }
}

const NAMES = {
  en: { toggle: 'Collapse versions', badge: `Show the 2 other versions of “${NEWEST.title}”`, badgeText: '+2 versions', versions: 'Other versions (2)', stories: (n: number) => `${n} ${n === 1 ? 'story' : 'stories'}` },
  zh: { toggle: '合并版本', badge: `查看“${NEWEST.title}”的其他 2 个版本`, badgeText: '+2 个版本', versions: '其他版本（2）', stories: (n: number) => `${n} 篇报道` },
} as const;

/** The whole archive, newest first. */
async function listAll(page: Page, language: UiLanguage): Promise<AppUi> {
  const ui = new AppUi(page, language);
  await eventually(() => ui.options.filter({ hasText: NEWEST.title }).count()).toBe(1);
  return ui;
}

describe.skipIf(skip !== null)('browser mode: collapse versions', () => {
  let posts: number;
  let stories: number;
  const session = useBrowserSession(() => {
    const dir = copyArchive(finews, 'backfile-collapse-');
    fs.rmSync(path.join(dir, 'README.md'), { force: true });
    plantReprints(dir);
    return dir;
  }, 60_000);

  beforeAll(async () => {
    const service = session.served.server.service;
    posts = (await service.list({ sort: 'date' })).total;
    stories = (await service.list({ sort: 'date', collapse: true })).total;
  });

  it('en light: the toggle gives one row per story, "+2 versions" opens the newest at "Other versions (2)"; kept after a reload', async () => {
    expect(stories).toBe(posts - 2);
    const { page, guard, close } = await openApp(session.browser, session.served, { viewport: { width: 1400, height: 900 } });
    try {
      const ui = await listAll(page, 'en');
      const toggle = page.getByRole('checkbox', { name: NAMES.en.toggle });
      expect(await toggle.isChecked()).toBe(false);
      await eventually(() => ui.matchCount()).toBe(posts);
      expect(await ui.options.filter({ hasText: REPRINTS[0]!.title }).count()).toBe(1);

      await toggle.check();
      await eventually(() => page.locator('.match-count').textContent()).toBe(NAMES.en.stories(stories));
      // The story's newest post stands for it; its two other versions are not rows of their own.
      await eventually(() => ui.options.filter({ hasText: REPRINTS[0]!.title }).count()).toBe(0);
      const badge = ui.list.getByRole('button', { name: NAMES.en.badge });
      expect(await badge.textContent()).toBe(NAMES.en.badgeText);
      await screenshot(page, 'collapse-list-en-light-1400');

      await badge.click();
      await eventually(() => ui.articleTitle.textContent()).toBe(NEWEST.title);
      const section = ui.article.getByRole('region', { name: NAMES.en.versions });
      await section.waitFor();
      await eventually(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toBe(NAMES.en.versions);
      const box = await section.boundingBox();
      expect(box !== null && box.y >= 0 && box.y < 900).toBe(true);
      await screenshot(page, 'collapse-versions-en-light-1400');

      await page.setViewportSize({ width: 900, height: 700 });
      await screenshot(page, 'collapse-list-en-light-900');

      // Remembered: a new page of the same browser starts collapsed.
      await page.reload();
      const again = await listAll(page, 'en');
      expect(await page.getByRole('checkbox', { name: NAMES.en.toggle }).isChecked()).toBe(true);
      await eventually(() => again.matchCount()).toBe(stories);
      expect(guard.errors).toEqual([]);
      expect(guard.foreignRequests()).toEqual([]);
    } finally {
      await close();
    }
  });

  it('zh dark: 合并版本, +2 个版本, 其他版本（2）, wide and narrow', async () => {
    const { page, guard, close } = await openApp(session.browser, session.served, { locale: 'zh-CN', colorScheme: 'dark', viewport: { width: 1400, height: 900 } });
    try {
      const ui = await listAll(page, 'zh');
      await page.getByRole('checkbox', { name: NAMES.zh.toggle }).check();
      await eventually(() => page.locator('.match-count').textContent()).toBe(NAMES.zh.stories(stories));
      const badge = ui.list.getByRole('button', { name: NAMES.zh.badge });
      expect(await badge.textContent()).toBe(NAMES.zh.badgeText);
      await screenshot(page, 'collapse-list-zh-dark-1400');
      await page.setViewportSize({ width: 900, height: 700 });
      await screenshot(page, 'collapse-list-zh-dark-900');
      await badge.click();
      await eventually(() => ui.articleTitle.textContent()).toBe(NEWEST.title);
      await ui.article.getByRole('region', { name: NAMES.zh.versions }).waitFor();
      await screenshot(page, 'collapse-versions-zh-dark-900');
      expect(guard.errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
