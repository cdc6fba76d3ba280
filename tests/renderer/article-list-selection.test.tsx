// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ArticleList } from '../../src-renderer/components/article-list';
import { ListHeader } from '../../src-renderer/components/list-header';
import { countChecked } from '../../src-renderer/store/selection-slice';
import { FakeApi, fillerPosts } from './fake-api';
import { makeStore, renderWithStore, useStubbedLayout } from './test-utils';

useStubbedLayout(600);

async function setup(count = 250) {
  const api = new FakeApi(fillerPosts(count));
  const store = makeStore(api, { debounceMs: 0 });
  await store.getState().runSearch();
  renderWithStore(
    <>
      <ListHeader />
      <ArticleList />
    </>,
    store,
  );
  const list = screen.getByRole('listbox', { name: 'Articles' });
  return { api, store, list };
}

const option = (title: string): HTMLElement => screen.getByRole('option', { name: title });
const checkedTitles = (): string[] =>
  screen
    .queryAllByRole('option')
    .filter((o) => o.getAttribute('aria-checked') === 'true')
    .map((o) => o.querySelector('.row-title span')?.textContent ?? '');

describe('multi-select in the article list', () => {
  test('each row has a labelled checkbox; clicking it checks the row without opening it', async () => {
    const { store } = await setup();
    const box = screen.getByRole('checkbox', { name: 'Select “Filler 0249”' });
    await act(async () => {
      fireEvent.click(box);
    });
    expect(option('Filler 0249').getAttribute('aria-checked')).toBe('true');
    expect(store.getState().articlePath).toBeNull();
    expect(screen.getByRole('status', { name: '' }).textContent).toBe('1 selected');
  });

  test('Ctrl-click and ⌘-click check one more row; a plain click still opens the row and keeps the checks', async () => {
    const { store } = await setup();
    await act(async () => {
      fireEvent.click(option('Filler 0250'), { ctrlKey: true });
      fireEvent.click(option('Filler 0247'), { metaKey: true });
    });
    expect(checkedTitles()).toEqual(['Filler 0250', 'Filler 0247']);
    expect(store.getState().articlePath).toBeNull();
    await act(async () => {
      fireEvent.click(option('Filler 0248'));
    });
    await waitFor(() => expect(store.getState().article?.title).toBe('Filler 0248'));
    expect(checkedTitles()).toEqual(['Filler 0250', 'Filler 0247']);
  });

  test('Shift-click checks the range from the last clicked row, and a second Shift-click moves its end', async () => {
    const { store } = await setup();
    await act(async () => {
      fireEvent.click(option('Filler 0249'));
    });
    await act(async () => {
      fireEvent.click(option('Filler 0245'), { shiftKey: true });
    });
    expect(checkedTitles()).toEqual(['Filler 0249', 'Filler 0248', 'Filler 0247', 'Filler 0246', 'Filler 0245']);
    await act(async () => {
      fireEvent.click(option('Filler 0247'), { shiftKey: true });
    });
    expect(checkedTitles()).toEqual(['Filler 0249', 'Filler 0248', 'Filler 0247']);
    // The open article is still the one clicked without Shift.
    await waitFor(() => expect(store.getState().article?.title).toBe('Filler 0249'));
  });

  test('Space checks the current row; Shift+↓ extends from it and opens each row it reaches; ↓ alone moves on', async () => {
    const { store, list } = await setup();
    list.focus();
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: ' ' });
    expect(checkedTitles()).toEqual(['Filler 0250']);
    fireEvent.keyDown(list, { key: ' ' });
    expect(checkedTitles()).toEqual([]);
    fireEvent.keyDown(list, { key: 'ArrowDown', shiftKey: true });
    fireEvent.keyDown(list, { key: 'ArrowDown', shiftKey: true });
    expect(checkedTitles()).toEqual(['Filler 0250', 'Filler 0249', 'Filler 0248']);
    await waitFor(() => expect(store.getState().article?.title).toBe('Filler 0248'));
    fireEvent.keyDown(list, { key: 'ArrowUp', shiftKey: true });
    expect(checkedTitles()).toEqual(['Filler 0250', 'Filler 0249']);
    // A plain move keeps the checks and only moves the current article.
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    await waitFor(() => expect(store.getState().article?.title).toBe('Filler 0247'));
    expect(checkedTitles()).toEqual(['Filler 0250', 'Filler 0249']);
    // Enter still opens; Ctrl+A checks the whole result.
    fireEvent.keyDown(list, { key: 'a', ctrlKey: true });
    expect(countChecked(store.getState().checked)).toBe(250);
  });

  test('the header counts the checks, offers Select all N (the whole result) and Clear selection', async () => {
    const { store } = await setup(250);
    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: 'Select “Filler 0250”' }));
    });
    expect(screen.getByText('1 selected')).toBeTruthy();
    expect(screen.getByText('A new search, filter or sort clears the selection.')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Select all 250' }));
    });
    expect(screen.getByText('250 selected')).toBeTruthy();
    // Far more than the loaded page: rows are checked by index.
    expect(store.getState().results.filter(Boolean).length).toBeLessThan(250);
    expect(screen.queryByRole('button', { name: /Select all/ })).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Clear selection' }));
    });
    expect(checkedTitles()).toEqual([]);
    expect(screen.queryByText(/selected$/)).toBeNull();
  });

  test('a new search clears the selection and the header says why', async () => {
    const { store } = await setup();
    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: 'Select “Filler 0250”' }));
    });
    await act(async () => {
      store.getState().setQuery('Filler 02');
    });
    await waitFor(() => expect(store.getState().appliedQuery).toBe('Filler 02'));
    expect(checkedTitles()).toEqual([]);
    const header = document.querySelector('.list-header') as HTMLElement;
    expect(within(header).getByText('Selection cleared: the list changed.')).toBeTruthy();
  });
});
