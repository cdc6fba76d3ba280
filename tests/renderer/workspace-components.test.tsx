// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import { NOTE_SAVE_DELAY_MS } from '../../src-renderer/components/notes-panel';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../src-renderer/components/app';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore, settle, useStubbedLayout } from './test-utils';

const CITY = '_posts/2019-03-01-list-categories.md';

useStubbedLayout(700, 500);

async function start(api = new FakeApi(), open: string | null = CITY) {
  const store = makeStore(api, { debounceMs: 0 });
  renderWithStore(<App />, store);
  await act(async () => {
    await store.getState().init();
    await settle();
    if (open) await store.getState().openArticle(open);
    await settle();
  });
  return { api, store };
}

const section = (): HTMLElement => screen.getByRole('region', { name: 'Workspace' });
const article = (): HTMLElement => screen.getByRole('region', { name: 'Article' });

describe('star', () => {
  test('`s` stars and unstars the open article; the button and the Starred count follow; typing `s` in a field does not', async () => {
    const { api } = await start();
    const button = within(article()).getByRole('button', { name: /Star/ });
    expect(button.getAttribute('aria-pressed')).toBe('false');
    await act(async () => {
      fireEvent.keyDown(document.body, { key: 's' });
      await settle();
    });
    expect(api.callsTo('setStar')).toEqual([[CITY, true]]);
    expect(button.getAttribute('aria-pressed')).toBe('true');
    // Holding `s` down (auto-repeat) toggles once, not on and off again and again.
    await act(async () => {
      fireEvent.keyDown(document.body, { key: 's', repeat: true });
      fireEvent.keyDown(document.body, { key: 's', repeat: true });
      await settle();
    });
    expect(api.callsTo('setStar')).toEqual([[CITY, true]]);
    expect(within(section()).getByRole('button', { name: /^Starred/ }).textContent).toContain('1');
    await act(async () => {
      fireEvent.keyDown(screen.getByRole('searchbox', { name: 'Search' }), { key: 's' });
      await settle();
    });
    expect(api.callsTo('setStar')).toHaveLength(1);
    await act(async () => {
      fireEvent.click(button);
      await settle();
    });
    expect(api.callsTo('setStar')).toEqual([[CITY, true], [CITY, false]]);
    expect(button.getAttribute('aria-pressed')).toBe('false');
  });

  test('a row’s star stars its post without opening it; the row checkboxes still check rows', async () => {
    const { api, store } = await start(new FakeApi(), null);
    const list = screen.getByRole('listbox', { name: 'Articles' });
    const row = within(list).getAllByRole('option')[1]!;
    const path = store.getState().results[1]!.path;
    await act(async () => {
      fireEvent.click(within(row).getByRole('button', { name: /^Star/ }));
      await settle();
    });
    expect(api.callsTo('setStar')).toEqual([[path, true]]);
    expect(store.getState().articlePath).toBeNull();
    expect(within(row).getByRole('button', { name: /^Unstar/ }).getAttribute('aria-pressed')).toBe('true');
    await act(async () => {
      fireEvent.click(within(row).getByRole('checkbox'));
      await settle();
    });
    expect(store.getState().checked.length).toBeGreaterThan(0);
  });
});

