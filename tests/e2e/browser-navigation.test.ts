/**
 * Moving through a big result and through what the reader looked at, in browser mode on a generated archive of
 * a few thousand posts: the list spans the whole result (End, Home and the scrollbar reach every row, fetching
 * pages where they land), the selection is the open article, oldest first is a sort, Esc clears the search only
 * from the search field, and back/forward (Alt+←/→, the mouse's buttons, the browser's Back) step through
 * query, filters and article without leaving the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot, type AppPage, useBrowserSession } from './helpers/browser-app';
import { generatedArchive } from './helpers/generated-archive';

const skip = browserSkipReason();
announceSkip('Browser-mode navigation tests', skip);

const POSTS = 3000;
const ROW_HEIGHT = 96;

describe.skipIf(skip !== null)('browser mode: a big list, one current article, back and forward', () => {
  let app: AppPage;
  let ui: AppUi;
  const session = useBrowserSession(() => generatedArchive('backfile-nav-', POSTS, 7), 120_000);
  beforeAll(async () => {
    app = await openApp(session.browser, session.served);
    ui = new AppUi(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  const core = async (q: ListQuery) => (await session.served.server.service.list({ limit: 1, ...q }));
  const titleAt = async (offset: number, q: ListQuery = {}): Promise<string> => {
    const hit = (await core({ sort: 'date', ...q, offset })).items[0];
    return hit?.title || hit?.path || '';
  };
  const scroller = () => app.page.locator('.article-list-scroller');
  /** The title of the rendered row at this index of the whole result, or null (not rendered, or a placeholder). */
  const rowTitle = (index: number) =>
    ui.list.evaluate((list, i) => {
      const row = list.querySelector(`[role="option"][data-index="${i}"]:not([data-placeholder])`);
      const id = row?.getAttribute('aria-labelledby');
      return id ? (document.getElementById(id)?.textContent ?? null) : null;
    }, index);

  it('spans the whole result: End, Home and dragging the scrollbar reach every row, and open what they select', async () => {
    const total = (await core({})).total;
    expect(total).toBeGreaterThan(2000);
    await eventually(() => ui.matchCount()).toBe(total);
    // The scrollbar is the whole result's, not the first page's.
    expect(await scroller().evaluate((el) => el.scrollHeight)).toBeGreaterThanOrEqual(total * ROW_HEIGHT);

    await ui.options.first().click();
    await eventually(() => ui.articleTitle.textContent()).toBe((await titleAt(0)));
    await app.page.keyboard.press('End');
    await eventually(() => ui.selectedIndex()).toBe(total - 1);
    await eventually(() => ui.articleTitle.textContent()).toBe((await titleAt(total - 1)));
    await eventually(() => rowTitle(total - 1)).toBe((await titleAt(total - 1)));
    await screenshot(app.page, 'navigation-end');
    await app.page.keyboard.press('Home');
    await eventually(() => ui.selectedIndex()).toBe(0);
    await eventually(() => ui.articleTitle.textContent()).toBe((await titleAt(0)));

    // Drag the scrollbar's thumb to the middle (headless Chromium draws no scrollbar: jump as a drag does).
    const top = await scroller().evaluate((el) => {
      el.scrollTop = el.scrollHeight / 2;
      return el.scrollTop;
    });
    expect(top).toBeGreaterThan(total * ROW_HEIGHT * 0.4);
    const middle = Math.ceil(top / ROW_HEIGHT) + 1;
    await eventually(() => rowTitle(middle)).toBe((await titleAt(middle)));
    await screenshot(app.page, 'navigation-middle');
    expect(app.guard.errors).toEqual([]);
  });

  it('sorts oldest first', async () => {
    await app.page.locator('.sort-select').selectOption('oldest');
    await eventually(() => rowTitle(0)).toBe((await titleAt(0, { sort: 'oldest' })));
    await app.page.locator('.sort-select').selectOption('date');
    await eventually(() => rowTitle(0)).toBe((await titleAt(0)));
  });

  it('moving in the list opens the article; Esc outside the search field keeps the search; back and forward step through it all', async () => {
    const { keyboard } = app.page;
    const query = (await core({ query: '市场' })).total > 0 ? '市场' : '的';
    const q: ListQuery = { query, sort: 'date' }; // the sort chosen last (the test before)
    const hitTitle = async (offset: number) => {
      const hit = (await core({ ...q, offset })).items[0];
      return hit?.title || hit?.path || '';
    };
    await ui.search.fill(query);
    await eventually(() => ui.matchCount()).toBe((await core(q)).total);
    await eventually(() => rowTitle(0)).toBe((await hitTitle(0)));
    await ui.options.first().click();
    await eventually(() => ui.articleTitle.textContent()).toBe((await hitTitle(0)));
    // ↓ moves the selection and opens its article: one current article.
    await keyboard.press('ArrowDown');
    await eventually(() => ui.articleTitle.textContent()).toBe((await hitTitle(1)));
    expect(await ui.selectedIndex()).toBe(1);

    // Esc in the list, or while reading, leaves the search alone.
    await keyboard.press('Escape');
    await ui.articleTitle.click();
    await keyboard.press('Escape');
    expect(await ui.search.inputValue()).toBe(query);
    expect(await ui.matchCount()).toBe((await core(q)).total);

    // Alt+← / Alt+→: the previous article, and again the next.
    await keyboard.press('Alt+ArrowLeft');
    await eventually(() => ui.articleTitle.textContent()).toBe((await hitTitle(0)));
    await keyboard.press('Alt+ArrowRight');
    await eventually(() => ui.articleTitle.textContent()).toBe((await hitTitle(1)));
    // The mouse's back button, then forward, pressed for real (through the DevTools protocol): one step each,
    // whether the app or Chromium acts on them.
    const cdp = await app.context.newCDPSession(app.page);
    const mouseButton = async (button: 'back' | 'forward') => {
      for (const type of ['mousePressed', 'mouseReleased'] as const) {
        await cdp.send('Input.dispatchMouseEvent', { type, button, x: 900, y: 400, clickCount: 1 });
      }
    };
    const steps = () => app.page.evaluate(() => window.history.length);
    const before = await steps();
    await mouseButton('back');
    await eventually(() => ui.articleTitle.textContent()).toBe((await hitTitle(0)));
    await mouseButton('forward');
    await eventually(() => ui.articleTitle.textContent()).toBe((await hitTitle(1)));
    await mouseButton('back');
    await eventually(() => ui.articleTitle.textContent()).toBe((await hitTitle(0)));
    await mouseButton('forward');
    await eventually(() => ui.articleTitle.textContent()).toBe((await hitTitle(1)));
    expect(await steps()).toBe(before);

    // Esc in the search field clears it; Back brings the query (and its article) back.
    await ui.search.focus();
    await keyboard.press('Escape');
    await eventually(() => ui.matchCount()).toBe((await core({})).total);
    await app.page.goBack();
    await eventually(() => ui.search.inputValue()).toBe(query);
    await eventually(() => ui.matchCount()).toBe((await core(q)).total);
    await eventually(() => ui.articleTitle.textContent()).toBe((await hitTitle(1)));
    // The browser's Back walks the app's own steps and stays in the app.
    await app.page.goBack();
    await eventually(() => ui.articleTitle.textContent()).toBe((await hitTitle(0)));
    // Typing the query kept the article read before it (from the first test): that is the step before.
    await app.page.goBack();
    await eventually(() => ui.articleTitle.textContent()).toBe((await titleAt(0)));
    expect(await ui.search.inputValue()).toBe(query);
    expect(new URL(app.page.url()).origin).toBe(session.served.origin);
    await app.page.goForward();
    await eventually(() => ui.articleTitle.textContent()).toBe((await hitTitle(0)));
    expect(app.guard.errors).toEqual([]);
  });
});
