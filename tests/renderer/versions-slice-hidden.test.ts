// @vitest-environment happy-dom
/** The versions slice asks for other versions with the app's "show hidden posts" setting: drafts only when it is on. */
import { describe, expect, test } from 'vitest';
import { FakeApi, POSTS, type FakePost } from './fake-api';
import { makeStore, settle } from './test-utils';

const ORIGINAL: FakePost = { path: '_posts/2021-06-01-wire.md', title: '央行宣布降息', date: '2021-06-01', categories: ['财经'], tags: [], text: '', html: '<p>一</p>' };
const DRAFT: FakePost = { ...ORIGINAL, path: '_drafts/wire.md', title: '草稿', hidden: true, draft: true };
const REPRINT: FakePost = { ...ORIGINAL, path: 'emnews/_posts/2021-06-02-wire.md', title: '转载' };
const version = (p: FakePost) => ({ path: p.path, title: p.title, date: p.date, categories: p.categories, score: 0.9 });

describe('loadVersions', () => {
  test('leaves hidden versions out unless hidden posts are shown', async () => {
    const api = new FakeApi([...POSTS, ORIGINAL, DRAFT, REPRINT]);
    api.similar.set(ORIGINAL.path, [version(DRAFT), version(REPRINT)]);
    const store = makeStore(api);
    await store.getState().init();
    await settle();
    await store.getState().loadVersions(ORIGINAL.path);
    expect(api.callsTo('getSimilar')).toEqual([[ORIGINAL.path, false]]);
    expect(store.getState().versions.map((v) => v.path)).toEqual([REPRINT.path]);

    store.getState().setIncludeHidden(true);
    await settle();
    await store.getState().loadVersions(ORIGINAL.path);
    expect(api.callsTo('getSimilar').at(-1)).toEqual([ORIGINAL.path, true]);
    expect(store.getState().versions.map((v) => v.path)).toEqual([DRAFT.path, REPRINT.path]);
  });
});
