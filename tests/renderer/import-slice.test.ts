// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { FakeApi } from './fake-api';
import { makeStore, settle } from './test-utils';

describe('import slice', () => {
  test('runs, shows progress, ends with the report and a fresh list', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    await store.getState().init();
    const held = api.holdCalls();
    const running = store.getState().importPaths(['/home/me/new-posts']);
    expect(store.getState().importStatus).toBe('running');
    store.getState().onImportProgress({ phase: 'copying', scanned: 3, copied: 1, indexed: 0 });
    expect(store.getState().importProgress?.copied).toBe(1);
    api.gate = null;
    held[0]?.release();
    await running;
    await settle();
    const s = store.getState();
    expect(s.importStatus).toBe('done');
    expect(s.importReport?.added).toBe(2);
    expect(api.callsTo('importPaths')).toEqual([[['/home/me/new-posts']]]);
    expect(api.callsTo('listArticles').length).toBeGreaterThan(1);
    store.getState().dismissImport();
    expect(store.getState().importStatus).toBe('idle');
  });

  test('cancel asks the host; a failure is reported', async () => {
    const api = new FakeApi();
    api.failures.set('importPaths', 'disk full');
    const store = makeStore(api);
    await store.getState().cancelImport();
    expect(api.callsTo('cancelImport')).toHaveLength(1);
    await store.getState().importPaths(['/x']);
    expect(store.getState().importStatus).toBe('error');
    expect(store.getState().importError).toBe('disk full');
  });

  test('an import started by the host shows up through its progress events', () => {
    const store = makeStore(new FakeApi());
    store.getState().onImportProgress({ phase: 'scanning', scanned: 1, copied: 0, indexed: 0 });
    expect(store.getState().importStatus).toBe('running');
    store.getState().onImportProgress({ phase: 'done', scanned: 1, copied: 1, indexed: 1 });
    expect(store.getState().importStatus).toBe('idle');
  });
});
