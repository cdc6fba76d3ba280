// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { ArticleList } from '../../src-renderer/components/article-list';
import { FakeApi, fillerPosts } from './fake-api';
import { makeStore, renderWithStore, useStubbedLayout } from './test-utils';

useStubbedLayout(600);

async function setup(api = new FakeApi(fillerPosts(250))) {
  const store = makeStore(api);
  await store.getState().runSearch();
  renderWithStore(<ArticleList />, store);
  const list = screen.getByRole('listbox', { name: 'Articles' });
  return { api, store, list };
}

const selectedOption = (): HTMLElement | undefined =>
  screen.queryAllByRole('option').find((o) => o.getAttribute('aria-selected') === 'true');

describe('ArticleList', () => {
  test('renders only the rows in view, each knowing its place in the whole result', async () => {
    const { list } = await setup();
    const options = screen.getAllByRole('option');
    expect(options.length).toBeGreaterThan(3);
    expect(options.length).toBeLessThan(40);
    expect(options[0]?.getAttribute('aria-setsize')).toBe('250');
    expect(options[0]?.getAttribute('aria-posinset')).toBe('1');
    expect(options[0]?.getAttribute('aria-selected')).toBe('false');
    // Newest first: the last filler post is on top; its accessible name is the title.
    expect(screen.getByRole('option', { name: 'Filler 0250' })).toBe(options[0]);
    expect(list.tabIndex).toBe(0);
  });

  test('↓/↑ and j/k move the selection, which the listbox points at, and open its article', async () => {
    const { store, list } = await setup();
    list.focus();
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(selectedOption()?.getAttribute('aria-posinset')).toBe('1');
    await waitFor(() => expect(store.getState().article?.title).toBe('Filler 0250'));
    fireEvent.keyDown(list, { key: 'j' });
    fireEvent.keyDown(list, { key: 'j' });
    fireEvent.keyDown(list, { key: 'k' });
    const selected = selectedOption();
    expect(selected?.getAttribute('aria-posinset')).toBe('2');
    expect(list.getAttribute('aria-activedescendant')).toBe(selected?.id);
    // One current article: the selection and the open article never differ.
    await waitFor(() => expect(store.getState().article?.title).toBe('Filler 0249'));
    expect(store.getState().articlePath).toBe(store.getState().results[1]?.path);
    await act(async () => {
      fireEvent.keyDown(list, { key: 'Enter' });
    });
    await waitFor(() => expect(store.getState().article?.title).toBe('Filler 0249'));
  });

  test('a click selects and opens the row', async () => {
    const { store } = await setup();
    await act(async () => {
      fireEvent.click(screen.getByRole('option', { name: 'Filler 0247' }));
    });
    await waitFor(() => expect(store.getState().article?.path).toContain('filler-0247'));
    expect(store.getState().selectedIndex).toBe(3);
    expect(screen.getByRole('option', { name: 'Filler 0247' }).getAttribute('aria-selected')).toBe('true');
  });

  test('spans the whole result and fetches the page under a jump, with placeholders until it comes', async () => {
    const { api, store } = await setup();
    const list = screen.getByRole('listbox', { name: 'Articles' });
    // The scroll height is the whole result's, not the loaded page's.
    expect(list.style.height).toBe(`${250 * 96}px`);
    const held = api.holdCalls();
    const scroller = document.querySelector('.article-list-scroller') as HTMLElement;
    await act(async () => {
      scroller.scrollTop = 96 * 180;
      fireEvent.scroll(scroller);
    });
    await waitFor(() => expect(held.length).toBe(1));
    expect(screen.getAllByRole('option', { name: 'Loading…' }).length).toBeGreaterThan(0);
    await act(async () => {
      held[0]?.release();
    });
    await waitFor(() => expect(store.getState().results[180]).toBeDefined());
    await waitFor(() => expect(screen.queryAllByRole('option', { name: 'Loading…' })).toHaveLength(0));
    const offsets = api.callsTo('listArticles').map((args) => (args[0] as ListQuery).offset);
    expect(offsets).toEqual([0, 100]);
  });

  test('End selects and opens the last row of the whole result, Home the first', async () => {
    const { list, store } = await setup();
    const scroller = document.querySelector('.article-list-scroller') as HTMLElement;
    Object.defineProperty(scroller, 'scrollHeight', { configurable: true, get: () => 250 * 96 });
    const scrolls: number[] = [];
    scroller.scrollTo = ((options: ScrollToOptions) => void scrolls.push(options.top ?? -1)) as typeof scroller.scrollTo;
    await act(async () => {
      fireEvent.keyDown(list, { key: 'End' });
    });
    // The list asks to scroll the last row (250 × 96 px tall rows) to the bottom of a 600 px view.
    await waitFor(() => expect(scrolls).toContain(250 * 96 - 600));
    // happy-dom does not scroll by itself: do what the browser would.
    await act(async () => {
      scroller.scrollTop = 250 * 96 - 600;
      fireEvent.scroll(scroller);
    });
    await waitFor(() => expect(selectedOption()?.getAttribute('aria-posinset')).toBe('250'));
    await waitFor(() => expect(store.getState().article?.title).toBe('Filler 0001'));
    await act(async () => {
      fireEvent.keyDown(list, { key: 'Home' });
    });
    await waitFor(() => expect(store.getState().article?.title).toBe('Filler 0250'));
    expect(store.getState().selectedIndex).toBe(0);
  });


  test('snippets show marks and nothing else from the HTML', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    store.setState({ query: 'election' });
    await store.getState().runSearch();
    // A snippet with a hostile tag in it, as if the core had been fooled.
    store.setState({ results: store.getState().results.map((r) => r && ({ ...r, snippet: 'city <mark>election</mark> <img src=x onerror=alert(1)>' })) });
    renderWithStore(<ArticleList />, store);
    const option = screen.getByRole('option', { name: 'City hall election results' });
    expect(option.querySelector('mark')?.textContent).toBe('election');
    expect(option.querySelector('img')).toBeNull();
    expect(option.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});

test('the selected row stays in the DOM when scrolled far away, so the listbox never points at nothing', async () => {
  const { list } = await setup();
  fireEvent.keyDown(list, { key: 'ArrowDown' });
  const scroller = document.querySelector('.article-list-scroller') as HTMLElement;
  await act(async () => {
    scroller.scrollTop = 96 * 60;
    fireEvent.scroll(scroller);
  });
  const active = list.getAttribute('aria-activedescendant');
  expect(active).toBeTruthy();
  expect(document.getElementById(active ?? '')?.getAttribute('aria-posinset')).toBe('1');
  expect(screen.getAllByRole('option').length).toBeLessThan(40);
});
