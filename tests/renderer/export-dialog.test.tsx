// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ExportRequest, MenuCommand } from '../../src-main/shared/archive-api';
import { ArticleList } from '../../src-renderer/components/article-list';
import { ExportDialog, ExportToast } from '../../src-renderer/components/export-dialog';
import { ListHeader } from '../../src-renderer/components/list-header';
import { connectEvents } from '../../src-renderer/store/connect-events';
import { FakeApi, fillerPosts } from './fake-api';
import { makeStore, renderWithStore, useStubbedLayout } from './test-utils';

useStubbedLayout(600);

async function setup(count = 1000) {
  const api = new FakeApi(fillerPosts(count));
  const store = makeStore(api, { debounceMs: 0 });
  await store.getState().init();
  await waitFor(() => expect(store.getState().listStatus).toBe('ready'));
  connectEvents(store, api);
  renderWithStore(
    <>
      <ListHeader />
      <ArticleList />
      <ExportDialog />
      <ExportToast />
    </>,
    store,
  );
  return { api, store };
}

const exportRequests = (api: FakeApi): ExportRequest[] => api.callsTo('exportToFile').map((a) => a[0] as ExportRequest);

async function openDialog(): Promise<HTMLElement> {
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
  });
  return screen.getByRole('dialog', { name: 'Export' });
}

