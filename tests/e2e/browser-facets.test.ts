/**
 * Facet counts in Chromium, browser mode (issue 11 item 9): choosing a tag makes each year show the result's
 * count beside the archive's ("3 / 104"), and two tags are two chips that combine with AND, then OR, on a
 * generated archive. The page's numbers are compared with the service's own answers for the same query.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Facets, ListQuery } from '../../src-main/shared/archive-api';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot, useBrowserSession } from './helpers/browser-app';
import { generatedArchive } from './helpers/generated-archive';

const skip = browserSkipReason();
announceSkip('Browser-mode facet tests', skip);

describe.skipIf(skip !== null)('browser mode: the trees count the current result', () => {
  const session = useBrowserSession(() => generatedArchive('backfile-facets-', 1500, 7), 120_000);

  const service = () => session.served.server.service;
  /** Every year row of the Dates tree: its label and the counts it shows. */
  const yearCounts = (ui: AppUi) =>
    ui.dates.locator(':scope > [role="treeitem"]').evaluateAll((rows) =>
      rows.map((row) => [row.getAttribute('aria-label') ?? '', row.querySelector(':scope > .tree-row .tree-count')?.textContent ?? '']),
    );
  /** What the Dates tree should show for a query: "n / archive" per year the result reaches. */
  const expectedYears = async (q: ListQuery, language: 'en' | 'zh') => {
    const facets: Facets = (await service().facets(q));
    const all = new Map((await service().dates()).map((d) => [d.year, d.count]));
    return [...facets.dates]
      .sort((a, b) => (a.year === null ? 1 : b.year === null ? -1 : b.year - a.year))
      .map((d) => [d.year === null ? (language === 'en' ? 'Undated' : '未注明日期') : language === 'en' ? String(d.year) : `${d.year}年`, `${d.count} / ${all.get(d.year)}`]);
  };
  const clickTag = (ui: AppUi, name: string) => ui.tags.getByRole('treeitem', { name, exact: true }).locator('.tree-row').click();

  async function walkThrough(page: Page, ui: AppUi, language: 'en' | 'zh', shot: string) {
    const tags = (await service().tags()).filter((t) => t.name !== '');
    // A tag that only some posts carry, and a second one that some of its posts also carry.
    const first = tags[2]!.name;
    const second = (await service().facets({ tag: first })).tags.find((t) => t.name !== '' && t.name !== first && t.count > 1)!.name;
    const busiest = [...(await service().dates())].sort((a, b) => b.count - a.count)[0]!;
    const yearLabel = language === 'en' ? String(busiest.year) : `${busiest.year}年`;
    const yearRow = () => ui.dates.getByRole('treeitem', { name: yearLabel, exact: true }).locator(':scope > .tree-row .tree-count');

    // The whole archive: one number, the archive's.
    await eventually(() => yearRow().textContent()).toBe(String(busiest.count));

    await clickTag(ui, first);
    const tagged = (await service().list({ tag: first, year: busiest.year, limit: 1 })).total;
    expect(tagged).toBeLessThan(busiest.count);
    await eventually(() => yearRow().textContent()).toBe(`${tagged} / ${busiest.count}`);
    await eventually(() => yearCounts(ui)).toEqual((await expectedYears({ tag: first }, language)));

    // Two tags: two chips, all of them first (AND), then any (OR).
    await clickTag(ui, second);
    const chips = page.getByRole('list', { name: language === 'en' ? 'Active filters' : '当前筛选' });
    await eventually(() => chips.getByRole('listitem').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining(first), expect.stringContaining(second)]),
    );
    const both: ListQuery = { tags: [first, second] };
    await eventually(() => yearCounts(ui)).toEqual((await expectedYears(both, language)));
    const anyMode = page.getByRole('button', { name: language === 'en' ? 'Any tag' : '含任一标签' });
    expect(await anyMode.getAttribute('aria-pressed')).toBe('false');
    await screenshot(page, `${shot}-and`);
    await anyMode.click();
    const either: ListQuery = { tags: [first, second], tagMode: 'any' };
    expect((await service().list({ ...either, limit: 1 })).total).toBeGreaterThan((await service().list({ ...both, limit: 1 })).total);
    await eventually(() => yearCounts(ui)).toEqual((await expectedYears(either, language)));
    await screenshot(page, `${shot}-or`);
    // Back: AND again (the mode is part of the history entry), then one tag.
    await page.keyboard.press('Alt+ArrowLeft');
    await eventually(() => yearCounts(ui)).toEqual((await expectedYears(both, language)));
    await page.keyboard.press('Alt+ArrowLeft');
    await eventually(() => yearCounts(ui)).toEqual((await expectedYears({ tag: first }, language)));
  }

  it('en, light: a tag makes a year count drop to the result; two tags combine with AND, then OR', async () => {
    const app = await openApp(session.browser, session.served, { viewport: { width: 1400, height: 900 } });
    try {
      await walkThrough(app.page, new AppUi(app.page), 'en', 'facets-en-light');
      expect(app.guard.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('zh, dark: the same', async () => {
    const app = await openApp(session.browser, session.served, { locale: 'zh-CN', colorScheme: 'dark', viewport: { width: 1400, height: 900 } });
    try {
      await walkThrough(app.page, new AppUi(app.page, 'zh'), 'zh', 'facets-zh-dark');
      expect(app.guard.errors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 60_000);
});
