// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { connectEvents } from '../../src-renderer/store/connect-events';
import { FakeApi } from './fake-api';
import { makeStore, settle } from './test-utils';

describe('archive slice', () => {
  test('init loads the info, trees, problems, first page and recent archives', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    await store.getState().init();
    await settle();
    const s = store.getState();
    expect(s.archiveStatus).toBe('ready');
    expect(s.info?.posts).toBe(8);
    expect(s.categories.length).toBeGreaterThan(0);
    expect(s.problems).toHaveLength(1);
    expect(s.results).toHaveLength(8);
    expect(s.recent.map((r) => r.name)).toEqual(['demo', 'old']);
  });

  test('with nothing open (desktop first run) it waits, asking for nothing else', async () => {
    const api = new FakeApi();
    api.opened = false;
    const store = makeStore(api);
    await store.getState().init();
    expect(store.getState().archiveStatus).toBe('idle');
    expect(api.callsTo('listArticles')).toHaveLength(0);
    expect(api.callsTo('getCategories')).toHaveLength(0);
  });

  test('a cancelled folder picker changes nothing', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    await store.getState().init();
    await store.getState().chooseArchive();
    expect(store.getState().archiveStatus).toBe('ready');
    expect(store.getState().info?.root).toBe('/archives/demo');
  });

  test('opening another archive forgets the old query, filters and article', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    await store.getState().init();
    store.getState().selectCategory(['Politics']);
    store.setState({ query: 'election' });
    await store.getState().openArticle('_posts/2019-03-01-list-categories.md');
    await store.getState().openArchive('/archives/other');
    await settle();
    const s = store.getState();
    expect(s.info?.root).toBe('/archives/other');
    expect([s.query, s.category, s.article]).toEqual(['', null, null]);
    expect(s.results).toHaveLength(8);
  });

  test('opening another archive forgets the old one’s workspace (labels, stars, saved searches, counts, error) and batch table', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    await store.getState().init();
    store.setState({
      labels: [{ name: 'old', color: '#d33', count: 1 }] as never,
      markedPosts: [{ path: '_posts/a.md', starred: true, missing: false }] as never,
      starredPaths: { '_posts/a.md': true },
      savedSearches: [{ name: 'vote', query: { query: 'election' }, total: 1, newCount: 0 }] as never,
      workspaceCounts: { starred: 1, notes: 0, labels: { old: 1 } },
      workspaceError: 'refused',
      batchRows: [{ term: 'election', total: 3, first: null, last: null }] as never,
      batchStatus: 'done',
      batchText: 'election',
    });
    await store.getState().openArchive('/archives/other');
    await settle();
    const s = store.getState();
    expect(s.info?.root).toBe('/archives/other');
    expect([s.labels, s.markedPosts, s.starredPaths, s.savedSearches, s.workspaceCounts, s.workspaceError]).toEqual([[], [], {}, [], null, null]);
    expect([s.batchRows, s.batchStatus]).toEqual([[], 'idle']);
    expect(s.batchText).toBe('election');
  });

  test('events: progress is shown; a change in the same archive reloads but keeps the reader where they were', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    const off = connectEvents(store, api);
    await store.getState().init();
    store.getState().selectTag('election');
    await settle();
    await store.getState().openIndex(0);

    api.emit('indexProgress', { phase: 'indexing', scanned: 10, toIndex: 10, indexed: 4 });
    expect(store.getState().indexProgress?.indexed).toBe(4);

    const before = api.calls.length;
    api.posts = api.posts.filter((p) => p.title !== "New Year's Eve fireworks");
    api.emit('archiveChanged', api.info());
    await settle();
    const s = store.getState();
    expect(api.calls.length).toBeGreaterThan(before);
    expect(s.info?.posts).toBe(7);
    expect(s.tag).toBe('election');
    expect(s.article?.path).toBe('_posts/2019-03-01-list-categories.md');
    expect(s.selectedIndex).toBe(0);

    off();
    api.emit('indexProgress', { phase: 'ready', scanned: 10, toIndex: 10, indexed: 10 });
    expect(store.getState().indexProgress?.phase).toBe('indexing');
  });
});

describe('archive slice while a big archive is first indexed (issue 11, item 1)', () => {
  test('the list and trees are shown again as posts land: at the first batch, then every tenth of the run, one refresh at a time', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    const off = connectEvents(store, api);
    await store.getState().init();
    const lists = () => api.callsTo('listArticles').length;
    const trees = () => api.callsTo('getCategories').length;
    const before = [lists(), trees()];
    api.emit('indexProgress', { phase: 'scanning', scanned: 20000, toIndex: 0, indexed: 0 });
    api.emit('indexProgress', { phase: 'indexing', scanned: 20000, toIndex: 20000, indexed: 0 });
    await settle();
    expect([lists(), trees()]).toEqual(before);
    api.emit('indexProgress', { phase: 'indexing', scanned: 20000, toIndex: 20000, indexed: 250 });
    api.emit('indexProgress', { phase: 'indexing', scanned: 20000, toIndex: 20000, indexed: 500 }); // one under way
    await settle();
    expect([lists(), trees()]).toEqual([before[0]! + 1, before[1]! + 1]);
    api.emit('indexProgress', { phase: 'indexing', scanned: 20000, toIndex: 20000, indexed: 2000 }); // under a tenth
    await settle();
    expect(lists()).toBe(before[0]! + 1);
    api.emit('indexProgress', { phase: 'indexing', scanned: 20000, toIndex: 20000, indexed: 2250 });
    await settle();
    expect([lists(), trees()]).toEqual([before[0]! + 2, before[1]! + 2]);
    expect(store.getState().indexProgress?.indexed).toBe(2250);
    off();
  });

  test('a short run (the watcher) is not refreshed midway: archiveChanged does that at its end', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    const off = connectEvents(store, api);
    await store.getState().init();
    const before = api.callsTo('listArticles').length;
    api.emit('indexProgress', { phase: 'indexing', scanned: 20000, toIndex: 3, indexed: 3 });
    await settle();
    expect(api.callsTo('listArticles')).toHaveLength(before);
    off();
  });
});
