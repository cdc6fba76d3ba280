// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../src-renderer/components/app';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore, settle, useStubbedLayout } from './test-utils';

// Registered before useStubbedLayout's hooks, so it runs after the tree is unmounted and the layout restored.
afterEach(() => {
  delete document.documentElement.dataset.theme;
});
useStubbedLayout(700, 500);

async function start(api = new FakeApi(), language = 'en-US', getPathForFile?: (file: File) => string) {
  const store = makeStore(api, { navigatorLanguage: language, debounceMs: 20 });
  renderWithStore(<App getPathForFile={getPathForFile} />, store);
  await act(async () => {
    await store.getState().init();
    await settle();
  });
  return { api, store };
}

const options = (): string[] => {
  const list = screen.queryByRole('listbox', { name: 'Articles' });
  return list ? within(list).queryAllByRole('option').map((o) => o.querySelector('.row-title span')?.textContent ?? '') : [];
};

describe('App', () => {
  test('three named trees, a search box, the article list and a status line', async () => {
    await start();
    for (const name of ['Categories', 'Dates', 'Tags']) expect(screen.getByRole('tree', { name })).toBeTruthy();
    expect(screen.getByRole('searchbox', { name: 'Search' })).toBeTruthy();
    expect(screen.getByRole('listbox', { name: 'Articles' })).toBeTruthy();
    expect(options()).toHaveLength(8);
    const dates = screen.getByRole('tree', { name: 'Dates' });
    expect(within(dates).getAllByRole('treeitem').map((t) => t.getAttribute('aria-label'))).toEqual([
      '2024',
      '2023',
      '2021',
      '2020',
      '2019',
      '2017',
      'Undated',
    ]);
    const status = screen.getByRole('contentinfo', { name: 'Status' });
    expect(status.textContent).toContain('/archives/demo');
    expect(status.textContent).toContain('8 posts');
    expect(status.textContent).toContain('1 hidden');
    expect(document.title).toBe('demo — Backfile');
  });

  test('typing searches, Esc clears and leaves the field', async () => {
    await start();
    const search = screen.getByRole('searchbox', { name: 'Search' });
    search.focus();
    fireEvent.change(search, { target: { value: '经济' } });
    await waitFor(() => expect(options()).toEqual(['中国经济稳步增长']));
    expect(screen.getByText('1 article')).toBeTruthy();
    fireEvent.keyDown(search, { key: 'Escape' });
    expect((search as HTMLInputElement).value).toBe('');
    expect(document.activeElement).not.toBe(search);
    await waitFor(() => expect(options()).toHaveLength(8));
  });

  test('Esc outside the search field never clears the search', async () => {
    const { store } = await start();
    const search = screen.getByRole('searchbox', { name: 'Search' });
    fireEvent.change(search, { target: { value: '经济' } });
    await waitFor(() => expect(options()).toEqual(['中国经济稳步增长']));
    const list = screen.getByRole('listbox', { name: 'Articles' });
    list.focus();
    fireEvent.keyDown(list, { key: 'Escape' });
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await settle();
    expect(store.getState().query).toBe('经济');
    expect((search as HTMLInputElement).value).toBe('经济');
    expect(options()).toEqual(['中国经济稳步增长']);
  });

  test('Alt+← and Alt+→ step back and forward through query and open article', async () => {
    const { store } = await start();
    const list = screen.getByRole('listbox', { name: 'Articles' });
    const first = store.getState().results[0]?.path;
    const second = store.getState().results[1]?.path;
    await act(async () => {
      fireEvent.keyDown(list, { key: 'ArrowDown' });
      await settle();
    });
    await waitFor(() => expect(store.getState().articlePath).toBe(first));
    await act(async () => {
      fireEvent.keyDown(list, { key: 'ArrowDown' });
      await settle();
    });
    await waitFor(() => expect(store.getState().articlePath).toBe(second));
    await act(async () => {
      fireEvent.keyDown(document.body, { key: 'ArrowLeft', altKey: true });
      await settle();
    });
    await waitFor(() => expect(store.getState().articlePath).toBe(first));
    await act(async () => {
      fireEvent.keyDown(document.body, { key: 'ArrowRight', altKey: true });
      await settle();
    });
    await waitFor(() => expect(store.getState().articlePath).toBe(second));
  });

  test('an empty result explains itself and clears the filters', async () => {
    const { store } = await start();
    await act(async () => {
      store.getState().selectTag('trade');
      await settle();
    });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: 'fireworks' } });
    await waitFor(() => expect(screen.getByText('Nothing matches “fireworks”')).toBeTruthy());
    expect(screen.getAllByText('Tag: trade').length).toBeGreaterThan(0);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Clear search and filters' }));
      await settle();
    });
    expect(options()).toHaveLength(8);
    expect(store.getState().tag).toBeNull();
  });

  test('keyboard: / and Ctrl+F focus the search, ↓ enters the list, Enter opens', async () => {
    const { store } = await start();
    const search = screen.getByRole('searchbox', { name: 'Search' });
    fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(search);
    (document.activeElement as HTMLElement).blur();
    fireEvent.keyDown(document.body, { key: 'f', ctrlKey: true });
    expect(document.activeElement).toBe(search);
    // From inside a tree too: `/` is not a label's first letter there.
    const tag = within(screen.getByRole('tree', { name: 'Tags' })).getAllByRole('treeitem')[0] as HTMLElement;
    tag.focus();
    fireEvent.keyDown(tag, { key: '/' });
    expect(document.activeElement).toBe(search);
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    const list = screen.getByRole('listbox', { name: 'Articles' });
    expect(document.activeElement).toBe(list);
    await act(async () => {
      fireEvent.keyDown(list, { key: 'Enter' });
      await settle();
    });
    expect(store.getState().article?.title).toBe('A page with remote images');
    expect(screen.getByRole('heading', { level: 1, name: 'A page with remote images' })).toBeTruthy();
    // j reads the next article from anywhere outside a text field.
    await act(async () => {
      fireEvent.keyDown(document.body, { key: 'j' });
      await settle();
    });
    expect(store.getState().article?.title).toBe('Runners at the marathon');
  });

  test('selecting a category in the tree narrows the list and shows a removable chip', async () => {
    const { store } = await start();
    const tree = screen.getByRole('tree', { name: 'Categories' });
    const politics = within(tree).getByRole('treeitem', { name: 'Politics' });
    politics.focus();
    await act(async () => {
      fireEvent.keyDown(politics, { key: 'Enter' });
      await settle();
    });
    expect(store.getState().category).toEqual(['Politics']);
    expect(options().sort()).toEqual(['City hall election results', "New Year's Eve fireworks"]);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Remove filter Category: Politics' }));
      await settle();
    });
    expect(options()).toHaveLength(8);
  });

  test('the Chinese UI names everything in Chinese', async () => {
    await start(new FakeApi(), 'zh-CN');
    for (const name of ['分类', '日期', '标签']) expect(screen.getByRole('tree', { name })).toBeTruthy();
    expect(screen.getByRole('searchbox', { name: '搜索' })).toBeTruthy();
    expect(screen.getByRole('listbox', { name: '文章' })).toBeTruthy();
    expect(screen.getByRole('treeitem', { name: '未注明日期' })).toBeTruthy();
    expect(screen.getByRole('treeitem', { name: '2020年' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  test('the language and theme switches apply at once', async () => {
    const { store } = await start();
    fireEvent.change(screen.getByRole('combobox', { name: 'Language' }), { target: { value: 'zh' } });
    expect(screen.getByRole('searchbox', { name: '搜索' })).toBeTruthy();
    fireEvent.change(screen.getByRole('combobox', { name: '主题' }), { target: { value: 'dark' } });
    expect(document.documentElement.dataset.theme).toBe('dark');
    fireEvent.click(screen.getByRole('button', { name: '增大字号' }));
    expect(store.getState().fontSize).toBe(18);
  });

  test('the problem count opens the problems panel; Esc closes it', async () => {
    await start();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: '1 problem' }));
      await settle();
    });
    const dialog = screen.getByRole('dialog', { name: 'Problems' });
    expect(dialog.textContent).toContain('_posts/2021-02-30-impossible-date.md');
    expect(dialog.textContent).toContain('The file name date 2021-02-30 does not exist.');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  test('browser mode: no folder picker, and a drop explains that import needs the desktop app', async () => {
    const api = new FakeApi();
    api.capabilities = { showInFolder: false, chooseFolder: false, importPaths: false, importFiles: false };
    await start(api);
    expect(screen.queryByRole('button', { name: 'Open archive…' })).toBeNull();
    const file = new File(['x'], 'post.md');
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [file], types: ['Files'] } });
    act(() => {
      window.dispatchEvent(drop);
    });
    expect(drop.defaultPrevented).toBe(true);
    expect(screen.getByText('Drag-and-drop import needs the desktop app.')).toBeTruthy();
    expect(api.callsTo('importPaths')).toHaveLength(0);
  });

  test('desktop: dropped files are imported by path and the report offers the new posts', async () => {
    const api = new FakeApi();
    const { store } = await start(api, 'en-US', (file) => `/home/me/${file.name}`);
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [new File(['x'], 'new-posts')], types: ['Files'] } });
    await act(async () => {
      window.dispatchEvent(drop);
      await settle();
    });
    expect(api.callsTo('importPaths')).toEqual([[['/home/me/new-posts']]]);
    expect(screen.getByText('Import finished')).toBeTruthy();
    expect(screen.getByText('2 added')).toBeTruthy();
    expect(screen.getByText('1 duplicates skipped')).toBeTruthy();
    // The skipped file, and where the same post already is.
    expect(screen.getByText('colleague/_posts/2020-01-15-same.md')).toBeTruthy();
    expect(screen.getByText('_posts/2020-01-15-date-only.md')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Show the new posts' }));
      await settle();
    });
    expect(store.getState().article?.path).toBe('_posts/2019-03-01-list-categories.md');
    expect(within(screen.getByRole('list', { name: 'New posts' })).getAllByRole('button')).toHaveLength(2);
  });

  test('desktop first run: a welcome with Open archive… and the recent archives', async () => {
    const api = new FakeApi();
    api.opened = false;
    await start(api);
    expect(screen.getByRole('heading', { name: 'Welcome to Backfile' })).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Open archive…' }).length).toBeGreaterThan(0);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'old' }));
      await settle();
    });
    expect(api.callsTo('openArchive')).toEqual([['/archives/old']]);
    expect(screen.getByRole('tree', { name: 'Categories' })).toBeTruthy();
  });
});

