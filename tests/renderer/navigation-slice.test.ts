// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { FakeApi } from './fake-api';
import { makeStore, settle } from './test-utils';
import { viewOf } from '../../src-renderer/store/navigation-slice';

const lastList = (api: FakeApi): ListQuery | undefined => api.callsTo('listArticles').at(-1)?.[0] as ListQuery | undefined;

describe('navigation slice', () => {
  test('loads the three trees from the archive, not from the list', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    await store.getState().loadTrees();
    const s = store.getState();
    expect(s.treesStatus).toBe('ready');
    expect(s.categories.map((c) => c.name)).toContain('Politics');
    expect(s.categories.find((c) => c.name === 'Politics')?.children.map((c) => c.name)).toEqual(['Local']);
    expect(s.dates.some((d) => d.year === null)).toBe(true);
    expect(s.tags[0]).toEqual({ name: 'election', count: 1 });
    expect(api.callsTo('listArticles')).toHaveLength(0);
  });

  test('showing unpublished posts reloads trees and list with includeHidden', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    await store.getState().loadTrees();
    store.getState().setIncludeHidden(true);
    await settle();
    expect(api.callsTo('getCategories').at(-1)).toEqual([true]);
    expect(lastList(api)?.includeHidden).toBe(true);
    expect(store.getState().results.some((r) => r?.title === 'Undated draft')).toBe(true);
    expect(store.getState().tags.find((t) => t.name === 'election')?.count).toBe(2);
  });

  test('each selection lists again; clearing one keeps the others', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    store.getState().selectCategory(['Politics']);
    store.getState().selectTag('celebration');
    await settle();
    expect(store.getState().results.map((r) => r?.title)).toEqual(["New Year's Eve fireworks"]);
    store.getState().selectTag(null);
    await settle();
    expect(lastList(api)).toMatchObject({ category: ['Politics'] });
    expect(lastList(api)?.tag).toBeUndefined();
    expect(store.getState().results.map((r) => r?.title).sort()).toEqual(['City hall election results', "New Year's Eve fireworks"]);
  });

  test('the December 2020 node holds the post written at 23:30 on 31 December at -05:00', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    store.getState().selectDate({ year: 2020, month: 12 });
    await settle();
    expect(store.getState().results.map((r) => r?.title)).toEqual(["New Year's Eve fireworks"]);
  });

  test('clearFilters drops the query and every selection, then lists everything', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    store.setState({ query: 'election' });
    store.getState().selectCategory(['Politics']);
    store.getState().selectDate({ year: 2019 });
    store.getState().selectTag('election');
    await settle();
    store.getState().clearFilters();
    await settle();
    const s = store.getState();
    expect([s.query, s.category, s.date, s.tag]).toEqual(['', null, null, null]);
    expect(lastList(api)).toEqual({ sort: 'date', offset: 0, limit: 100 });
    expect(s.total).toBe(8);
  });

  test('restoreView brings back query, filters and article as one step', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    await store.getState().init();
    await settle();
    const path = store.getState().results[2]!.path;
    const view = { archive: '/archives/demo', query: 'the', category: ['Politics'], date: null, tag: null, article: path };
    store.getState().restoreView(view);
    await settle();
    expect(lastList(api)).toMatchObject({ query: 'the', category: ['Politics'] });
    expect(store.getState().articlePath).toBe(path);
    expect(viewOf(store.getState())).toEqual(view);
    // Another archive's step is not this archive's: ignored.
    store.getState().restoreView({ ...view, archive: '/archives/old', query: 'x' });
    expect(store.getState().query).toBe('the');
    store.getState().restoreView({ ...view, article: null });
    expect(store.getState().articlePath).toBeNull();
    expect(store.getState().selectedIndex).toBe(-1);
  });
});
