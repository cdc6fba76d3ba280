// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import { labelQuery } from '../../src-renderer/store/workspace-slice';
import { FakeApi } from './fake-api';
import { makeStore, settle } from './test-utils';

const CITY = '_posts/2019-03-01-list-categories.md';
const TZ = '_posts/2020-12-31-timezone.md';

async function ready(api = new FakeApi()) {
  const store = makeStore(api, { debounceMs: 0 });
  await store.getState().init();
  await settle();
  return { api, store };
}

describe('workspace slice', () => {
  test('toggleStar stars the open article, then unstars it; the list’s stars and the Starred count follow', async () => {
    const { api, store } = await ready();
    await store.getState().openArticle(CITY);
    await store.getState().loadMarks(CITY);
    expect(store.getState().marks).toMatchObject({ path: CITY, starred: false });
    await store.getState().toggleStar();
    await settle();
    expect(api.callsTo('setStar')).toEqual([[CITY, true]]);
    expect(store.getState().marks?.starred).toBe(true);
    expect(store.getState().starredPaths).toEqual({ [CITY]: true });
    expect(store.getState().markedPosts.filter((p) => p.starred).map((p) => p.path)).toEqual([CITY]);
    await store.getState().toggleStar();
    await settle();
    expect(api.callsTo('setStar')).toEqual([[CITY, true], [CITY, false]]);
    expect(store.getState().starredPaths).toEqual({});
  });

  test('a row’s star stars that post, not the open one', async () => {
    const { api, store } = await ready();
    await store.getState().openArticle(CITY);
    await store.getState().toggleStar(TZ);
    await settle();
    expect(api.callsTo('setStar')).toEqual([[TZ, true]]);
    expect(store.getState().starredPaths).toEqual({ [TZ]: true });
    expect(store.getState().marks?.path === TZ).toBe(false);
  });

  test('labels: add (made new with its colour), remove, rename into another (merge), delete', async () => {
    const { api, store } = await ready();
    await store.getState().openArticle(CITY);
    await store.getState().addArticleLabel('  Story A ', '#3f9d4a');
    await store.getState().addArticleLabel('budget');
    await settle();
    expect(api.callsTo('addLabel')).toEqual([[CITY, 'Story A', '#3f9d4a'], [CITY, 'budget', undefined]]);
    expect(store.getState().marks?.labels).toEqual(['Story A', 'budget']);
    expect(store.getState().labels.map((l) => [l.name, l.color, l.count])).toContainEqual(['Story A', '#3f9d4a', 1]);
    await store.getState().mergeLabels('budget', 'Story A');
    await settle();
    expect(store.getState().marks?.labels).toEqual(['Story A']);
    expect(store.getState().labels.map((l) => l.name)).toEqual(['Story A']);
    await store.getState().renameLabel('Story A', 'Story B');
    await settle();
    expect(store.getState().marks?.labels).toEqual(['Story B']);
    await store.getState().deleteLabel('Story B');
    await settle();
    expect(store.getState().marks?.labels).toEqual([]);
    expect(store.getState().labels).toEqual([]);
  });

  test('saveSearch keeps the query and the tree selections (no paging) and marks it opened; opening it shows them again', async () => {
    const { api, store } = await ready();
    store.setState({ query: 'election', category: ['Politics'] });
    await store.getState().saveSearch('Elections');
    await settle();
    const [[name, saved]] = api.callsTo('addSavedSearch') as [[string, Record<string, unknown>]];
    expect(name).toBe('Elections');
    expect(saved).toMatchObject({ query: 'election', category: ['Politics'] });
    expect(saved).not.toHaveProperty('offset');
    expect(saved).not.toHaveProperty('limit');
    expect(api.callsTo('markSavedSearchOpened')).toEqual([['Elections']]);
    expect(store.getState().savedSearches).toMatchObject([{ name: 'Elections', total: 1, new: 0 }]);

    store.getState().clearFilters();
    await settle();
    await store.getState().openSavedSearch('Elections');
    await settle();
    expect(store.getState().query).toBe('election');
    expect(store.getState().category).toEqual(['Politics']);
    expect(store.getState().total).toBe(1);
    expect(api.callsTo('markSavedSearchOpened')).toEqual([['Elections'], ['Elections']]);
  });

  test('showWorkspaceQuery lists a mark word as the query, the tree selections cleared', async () => {
    const { store } = await ready();
    store.setState({ category: ['Politics'], tag: 'election' });
    store.getState().showWorkspaceQuery('is:starred');
    await settle();
    expect(store.getState()).toMatchObject({ query: 'is:starred', appliedQuery: 'is:starred', category: null, tag: null });
  });

  test('labelQuery quotes names the query language would split', () => {
    expect(labelQuery('budget')).toBe('label:budget');
    expect(labelQuery('Story A')).toBe('label:"Story A"');
    expect(labelQuery('城市 选举')).toBe('label:"城市 选举"');
  });

  test('a failed change says why and changes nothing', async () => {
    const { api, store } = await ready();
    await store.getState().openArticle(CITY);
    await store.getState().loadMarks(CITY);
    api.failures.set('setStar', 'disk full');
    await store.getState().toggleStar();
    expect(store.getState().workspaceError).toContain('disk full');
    expect(store.getState().marks?.starred).toBe(false);
  });

  test('counts follow the result: one countMarks call for Starred, Notes and every label, with the tree selections kept; none for the whole archive', async () => {
    const { api, store } = await ready();
    api.workspace.addLabel(CITY, 'Story A');
    await store.getState().loadWorkspace();
    const asked = vi.spyOn(api, 'countMarks').mockImplementation(async () => ({ starred: 3, notes: 2, labels: { 'Story A': 1 } }));
    const lists = api.callsTo('listArticles').length;
    await store.getState().loadWorkspaceCounts();
    expect(asked).not.toHaveBeenCalled();
    expect(store.getState().workspaceCounts).toBeNull();

    store.setState({ query: 'election', appliedQuery: 'election', category: ['Politics'] });
    await store.getState().loadWorkspaceCounts();
    expect(asked.mock.calls).toEqual([[{ query: 'election', category: ['Politics'] }]]);
    // Not one list per mark word and label (2 + labels calls after every result).
    expect(api.callsTo('listArticles').length).toBe(lists);
    expect(store.getState().workspaceCounts).toEqual({ starred: 3, notes: 2, labels: { 'Story A': 1 } });
  });
  test('the timeline and the workspace counts count the result on screen (the search that ran), not what is being typed', async () => {
    const api = new FakeApi();
    const store = makeStore(api, { debounceMs: 60_000 });
    await store.getState().init();
    store.setState({ query: 'election', appliedQuery: 'election' });
    await store.getState().runSearch();
    await settle();
    store.getState().setQuery('council budg'); // typed, not searched yet
    await store.getState().loadTimeline();
    await store.getState().loadWorkspaceCounts();
    expect(api.callsTo('getTimeline').at(-1)![0]).toMatchObject({ query: 'election' });
    expect(api.callsTo('countMarks').at(-1)![0]).toMatchObject({ query: 'election' });
  });
});