describe('labels', () => {
  test('the popover creates a label by typing, the chip lists its posts, × removes it', async () => {
    const { api, store } = await start();
    fireEvent.click(within(article()).getByRole('button', { name: 'Label…' }));
    const popover = screen.getByRole('dialog', { name: 'Labels' });
    const input = within(popover).getByRole('textbox');
    fireEvent.change(input, { target: { value: 'Story A' } });
    fireEvent.click(within(popover).getByRole('radio', { name: 'blue' }));
    await act(async () => {
      fireEvent.keyDown(input, { key: 'Enter' });
      await settle();
    });
    expect(api.callsTo('addLabel')).toEqual([[CITY, 'Story A', '#3b7dd8']]);
    expect((within(popover).getByRole('checkbox', { name: 'Story A' }) as HTMLInputElement).checked).toBe(true);
    const chip = within(article()).getByRole('button', { name: 'Show posts labelled Story A' });
    expect(within(section()).getByRole('button', { name: /^Story A/ }).textContent).toContain('1');
    await act(async () => {
      fireEvent.click(chip);
      await settle();
    });
    expect(store.getState().query).toBe('label:"Story A"');
    await act(async () => {
      fireEvent.click(within(article()).getByRole('button', { name: 'Remove label Story A' }));
      await settle();
    });
    expect(api.callsTo('removeLabel')).toEqual([[CITY, 'Story A']]);
  });

  test('a label name with a double quote is refused as typed (it could not be listed); colour swatches are named, in Chinese too', async () => {
    const { api, store } = await start();
    fireEvent.click(within(article()).getByRole('button', { name: 'Label…' }));
    const popover = screen.getByRole('dialog', { name: 'Labels' });
    const input = within(popover).getByRole('textbox');
    fireEvent.change(input, { target: { value: 'say "hi"' } });
    expect(within(popover).getByRole('alert').textContent).toContain('double quote');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    await act(async () => {
      fireEvent.keyDown(input, { key: 'Enter' });
      await settle();
    });
    expect(api.callsTo('addLabel')).toEqual([]);
    fireEvent.change(input, { target: { value: 'say hi' } });
    expect(within(popover).queryByRole('alert')).toBeNull();
    expect(within(popover).getAllByRole('radio').map((r) => r.getAttribute('aria-label'))).toEqual(['red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple', 'pink']);
    act(() => store.getState().setLanguage('zh'));
    expect(within(screen.getByRole('dialog')).getAllByRole('radio')[0]!.getAttribute('aria-label')).toBe('红色');
  });

  test('rename into another label merges; delete asks once more', async () => {
    const api = new FakeApi();
    api.workspace.addLabel(CITY, 'budget');
    api.workspace.addLabel(CITY, 'Story A');
    await start(api);
    fireEvent.click(within(section()).getByRole('button', { name: 'Edit label budget' }));
    const editor = screen.getByRole('form', { name: 'Edit label budget' });
    fireEvent.change(within(editor).getByRole('textbox'), { target: { value: 'story a' } });
    await act(async () => {
      fireEvent.click(within(editor).getByRole('button', { name: 'Merge into “Story A”' }));
      await settle();
    });
    expect(api.callsTo('mergeLabels')).toEqual([['budget', 'Story A']]);
    fireEvent.click(within(section()).getByRole('button', { name: 'Edit label Story A' }));
    const again = screen.getByRole('form', { name: 'Edit label Story A' });
    fireEvent.click(within(again).getByRole('button', { name: 'Delete' }));
    expect(api.callsTo('deleteLabel')).toEqual([]);
    await act(async () => {
      fireEvent.click(within(again).getByRole('button', { name: 'Delete from 1 post?' }));
      await settle();
    });
    expect(api.callsTo('deleteLabel')).toEqual([['Story A']]);
  });
});

describe('workspace section', () => {
  test('Starred, labels and Notes list their posts by query; a saved search shows its count and “N new”, and opening it marks it opened', async () => {
    const api = new FakeApi();
    api.workspace.change(CITY, (m) => {
      m.note = 'see';
    });
    api.workspace.saved.set('Everything', { query: { query: '' }, lastOpenedAt: '2024-01-01T00:00:00Z', seen: new Set(['_posts/2020-12-31-timezone.md']) });
    const { store } = await start(api, null);
    const notes = within(section()).getByRole('button', { name: /^Notes/ });
    expect(notes.textContent).toContain('1');
    await act(async () => {
      fireEvent.click(notes);
      await settle();
    });
    expect(store.getState().query).toBe('has:note');
    const saved = within(section()).getByRole('button', { name: /^Everything/ });
    expect(saved.textContent).toContain(`${api.posts.filter((p) => !p.hidden && !p.path.startsWith('_drafts')).length - 1} new`);
    await act(async () => {
      fireEvent.click(saved);
      await settle();
    });
    expect(api.callsTo('markSavedSearchOpened')).toEqual([['Everything']]);
    expect(within(section()).getByRole('button', { name: /^Everything/ }).textContent).not.toContain('new');
  });

  test('“Save search…” saves the current query under a name', async () => {
    const { api, store } = await start(new FakeApi(), null);
    await act(async () => {
      store.getState().setQuery('election');
      await settle();
    });
    fireEvent.click(within(section()).getByRole('button', { name: 'Save search…' }));
    const name = within(section()).getByRole('textbox', { name: 'Name of the search' }) as HTMLInputElement;
    expect(name.value).toBe('election');
    fireEvent.change(name, { target: { value: 'Vote' } });
    await act(async () => {
      fireEvent.submit(name.form!);
      await settle();
    });
    expect(api.callsTo('addSavedSearch')).toEqual([['Vote', expect.objectContaining({ query: 'election' })]]);
    expect(within(section()).getByRole('button', { name: /^Vote/ }).textContent).toContain('1');
  });
});

