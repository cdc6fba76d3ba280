// @vitest-environment happy-dom
/**
 * Reopening an archive last read from a team index (issue 15): the host tells what became of its remembered team
 * index (IndexInfo.reconnect). No password remembered: the dialog opens by itself, filled in, "Reconnect to the team
 * index at HOST/DB?" (once). Unreachable: a message that stops nothing, the server's first line, and Retry. "Stop
 * using it" forgets it (Disconnect). The local index answers meanwhile.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { IndexInfo, TeamIndexRequest, TeamReconnect } from '../../src-main/shared/archive-api';
import { DropZone } from '../../src-renderer/components/drop-zone';
import { ImportPanel } from '../../src-renderer/components/import-panel';
import { TeamDialog } from '../../src-renderer/components/team-dialog';
import { TeamReconnectBar } from '../../src-renderer/components/team-reconnect-bar';
import { Toolbar } from '../../src-renderer/components/toolbar';
import { connectEvents } from '../../src-renderer/store/connect-events';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore, settle } from './test-utils';

afterEach(cleanup);

const URL_ = 'postgres://ann@db.example:5432/news';

/** The desktop host as the service answers after a reopen: its remembered team index, not connected (yet). */
class ReopenedApi extends FakeApi {
  reconnect: TeamReconnect | null = null;
  override indexInfo(): IndexInfo {
    const index = super.indexInfo();
    return index.kind === 'local' && this.reconnect ? { ...index, reconnect: { ...this.reconnect } } : index;
  }
  override connectTeamIndex(request: TeamIndexRequest) {
    return super.connectTeamIndex(request).then((index) => {
      this.reconnect = null;
      return index;
    });
  }
  override disconnectTeamIndex() {
    this.reconnect = null;
    return super.disconnectTeamIndex();
  }
}

async function setup(reconnect: TeamReconnect) {
  const api = new ReopenedApi();
  api.reconnect = reconnect;
  const store = makeStore(api, { debounceMs: 0 });
  await store.getState().init();
  connectEvents(store, api);
  renderWithStore(
    <>
      <Toolbar onHelp={() => undefined} />
      <TeamReconnectBar />
      <TeamDialog />
      <ImportPanel />
      <DropZone getPathForFile={(file) => `/home/me/${file.name}`} />
    </>,
    store,
  );
  await act(() => settle());
  return { api, store };
}

/** A drop of one file on the window, as the browser delivers it. */
function drop(name: string): void {
  const file = new File(['---\ntitle: x\n---\n'], name);
  const transfer = { files: [file], types: ['Files'], items: [], dropEffect: 'none' };
  for (const type of ['dragenter', 'dragover', 'drop']) {
    window.dispatchEvent(Object.assign(new Event(type, { bubbles: true, cancelable: true }), { dataTransfer: transfer }));
  }
}

const connects = (api: FakeApi): TeamIndexRequest[] => api.callsTo('connectTeamIndex').map((a) => a[0] as TeamIndexRequest);
const value = (dialog: HTMLElement, label: string) => (within(dialog).getByLabelText(label) as HTMLInputElement).value;

