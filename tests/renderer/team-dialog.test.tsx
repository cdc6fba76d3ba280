// @vitest-environment happy-dom
/**
 * The team index in the renderer (issue 15): the connect dialog's checks and errors, the header's connected and
 * read-only states, Disconnect, import and drop-to-import off for a read-only role, the password notes of each host.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { IndexInfo, MenuCommand, TeamIndexRequest } from '../../src-main/shared/archive-api';
import { DropZone } from '../../src-renderer/components/drop-zone';
import { ImportPanel } from '../../src-renderer/components/import-panel';
import { TeamDialog } from '../../src-renderer/components/team-dialog';
import { Toolbar } from '../../src-renderer/components/toolbar';
import { connectEvents } from '../../src-renderer/store/connect-events';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore } from './test-utils';
import { renderTeamUi } from './team-ui';

afterEach(cleanup);

/** The fake host, as the desktop app's main process describes password keeping (team-passwords.ts). */
class DesktopApi extends FakeApi {
  passwordStorage: IndexInfo['passwordStorage'] = 'keychain';
  override getIndexInfo() {
    return super.getIndexInfo().then((index) => ({ ...index, passwordStorage: this.passwordStorage, passwordRemembered: false }));
  }
}

async function setup(api: FakeApi = new FakeApi()) {
  const store = await renderTeamUi(
    api,
    <>
      <ImportPanel />
      <DropZone getPathForFile={(file) => `/home/me/${file.name}`} />
    </>,
  );
  return { api, store };
}

const connects = (api: FakeApi): TeamIndexRequest[] => api.callsTo('connectTeamIndex').map((a) => a[0] as TeamIndexRequest);

async function openDialog(name = 'Team index…', title = 'Connect to a team index'): Promise<HTMLElement> {
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name }));
  });
  return screen.getByRole('dialog', { name: title });
}

async function fill(dialog: HTMLElement, fields: { url?: string; schema?: string; password?: string }): Promise<void> {
  await act(async () => {
    if (fields.url !== undefined) fireEvent.change(within(dialog).getByLabelText('Address'), { target: { value: fields.url } });
    if (fields.schema !== undefined) fireEvent.change(within(dialog).getByLabelText('Schema'), { target: { value: fields.schema } });
    if (fields.password !== undefined) fireEvent.change(within(dialog).getByLabelText('Password'), { target: { value: fields.password } });
  });
}

async function submit(dialog: HTMLElement): Promise<void> {
  await act(async () => {
    fireEvent.click(within(dialog).getByRole('button', { name: 'Connect' }));
  });
}

/** A drop of one file on the window, as the browser delivers it. */
function drop(name: string): void {
  const file = new File(['---\ntitle: x\n---\n'], name);
  const transfer = { files: [file], types: ['Files'], items: [], dropEffect: 'none' };
  for (const type of ['dragenter', 'dragover', 'drop']) {
    window.dispatchEvent(Object.assign(new Event(type, { bubbles: true, cancelable: true }), { dataTransfer: transfer }));
  }
}

