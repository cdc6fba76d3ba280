// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { FakeApi, fillerPosts } from './fake-api';
import { makeStore, settle } from './test-utils';

const listCalls = (api: FakeApi): ListQuery[] => api.callsTo('listArticles').map((args) => args[0] as ListQuery);

afterEach(() => {
  vi.useRealTimers();
});

describe('search as you type', () => {
  test('searches once, 150 ms after the last keystroke, for what was typed last', async () => {
    vi.useFakeTimers();
    const api = new FakeApi();
    const store = makeStore(api);
    store.getState().setQuery('e');
    await vi.advanceTimersByTimeAsync(100);
    store.getState().setQuery('el');
    await vi.advanceTimersByTimeAsync(100);
    store.getState().setQuery('election');
    expect(store.getState().query).toBe('election');
    await vi.advanceTimersByTimeAsync(149);
    expect(listCalls(api)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(listCalls(api)).toHaveLength(1);
    expect(listCalls(api)[0]?.query).toBe('election');
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().results.map((r) => r?.title)).toEqual(['City hall election results']);
    expect(store.getState().appliedQuery).toBe('election');
  });

  test('an explicit search cancels the pending one', async () => {
    vi.useFakeTimers();
    const api = new FakeApi();
    const store = makeStore(api);
    store.getState().setQuery('rice');
    await store.getState().runSearch();
    await vi.advanceTimersByTimeAsync(500);
    expect(listCalls(api)).toHaveLength(1);
  });

  test('an older, slower answer never replaces a newer one', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    const held = api.holdCalls();
    store.setState({ query: 'election' });
    const first = store.getState().runSearch();
    store.setState({ query: 'fireworks' });
    const second = store.getState().runSearch();
    expect(held).toHaveLength(2);
    held[1]?.release();
    await second;
    expect(store.getState().results.map((r) => r?.title)).toEqual(["New Year's Eve fireworks"]);
    held[0]?.release();
    await first;
    expect(store.getState().results.map((r) => r?.title)).toEqual(["New Year's Eve fireworks"]);
    expect(store.getState().appliedQuery).toBe('fireworks');
    expect(store.getState().listStatus).toBe('ready');
  });

  test('a failed search says why', async () => {
    const api = new FakeApi();
    api.failures.set('listArticles', 'index is locked');
    const store = makeStore(api);
    await store.getState().runSearch();
    expect(store.getState().listStatus).toBe('error');
    expect(store.getState().listError).toBe('index is locked');
  });
});

describe('selections combine with the query', () => {
  test('category, date and tag go into the same request as the words', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    store.setState({ query: 'election' });
    store.getState().selectCategory(['Politics', 'Local']);
    store.getState().selectDate({ year: 2019, month: 3 });
    store.getState().selectTag('city hall');
    await settle();
    const last = listCalls(api).at(-1);
    expect(last).toMatchObject({ query: 'election', category: ['Politics', 'Local'], year: 2019, month: 3, tag: 'city hall', offset: 0 });
    expect(store.getState().results.map((r) => r?.path)).toEqual(['_posts/2019-03-01-list-categories.md']);
  });

  test('the undated node asks for year null; narrowing to nothing gives an empty list', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    store.getState().selectDate({ year: null });
    await settle();
    expect(listCalls(api).at(-1)?.year).toBeNull();
    expect(store.getState().results.map((r) => r?.title)).toEqual(['Impossible date']);
    store.getState().setQuery('nothing-matches-this');
    await store.getState().runSearch();
    expect(store.getState().total).toBe(0);
    expect(store.getState().results).toEqual([]);
  });

  test('an empty query lists by date whatever the sort choice; words use the chosen sort', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    expect(store.getState().sort).toBe('relevance');
    await store.getState().runSearch();
    expect(listCalls(api).at(-1)?.sort).toBe('date');
    expect(store.getState().results[0]?.title).toBe('A page with remote images');
    store.setState({ query: 'the' });
    await store.getState().runSearch();
    expect(listCalls(api).at(-1)?.sort).toBe('relevance');
    store.getState().setSort('date');
    await settle();
    expect(listCalls(api).at(-1)?.sort).toBe('date');
  });
});

