// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { ArticleView } from '../../src-renderer/components/article-view';
import { FakeApi } from './fake-api';
import { makeStore, memoryStorage, renderWithStore, settle } from './test-utils';

const CITY = '_posts/2019-03-01-list-categories.md';

afterEach(cleanup);

function stubClipboard() {
  const writeText = vi.fn(async (_text: string) => undefined);
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
  return writeText;
}

async function show(api: FakeApi, storage = memoryStorage()) {
  const store = makeStore(api, { storage, navigatorLanguage: 'en-US' });
  await store.getState().init();
  await settle();
  await store.getState().openArticle(CITY);
  renderWithStore(<ArticleView />, store);
  return store;
}

describe('Copy citation', () => {
  test('copies the host’s citation in the style chosen from the menu, shows the text in a toast, and remembers the style', async () => {
    const writeText = stubClipboard();
    const api = new FakeApi();
    const storage = memoryStorage();
    await show(api, storage);
    const menu = screen.getByRole('combobox', { name: 'Citation style' }) as HTMLSelectElement;
    expect([...menu.options].map((o) => o.textContent)).toEqual(['GB/T 7714-2015', 'APA 7', 'Chicago', 'Markdown']);
    expect(menu.value).toBe('gb7714');

    await act(async () => {
      fireEvent.change(menu, { target: { value: 'chicago' } });
    });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy citation' }));
    });
    expect(api.callsTo('citeArticle')).toEqual([[CITY, 'chicago']]);
    expect(writeText).toHaveBeenCalledWith('chicago: City hall election results');
    const toast = await screen.findByRole('status');
    expect(toast.textContent).toContain('Citation copied');
    expect(toast.textContent).toContain('chicago: City hall election results');

    cleanup();
    const again = await show(new FakeApi(), storage);
    expect(again.getState().citationStyle).toBe('chicago');
    expect((screen.getByRole('combobox', { name: 'Citation style' }) as HTMLSelectElement).value).toBe('chicago');
  });

  test('a failed citation says so in the toast and copies nothing', async () => {
    const writeText = stubClipboard();
    const api = new FakeApi();
    api.failures.set('citeArticle', 'no post there');
    await show(api);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy citation' }));
    });
    expect(writeText).not.toHaveBeenCalled();
    expect((await screen.findByRole('status')).textContent).toMatch(/That did not work/);
  });
});