describe('the connect dialog', () => {
  test('says in place what is wrong with the address or schema, and sends nothing until it is right', async () => {
    const { api } = await setup();
    const dialog = await openDialog();
    const alert = () => within(dialog).getByRole('alert').textContent;

    await submit(dialog);
    expect(alert()).toBe('Type the address of the team index: postgres://USER@HOST:PORT/DB.');
    expect(within(dialog).getByLabelText('Address').getAttribute('aria-invalid')).toBe('true');

    const cases: [string, string][] = [
      ['http://db.example/news', 'The address must start with postgres:// (as in postgres://USER@HOST:PORT/DB).'],
      ['postgres://db.example:5432/news', 'The address needs a user name before the @: postgres://USER@HOST:PORT/DB.'],
      ['postgres://ann@db.example:5432', 'The address must end with the database’s name: …/DB.'],
      ['postgres://ann@:5432/news', 'The address needs a server name after the @: postgres://USER@HOST:PORT/DB.'],
      ['postgres://ann@db.example:99999/news', 'The port must be a number from 1 to 65535.'],
      ['postgres://ann:hunter2@db.example:5432/news', 'Leave the password out of the address and type it in the password field.'],
    ];
    for (const [url, message] of cases) {
      await fill(dialog, { url });
      await submit(dialog);
      expect(alert(), url).toBe(message);
    }

    await fill(dialog, { url: 'postgres://ann@db.example:5432/news', schema: 'News-Desk' });
    await submit(dialog);
    expect(alert()).toBe('A schema name is lower-case letters, digits and _, starting with a letter or _ (for example backfile).');
    expect(within(dialog).getByLabelText('Schema').getAttribute('aria-invalid')).toBe('true');
    expect(within(dialog).getByLabelText('Address').getAttribute('aria-invalid')).toBeNull();
    expect(connects(api)).toEqual([]);
  });

  test('a server that cannot be reached is said in plain words, never a stack', async () => {
    const { api } = await setup();
    api.teamFailure = {
      code: 'STORE_UNAVAILABLE',
      message:
        'The team index at postgres://ann@127.0.0.1:1/news cannot be used: the server refused the connection (is PostgreSQL running at that host and port?).\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
    };
    const dialog = await openDialog();
    await fill(dialog, { url: 'postgres://ann@127.0.0.1:1/news', password: 'pw' });
    await submit(dialog);
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toBe(
      'The server cannot be reached: check that PostgreSQL runs at this host and port, and that this computer may connect to it.',
    );
    expect(alert.textContent).not.toMatch(/TCPConnectWrap|node:net|\[STORE_UNAVAILABLE\]/);
    expect(connects(api)).toEqual([{ url: 'postgres://ann@127.0.0.1:1/news', schema: 'backfile', password: 'pw' }]);
    // Still open, still local, and the reader can try again.
    expect(screen.getByRole('dialog', { name: 'Connect to a team index' })).toBe(dialog);
    expect(screen.queryByRole('group', { name: 'Team index' })).toBeNull();
    expect(within(dialog).getByRole('button', { name: 'Connect' })).toHaveProperty('disabled', false);

    api.teamFailure = { code: 'READ_ONLY', message: 'This team index is read-only for ann: indexing and import need a role with write rights.' };
    await submit(dialog);
    await waitFor(() => expect(within(dialog).getByRole('alert').textContent).toBe('This team index is read-only for your role.'));
  });

  test('connected: the header shows "Team index · host/db"; Disconnect goes back to the local index', async () => {
    const { api, store } = await setup();
    const dialog = await openDialog();
    await fill(dialog, { url: 'postgres://ann@db.example:5432/news', password: 'pw' });
    await submit(dialog);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const group = screen.getByRole('group', { name: 'Team index' });
    expect(within(group).getByRole('button', { name: 'Team index · db.example/news' }).getAttribute('title')).toBe(
      'Reading from the team index postgres://ann@db.example:5432/news schema backfile',
    );
    expect(within(group).queryByText('read-only team index')).toBeNull();
    expect(store.getState().info?.index).toEqual({ kind: 'postgres', readOnly: false, location: 'postgres://ann@db.example:5432/news schema backfile' });
    // Everything shown is read again from the new index.
    expect(api.callsTo('listArticles').length).toBeGreaterThan(1);

    // Reopened, it names the connection and offers Disconnect; the password is never filled back in.
    const again = await openDialog('Team index · db.example/news');
    expect(within(again).getByRole('status').textContent).toContain('Connected to db.example/news.');
    expect((within(again).getByLabelText('Address') as HTMLInputElement).value).toBe('postgres://ann@db.example:5432/news');
    expect((within(again).getByLabelText('Password') as HTMLInputElement).value).toBe('');
    await act(async () => {
      fireEvent.click(within(again).getByRole('button', { name: 'Disconnect' }));
    });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Team index…' })).toBeTruthy());
    expect(screen.queryByRole('group', { name: 'Team index' })).toBeNull();
    expect(api.callsTo('disconnectTeamIndex')).toHaveLength(1);
  });

  test('a read-only role: the header says "read-only team index"; import and drop-to-import are off and say why', async () => {
    const api = new FakeApi();
    api.teamReadOnly = true;
    const { store } = await setup(api);
    const dialog = await openDialog();
    await fill(dialog, { url: 'postgres://reader@db.example/news', schema: 'desk' });
    await submit(dialog);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const group = screen.getByRole('group', { name: 'Team index' });
    expect(within(group).getByRole('button', { name: 'Team index · db.example/news · desk' })).toBeTruthy();
    expect(within(group).getByText('read-only team index').getAttribute('title')).toBe(
      'Your role may only read: you can browse and search, but not import or index.',
    );

    // Dropping posts: the target says so, nothing is imported.
    await act(async () => drop('2024-05-06-post.md'));
    expect(screen.getByRole('status').textContent).toContain(
      'Import is off: this app never writes a team index, and your role may only read it. New posts reach it through the team’s indexer: cli import SOURCE… --into ARCHIVE, then cli index ARCHIVE --store URL.',
    );
    expect(api.callsTo('importPaths')).toEqual([]);

    // Any other way in (a menu, a stray call) is refused before asking the host.
    await act(async () => {
      await store.getState().importPaths(['/home/me/posts']);
    });
    expect(api.callsTo('importPaths')).toEqual([]);
    expect(screen.getByRole('alert').textContent).toContain(
      'Import failed: this app never writes a team index, and your role may only read it. New posts reach it through the team’s indexer: cli import SOURCE… --into ARCHIVE, then cli index ARCHIVE --store URL.',
    );
  });

  test('a writable team role does not import either: the app never writes a team index (the indexer machine does)', async () => {
    const { api, store } = await setup();
    const dialog = await openDialog();
    await fill(dialog, { url: 'postgres://writer@db.example/news', password: 'pw' });
    await submit(dialog);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await act(async () => drop('2024-05-06-post.md'));
    expect(screen.getByRole('status').textContent).toContain(
      'Import is off while a team index is read: this app never writes it. Import on the indexer machine: cli import SOURCE… --into ARCHIVE, then cli index ARCHIVE --store URL.',
    );
    await act(async () => {
      await store.getState().importPaths(['/home/me/posts']);
    });
    expect(api.callsTo('importPaths')).toEqual([]);
    expect(screen.getByRole('alert').textContent).toContain('Import failed: this app never writes a team index. Import on the indexer machine');
  });
});