describe('"Uncategorised" and "Untagged" (issue 11, item 8)', () => {
  test('are the trees\' last rows, labelled, and selecting one lists the posts filed under no category / carrying no tag', async () => {
    const api = new FakeApi();
    // As the index answers: a node with an empty path, a tag named ''.
    const categories = api.getCategories.bind(api);
    const tags = api.getTags.bind(api);
    api.getCategories = async (h) => [...(await categories(h)), { name: '', path: [], count: 1, total: 1, children: [] }];
    api.getTags = async (h) => [...(await tags(h)), { name: '', count: 1 }];
    const { store } = await start(api);
    const categoryTree = screen.getByRole('tree', { name: 'Categories' });
    const uncategorised = within(categoryTree).getByRole('treeitem', { name: 'Uncategorised' });
    await act(async () => {
      fireEvent.click(uncategorised.querySelector('.tree-row') ?? uncategorised);
      await settle();
    });
    expect(store.getState().category).toEqual([]);
    expect(api.callsTo('listArticles').at(-1)?.[0]).toMatchObject({ category: null });
    expect(options()).toEqual(['Impossible date']);
    expect(screen.getByText('Category: Uncategorised')).toBeTruthy();

    await act(async () => {
      store.getState().selectCategory(null);
      await settle();
    });
    const tagTree = screen.getByRole('tree', { name: 'Tags' });
    const untagged = within(tagTree).getByRole('treeitem', { name: 'Untagged' });
    await act(async () => {
      fireEvent.click(untagged.querySelector('.tree-row') ?? untagged);
      await settle();
    });
    expect(store.getState().tag).toBe('');
    expect(api.callsTo('listArticles').at(-1)?.[0]).toMatchObject({ tag: null });
    expect(options()).toContain('Impossible date');
    expect(store.getState().results.every((hit) => hit?.tags.length === 0)).toBe(true);
  });
});