describe('reopening an archive last read from a team index', () => {
  test('no password remembered: the dialog opens by itself, filled in, once; connecting with the password typed', async () => {
    const { api } = await setup({ url: URL_, schema: 'desk', state: 'password' });
    const dialog = screen.getByRole('dialog', { name: 'Reconnect to the team index at db.example/news · desk?' });
    expect(value(dialog, 'Address')).toBe(URL_);
    expect(value(dialog, 'Schema')).toBe('desk');
    expect(value(dialog, 'Password')).toBe('');
    expect(within(dialog).getByText(/This archive was last read from this team index/)).toBeTruthy();
    // Closed: the archive stays on this computer's index and the bar offers the dialog again; it does not reopen by itself.
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    });
    await act(() => settle());
    expect(screen.queryByRole('dialog')).toBeNull();
    const bar = screen.getByRole('status');
    expect(bar.textContent).toContain('This archive was last read from the team index at db.example/news · desk, which needs its password.');
    await act(async () => {
      fireEvent.click(within(bar).getByRole('button', { name: 'Connect…' }));
    });
    const again = screen.getByRole('dialog', { name: 'Reconnect to the team index at db.example/news · desk?' });
    expect(value(again, 'Address')).toBe(URL_);
    await act(async () => {
      fireEvent.change(within(again).getByLabelText('Password'), { target: { value: 'pw' } });
    });
    await act(async () => {
      fireEvent.click(within(again).getByRole('button', { name: 'Connect' }));
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(connects(api)).toEqual([{ url: URL_, schema: 'desk', password: 'pw' }]);
    expect(screen.getByRole('group', { name: 'Team index' }).textContent).toContain('db.example/news · desk');
    expect(screen.queryByRole('status')).toBeNull();
  });

  test('the archive opened anew asks again; the same ask does not reopen the dialog by itself', async () => {
    const { api } = await setup({ url: URL_, schema: 'backfile', state: 'password' });
    const title = 'Reconnect to the team index at db.example/news?';
    const close = async () => {
      await act(async () => {
        fireEvent.click(within(screen.getByRole('dialog', { name: title })).getByRole('button', { name: 'Close' }));
      });
      await act(() => settle());
    };
    await close();
    // The host says the same again (another change of the archive): no dialog.
    await act(async () => {
      api.emit('archiveChanged', api.info());
      await settle();
    });
    expect(screen.queryByRole('dialog')).toBeNull();
    // Opened anew: reconnecting, then a password needed again: asked again.
    for (const state of ['connecting', 'password'] as const) {
      api.reconnect = { url: URL_, schema: 'backfile', state };
      await act(async () => {
        api.emit('archiveChanged', api.info());
        await settle();
      });
    }
    expect(screen.getByRole('dialog', { name: title })).toBeTruthy();
  });

  test('unreachable at open: a message that blocks nothing, the server’s first line, and Retry (the host fills the password in)', async () => {
    const { api } = await setup({
      url: URL_,
      schema: 'backfile',
      state: 'failed',
      error: { code: 'STORE_UNAVAILABLE', message: 'The team index at postgres://ann@db.example:5432/news cannot be used: the server refused the connection (is PostgreSQL running at that host and port?).' },
    });
    expect(screen.queryByRole('dialog')).toBeNull();
    const bar = screen.getByRole('alert');
    expect(bar.textContent).toContain('The team index at db.example/news did not answer or refused the connection, so this archive is read from this computer’s own index.');
    // The cause in the reader's words (the host's English is not shown as the server's).
    expect(bar.textContent).toContain('The server cannot be reached: check that PostgreSQL runs at this host and port');
    expect(bar.textContent).not.toContain('Server said');
    // The archive is there to read meanwhile.
    expect(screen.getByRole('button', { name: 'Team index…' })).toBeTruthy();

    api.teamFailure = {
      code: 'STORE_UNAVAILABLE',
      message: 'The team index at postgres://ann@db.example:5432/news cannot be used: the login as ann failed (password authentication failed for user "ann").\n    at TCPConnectWrap.afterConnect (node:net:1555:16)',
    };
    await act(async () => {
      fireEvent.click(within(bar).getByRole('button', { name: 'Retry' }));
    });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('PostgreSQL refused the login: check the user name and the password. Server said: password authentication failed for user "ann"'));
    expect(screen.getByRole('alert').textContent).not.toMatch(/node:net/);

    api.teamFailure = null;
    await act(async () => {
      fireEvent.click(within(screen.getByRole('alert')).getByRole('button', { name: 'Retry' }));
    });
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(connects(api)).toEqual([
      { url: URL_, schema: 'backfile' },
      { url: URL_, schema: 'backfile' },
    ]);
    expect(screen.getByRole('group', { name: 'Team index' }).textContent).toContain('db.example/news');
  });

  test('"Stop using it" forgets the remembered team index (Disconnect): the message goes, the archive stays local', async () => {
    const { api } = await setup({ url: URL_, schema: 'backfile', state: 'failed', error: { code: 'STORE_UNAVAILABLE', message: 'down' } });
    await act(async () => {
      fireEvent.click(within(screen.getByRole('alert')).getByRole('button', { name: 'Stop using it' }));
    });
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(api.callsTo('disconnectTeamIndex')).toHaveLength(1);
    expect(connects(api)).toEqual([]);
    expect(screen.getByRole('button', { name: 'Team index…' })).toBeTruthy();
  });

  test('reconnecting in the background: one quiet line, no dialog; "Stop using it" need not wait for the server', async () => {
    const { api } = await setup({ url: URL_, schema: 'backfile', state: 'connecting' });
    const bar = screen.getByRole('status');
    expect(bar.textContent).toContain('Reconnecting to the team index at db.example/news…');
    expect(screen.queryByRole('dialog')).toBeNull();
    await act(async () => {
      fireEvent.click(within(bar).getByRole('button', { name: 'Stop using it' }));
    });
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
    expect(api.callsTo('disconnectTeamIndex')).toHaveLength(1);
    expect(connects(api)).toEqual([]);
  });

  test('reconnecting: import and drop-to-import wait and say why (the team index would not list the posts); nothing is imported', async () => {
    const { api, store } = await setup({ url: URL_, schema: 'backfile', state: 'connecting' });
    const why =
      'Import waits while the team index is being reconnected: once connected, this archive is read from the team index, which would not list the posts imported here. Import once it has connected or failed, or choose “Stop using it”.';
    await act(async () => drop('2024-05-06-post.md'));
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain(why + 'Dismiss');
    await act(async () => {
      await store.getState().importPaths(['/home/me/posts']);
    });
    expect(screen.getByRole('alert').textContent).toContain(
      'Import failed: the team index is being reconnected, and once connected this archive is read from it, which would not list the posts imported here.',
    );
    expect(api.callsTo('importPaths')).toEqual([]);
    // It failed (or the reader stopped it): import is open again.
    api.reconnect = { url: URL_, schema: 'backfile', state: 'failed', error: { code: 'STORE_UNAVAILABLE', message: 'did not answer within 20 s' } };
    await act(async () => {
      api.emit('archiveChanged', api.info());
      await settle();
    });
    await act(async () => drop('2024-05-06-post.md'));
    await waitFor(() => expect(api.callsTo('importPaths')).toEqual([[['/home/me/2024-05-06-post.md']]]));
  });
});
