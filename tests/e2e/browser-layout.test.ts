/**
 * Browser mode, end to end, on the bundled sample archive: reading in narrow windows (the navigation pane
 * folds, reading mode gives the article the window), find in the article (Ctrl+F, with `/` still the archive
 * search), the search's own matches in an article opened from a search, the help panel, and labels that are cut
 * (full text on hover, badges whole). Screenshots of each, en light and zh dark, go to test-output/screens/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, sampleArchive } from '../helpers/temp';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, openApp, useBrowserSession } from './helpers/browser-app';

const skip = browserSkipReason();
announceSkip('Browser-mode layout tests', skip);

const SCREENS = path.join(repoRoot, 'test-output/screens');
async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `${name}.png`) });
}

/** Width of an element as laid out, 0 when it is not displayed. */
const widthOf = (page: Page, selector: string): Promise<number> =>
  page.evaluate((sel) => document.querySelector(sel)?.getBoundingClientRect().width ?? 0, selector);

const LOOKS = [
  { language: 'en', locale: 'en-US', colorScheme: 'light' },
  { language: 'zh', locale: 'zh-CN', colorScheme: 'dark' },
] as const;
const SIZES = [
  { width: 1400, height: 900 },
  { width: 900, height: 700 },
] as const;

describe.skipIf(skip !== null)('browser mode: layout, find in article, help, clipped labels', () => {
  const session = useBrowserSession(() => sampleArchive);

  it('keeps the article readable from 800 px: the side panes shrink, the navigation folds, reading mode takes the window', async () => {
    for (const width of [900, 800]) {
      const app = await openApp(session.browser, session.served, { viewport: { width, height: 700 } });
      const ui = new AppUi(app.page);
      try {
        await ui.options.first().click();
        await ui.articleTitle.waitFor();
        // All three panes: the article still gets a column of reading width.
        expect(await widthOf(app.page, '.reading-pane')).toBeGreaterThanOrEqual(360);
        expect(await widthOf(app.page, '.nav-pane')).toBeGreaterThan(100);

        // Ctrl+B folds the navigation pane (and the toolbar button brings it back).
        await app.page.keyboard.press('Control+b');
        await eventually(() => widthOf(app.page, '.nav-pane')).toBe(0);
        expect(await widthOf(app.page, '.reading-pane')).toBeGreaterThanOrEqual(width * 0.6);
        await app.page.getByRole('button', { name: 'Show navigation' }).click();
        await eventually(() => widthOf(app.page, '.nav-pane')).toBeGreaterThan(100);

        // `r`: reading mode, the article alone; Esc leaves it, and leaves the search alone.
        await ui.search.fill('the');
        await eventually(() => ui.matchCount()).toBeGreaterThan(0);
        await ui.article.click();
        await app.page.keyboard.press('r');
        await eventually(() => widthOf(app.page, '.reading-pane')).toBe(width);
        expect(await widthOf(app.page, '.list-pane')).toBe(0);
        expect(await app.page.getByRole('button', { name: 'Leave reading mode', pressed: true }).count()).toBe(1);
        await app.page.keyboard.press('Escape');
        await eventually(() => widthOf(app.page, '.list-pane')).toBeGreaterThan(200);
        expect(await ui.search.inputValue()).toBe('the');
        expect(app.guard.errors).toEqual([]);
      } finally {
        await app.close();
      }
    }
  });

  it('Ctrl+F finds in the open article with a match count and Enter / Shift+Enter; / still searches the archive', async () => {
    const app = await openApp(session.browser, session.served);
    const ui = new AppUi(app.page);
    try {
      await ui.options.first().click();
      await ui.articleTitle.waitFor();
      const bodyText = (await ui.articleBody.textContent()) ?? '';
      // The most frequent character of the body (CJK or Latin) is a needle with several matches.
      const counts = new Map<string, number>();
      for (const ch of bodyText.toLowerCase().replace(/\s/g, '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
      const [needle, n] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? ['', 0];
      expect(n).toBeGreaterThan(2);

      await ui.article.click();
      await app.page.keyboard.press('Control+f');
      const find = app.page.getByRole('searchbox', { name: 'Find in article' });
      await eventually(() => find.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await ui.search.evaluate((el) => el === document.activeElement)).toBe(false);
      await find.fill(needle);
      const count = app.page.locator('.find-count');
      await eventually(() => count.textContent()).toBe(`1 of ${n} matches`);
      expect(await ui.articleBody.locator('mark.find-match').count()).toBe(n);
      await find.press('Enter');
      await eventually(() => count.textContent()).toBe(`2 of ${n} matches`);
      await find.press('Shift+Enter');
      await find.press('Shift+Enter');
      await eventually(() => count.textContent()).toBe(`${n} of ${n} matches`);
      expect(await ui.articleBody.locator('mark.find-current').textContent()).toBe(needle);
      await shot(app.page, 'find-in-article-test');

      // Esc closes the bar and removes its marks; the text is what it was.
      await find.press('Escape');
      await eventually(() => ui.articleBody.locator('mark.find-match').count()).toBe(0);
      expect(await ui.articleBody.textContent()).toBe(bodyText);

      // `/` is still the archive search.
      await ui.article.click();
      await app.page.keyboard.press('/');
      await eventually(() => ui.search.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(app.guard.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('an article opened from a search shows "1 of N matches" for the search terms and scrolls to the first', async () => {
    const app = await openApp(session.browser, session.served, { viewport: { width: 1000, height: 600 } });
    const ui = new AppUi(app.page);
    try {
      await ui.search.fill('the');
      await eventually(() => ui.rows().then((rows) => rows[0]?.html ?? '')).toContain('<mark>');
      await ui.options.first().click();
      await ui.articleTitle.waitFor();
      const marks = ui.articleBody.locator('mark');
      await eventually(() => marks.count()).toBeGreaterThan(1);
      const n = await marks.count();
      const bar = app.page.getByRole('search', { name: 'Search matches' });
      await eventually(() => bar.locator('.find-count').textContent()).toBe(`1 of ${n} matches`);
      await bar.getByRole('button', { name: 'Next match' }).click();
      await eventually(() => bar.locator('.find-count').textContent()).toBe(`2 of ${n} matches`);
      // The current match is in view in the reading pane.
      const inView = await app.page.evaluate(() => {
        const pane = document.querySelector('.reading-pane')?.getBoundingClientRect();
        const mark = document.querySelector('.article-body mark.find-current')?.getBoundingClientRect();
        return !!pane && !!mark && mark.top >= pane.top && mark.bottom <= pane.bottom;
      });
      expect(inView).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('? and the ? button show the search syntax and the shortcuts, in English and Chinese', async () => {
    for (const look of LOOKS) {
      const app = await openApp(session.browser, session.served, { locale: look.locale });
      try {
        const names = look.language === 'en' ? { help: 'Help', syntax: 'Search syntax', keys: 'Keyboard shortcuts', close: 'Close' } : { help: '帮助', syntax: '搜索语法', keys: '键盘快捷键', close: '关闭' };
        await app.page.keyboard.press('?');
        const dialog = app.page.getByRole('dialog');
        await dialog.waitFor();
        expect(await dialog.getByRole('heading', { name: names.syntax, exact: true }).count()).toBe(1);
        expect(await dialog.getByRole('heading', { name: names.keys, exact: true }).count()).toBe(1);
        expect(await dialog.locator('code', { hasText: 'title:央行' }).count()).toBe(1);
        expect(await dialog.locator('kbd', { hasText: 'Ctrl+F / ⌘F' }).count()).toBe(1);
        await app.page.keyboard.press('Escape');
        await eventually(() => dialog.count()).toBe(0);
        await app.page.getByRole('button', { name: names.help }).click();
        await dialog.waitFor();
        await dialog.getByRole('button', { name: names.close }).click();
        await eventually(() => dialog.count()).toBe(0);
      } finally {
        await app.close();
      }
    }
  });

  it('cut titles and tags have their full text on hover; the Draft and Unpublished badges are whole', async () => {
    const app = await openApp(session.browser, session.served, { viewport: { width: 900, height: 700 } });
    const ui = new AppUi(app.page);
    try {
      await app.page.getByRole('checkbox', { name: 'Show unpublished' }).check();
      await eventually(() => ui.matchCount()).toBe(32);
      await ui.search.fill('交通 OR 公交');
      await eventually(() => app.page.locator('.article-row .badge').count()).toBe(2);
      const badges = await app.page.locator('.article-row').evaluateAll((rows) =>
        rows
          .filter((row) => row.querySelector('.badge'))
          .map((row) => {
            const title = row.querySelector('.row-title > span') as HTMLElement;
            const badge = row.querySelector('.badge') as HTMLElement;
            const r = row.getBoundingClientRect();
            const b = badge.getBoundingClientRect();
            return { title: title.textContent, tooltip: title.title, badge: badge.textContent, whole: b.right <= r.right && badge.scrollWidth <= badge.clientWidth + 1 };
          }),
      );
      expect(badges.map((b) => b.badge).sort()).toEqual(['Draft', 'Unpublished']);
      for (const b of badges) {
        expect(b.whole).toBe(true);
        expect(b.tooltip).toBe(b.title);
      }
      // The row's accessible description carries the badge.
      const hiddenRow = app.page.getByRole('option').filter({ has: app.page.locator('.badge') }).first();
      const described = (await hiddenRow.getAttribute('aria-describedby')) ?? '';
      expect(described.split(' ')).toHaveLength(3);
      // Every tree label has its full text as a tooltip.
      const labels = await ui.tags.locator('.tree-label').evaluateAll((els) => els.map((el) => [el.textContent, (el as HTMLElement).title]));
      expect(labels.length).toBeGreaterThan(0);
      for (const [text, tooltip] of labels) expect(tooltip).toBe(text);
    } finally {
      await app.close();
    }
  });

  it('screenshots: reading mode, find in article, help and the narrow layout, en light and zh dark', async () => {
    for (const look of LOOKS) {
      for (const size of SIZES) {
        const app = await openApp(session.browser, session.served, { locale: look.locale, colorScheme: look.colorScheme, viewport: size });
        const ui = new AppUi(app.page, look.language);
        const tag = `${look.language}-${look.colorScheme}-${size.width}x${size.height}`;
        try {
          await ui.search.fill('交通');
          // A post that matches only by a tag or category (free text reaches them) has no mark in its snippet:
          // open the first hit whose text holds the word, so the article has search matches to step through.
          await eventually(() => ui.rows().then((rows) => rows.some((r) => r.html.includes('<mark>')))).toBe(true);
          const withMark = (await ui.rows()).findIndex((r) => r.html.includes('<mark>'));
          await ui.options.nth(withMark).click();
          await ui.articleTitle.waitFor();
          await app.page.locator('.find-bar').waitFor();
          await shot(app.page, `layout-${tag}`);
          await ui.article.click();
          await app.page.keyboard.press('Control+f');
          await app.page.locator('.find-input').fill('交');
          await eventually(() => ui.articleBody.locator('mark.find-match').count()).toBeGreaterThan(0);
          // The other matches: light blue on light, dark blue under a dark system theme too (it was light blue with pale text).
          const others = ui.articleBody.locator('mark.find-match:not(.find-current)');
          await eventually(() => others.count()).toBeGreaterThan(0);
          expect(await others.first().evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]))
            .toEqual(look.colorScheme === 'dark' ? ['rgb(44, 93, 143)', 'rgb(255, 255, 255)'] : ['rgb(184, 220, 255)', 'rgb(29, 29, 31)']);
          await shot(app.page, `find-${tag}`);
          await app.page.keyboard.press('Escape');
          await ui.article.click();
          await app.page.keyboard.press('r');
          await eventually(() => widthOf(app.page, '.list-pane')).toBe(0);
          await shot(app.page, `reading-${tag}`);
          await app.page.keyboard.press('Escape');
          await app.page.keyboard.press('?');
          await app.page.getByRole('dialog').waitFor();
          await shot(app.page, `help-${tag}`);
          expect(app.guard.errors).toEqual([]);
        } finally {
          await app.close();
        }
      }
    }
  });
});