describe('the export dialog', () => {
  test('exports the whole current result by its query (not the loaded page), then a toast names the file', async () => {
    const { api, store } = await setup(1000);
    await act(async () => {
      store.getState().setQuery('Filler');
    });
    await waitFor(() => expect(store.getState().appliedQuery).toBe('Filler'));
    api.exportResult = { path: '/home/me/exports/filler.csv', count: 0, bytes: 1234, cancelled: false };
    const dialog = await openDialog();
    expect(within(dialog).getByRole('radio', { name: 'CSV (spreadsheets)' })).toHaveProperty('checked', true);
    expect(within(dialog).getByRole('radio', { name: 'The whole result: 1,000 posts' })).toHaveProperty('checked', true);
    // Nothing checked: that choice is there but off.
    expect(within(dialog).getByRole('radio', { name: 'The 0 selected posts' })).toHaveProperty('disabled', true);
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('radio', { name: 'RIS (Zotero, EndNote, Mendeley)' }));
      fireEvent.click(within(dialog).getByRole('button', { name: 'Export' }));
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(exportRequests(api)).toEqual([{ format: 'ris', lang: 'en', query: { query: 'Filler', sort: 'relevance' } }]);
    const toast = screen.getByText('Exported 1,000 posts to filler.csv');
    expect(toast.closest('[role="status"]')).toBeTruthy();
  });

  test('with rows checked it exports exactly their paths, unloaded rows included, in list order', async () => {
    const { api, store } = await setup(1000);
    store.getState().toggleChecked(1);
    store.getState().extendChecked(450); // far past the first page of 100
    const dialog = await openDialog();
    const checked = within(dialog).getByRole('radio', { name: 'The 450 selected posts' });
    expect(checked).toHaveProperty('checked', true);
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Export' }));
    });
    await waitFor(() => expect(exportRequests(api)).toHaveLength(1));
    const request = exportRequests(api)[0]!;
    expect(request.query).toBeUndefined();
    expect(request.paths).toHaveLength(450);
    expect(request.paths?.[0]).toContain('filler-0999');
    expect(request.paths?.[449]).toContain('filler-0550');
    await waitFor(() => expect(screen.getByText(/^Exported 450 posts to /)).toBeTruthy());
  });

  test('every row checked is the whole result: exported by query', async () => {
    const { api, store } = await setup(300);
    store.getState().checkAll();
    const dialog = await openDialog();
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Export' }));
    });
    await waitFor(() => expect(exportRequests(api)).toHaveLength(1));
    expect(exportRequests(api)[0]).toEqual({ format: 'csv', lang: 'en', query: { sort: 'date' } });
  });

  test('shows the progress of a large export with Cancel; a cancelled export says nothing was written', async () => {
    const { api } = await setup(1000);
    const held = api.holdCalls();
    const dialog = await openDialog();
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Export' }));
    });
    await waitFor(() => expect(held.some((h) => h.method === 'exportToFile')).toBe(true));
    expect(within(dialog).getByText('Starting…')).toBeTruthy();
    await act(async () => {
      api.emit('exportProgress', { phase: 'writing', written: 250, total: 1000 });
    });
    const bar = within(dialog).getByRole('progressbar', { name: '250 of 1,000 posts written…' });
    expect(bar.getAttribute('value')).toBe('250');
    expect(bar.getAttribute('max')).toBe('1000');
    // The choices are locked while it runs.
    expect(within(dialog).getByRole('button', { name: 'Export' })).toHaveProperty('disabled', true);
    api.gate = null;
    api.exportResult = { path: '', count: 0, bytes: 0, cancelled: true };
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    });
    expect(api.callsTo('cancelExport')).toHaveLength(1);
    await act(async () => {
      held.find((h) => h.method === 'exportToFile')?.release();
    });
    await waitFor(() => expect(within(dialog).getByText('Export cancelled; nothing was written.')).toBeTruthy());
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.queryByText(/^Exported/)).toBeNull();
  });

  test('in browser mode the dossier is said to come as a .zip to unpack (zh and en), and its packing shows as progress', async () => {
    const api = new FakeApi(fillerPosts(30));
    api.capabilities = { showInFolder: false, chooseFolder: false, importPaths: false, importFiles: true };
    const store = makeStore(api, { debounceMs: 0 });
    await store.getState().init();
    await waitFor(() => expect(store.getState().listStatus).toBe('ready'));
    connectEvents(store, api);
    renderWithStore(<ExportDialog />, store);
    await act(async () => {
      store.getState().openExport();
    });
    const dialog = screen.getByRole('dialog', { name: 'Export' });
    expect(within(dialog).getByText('The file is downloaded by your browser.')).toBeTruthy();
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('radio', { name: 'Dossier (a folder that opens in any browser)' }));
    });
    expect(within(dialog).getByText('Your browser downloads the dossier as one .zip file: unpack it, then open index.html in the unpacked folder.')).toBeTruthy();
    expect(within(dialog).queryByText('The file is downloaded by your browser.')).toBeNull();

    const held = api.holdCalls();
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Export' }));
    });
    await waitFor(() => expect(held.some((h) => h.method === 'exportToFile')).toBe(true));
    await act(async () => {
      api.emit('exportProgress', { phase: 'writing', written: 30, total: 30 });
      api.emit('exportProgress', { phase: 'packing', written: 12, total: 40 });
    });
    const bar = within(dialog).getByRole('progressbar', { name: 'Packing into a .zip: 12 of 40 files…' });
    expect(bar.getAttribute('value')).toBe('12');
    expect(bar.getAttribute('max')).toBe('40');
    await act(async () => {
      store.getState().setLanguage('zh');
    });
    expect(within(dialog).getByRole('progressbar', { name: '正在打包为 .zip：12 / 40 个文件…' })).toBeTruthy();
    expect(within(dialog).getByText('资料包将由浏览器下载为一个 .zip 文件：请先解压，再打开解压出的文件夹中的 index.html。')).toBeTruthy();
    api.gate = null;
    await act(async () => {
      held.find((h) => h.method === 'exportToFile')?.release();
    });
  });

  test('a cancelled save dialog returns to the export dialog; an error is shown in it', async () => {
    const { api } = await setup(50);
    api.exportResult = null;
    const dialog = await openDialog();
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Export' }));
    });
    await waitFor(() => expect(exportRequests(api)).toHaveLength(1));
    expect(screen.getByRole('dialog', { name: 'Export' })).toBe(dialog);
    expect(within(dialog).getByRole('button', { name: 'Export' })).toHaveProperty('disabled', false);
    api.failures.set('exportToFile', 'disk full');
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Export' }));
    });
    await waitFor(() => expect(within(dialog).getByRole('alert').textContent).toBe('Export failed: disk full'));
  });

  test('File › Export… in the desktop menu opens the same dialog (here in Chinese)', async () => {
    const api = new FakeApi(fillerPosts(20));
    const store = makeStore(api, { debounceMs: 0 });
    store.getState().setLanguage('zh');
    await store.getState().init();
    await waitFor(() => expect(store.getState().listStatus).toBe('ready'));
    const menu: ((command: MenuCommand) => void)[] = [];
    connectEvents(store, { subscribe: api.subscribe.bind(api), onMenuCommand: (listener) => (menu.push(listener), () => undefined) });
    renderWithStore(<ExportDialog />, store);
    expect(screen.queryByRole('dialog')).toBeNull();
    await act(async () => {
      menu[0]?.('export');
    });
    const dialog = screen.getByRole('dialog', { name: '导出' });
    expect(within(dialog).getByRole('radio', { name: '整个结果：20 篇' })).toHaveProperty('checked', true);
    expect(within(dialog).getByRole('radio', { name: 'CSV（电子表格）' })).toHaveProperty('checked', true);
    expect(within(dialog).getByRole('button', { name: '导出' })).toBeTruthy();
  });
});
