// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { FakeApi } from './fake-api';
import { makeStore } from './test-utils';

const CITY = '_posts/2019-03-01-list-categories.md';
const REMOTE = '_posts/2024-04-01-hostile-html.md';
const RICE = 'world/asia/_posts/2020-01-15-folder-categories.markdown';

describe('article slice', () => {
  test('the article asked for last is the one shown, whatever order the answers come in', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    const held = api.holdCalls();
    const a = store.getState().openArticle(CITY);
    const b = store.getState().openArticle(RICE);
    held[1]?.release();
    await b;
    held[0]?.release();
    await a;
    expect(store.getState().article?.path).toBe(RICE);
    expect(store.getState().articleStatus).toBe('ready');
  });

  test('a missing article is an error with the reason', async () => {
    const store = makeStore(new FakeApi());
    await store.getState().openArticle('_posts/gone.md');
    expect(store.getState().articleStatus).toBe('error');
    expect(store.getState().articleError).toContain('_posts/gone.md');
  });

  test('remote content is allowed through the host, for one article only', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    await store.getState().openArticle(REMOTE);
    expect(store.getState().remoteAllowed).toBe(false);
    await store.getState().allowRemoteContent();
    expect(store.getState().remoteAllowed).toBe(true);
    expect(api.callsTo('setRemoteContentAllowed')).toEqual([[REMOTE, true]]);
    await store.getState().openArticle(CITY);
    expect(store.getState().remoteAllowed).toBe(false);
    expect(api.callsTo('setRemoteContentAllowed')).toEqual([
      [REMOTE, true],
      [REMOTE, false],
    ]);
  });

  test('when the host refuses remote content it stays blocked', async () => {
    const api = new FakeApi();
    api.setRemoteContentAllowed = async () => false;
    const store = makeStore(api);
    await store.getState().openArticle(REMOTE);
    await store.getState().allowRemoteContent();
    expect(store.getState().remoteAllowed).toBe(false);
  });

  test('only web links go out; show in folder names the archive path', async () => {
    const api = new FakeApi();
    const store = makeStore(api);
    await store.getState().openArticle(CITY);
    await store.getState().openExternal('javascript:alert(1)');
    await store.getState().openExternal('file:///etc/passwd');
    await store.getState().openExternal('https://example.com/a');
    expect(api.callsTo('openExternal')).toEqual([['https://example.com/a']]);
    await store.getState().showInFolder();
    expect(api.callsTo('showInFolder')).toEqual([[CITY]]);
  });
});

describe('failed actions', () => {
  test('are reported apart from the article, and cleared by the next article', async () => {
    const api = new FakeApi();
    api.failures.set('showInFolder', 'file manager not found');
    const store = makeStore(api);
    await store.getState().openArticle(CITY);
    await store.getState().showInFolder();
    expect(store.getState().actionError).toBe('file manager not found');
    expect(store.getState().articleStatus).toBe('ready');
    expect(store.getState().articleError).toBeNull();
    await store.getState().openArticle(RICE);
    expect(store.getState().actionError).toBeNull();
  });
});
