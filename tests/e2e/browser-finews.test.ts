/**
 * Real scraped Chinese news (the shared finews-sample corpus) in browser mode: Chinese titles, the post with no
 * date under the Undated node in both languages, a raw HTML body rendered as HTML, and the source link.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedCorpus } from '../helpers/temp';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot, useBrowserSession } from './helpers/browser-app';

const finews = path.join(sharedCorpus, 'finews-sample');
const skip = browserSkipReason() ?? (fs.existsSync(finews) ? null : `${finews} is absent`);
announceSkip('Browser-mode finews-sample tests', skip);

const HAN = /\p{Script=Han}/u;
const RAW_HTML_POST = '2022-05-15-202205152379572893.md';
const UNDATED_POST = '-202205262391921712.md';

describe.skipIf(skip !== null)('browser mode: the finews-sample corpus', () => {
  const session = useBrowserSession(() => finews);

  it('lists the Chinese titles, renders the raw HTML body, and links the source', async () => {
    const app = await openApp(session.browser, session.served);
    const ui = new AppUi(app.page);
    try {
      const expected = (await session.served.server.service.list({ sort: 'date', limit: 100 }));
      expect(expected.total).toBe(7);
      await eventually(() => ui.matchCount()).toBe(7);
      const titles = (await ui.rows()).map((r) => r.title);
      expect(titles).toEqual(expected.items.map((hit) => hit.title));
      for (const title of titles) expect(title).toMatch(HAN);

      const article = await session.served.server.service.getArticle(RAW_HTML_POST);
      await ui.list.getByRole('option', { name: article.title }).click();
      await eventually(() => ui.articleTitle.textContent()).toBe('“第四届双品网购节”带动山东实现网络零售额超294亿元');
      // The body's own <p> and <strong> are elements, not text.
      expect(await ui.articleBody.locator('p').count()).toBeGreaterThan(3);
      expect(await ui.articleBody.locator('strong').first().textContent()).toBe('借势重点平台，强力拉动消费');
      const text = (await ui.articleBody.textContent()) ?? '';
      expect(text).toContain('记者从省商务厅获悉');
      expect(text).not.toMatch(/<\/?(p|strong)>/);

      // The source the post names, as a link to exactly that address.
      expect(article.source).toMatch(/^https?:\/\//);
      const header = ui.article.locator('header');
      const source = header.getByRole('paragraph').filter({ hasText: 'Source:' }).getByRole('link', { name: article.source ?? '' });
      expect(await source.getAttribute('href')).toBe(article.source);
      // The body keeps the post's own closing link to it as well.
      expect(await ui.articleBody.getByRole('link', { name: article.source ?? '' }).count()).toBe(1);
      await screenshot(app.page, 'finews-raw-html-post');
      expect(app.guard.foreignRequests()).toEqual([]);
      expect(app.guard.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('files the post without a date under Undated / 未注明日期, and blocks its remote images', async () => {
    for (const [locale, language, undated] of [
      ['en-US', 'en', 'Undated'],
      ['zh-CN', 'zh', '未注明日期'],
    ] as const) {
      const app = await openApp(session.browser, session.served, { locale, colorScheme: language === 'zh' ? 'dark' : 'light' });
      const ui = new AppUi(app.page, language);
      try {
        const node = ui.treeItem(ui.dates, undated);
        expect(await node.count()).toBe(1);
        // The Undated node comes after every year.
        const labels = await ui.dates.getByRole('treeitem').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
        expect(labels.at(-1)).toBe(undated);
        await node.locator('.tree-row').click();
        await eventually(() => ui.matchCount()).toBe(1);
        const [row] = await ui.rows();
        const summary = (await session.served.server.service.list({ year: null, limit: 10 })).items;
        expect(summary.map((hit) => hit.path)).toEqual([UNDATED_POST]);
        expect(row?.title).toBe(summary[0]?.title);
        expect(row?.title).toMatch(/^据霍尼韦尔官网消息/);
        expect(row?.date).toBe(undated);

        await ui.options.first().click();
        await eventually(() => ui.articleTitle.textContent()).toBe(row?.title);
        expect(await ui.article.locator('header').textContent()).toContain(undated);
        // Its stock-chart image is remote: shown only when the reader asks.
        expect(await ui.article.getByRole('button', { name: ui.names.loadRemote }).count()).toBe(1);
        expect(await ui.articleBody.locator('img[data-remote-src]:not([src])').count()).toBeGreaterThan(0);
        expect(app.guard.foreignRequests()).toEqual([]);
        await screenshot(app.page, `finews-undated-${language}`);
        expect(app.guard.errors).toEqual([]);
      } finally {
        await app.close();
      }
    }
  });
});
