// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ArticleView } from '../../src-renderer/components/article-view';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore, settle } from './test-utils';

const CITY = '_posts/2019-03-01-list-categories.md';
const OTHER = '_posts/2020-12-31-timezone.md';

afterEach(cleanup);

async function show(api: FakeApi) {
  const store = makeStore(api);
  await store.getState().init();
  await settle();
  await store.getState().openArticle(CITY);
  renderWithStore(<ArticleView />, store);
  const body = screen.getByRole('article').querySelector('.article-body') as HTMLElement;
  return { store, body };
}

describe('links inside the archive', () => {
  test('a link the archive resolves to a post opens that post here, not in the browser', async () => {
    const api = new FakeApi();
    api.links.set('/2019/other.html', { kind: 'post', path: OTHER });
    const { store, body } = await show(api);
    await act(async () => {
      expect(fireEvent.click(within(body).getByText('a relative link'))).toBe(false);
    });
    await waitFor(() => expect(store.getState().articlePath).toBe(OTHER));
    expect(api.callsTo('resolveLink')).toEqual([[CITY, '/2019/other.html']]);
    expect(api.callsTo('openExternal')).toEqual([]);
  });

  test('a category page selects the category; the site\'s own URL that is no page goes to the browser', async () => {
    const api = new FakeApi();
    api.links.set('/2019/other.html', { kind: 'category', path: ['Politics'] });
    api.links.set('https://example.com/report', { kind: 'external', url: 'https://example.com/report' });
    const { store, body } = await show(api);
    await act(async () => {
      fireEvent.click(within(body).getByText('a relative link'));
    });
    await waitFor(() => expect(store.getState().category).toEqual(['Politics']));
    await act(async () => {
      fireEvent.click(within(body).getByText('official report'));
    });
    await waitFor(() => expect(api.callsTo('openExternal')).toEqual([['https://example.com/report']]));
  });
});
