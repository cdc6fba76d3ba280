// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ArticleView } from '../../src-renderer/components/article-view';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore, settle } from './test-utils';

const CITY = '_posts/2019-03-01-list-categories.md';
const REMOTE = '_posts/2024-04-01-hostile-html.md';

afterEach(cleanup);

async function show(path: string, api = new FakeApi(), before?: (store: ReturnType<typeof makeStore>) => Promise<void>) {
  const store = makeStore(api);
  await store.getState().init();
  await settle();
  if (before) await before(store);
  await store.getState().openArticle(path);
  renderWithStore(<ArticleView />, store);
  const article = screen.getByRole('article');
  return { api, store, article, body: article.querySelector('.article-body') as HTMLElement };
}

describe('ArticleView', () => {
  test('an <article> titled by its h1, dated as written with the offset in the tooltip', async () => {
    const { article } = await show(CITY);
    expect(within(article).getByRole('heading', { level: 1 }).textContent).toBe('City hall election results');
    expect(screen.getByRole('article', { name: 'City hall election results' })).toBe(article);
    const time = article.querySelector('time');
    expect(time?.getAttribute('datetime')).toBe('2019-03-01T09:15:00+01:00');
    expect(time?.textContent).toMatch(/March 1, 2019/);
    expect(time?.textContent).toMatch(/9:15/);
    expect(time?.getAttribute('title')).toBe('Written as 2019-03-01 09:15 (UTC+01:00)');
    expect(article.textContent).toContain('By Jane Doe');
    expect(article.textContent).toContain('https://news.example.com/2019/03/01/city-hall');
  });

  test('links in the body: web links go out through the host, everything else does nothing', async () => {
    const { api, body } = await show(CITY);
    const click = (name: string): boolean => fireEvent.click(within(body).getByText(name));
    await act(async () => {
      // fireEvent returns false when the default action was prevented.
      expect(click('official report')).toBe(false);
      expect(click('a trap')).toBe(false);
      expect(click('a relative link')).toBe(false);
      expect(click('mail the desk')).toBe(false);
      expect(click('an emphasised link')).toBe(false);
    });
    expect(api.callsTo('openExternal')).toEqual([['https://example.com/report'], ['http://example.org/x']]);
  });

  test('the body shows the marks the core put on the current search, and asks again when the search changes', async () => {
    const api = new FakeApi();
    const { body, store } = await show(CITY, api, async (s) => {
      s.setState({ query: 'election report' });
      await s.getState().runSearch();
    });
    expect(store.getState().appliedQuery).toBe('election report');
    expect(api.callsTo('getArticle').at(-1)).toEqual([CITY, 'election report']);
    await waitFor(() => expect([...body.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['election', 'report']));
    expect(body.querySelector('a')?.getAttribute('href')).toBe('https://example.com/report');
    // A new query fetches the article again with the new marks.
    await act(async () => {
      store.setState({ query: 'city' });
      await store.getState().runSearch();
    });
    await waitFor(() => expect([...body.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['city']));
    expect(api.callsTo('getArticle').at(-1)).toEqual([CITY, 'city']);
  });

  test('remote images wait for the reader, then load for this article only', async () => {
    const { api, store, body } = await show(REMOTE);
    const pixel = within(body).getByAltText('pixel');
    const local = within(body).getByAltText('chart');
    expect(pixel.hasAttribute('src')).toBe(false);
    expect(local.getAttribute('src')).toBe('/asset/assets/images/chart.png');
    expect(document.querySelector('.remote-bar')?.textContent).toContain('This article has remote images.');

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Load remote content' }));
    });
    await waitFor(() => expect(within(body).getByAltText('pixel').getAttribute('src')).toBe('https://tracker.example/pixel.gif'));
    expect(api.callsTo('setRemoteContentAllowed')).toEqual([[REMOTE, true]]);
    expect(within(body).getByAltText('bad').hasAttribute('src')).toBe(false);
    expect(screen.queryByRole('button', { name: 'Load remote content' })).toBeNull();

    // The next article starts blocked again.
    await act(async () => {
      await store.getState().openArticle(CITY);
      await store.getState().openArticle(REMOTE);
    });
    const body2 = document.querySelector('.article-body') as HTMLElement;
    expect(within(body2).getByAltText('pixel').hasAttribute('src')).toBe(false);
    expect(screen.getByRole('button', { name: 'Load remote content' })).toBeTruthy();
  });

  test('no remote bar for an article without remote content', async () => {
    await show(CITY);
    expect(screen.queryByRole('button', { name: 'Load remote content' })).toBeNull();
  });

  test('copy citation puts the host’s citation (default style GB/T 7714) on the clipboard', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    await show(CITY);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy citation' }));
    });
    expect(writeText).toHaveBeenCalledWith('gb7714: City hall election results');
    expect(await screen.findByText('Citation copied')).toBeTruthy();
  });

  test('show in folder only where the host can; open original link goes out', async () => {
    const desktop = await show(CITY);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Show in folder' }));
      fireEvent.click(screen.getByRole('button', { name: 'Open original link' }));
    });
    expect(desktop.api.callsTo('showInFolder')).toEqual([[CITY]]);
    expect(desktop.api.callsTo('openExternal')).toEqual([['https://news.example.com/2019/03/01/city-hall']]);
    cleanup();

    const browser = new FakeApi();
    browser.capabilities = { showInFolder: false, chooseFolder: false, importPaths: false, importFiles: false };
    await show(CITY, browser);
    expect(screen.queryByRole('button', { name: 'Show in folder' })).toBeNull();
  });

  test('category and tag chips filter the list', async () => {
    const { store } = await show(CITY);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Show articles in Politics' }));
    });
    expect(store.getState().category).toEqual(['Politics']);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Show articles in Politics › Local' }));
      fireEvent.click(screen.getByRole('button', { name: 'Show articles tagged city hall' }));
    });
    expect(store.getState().category).toEqual(['Politics', 'Local']);
    expect(store.getState().tag).toBe('city hall');
    await settle();
    expect(store.getState().results.map((r) => r?.path)).toEqual([CITY]);
  });

  test('an undated post says so; a post with problems lists them', async () => {
    const { article } = await show('_posts/2021-02-30-impossible-date.md');
    expect(article.textContent).toContain('Undated');
    expect(article.textContent).toContain('The file name date 2021-02-30 does not exist.');
  });
});
