// @vitest-environment happy-dom
/**
 * The Workspace section's Missing (N) row and dialog (workspace-missing.tsx), and its ⋯ menu's export and import
 * (workspace-transfer.tsx), over the fake API.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../src-renderer/components/app';
import type { MarkedPost, WorkspaceExport } from '../../src-main/shared/workspace-api';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore, settle, useStubbedLayout } from './test-utils';

const CITY = '_posts/2019-03-01-list-categories.md';

const gone = (path: string, title: string, extra: Partial<MarkedPost> = {}): MarkedPost => ({
  path, title, date: '2018-01-01', hash: `h-${path}`, missing: true, starred: true, labels: [], note: '', highlights: [], ...extra,
});

// Registered before useStubbedLayout's hooks, so it runs after the tree is unmounted and the layout restored.
afterEach(() => {
  vi.restoreAllMocks();
});
useStubbedLayout(700, 500);

async function start(api = new FakeApi()) {
  const store = makeStore(api, { debounceMs: 0 });
  renderWithStore(<App />, store);
  await act(async () => {
    await store.getState().init();
    await settle();
  });
  return { api, store };
}

const section = (): HTMLElement => screen.getByRole('region', { name: 'Workspace' });

describe('Missing (N)', () => {
  test('no row while no marked post is missing', async () => {
    const api = new FakeApi();
    api.workspace.change(CITY, (m) => { m.starred = true; });
    await start(api);
    expect(within(section()).getByRole('button', { name: /^Starred/ })).toBeTruthy();
    expect(within(section()).queryByRole('button', { name: /^Missing/ })).toBeNull();
  });

  test('the row counts the missing posts; its dialog lists title, old path, star, labels and note; Forget asks, then removes', async () => {
    const api = new FakeApi();
    api.workspace.missing = [
      gone('_posts/2018-01-01-old.md', '旧闻一', { labels: ['钢铁'], note: 'A note about **steel** that\nruns on.' }),
      gone('_posts/2018-01-02-gone.md', '旧闻二', { starred: false, note: 'x' }),
    ];
    const { store } = await start(api);
    const row = within(section()).getByRole('button', { name: 'Missing (2)' });
    fireEvent.click(row);
    const dialog = screen.getByRole('dialog', { name: 'Marks of missing posts' });
    expect(dialog.textContent).toContain('come back by themselves if the same content returns under any name');
    const items = dialog.querySelectorAll('li.missing-mark');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('旧闻一');
    expect(items[0]!.textContent).toContain('_posts/2018-01-01-old.md');
    expect(items[0]!.textContent).toContain('钢铁');
    expect(items[0]!.textContent).toContain('A note about **steel** that runs on.');
    expect(within(items[0] as HTMLElement).getByLabelText('Starred')).toBeTruthy();
    expect(within(items[1] as HTMLElement).queryByLabelText('Starred')).toBeNull();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Forget the marks of “旧闻一”' }));
    await act(settle);
    expect(api.callsTo('forgetMarks')).toEqual([]);
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Forget for good?' }));
      await settle();
    });
    expect(api.callsTo('forgetMarks')).toEqual([['_posts/2018-01-01-old.md']]);
    expect(store.getState().markedPosts.filter((p) => p.missing).map((p) => p.path)).toEqual(['_posts/2018-01-02-gone.md']);
    expect(screen.getByRole('dialog').querySelectorAll('li.missing-mark')).toHaveLength(1);
    expect(within(section()).getByRole('button', { name: 'Missing (1)' })).toBeTruthy();
  });

  test('in Chinese: 已缺失（N）', async () => {
    const api = new FakeApi();
    api.workspace.missing = [gone('_posts/a.md', '旧闻')];
    const { store } = await start(api);
    await act(async () => {
      store.setState({ language: 'zh' });
      await settle();
    });
    expect(within(screen.getByRole('region', { name: '工作区' })).getByRole('button', { name: '已缺失（1）' })).toBeTruthy();
  });
});

describe('export and import', () => {
  test('Export workspace… downloads the export as JSON', async () => {
    const api = new FakeApi();
    api.workspace.change(CITY, (m) => { m.starred = true; });
    await start(api);
    let json = '';
    let name = '';
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      void (blob as Blob).text().then((t) => (json = t));
      return 'blob:test';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      name = this.download;
    });
    fireEvent.click(within(section()).getByRole('button', { name: 'Workspace actions' }));
    await act(async () => {
      fireEvent.click(within(section()).getByRole('button', { name: 'Export workspace…' }));
      await settle();
    });
    expect(api.callsTo('exportWorkspace')).toHaveLength(1);
    expect(clicked).toHaveBeenCalledTimes(1);
    expect(name).toMatch(/^backfile-workspace-\d{4}-\d\d-\d\d\.json$/);
    await waitFor(() => expect(json).not.toBe(''));
    const data = JSON.parse(json) as WorkspaceExport;
    expect(data.format).toBe('backfile-workspace');
    expect(data.marks.map((m) => m.path)).toEqual([CITY]);
    expect(within(section()).getByRole('status').textContent).toContain('Workspace exported: 1 marked post.');
  });

  test('Import workspace… sends the chosen file\'s JSON, shows the report with its conflicts, and loads the section again', async () => {
    const api = new FakeApi();
    api.workspace.change(CITY, (m) => { m.note = 'mine'; });
    const { store } = await start(api);
    const data: WorkspaceExport = {
      format: 'backfile-workspace', version: 1, labels: [{ name: 'steel', color: '#112233' }],
      marks: [
        { path: CITY, hash: null, title: 'x', date: null, starred: true, labels: ['steel'], note: 'theirs', highlights: [] },
        { path: '_posts/nowhere.md', hash: null, title: 'y', date: null, starred: true, labels: [], note: '', highlights: [] },
      ],
      saved: [],
    };
    fireEvent.click(within(section()).getByRole('button', { name: 'Workspace actions' }));
    const input = screen.getByTestId('workspace-import-file') as HTMLInputElement;
    const file = new File([`\uFEFF${JSON.stringify(data)}`], 'ws.json', { type: 'application/json' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await act(async () => {
      fireEvent.change(input);
      await settle();
    });
    await waitFor(() => expect(api.callsTo('importWorkspace')).toHaveLength(1));
    expect(api.callsTo('importWorkspace')[0]).toEqual([data]);
    const dialog = await screen.findByRole('dialog', { name: 'Workspace imported' });
    expect(dialog.textContent).toContain('1 merged into posts here, 1 kept as missing, 1 labels, 0 saved searches.');
    expect(dialog.textContent).toContain('1 conflict (kept as it was here):');
    expect(dialog.textContent).toContain(CITY);
    await waitFor(() => expect(store.getState().labels.map((l) => l.name)).toEqual(['steel']));
    expect(within(section()).getByRole('button', { name: /^steel/ })).toBeTruthy();
  });

  test('a file that is not JSON is refused in the section, with no call', async () => {
    const { api } = await start();
    fireEvent.click(within(section()).getByRole('button', { name: 'Workspace actions' }));
    const input = screen.getByTestId('workspace-import-file') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [new File(['not json'], 'x.json')], configurable: true });
    await act(async () => {
      fireEvent.change(input);
      await settle();
    });
    await waitFor(() => expect(within(section()).getByRole('alert').textContent).toContain('not a Backfile workspace export'));
    expect(api.callsTo('importWorkspace')).toEqual([]);
  });
});
