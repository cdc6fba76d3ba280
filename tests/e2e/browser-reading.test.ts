/**
 * Browser mode, end to end, on the bundled sample archive: the real renderer against the real core in Chromium.
 * Opening the archive, the three trees, reading an article, the keyboard, and what the page itself may do
 * against the server (no token, no call).
 */
import { describe, expect, it } from 'vitest';
import { sampleArchive } from '../helpers/temp';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot, type AppPage, type ServedArchive, useBrowserSession } from './helpers/browser-app';

const skip = browserSkipReason();
announceSkip('Browser-mode reading tests', skip);

describe.skipIf(skip !== null)('browser mode: reading the sample archive', () => {
  const session = useBrowserSession(() => sampleArchive);

  const total = async (query: Parameters<ServedArchive['server']['service']['list']>[0]) => (await session.served.server.service.list({ limit: 1, ...query })).total;

  it('opens with 30 posts, three trees with counts, and filters the list from each tree', async () => {
    const app = await openApp(session.browser, session.served);
    const ui = new AppUi(app.page);
    try {
      await eventually(() => ui.statusLine.textContent()).toContain('30 posts');
      await eventually(() => ui.matchCount()).toBe(30);
      await screenshot(app.page, 'main-window-en-light');

      // Every tree has items, and every item says how many posts it holds.
      for (const tree of [ui.categories, ui.dates, ui.tags]) {
        const items = tree.getByRole('treeitem');
        expect(await items.count()).toBeGreaterThan(0);
        const descriptions = await items.evaluateAll((els) => els.map((el) => el.getAttribute('aria-description') ?? ''));
        for (const description of descriptions) expect(description).toMatch(/^\d+ posts?$/);
      }
      // A count is what the core lists for that node.
      const world = ui.treeItem(ui.categories, 'world');
      expect(await world.getAttribute('aria-description')).toBe(`${(await total({ category: ['world'] }))} posts`);

      // Categories: open `world`, select the nested `asia`: fewer posts, each filed under world › asia.
      expect(await ui.treeItem(ui.categories, 'asia').count()).toBe(0);
      await world.locator('.tree-toggle').first().click();
      expect(await world.getAttribute('aria-expanded')).toBe('true');
      const asia = ui.treeItem(ui.categories, 'asia');
      await asia.locator('.tree-row').first().click();
      const inAsia = (await total({ category: ['world', 'asia'] }));
      expect(inAsia).toBeGreaterThan(0);
      expect(inAsia).toBeLessThan(30);
      await eventually(() => ui.matchCount()).toBe(inAsia);
      expect(await asia.getAttribute('aria-selected')).toBe('true');
      let rows = await ui.rows();
      expect(rows).toHaveLength(inAsia);
      for (const row of rows) expect(row.categories).toMatch(/^world › asia( › |$)/);
      await app.page.getByRole('button', { name: 'Remove filter Category: world › asia' }).click();
      await eventually(() => ui.matchCount()).toBe(30);

      // Dates: a year, then one of its months.
      const year = ui.treeItem(ui.dates, '2023');
      await year.locator('.tree-row').first().click();
      await eventually(() => ui.matchCount()).toBe((await total({ year: 2023 })));
      rows = await ui.rows();
      for (const row of rows) expect(row.date).toContain('2023');
      await year.locator('.tree-toggle').first().click();
      const months = year.getByRole('treeitem');
      expect(await months.count()).toBeGreaterThan(1);
      const month = months.first();
      const monthName = (await month.getAttribute('aria-label')) ?? '';
      const monthNumber = new Date(`${monthName} 1, 2000`).getMonth() + 1;
      await month.locator('.tree-row').first().click();
      const inMonth = (await total({ year: 2023, month: monthNumber }));
      expect(inMonth).toBeGreaterThan(0);
      expect(inMonth).toBeLessThan((await total({ year: 2023 })));
      await eventually(() => ui.matchCount()).toBe(inMonth);
      const times = await ui.list.locator('time').evaluateAll((els) => els.map((el) => el.getAttribute('datetime') ?? ''));
      for (const time of times) expect(time.slice(0, 7)).toBe(`2023-${String(monthNumber).padStart(2, '0')}`);
      await month.locator('.tree-row').first().click(); // the selected node again clears it
      await eventually(() => ui.matchCount()).toBe(30);

      // Tags: the filter narrows the tag list; selecting a tag filters the articles.
      const allTags = await ui.tags.getByRole('treeitem').count();
      await app.page.getByRole('textbox', { name: 'Filter tags' }).fill('rai');
      await eventually(() => ui.tags.getByRole('treeitem').count()).toBeLessThan(allTags);
      const labels = await ui.tags.getByRole('treeitem').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
      expect(labels).toContain('rail');
      for (const label of labels) expect(label.toLowerCase()).toContain('rai');
      await ui.treeItem(ui.tags, 'rail').locator('.tree-row').click();
      await eventually(() => ui.matchCount()).toBe((await total({ tag: 'rail' })));
      expect((await total({ tag: 'rail' }))).toBe(2);
      expect(app.guard.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('opens an article by click and by Enter: title, date, chips; a tag chip filters the list', async () => {
    const app = await openApp(session.browser, session.served);
    const ui = new AppUi(app.page);
    try {
      const first = (await ui.rows())[0];
      await ui.options.first().click();
      await eventually(() => ui.articleTitle.textContent()).toBe(first?.title);
      expect(await ui.options.first().getAttribute('aria-selected')).toBe('true');

      // Enter opens the selected row.
      await ui.list.focus();
      await app.page.keyboard.press('ArrowDown');
      await app.page.keyboard.press('ArrowDown');
      const third = await ui.selectedTitle();
      expect(third).toBe((await ui.rows())[2]?.title);
      await app.page.keyboard.press('Enter');
      await eventually(() => ui.articleTitle.textContent()).toBe(third);

      // A post with a date, categories and tags: the rail link.
      const title = 'Cross-border rail link carries its millionth passenger';
      await ui.list.getByRole('option', { name: title }).click();
      await eventually(() => ui.articleTitle.textContent()).toBe(title);
      const time = ui.article.locator('header time');
      expect(await time.getAttribute('datetime')).toMatch(/^2024-02-27/);
      expect(await time.textContent()).toMatch(/February 27, 2024/);
      await eventually(() => ui.article.getByRole('button', { name: 'Show articles in world › asia', exact: true }).count()).toBe(1);
      const chip = ui.article.getByRole('button', { name: 'Show articles tagged rail' });
      expect(await chip.textContent()).toBe('#rail');
      await screenshot(app.page, 'article-open-en-light');

      await chip.click();
      await eventually(() => ui.matchCount()).toBe(2);
      expect(await ui.treeItem(ui.tags, 'rail').getAttribute('aria-selected')).toBe('true');
      const titles = (await ui.rows()).map((r) => r.title);
      expect(titles).toContain(title);
      // The article stays open and its row stays selected in the narrowed list.
      expect(await ui.articleTitle.textContent()).toBe(title);
      expect(await ui.selectedTitle()).toBe(title);
      expect(app.guard.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('works from the keyboard: / to search, Esc to clear, ↓/↑ and j/k in the list, Enter, Tab through the panes', async () => {
    const app = await openApp(session.browser, session.served);
    const ui = new AppUi(app.page);
    const { keyboard } = app.page;
    const focused = () =>
      app.page.evaluate(() => {
        const el = document.activeElement;
        if (!el) return '';
        const tree = el.closest('[role="tree"]');
        return `${el.getAttribute('role') ?? el.tagName.toLowerCase()}|${el.getAttribute('aria-label') ?? ''}|${tree?.getAttribute('aria-label') ?? ''}|${el.closest('article') ? 'article' : ''}`;
      });
    try {
      await app.page.locator('body').click({ position: { x: 900, y: 400 } });
      await keyboard.press('/');
      await eventually(focused).toMatch(/^input\|Search\|/);
      await keyboard.type('rail');
      await eventually(() => ui.matchCount()).toBe((await session.served.server.service.list({ query: 'rail', limit: 1 })).total);
      await keyboard.press('Escape');
      await eventually(() => ui.search.inputValue()).toBe('');
      await eventually(() => ui.matchCount()).toBe(30);
      expect(await focused()).not.toMatch(/^input\|Search/);
      // Outside the list and trees, j reads the next article at once.
      await keyboard.press('j');
      await eventually(() => ui.articleTitle.textContent()).toBe((await ui.rows())[0]?.title);
      await keyboard.press('j');
      await eventually(() => ui.articleTitle.textContent()).toBe((await ui.rows())[1]?.title);

      // ↓ from the search field enters the list, keeping the selected row (the open article's); then ↓/↑ and j/k move.
      await ui.search.focus();
      await keyboard.press('ArrowDown');
      await eventually(focused).toMatch(/^listbox\|Articles\|/);
      expect(await ui.selectedIndex()).toBe(1);
      await keyboard.press('ArrowDown');
      expect(await ui.selectedIndex()).toBe(2);
      await keyboard.press('j');
      expect(await ui.selectedIndex()).toBe(3);
      await keyboard.press('j');
      expect(await ui.selectedIndex()).toBe(4);
      await keyboard.press('k');
      expect(await ui.selectedIndex()).toBe(3);
      await keyboard.press('ArrowUp');
      expect(await ui.selectedIndex()).toBe(2);
      // One current article: moving in the list opens the selected row's article (Enter too).
      const title = await ui.selectedTitle();
      await eventually(() => ui.articleTitle.textContent()).toBe(title);
      await keyboard.press('Enter');
      await eventually(() => ui.articleTitle.textContent()).toBe(title);

      // Tab from the top of the page visits the trees, the list and the article's controls.
      await app.page.locator('body').click({ position: { x: 900, y: 790 } });
      await app.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const visited: string[] = [];
      for (let i = 0; i < 40; i += 1) {
        await keyboard.press('Tab');
        visited.push(await focused());
      }
      const reached = (pattern: RegExp) => visited.some((v) => pattern.test(v));
      expect(reached(/^treeitem\|.*\|Categories\|/), visited.join('\n')).toBe(true);
      expect(reached(/^treeitem\|.*\|Dates\|/), visited.join('\n')).toBe(true);
      expect(reached(/^treeitem\|.*\|Tags\|/), visited.join('\n')).toBe(true);
      expect(reached(/^listbox\|Articles\|/), visited.join('\n')).toBe(true);
      expect(reached(/^button\|Show articles tagged .*\|\|article$/), visited.join('\n')).toBe(true);
      // In a tree, the arrows move between items and Enter selects.
      await ui.categories.getByRole('treeitem').first().focus();
      await keyboard.press('ArrowDown');
      await eventually(focused).toMatch(/^treeitem\|local\|Categories\|/);
      await keyboard.press('Enter');
      await eventually(() => ui.matchCount()).toBe((await session.served.server.service.list({ category: ['local'], limit: 1 })).total);
      expect(app.guard.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('speaks English and Chinese, follows light and dark, and sizes the reading text', async () => {
    const background = (app: AppPage) => app.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const en = await openApp(session.browser, session.served, { locale: 'en-US', colorScheme: 'light' });
    const zh = await openApp(session.browser, session.served, { locale: 'zh-CN', colorScheme: 'dark' });
    try {
      for (const [app, language] of [
        [en, 'en'],
        [zh, 'zh'],
      ] as const) {
        const ui = new AppUi(app.page, language);
        for (const named of [ui.categories, ui.dates, ui.tags, ui.search, ui.list]) expect(await named.count()).toBe(1);
        expect(await app.page.evaluate(() => document.documentElement.lang)).toBe(language === 'zh' ? 'zh-CN' : 'en');
      }
      const zhUi = new AppUi(zh.page, 'zh');
      await eventually(() => zhUi.statusLine.textContent()).toContain('30 篇文章');
      await eventually(() => zhUi.matchCount()).toBe(30);
      expect(await zhUi.treeItem(zhUi.dates, '2024年').count()).toBe(1);
      expect(await zhUi.search.getAttribute('placeholder')).toBe('搜索（按 / 键聚焦）');
      // No English left in the Chinese chrome (the archive's own names and the language menu aside).
      const chrome = await zh.page.evaluate(() => {
        const copy = document.body.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.tree-label, [role="option"], .archive-name, .status-path, option').forEach((el) => el.remove());
        return copy.textContent ?? '';
      });
      for (const english of ['Categories', 'Dates', 'Tags', 'Search', 'Sort by', 'articles', 'posts', 'hidden', 'problems', 'Show unpublished', 'Select an article']) {
        expect(chrome, english).not.toContain(english);
      }
      await screenshot(zh.page, 'main-window-zh-dark');

      // Light and dark: the colour scheme of the system, and the reader's own choice over it.
      const light = await background(en);
      const dark = await background(zh);
      expect(light).not.toBe(dark);
      await en.page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
      await eventually(() => background(en)).toBe(dark);
      await en.page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
      await eventually(() => background(en)).toBe(light);
      // …and light chosen over a dark system.
      await zh.page.getByRole('combobox', { name: '主题' }).selectOption('light');
      await eventually(() => background(zh)).toBe(light);
      await zh.page.getByRole('combobox', { name: '主题' }).selectOption('system');
      await eventually(() => background(zh)).toBe(dark);

      // Text size: A+ and A− change the reading text by a pixel each.
      await zhUi.options.first().click();
      await eventually(() => zhUi.articleTitle.textContent()).toBe((await zhUi.rows())[0]?.title);
      const size = () => zhUi.articleBody.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      const start = await size();
      await zh.page.getByRole('button', { name: '增大字号' }).click();
      await eventually(size).toBe(start + 1);
      await zh.page.getByRole('button', { name: '减小字号' }).click();
      await zh.page.getByRole('button', { name: '减小字号' }).click();
      await eventually(size).toBe(start - 1);
      expect(await zh.page.getByRole('group', { name: `字号 ${start - 1}` }).count()).toBe(1);
      await screenshot(zh.page, 'article-open-zh-dark');
      expect([...en.guard.errors, ...zh.guard.errors]).toEqual([]);
    } finally {
      await en.close();
      await zh.close();
    }
  });

  it('opens the source of an article in a new tab, without a way back to the app (browser mode has no system browser)', async () => {
    const app = await openApp(session.browser, session.served);
    const ui = new AppUi(app.page);
    try {
      const title = '人工智能大模型走进政务服务窗口';
      const source = 'https://example.com/news/2024/01/20/ai-assistant-government-services';
      await ui.list.getByRole('option', { name: title }).click();
      await eventually(() => ui.articleTitle.textContent()).toBe(title);
      const link = ui.article.locator('header').getByRole('link', { name: source });
      expect(await link.getAttribute('href')).toBe(source);
      // Whatever the tab asks the network for is aborted by openApp's route: nothing leaves this machine.
      const asked: string[] = [];
      app.context.on('request', (request) => asked.push(request.url()));

      for (const control of [link, ui.article.getByRole('button', { name: 'Open original link' })]) {
        const tab = app.context.waitForEvent('page', { timeout: 3000 });
        await control.click();
        const opened = await tab.catch(() => null);
        expect(opened, 'clicking the source did nothing').not.toBeNull();
        expect(await opened?.evaluate(() => window.opener)).toBeNull();
        await opened?.close();
      }
      expect(asked.filter((url) => url === source).length).toBe(2);
      expect(app.page.url()).toBe(`${session.served.origin}/`);
    } finally {
      await app.close();
    }
  });

  it('keeps the token out of the address bar and refuses API calls without it, even from the page', async () => {
    const app = await openApp(session.browser, session.served);
    try {
      const address = new URL(app.page.url());
      expect(address.searchParams.has('token')).toBe(false);
      expect(app.page.url()).not.toContain(new URL(session.served.url).searchParams.get('token'));
      const statuses = await app.page.evaluate(async () => {
        const post = (headers: Record<string, string>) =>
          fetch('/api/call/getArchiveInfo', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{"args":[]}' }).then(
            (r) => r.status,
          );
        const token = sessionStorage.getItem('backfile-token') ?? '';
        return {
          none: await post({}),
          wrong: await post({ 'X-Backfile-Token': 'x'.repeat(token.length) }),
          // The page's own bridge sends the header: the same call then works (so the 403s above are about the token).
          right: await post({ 'X-Backfile-Token': token }),
        };
      });
      expect(statuses).toEqual({ none: 403, wrong: 403, right: 200 });
      expect(app.guard.foreignRequests()).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
