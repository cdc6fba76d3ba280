/**
 * The coverage timeline and batch search in Chromium, browser mode (issue 14): a search draws its histogram,
 * clicking a bar narrows the list to that period (as the service counts it), and a two-line batch search fills
 * the table with the service's own totals. Screenshots: en light 1400×900, zh dark 900×700.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../bench/generate-archive';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, launchBrowser, openApp, screenshot, serveForTest, type ServedArchive } from './helpers/browser-app';

const skip = browserSkipReason();
announceSkip('Browser-mode timeline tests', skip);

describe.skipIf(skip !== null)('browser mode: the timeline and batch search', () => {
  let dir: string;
  let browser: Browser;
  let served: ServedArchive;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-timeline-'));
    await generateArchive(dir, 1500, 7);
    [served, browser] = await Promise.all([serveForTest(dir), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const service = () => served.server.service;

  it('search → histogram → click a bar → the list narrows; a two-line batch search (en light, wide)', async () => {
    const { page, guard, close } = await openApp(browser, served, { viewport: { width: 1400, height: 900 } });
    try {
      const ui = new AppUi(page, 'en');
      await ui.search.fill('市场');
      const chart = page.getByRole('group', { name: /^Posts over time/ });
      const expected = service().timeline({ query: '市场' }, 'year');
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
      expect(service().list({ query: narrowed, limit: 1 }).total).toBe(busiest.count);
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
      expect(totals).toEqual(['市场', '"投资" -市场'].map((q) => service().list({ query: q, limit: 1 }).total.toLocaleString('en-US')));
      await screenshot(page, 'batch-en-light-wide');
      await dialog.getByRole('button', { name: 'Search for "投资" -市场' }).click();
      await eventually(() => ui.search.inputValue()).toBe('"投资" -市场');
      expect(guard.errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('zh dark, narrow: the chart, keyboard along the bars, collapsing it', async () => {
    const { page, guard, close } = await openApp(browser, served, { locale: 'zh-CN', colorScheme: 'dark', viewport: { width: 900, height: 700 } });
    try {
      const chart = page.getByRole('group', { name: /分布/ });
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
      const expected = service().timeline({}, 'month').buckets.filter((b) => b.period >= p0! && b.period <= p2!).reduce((n, b) => n + b.count, 0);
      expect(service().list({ query: narrowed, limit: 1 }).total).toBe(expected);
      await eventually(() => page.locator('.list-header').textContent()).toContain(`${expected.toLocaleString('zh-CN')} 篇`);
      await screenshot(page, 'timeline-zh-dark-narrow-brushed');
      await page.getByRole('button', { name: '时间线' }).click();
      await eventually(() => chart.count()).toBe(0);
      expect(guard.errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
