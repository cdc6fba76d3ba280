/**
 * The coverage timeline and batch search in Chromium, browser mode (issue 14): a search draws its histogram,
 * clicking a bar narrows the list to that period (as the service counts it), and a two-line batch search fills
 * the table with the service's own totals. Compact (issue 11): one header row, the chart at most 64 px, its place
 * kept while it loads or has nothing to draw (the list never moves), folded by default in a 900×700 window.
 * Screenshots: en light 1400×900, zh dark 900×700.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { generateArchive } from '../bench/generate-archive';
import { AppUi } from './helpers/app-ui';
import { serveArchive } from '../../src-main/server/serve';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot, useBrowserSession } from './helpers/browser-app';
import { generatedArchive } from './helpers/generated-archive';

/** Records, from the page's first frame, every distinct top of the article list (a layout shift moves it). */
async function watchListTop(page: Page): Promise<() => Promise<number[]>> {
  await page.context().addInitScript(() => {
    const w = window as unknown as { listTops: number[] };
    w.listTops = [];
    const frame = () => {
      const top = document.querySelector('[role=listbox]')?.getBoundingClientRect().top;
      if (top !== undefined && !w.listTops.includes(top)) w.listTops.push(top);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await page.reload();
  await page.getByRole('listbox').getByRole('option').first().waitFor();
  return () => page.evaluate(() => (window as unknown as { listTops: number[] }).listTops);
}

const skip = browserSkipReason();
announceSkip('Browser-mode timeline tests', skip);

describe.skipIf(skip !== null)('browser mode: the timeline and batch search', () => {
  let dir: string;
  const session = useBrowserSession(async () => (dir = await generatedArchive('backfile-timeline-', 1500, 7)), 120_000);
  const service = () => session.served.server.service;

  it('search → histogram → click a bar → the list narrows; a two-line batch search (en light, wide)', async () => {
    const { page, guard, close } = await openApp(session.browser, session.served, { viewport: { width: 1400, height: 900 } });
    try {
      const listTops = await watchListTop(page);
      const ui = new AppUi(page, 'en');
      const chart = page.getByRole('group', { name: /^Posts over time/ });
      // Open by default in a large window; one header row, the chart at most 64 px, Batch search… not in it.
      await expect(page.getByRole('button', { name: 'Timeline' }).getAttribute('aria-expanded')).resolves.toBe('true');
      await eventually(() => chart.getByRole('button').count()).toBeGreaterThan(1);
      const box = async (selector: string) => (await page.locator(selector).boundingBox())!.height;
      expect(await box('.timeline-head')).toBeLessThanOrEqual(28);
      expect(await box('.timeline-body')).toBeLessThanOrEqual(64);
      await expect(page.locator('.timeline').getByRole('button', { name: 'Batch search…' }).count()).resolves.toBe(0);
      const timelineHeight = await box('.timeline');
      await ui.search.fill('市场');
      await eventually(() => page.locator('.list-header').textContent()).toContain((await service().list({ query: '市场', limit: 1 })).total.toLocaleString('en-US'));
      await eventually(() => chart.getByRole('button').count()).toBe((await service().timeline({ query: '市场' })).buckets.length);
      // From the first frame through loading, the timeline's arrival and a search: the list never moved.
      expect(await listTops()).toHaveLength(1);
      // A result with nothing dated keeps the chart's place.
      await ui.search.fill('zzqxnothing');
      await eventually(() => page.locator('.timeline-empty').count()).toBe(1);
      expect(await box('.timeline')).toBe(timelineHeight);
      await ui.search.fill('市场');
      const expected = (await service().timeline({ query: '市场' }, 'year'));
      await page.getByRole('combobox', { name: 'Bar size' }).selectOption('year');
      await eventually(() => chart.getByRole('button').count()).toBe(expected.buckets.length);
      const busiest = [...expected.buckets].sort((a, b) => b.count - a.count)[0]!;
      const bar = chart.getByRole('button', { name: `${busiest.period}: ${busiest.count} posts`, exact: true });
      await expect(bar.getAttribute('aria-label')).resolves.toBe(`${busiest.period}: ${busiest.count} posts`);
      await screenshot(page, 'timeline-en-light-wide');
      await bar.click();
      const narrowed = `市场 after:${busiest.period} before:${Number(busiest.period) + 1}`;
      await eventually(() => ui.search.inputValue()).toBe(narrowed);
      await eventually(() => page.locator('.list-header').textContent()).toContain(busiest.count.toLocaleString('en-US'));
      expect((await service().list({ query: narrowed, limit: 1 })).total).toBe(busiest.count);
      await expect(page.getByRole('button', { name: 'Remove the date range' }).isVisible()).resolves.toBe(true);
      // The histogram follows: one year, one bar.
      await eventually(() => chart.getByRole('button').count()).toBe(1);

      await page.getByRole('button', { name: 'Batch search…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Batch search' });
      await dialog.getByRole('textbox').fill('市场\n"投资" -市场\n');
      await dialog.getByRole('button', { name: 'Run', exact: true }).click();
      const rows = dialog.locator('tbody tr');
      await eventually(() => rows.count()).toBe(2);
      const totals = await rows.locator('td.number').allTextContents();
      expect(totals).toEqual(await Promise.all(['市场', '"投资" -市场'].map(async (q) => (await service().list({ query: q, limit: 1 })).total.toLocaleString('en-US'))));
      await screenshot(page, 'batch-en-light-wide');
      await dialog.getByRole('button', { name: 'Search for "投资" -市场' }).click();
      await eventually(() => ui.search.inputValue()).toBe('"投资" -市场');
      expect(guard.errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('zh dark, narrow: folded by default, opened and remembered; keyboard along the bars; folding it', async () => {
    const { page, guard, close } = await openApp(session.browser, session.served, { locale: 'zh-CN', colorScheme: 'dark', viewport: { width: 900, height: 700 } });
    try {
      const chart = page.getByRole('group', { name: /分布/ });
      const toggle = page.getByRole('button', { name: '时间线' });
      await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
      await expect(chart.count()).resolves.toBe(0);
      await screenshot(page, 'timeline-zh-dark-narrow-folded');
      // Batch search… beside the search field, by its short label, one Tab from the field.
      const batch = page.getByRole('button', { name: '批量搜索…' });
      await expect(batch.textContent()).resolves.toBe('批量搜索…批量…');
      await expect(batch.locator('.batch-short').isVisible()).resolves.toBe(true);
      const searchBox = (await page.locator('.search-field').boundingBox())!;
      const batchBox = (await batch.boundingBox())!;
      expect(batchBox.x).toBeGreaterThan(searchBox.x + searchBox.width - 1);
      expect(Math.abs(batchBox.y + batchBox.height / 2 - (searchBox.y + searchBox.height / 2))).toBeLessThan(6);
      await toggle.click();
      await page.reload();
      await page.getByRole('listbox').getByRole('option').first().waitFor();
      await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
      await eventually(() => chart.getByRole('button').count()).toBeGreaterThan(1);
      const bars = chart.getByRole('button');
      const n = await bars.count();
      await bars.nth(n - 1).focus();
      await page.keyboard.press('ArrowLeft');
      const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-period'));
      expect(focused).toBe(await bars.nth(n - 2).getAttribute('data-period'));
      await screenshot(page, 'timeline-zh-dark-narrow');
      // Brushing: press on the first bar, move across two more, let go.
      const [from, to] = [await bars.nth(0).boundingBox(), await bars.nth(2).boundingBox()];
      const [p0, p2] = [await bars.nth(0).getAttribute('data-period'), await bars.nth(2).getAttribute('data-period')];
      await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
      await page.mouse.down();
      await page.mouse.move(to!.x + to!.width / 2, to!.y + to!.height / 2, { steps: 5 });
      await page.mouse.up();
      const ui = new AppUi(page, 'zh');
      await eventually(() => ui.search.inputValue()).toMatch(/^after:\S+ before:\S+$/);
      const narrowed = await ui.search.inputValue();
      const expected = (await service().timeline({}, 'month')).buckets.filter((b) => b.period >= p0! && b.period <= p2!).reduce((n, b) => n + b.count, 0);
      expect((await service().list({ query: narrowed, limit: 1 })).total).toBe(expected);
      await eventually(() => page.locator('.list-header').textContent()).toContain(`${expected.toLocaleString('zh-CN')} 篇`);
      await screenshot(page, 'timeline-zh-dark-narrow-brushed');
      await page.getByRole('button', { name: '时间线' }).click();
      await eventually(() => chart.count()).toBe(0);
      expect(guard.errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
  it('while a first index runs, the timeline follows the posts indexed so far and the list never moves', async () => {
    const big = path.join(dir, 'big');
    await generateArchive(big, 6000, 13);
    process.env.BACKFILE_DATA_DIR = path.join(dir, 'big-data');
    const server = await serveArchive({ archive: big, indexFile: path.join(dir, 'big.sqlite'), announce: false, watch: false });
    const context = await session.browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
    try {
      context.setDefaultTimeout(60_000);
      // The page records, every frame, where the list starts and what the timeline's axis says, while "Indexing…" shows.
      await context.addInitScript(`window.seen = { tops: [], ends: [] };
        const look = () => {
          if (document.querySelector('[data-testid="indexing-notice"]')) {
            const top = document.querySelector('[role=listbox]')?.getBoundingClientRect().top;
            const end = document.querySelector('.timeline-axis span:last-child')?.textContent;
            if (top !== undefined && !window.seen.tops.includes(top)) window.seen.tops.push(top);
            if (end && !window.seen.ends.includes(end)) window.seen.ends.push(end);
          }
          requestAnimationFrame(look);
        };
        requestAnimationFrame(look);`);
      const page = await context.newPage();
      await page.goto(server.url);
      while (server.service.progress()?.phase !== 'ready') {
        if (server.service.progress()?.phase === 'error') throw new Error('indexing failed');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await page.getByRole('listbox').getByRole('option').first().waitFor();
      const seen = await page.evaluate(() => (window as unknown as { seen: { tops: number[]; ends: string[] } }).seen);
      expect(seen.tops.length, 'the list was shown while indexing').toBeGreaterThan(0);
      expect(seen.ends.length, 'the timeline was redrawn as posts were indexed').toBeGreaterThan(1);
      expect(seen.tops, 'the list kept its place through every refresh').toHaveLength(1);
    } finally {
      await context.close();
      await server.close();
    }
  }, 120_000);
});
