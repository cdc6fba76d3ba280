// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { App } from '../../src-renderer/components/app';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore, settle, useStubbedLayout } from './test-utils';

const CITY = '_posts/2019-03-01-list-categories.md';

useStubbedLayout(700, 500);

function teamApi(): FakeApi {
  const api = new FakeApi();
  api.team = {
    kind: 'postgres', readOnly: false, location: 'postgres://alice@db/news schema backfile',
    team: { host: 'db', port: 5432, database: 'news', schema: 'backfile', user: 'alice', workspace: 'team' },
  };
  return api;
}

async function start(api: FakeApi) {
  const store = makeStore(api, { debounceMs: 0 });
  renderWithStore(<App />, store);
  await act(async () => {
    await store.getState().init();
    await settle();
  });
  return store;
}

const section = (): HTMLElement => screen.getByRole('region', { name: 'Workspace' });

describe('sharing a label with the team', () => {
  test('in the team workspace the editor has “Shared with the team”: ticking it shares the label, and the row says so', async () => {
    const api = teamApi();
    api.workspace.addLabel(CITY, 'budget');
    await start(api);
    fireEvent.click(within(section()).getByRole('button', { name: 'Edit label budget' }));
    const editor = screen.getByRole('form', { name: 'Edit label budget' });
    const box = within(editor).getByRole('checkbox', { name: 'Shared with the team' }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    await act(async () => {
      fireEvent.click(box);
      await settle();
    });
    expect(api.callsTo('setLabelShared')).toEqual([['budget', true]]);
    expect((within(screen.getByRole('form', { name: 'Edit label budget' })).getByRole('checkbox', { name: 'Shared with the team' }) as HTMLInputElement).checked).toBe(true);
    expect(within(section()).getByRole('button', { name: /^budget/ }).textContent).toContain('shared');
    await act(async () => {
      fireEvent.click(within(screen.getByRole('form', { name: 'Edit label budget' })).getByRole('checkbox', { name: 'Shared with the team' }));
      await settle();
    });
    expect(api.callsTo('setLabelShared')).toEqual([['budget', true], ['budget', false]]);
    expect(within(section()).getByRole('button', { name: /^budget/ }).textContent).not.toContain('shared');
  });

  test('another role’s shared label shows its owner and is read-only: no rename, colour, delete or share', async () => {
    const api = teamApi();
    api.workspace.addLabel(CITY, 'leads');
    api.workspace.sharing.set('leads', { shared: true, owner: 'bob' });
    const store = await start(api);
    expect(within(section()).getByRole('button', { name: /^leads/ }).textContent).toContain('by bob');
    expect(within(section()).getByTitle('Shared by bob')).toBeTruthy();
    fireEvent.click(within(section()).getByRole('button', { name: 'Edit label leads' }));
    const info = screen.getByRole('group', { name: 'Shared by bob' });
    expect(info.textContent).toContain('Only bob can rename');
    expect(screen.queryByRole('form', { name: 'Edit label leads' })).toBeNull();
    expect(within(info).queryByRole('checkbox')).toBeNull();
    expect(within(info).queryByRole('textbox')).toBeNull();
    expect(within(info).queryByRole('button', { name: 'Delete' })).toBeNull();
    act(() => store.getState().setLanguage('zh'));
    expect(within(screen.getByRole('region', { name: '工作区' })).getByRole('button', { name: /^leads/ }).textContent).toContain('bob 共享');
  });

  test('deleting one’s shared label asks about every post it leaves, other roles’ included (they lose it too)', async () => {
    const api = teamApi();
    api.workspace.addLabel(CITY, 'budget');
    api.workspace.sharing.set('budget', { shared: true, labelledByOthers: 3 });
    await start(api);
    fireEvent.click(within(section()).getByRole('button', { name: 'Edit label budget' }));
    const editor = screen.getByRole('form', { name: 'Edit label budget' });
    fireEvent.click(within(editor).getByRole('button', { name: 'Delete' }));
    expect(within(editor).getByRole('button', { name: 'Delete from 4 posts?' })).toBeTruthy();
    // The row still counts the reader's own posts, the ones label:budget lists.
    expect(within(section()).getByRole('button', { name: /^budget/ }).textContent).toMatch(/1$/);
  });

  test('a local workspace has no sharing toggle', async () => {
    const api = new FakeApi();
    api.workspace.addLabel(CITY, 'budget');
    await start(api);
    fireEvent.click(within(section()).getByRole('button', { name: 'Edit label budget' }));
    expect(within(screen.getByRole('form', { name: 'Edit label budget' })).queryByRole('checkbox')).toBeNull();
  });
});