describe('paging', () => {
  test('spans the whole result: one slot per row, pages fetched where asked, once each', async () => {
    const api = new FakeApi(fillerPosts(250));
    const store = makeStore(api);
    await store.getState().runSearch();
    expect(store.getState().total).toBe(250);
    expect(store.getState().results).toHaveLength(250);
    expect(store.getState().results[99]).toBeDefined();
    expect(store.getState().results[100]).toBeUndefined();
    // A jump to the end fetches the last page only; two asks while one is in flight make one request.
    const a = store.getState().ensureRows(240, 250);
    const b = store.getState().ensureRows(245, 250);
    expect(store.getState().loadingMore).toBe(true);
    await Promise.all([a, b]);
    expect(listCalls(api).map((q) => [q.offset, q.limit])).toEqual([
      [0, 100],
      [200, 100],
    ]);
    expect(store.getState().results[249]?.path).toBe(api.posts.map((p) => p.path).sort()[0]);
    expect(store.getState().results[150]).toBeUndefined();
    await store.getState().ensureRows(0, 250);
    await store.getState().ensureRows(0, 250);
    expect(listCalls(api)).toHaveLength(3);
    const paths = store.getState().results.map((r) => r?.path);
    expect(new Set(paths).size).toBe(250);
    expect(store.getState().loadingMore).toBe(false);
  });

  test('a page that lands after a newer search is dropped', async () => {
    const api = new FakeApi(fillerPosts(250));
    const store = makeStore(api);
    await store.getState().runSearch();
    const held = api.holdCalls();
    const more = store.getState().ensureRows(100, 110);
    store.setState({ query: 'Filler 0001' });
    const search = store.getState().runSearch();
    held[1]?.release();
    await search;
    held[0]?.release();
    await more;
    expect(store.getState().results.map((r) => r?.title)).toEqual(['Filler 0001']);
    expect(store.getState().total).toBe(1);
  });

  test('pages continue the query the results came from, not a half-typed one', async () => {
    vi.useFakeTimers();
    const api = new FakeApi(fillerPosts(150));
    const store = makeStore(api);
    await store.getState().runSearch();
    store.getState().setQuery('Filler 01');
    await store.getState().ensureRows(100, 150);
    expect(listCalls(api).at(-1)).toMatchObject({ offset: 100 });
    expect(listCalls(api).at(-1)?.query).toBeUndefined();
  });

  test('a failed page stays placeholders until retried', async () => {
    const api = new FakeApi(fillerPosts(250));
    const store = makeStore(api);
    await store.getState().runSearch();
    api.failures.set('listArticles', 'disk on fire');
    await store.getState().ensureRows(150, 160);
    api.failures.delete('listArticles');
    expect(store.getState().moreError).toContain('disk on fire');
    expect(store.getState().results[150]).toBeUndefined();
    await store.getState().ensureRows(150, 160);
    expect(listCalls(api)).toHaveLength(2);
    await store.getState().retryMore();
    expect(store.getState().moreError).toBeNull();
    expect(store.getState().results[150]).toBeDefined();
  });
});

describe('selection in the list', () => {
  test('moves within bounds and opens the selected row', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    await store.getState().runSearch();
    const count = store.getState().results.length;
    store.getState().moveSelection(1);
    expect(store.getState().selectedIndex).toBe(0);
    store.getState().moveSelection(-1);
    expect(store.getState().selectedIndex).toBe(0);
    store.getState().moveSelection(100);
    expect(store.getState().selectedIndex).toBe(count - 1);
    await store.getState().openSelected();
    expect(store.getState().article?.path).toBe(store.getState().results[count - 1]?.path);
  });

  test('re-sorting keeps the selected article selected at its new row', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    store.setState({ query: 'the', sort: 'date' });
    await store.getState().runSearch();
    const path = store.getState().results.at(-1)?.path;
    store.getState().selectIndex(store.getState().results.length - 1);
    store.getState().setSort('relevance');
    await settle();
    const { results, selectedIndex } = store.getState();
    expect(results[selectedIndex]?.path).toBe(path);
  });
});

describe('resetArticles (another archive opened)', () => {
  test('returns every list field to where a new store starts, keeping the sort and the count of answered searches', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    const start = store.getState();
    store.getState().setSort('oldest');
    store.setState({ query: 'the', notice: 'a notice', listError: 'an error', moreError: 'a page failed', loadingMore: true });
    await store.getState().runSearch();
    store.getState().selectIndex(0);
    const seq = store.getState().resultSeq;
    expect(seq).toBeGreaterThan(start.resultSeq);
    store.getState().resetArticles();
    const after = store.getState();
    for (const field of ['query', 'appliedQuery', 'results', 'total', 'notice', 'listStatus', 'listError', 'loadingMore', 'moreError', 'selectedIndex'] as const) {
      expect(after[field], field).toEqual(start[field]);
    }
    expect(after.sort).toBe('oldest');
    expect(after.resultSeq).toBe(seq);
  });
});