describe('notes and highlights', () => {
  test('a note is saved on blur and when the article changes, and shown rendered (no raw HTML)', async () => {
    const { api, store } = await start();
    fireEvent.click(within(article()).getByRole('button', { name: 'Add a note' }));
    const box = within(article()).getByRole('textbox', { name: 'Note' });
    fireEvent.change(box, { target: { value: '**Key** <img src=x onerror="window.hacked=1">' } });
    await act(async () => {
      fireEvent.blur(box);
      await settle();
    });
    expect(api.callsTo('setNote')).toEqual([[CITY, '**Key** <img src=x onerror="window.hacked=1">']]);
    const rendered = within(article()).getByRole('region', { name: 'Your note' });
    expect(rendered.querySelector('strong')?.textContent).toBe('Key');
    expect(rendered.querySelector('img')).toBeNull();

    fireEvent.click(within(article()).getByRole('button', { name: 'Edit the note' }));
    fireEvent.change(within(article()).getByRole('textbox', { name: 'Note' }), { target: { value: 'changed' } });
    await act(async () => {
      await store.getState().openArticle('_posts/2020-12-31-timezone.md');
      await settle();
    });
    expect(api.callsTo('setNote').at(-1)).toEqual([CITY, 'changed']);
  });

  test('a refused note save says so in the panel (never "Saved"), keeps the text and saves it again on the next blur', async () => {
    const { api } = await start();
    api.failures.set('setNote', 'the workspace is read-only');
    fireEvent.click(within(article()).getByRole('button', { name: 'Add a note' }));
    fireEvent.change(within(article()).getByRole('textbox', { name: 'Note' }), { target: { value: 'keep me' } });
    await act(async () => {
      fireEvent.blur(within(article()).getByRole('textbox', { name: 'Note' }));
      await settle();
    });
    const panel = screen.getByRole('complementary', { name: 'Note and highlights' });
    expect(within(panel).getByRole('alert').textContent).toContain('the workspace is read-only');
    expect(panel.textContent).not.toContain('Saved');
    expect(within(panel).getByRole('region', { name: 'Your note' }).textContent).toContain('keep me');

    api.failures.delete('setNote');
    fireEvent.click(within(panel).getByRole('button', { name: 'Edit the note' }));
    await act(async () => {
      fireEvent.blur(within(panel).getByRole('textbox', { name: 'Note' }));
      await settle();
    });
    expect(api.callsTo('setNote')).toEqual([[CITY, 'keep me'], [CITY, 'keep me']]);
    expect(within(panel).queryByRole('alert')).toBeNull();
    expect(within(panel).getByRole('status').textContent).toBe('Saved');
  });

  test('the rendered note is a region whose links are exposed and followed like the article body’s, with a separate Edit button', async () => {
    const api = new FakeApi();
    api.workspace.change(CITY, (m) => {
      m.note = 'See [the other post](https://news.example.com/2020/12/31/timezone.html) and [the web](https://example.org/x)';
    });
    // The site's own address of a post in the archive: the archive opens it, as from the article body.
    api.links.set('https://news.example.com/2020/12/31/timezone.html', { kind: 'post', path: '_posts/2020-12-31-timezone.md' });
    const { store } = await start(api);
    const panel = screen.getByRole('complementary', { name: 'Note and highlights' });
    const note = within(panel).getByRole('region', { name: 'Your note' });
    expect(within(panel).getByRole('button', { name: 'Edit the note' })).not.toBe(note);
    expect(within(note).getAllByRole('link').map((a) => a.textContent)).toEqual(['the other post', 'the web']);

    const web = within(note).getByRole('link', { name: 'the web' });
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    await act(async () => {
      web.dispatchEvent(click);
      await settle();
    });
    expect(click.defaultPrevented).toBe(true);
    expect(api.callsTo('openExternal')).toEqual([['https://example.org/x']]);
    expect(api.callsTo('setNote')).toEqual([]);
    expect(within(panel).queryByRole('textbox')).toBeNull();

    await act(async () => {
      fireEvent.click(within(note).getByRole('link', { name: 'the other post' }));
      await settle();
    });
    expect(store.getState().articlePath).toBe('_posts/2020-12-31-timezone.md');
  });

  test('typing saves the note once, a pause after the last keystroke', async () => {
    const { api } = await start();
    fireEvent.click(within(article()).getByRole('button', { name: 'Add a note' }));
    const box = within(article()).getByRole('textbox', { name: 'Note' });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      fireEvent.change(box, { target: { value: 'a' } });
      await vi.advanceTimersByTimeAsync(NOTE_SAVE_DELAY_MS - 100);
      fireEvent.change(box, { target: { value: 'ab' } });
      await vi.advanceTimersByTimeAsync(NOTE_SAVE_DELAY_MS - 1);
      expect(api.callsTo('setNote')).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(api.callsTo('setNote')).toEqual([[CITY, 'ab']]);
    } finally {
      vi.useRealTimers();
    }
  });

  test('a highlight is drawn on the body from its quote, listed in the panel, and removed', async () => {
    const api = new FakeApi();
    api.workspace.change(CITY, (m) => {
      m.highlights.push({ id: 'h1', exact: 'narrow result', prefix: 'ended with a ', suffix: '.', comment: 'close', createdAt: '2024-01-01T00:00:00Z' });
    });
    const { store } = await start(api);
    const body = article().querySelector('.article-body')!;
    await waitFor(() => expect(body.querySelector('mark.hl')?.textContent).toBe('narrow result'));
    const panel = screen.getByRole('complementary', { name: 'Note and highlights' });
    expect(panel.textContent).toContain('1 highlight');
    expect(panel.textContent).toContain('close');
    // Drawn again after the body is rendered again (a search marks it anew).
    await act(async () => {
      store.getState().setQuery('council');
      await settle();
    });
    expect(body.querySelector('mark.hl')?.textContent).toBe('narrow result');
    // The find bar counts the search's matches, not the highlights.
    await waitFor(() => expect(article().textContent).toContain('1 of 1 match'));
    await act(async () => {
      fireEvent.click(within(panel).getByRole('button', { name: /Remove highlight/ }));
      await settle();
    });
    expect(body.querySelector('mark.hl')).toBeNull();
  });

  test('selecting text in the body offers “Highlight”, which saves its text quote', async () => {
    const { api } = await start();
    const body = article().querySelector('.article-body')!;
    const text = body.querySelector('p')!.firstChild!;
    const range = document.createRange();
    range.setStart(text, 4);
    range.setEnd(text, 24);
    document.getSelection()!.removeAllRanges();
    document.getSelection()!.addRange(range);
    await act(async () => {
      fireEvent.mouseUp(body);
      await settle();
    });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Highlight' }));
      await settle();
    });
    expect(api.callsTo('addHighlight')).toEqual([[CITY, { exact: 'city council electio', prefix: 'The ', suffix: 'n ended with a narrow result.Rea', comment: null }]]);
    expect(body.querySelector('mark.hl')?.textContent).toBe('city council electio');
  });
});
