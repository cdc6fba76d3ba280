import { describe, expect, test } from 'vitest';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { addRange, countChecked, isRowChecked, removeRange } from '../../src-renderer/store/selection-slice';
import { FakeApi, fillerPosts } from './fake-api';
import { makeStore } from './test-utils';

async function listed(count = 1000, pageSize = 100) {
  const api = new FakeApi(fillerPosts(count));
  const store = makeStore(api, { pageSize, debounceMs: 0 });
  await store.getState().runSearch();
  return { api, store };
}

describe('row ranges', () => {
  test('adding merges what overlaps or touches; removing splits', () => {
    let r = addRange([], 5, 8);
    r = addRange(r, 0, 2);
    r = addRange(r, 8, 10); // touches [5, 8)
    expect(r).toEqual([
      [0, 2],
      [5, 10],
    ]);
    r = addRange(r, 1, 6);
    expect(r).toEqual([[0, 10]]);
    r = removeRange(r, 3, 4);
    expect(r).toEqual([
      [0, 3],
      [4, 10],
    ]);
    expect(countChecked(r)).toBe(9);
    expect([2, 3, 4].map((i) => isRowChecked(r, i))).toEqual([true, false, true]);
  });
});

describe('selection slice', () => {
  test('Space-like toggles and Shift ranges, from the anchor, shrink again when the range comes back', async () => {
    const { store } = await listed();
    const s = () => store.getState();
    s().toggleChecked(2);
    expect(s().checked).toEqual([[2, 3]]);
    s().extendChecked(6);
    expect(s().checked).toEqual([[2, 7]]);
    // Back towards the anchor: the range follows, as in Mail.
    s().extendChecked(4);
    expect(s().checked).toEqual([[2, 5]]);
    // Ctrl-click elsewhere starts a new anchor; the next Shift range adds to what is checked.
    s().toggleChecked(10);
    s().extendChecked(12);
    expect(s().checked).toEqual([
      [2, 5],
      [10, 13],
    ]);
    s().toggleChecked(11);
    expect(countChecked(s().checked)).toBe(5);
  });

  test('a Shift range over rows not loaded yet is checked by index, and their paths are fetched when asked for', async () => {
    const { api, store } = await listed(1000, 100);
    const s = () => store.getState();
    expect(s().results.filter(Boolean)).toHaveLength(100);
    s().toggleChecked(98);
    s().extendChecked(702);
    expect(countChecked(s().checked)).toBe(605);
    const before = api.callsTo('listArticles').length;
    const paths = await s().checkedPaths();
    expect(paths).toHaveLength(605);
    // Newest first: row 0 is filler 1000, so row i is filler (1000 - i).
    expect(paths[0]).toContain('filler-0902');
    expect(paths[604]).toContain('filler-0298');
    expect(new Set(paths).size).toBe(605);
    // Only the pages with unloaded checked rows were asked for, with the list's own query.
    const asked = api.callsTo('listArticles').slice(before).map((a) => a[0] as ListQuery);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((q) => q.sort === 'date' && q.query === undefined)).toBe(true);
  });

  test('Select all checks the whole result, not just the loaded rows', async () => {
    const { store } = await listed(1000, 100);
    store.getState().checkAll();
    expect(countChecked(store.getState().checked)).toBe(1000);
  });

  test('a new query, filter or sort clears the selection and says so; the same query answering again keeps it', async () => {
    const { store } = await listed(300);
    const s = () => store.getState();
    s().toggleChecked(1);
    await s().runSearch({ keepSelection: true }); // e.g. the archive changed, same result
    expect(s().checked).toEqual([[1, 2]]);
    expect(s().checksCleared).toBe(false);

    store.setState({ query: 'Filler' });
    await s().runSearch();
    expect(s().checked).toEqual([]);
    expect(s().checksCleared).toBe(true);

    s().checkAll();
    expect(s().checksCleared).toBe(false);
    s().setSort('oldest');
    await s().runSearch();
    expect(s().checked).toEqual([]);

    s().toggleChecked(0);
    s().selectTag('filler');
    await s().runSearch();
    expect(s().checked).toEqual([]);
  });

  test('the same query with a different total (posts added) clears the selection: its rows moved', async () => {
    const { api, store } = await listed(300);
    const s = () => store.getState();
    s().toggleChecked(5);
    api.posts = fillerPosts(301);
    await s().runSearch({ keepSelection: true });
    expect(s().checked).toEqual([]);
    expect(s().checksCleared).toBe(true);
  });
});