describe('the team workspace box', () => {
  test('"Keep my stars, labels and notes in the team database" asks for the team workspace, and the header says "workspace: team"', async () => {
    const { api } = await setup();
    let dialog = await openDialog();
    await fill(dialog, { url: 'postgres://ann@db.example:5432/news', password: 'pw' });
    const box = within(dialog).getByRole('checkbox', { name: 'Keep my stars, labels and notes in the team database' }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    await act(async () => {
      fireEvent.click(box);
    });
    await submit(dialog);
    await waitFor(() => expect(connects(api)).toHaveLength(1));
    expect(connects(api)[0]).toMatchObject({ url: 'postgres://ann@db.example:5432/news', teamWorkspace: true });
    const header = await screen.findByRole('group', { name: 'Team index' });
    await within(header).findByText('workspace: team');
    // Opened again while connected, the box says what the connection does.
    dialog = await openDialog('Team index · db.example/news');
    expect((within(dialog).getByRole('checkbox', { name: 'Keep my stars, labels and notes in the team database' }) as HTMLInputElement).checked).toBe(true);
  });

  test('left unticked, the marks stay on this computer: no teamWorkspace, no badge', async () => {
    const { api } = await setup();
    const dialog = await openDialog();
    await fill(dialog, { url: 'postgres://ann@db.example:5432/news', password: 'pw' });
    await submit(dialog);
    await waitFor(() => expect(connects(api)).toHaveLength(1));
    expect(connects(api)[0]!.teamWorkspace).toBeUndefined();
    const header = await screen.findByRole('group', { name: 'Team index' });
    expect(within(header).queryByText('workspace: team')).toBeNull();
  });
});

describe('what the dialog says about the password', () => {
  test('browser mode: held in the server’s memory for the session only; no "remember"', async () => {
    await setup();
    const dialog = await openDialog();
    expect(within(dialog).getByText('The password is held in the server’s memory for this session only; it is never written to disk.')).toBeTruthy();
    expect(within(dialog).queryByRole('checkbox', { name: 'Remember the password on this computer' })).toBeNull();
  });

  test('desktop with a keychain: "Remember the password" is offered and sent to main', async () => {
    const api = new DesktopApi();
    await setup(api);
    const dialog = await openDialog();
    const remember = await within(dialog).findByRole('checkbox', { name: 'Remember the password on this computer' });
    expect(within(dialog).getByText(/Kept encrypted by the system’s keychain, never as plain text\./)).toBeTruthy();
    await act(async () => {
      fireEvent.click(remember);
    });
    await fill(dialog, { url: 'postgres://ann@db.example:5432/news', password: 'pw' });
    await submit(dialog);
    expect(connects(api)).toEqual([{ url: 'postgres://ann@db.example:5432/news', schema: 'backfile', password: 'pw', remember: true }]);
  });

  test('desktop without a keychain: says the password cannot be remembered, and offers no checkbox', async () => {
    const api = new DesktopApi();
    api.passwordStorage = 'unavailable';
    await setup(api);
    const dialog = await openDialog();
    await within(dialog).findByText(
      'This system offers no protected keychain, so the password cannot be remembered: you will type it each time.',
    );
    expect(within(dialog).queryByRole('checkbox', { name: 'Remember the password on this computer' })).toBeNull();
    await fill(dialog, { url: 'postgres://ann@db.example:5432/news', password: 'pw' });
    await submit(dialog);
    expect(connects(api)).toEqual([{ url: 'postgres://ann@db.example:5432/news', schema: 'backfile', password: 'pw' }]);
  });
});

describe('in Chinese, and from the desktop menu', () => {
  test('File › Connect to a Team Index… opens the dialog; its words and errors are Chinese', async () => {
    const api = new FakeApi();
    api.teamReadOnly = true;
    const store = makeStore(api, { debounceMs: 0 });
    store.getState().setLanguage('zh');
    await store.getState().init();
    const menu: ((command: MenuCommand) => void)[] = [];
    connectEvents(store, { subscribe: api.subscribe.bind(api), onMenuCommand: (listener) => (menu.push(listener), () => undefined) });
    renderWithStore(
      <>
        <Toolbar onHelp={() => undefined} />
        <TeamDialog />
      </>,
      store,
    );
    expect(screen.getByRole('button', { name: '团队索引…' })).toBeTruthy();
    await act(async () => menu.forEach((listener) => listener('connectTeamIndex')));
    const dialog = screen.getByRole('dialog', { name: '连接团队索引' });
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: '连接' }));
    });
    expect(within(dialog).getByRole('alert').textContent).toBe('请输入团队索引的地址：postgres://用户@主机:端口/数据库。');
    await act(async () => {
      fireEvent.change(within(dialog).getByLabelText('地址'), { target: { value: 'postgres://reader@db.example/news' } });
    });
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: '连接' }));
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const group = screen.getByRole('group', { name: '团队索引' });
    expect(within(group).getByRole('button', { name: '团队索引 · db.example/news' })).toBeTruthy();
    expect(within(group).getByText('只读团队索引')).toBeTruthy();
    expect(within(group).getByRole('button', { name: '断开连接' })).toBeTruthy();
  });
});

describe('the status line after connecting', () => {
  test('a local indexing run shown before connecting is no longer shown: the team index is not indexed here', async () => {
    const { api, store } = await setup();
    await act(async () => api.emit('indexProgress', { phase: 'scanning', scanned: 0, toIndex: 0, indexed: 0 }));
    expect(store.getState().indexProgress?.phase).toBe('scanning');
    const dialog = await openDialog();
    await fill(dialog, { url: 'postgres://ann@db.example:5432/news' });
    await submit(dialog);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(store.getState().indexProgress).toBeNull();
  });
});
