// @vitest-environment happy-dom
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { App } from '../../src-renderer/components/app';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore, settle, useStubbedLayout } from './test-utils';

useStubbedLayout(700, 500);

async function start(language = 'en-US') {
  const store = makeStore(new FakeApi(), { navigatorLanguage: language, debounceMs: 20 });
  renderWithStore(<App />, store);
  await act(async () => {
    await store.getState().init();
    await settle();
  });
  return store;
}

const panes = (): HTMLElement => document.querySelector('main.panes') as HTMLElement;

describe('App layout keys and help', () => {
  test('Ctrl+B and the ☰ button fold the navigation pane; r and the button switch reading mode, Esc leaves it', async () => {
    const store = await start();
    expect(panes().dataset.nav).toBe('shown');
    fireEvent.keyDown(document.body, { key: 'b', ctrlKey: true });
    expect(panes().dataset.nav).toBe('collapsed');
    fireEvent.click(screen.getByRole('button', { name: 'Show navigation' }));
    expect(panes().dataset.nav).toBe('shown');
    fireEvent.keyDown(document.body, { key: 'r' });
    expect(panes().dataset.reading).toBe('true');
    expect(screen.getByRole('button', { name: 'Leave reading mode' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(panes().dataset.reading).toBeUndefined();
    // `r` typed in the search field is text, not a shortcut.
    fireEvent.keyDown(screen.getByRole('searchbox', { name: 'Search' }), { key: 'r' });
    expect(store.getState().readingMode).toBe(false);
    // In the article list (where focus sits after a row is clicked) `r` and `?` are shortcuts: it has no type-ahead.
    const list = screen.getByRole('listbox', { name: 'Articles' });
    fireEvent.keyDown(list, { key: 'r' });
    expect(store.getState().readingMode).toBe(true);
    fireEvent.keyDown(document.body, { key: 'r' });
    fireEvent.keyDown(list, { key: '?' });
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  test('Ctrl+F finds in the open article (the search field keeps /); without an article it goes to the search', async () => {
    const store = await start();
    const search = screen.getByRole('searchbox', { name: 'Search' });
    fireEvent.keyDown(document.body, { key: 'f', ctrlKey: true });
    expect(document.activeElement).toBe(search);
    search.blur();
    await act(async () => {
      await store.getState().openArticle(store.getState().results[0]?.path ?? '');
      await settle();
    });
    fireEvent.keyDown(document.body, { key: 'f', ctrlKey: true });
    const find = screen.getByRole('searchbox', { name: 'Find in article' });
    expect(document.activeElement).toBe(find);
    fireEvent.keyDown(find, { key: 'Escape' });
    expect(screen.queryByRole('searchbox', { name: 'Find in article' })).toBeNull();
    fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(search);
  });

  test('? and the ? button open the help (search syntax and shortcuts), in Chinese too; Esc closes it', async () => {
    await start('zh-CN');
    fireEvent.keyDown(document.body, { key: '?' });
    const dialog = screen.getByRole('dialog', { name: '搜索语法和键盘快捷键' });
    expect(dialog.textContent).toContain('title:央行');
    expect(dialog.textContent).toContain('在打开的文章中查找');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '帮助' }));
    expect(screen.getByRole('dialog')).toBeTruthy();
  });
});
