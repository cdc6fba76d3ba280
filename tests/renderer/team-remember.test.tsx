// @vitest-environment happy-dom
/**
 * The desktop's remembered team-index password through the real pieces: the dialog and store, main's
 * withTeamPasswords and TeamCredentials (a real file, encrypted with real node:crypto AES-GCM): a password remembered
 * on day 1 is used, and kept, on the days after when only the address is typed. Also: a keychain that refuses after a
 * connect that worked, and the menu's "Connect to a Team Index…" with no archive open.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, test } from 'vitest';
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { MenuCommand, TeamIndexRequest } from '../../src-main/shared/archive-api';
import { TeamCredentials, type PasswordCipher } from '../../src-main/electron/team-credentials';
import { userCipher } from '../helpers/user-cipher';
import { withTeamPasswords } from '../../src-main/electron/team-passwords';
import { TeamDialog } from '../../src-renderer/components/team-dialog';
import { connectEvents } from '../../src-renderer/store/connect-events';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore, settle } from './test-utils';
import { renderTeamUi } from './team-ui';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'team-remember-'));
afterEach(cleanup);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PASSWORD = 'right-password';
const ADDRESS = 'postgres://ann@db.example:5432/news?sslmode=require';
const aesCipher = userCipher;

/** The fake service behind main's real password wrapper; the service accepts only the right password. */
function desktop(file: string, cipher: PasswordCipher) {
  const api = new FakeApi();
  const sent: TeamIndexRequest[] = [];
  const connect = api.connectTeamIndex.bind(api);
  const service = {
    getIndexInfo: api.getIndexInfo.bind(api),
    disconnectTeamIndex: api.disconnectTeamIndex.bind(api),
    connectTeamIndex: (r: TeamIndexRequest) => {
      sent.push(r);
      return r.password === PASSWORD
        ? connect(r)
        : Promise.reject(Object.assign(new Error('[STORE_UNAVAILABLE] password authentication failed for user "ann"'), { code: 'STORE_UNAVAILABLE' }));
    },
  };
  Object.assign(api, withTeamPasswords(service, new TeamCredentials(file, cipher)));
  return { api, sent };
}

const start = (api: FakeApi) => renderTeamUi(api);

type Store = Awaited<ReturnType<typeof start>>;

/** Resolves once the store's state satisfies `ready` (a condition, no time limit: the real file and cipher may be slow). */
function until(store: Store, ready: (state: ReturnType<Store['getState']>) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (ready(store.getState())) return resolve();
    const off = store.subscribe((state) => {
      if (!ready(state)) return;
      off();
      resolve();
    });
  });
}

async function openDialog(store: Store): Promise<HTMLElement> {
  await act(async () => {
    store.getState().openTeamDialog();
    await until(store, (s) => s.teamPasswordStorage === 'keychain'); // the host said it has a keychain
  });
  await act(async () => settle());
  return screen.getByRole('dialog');
}

async function typeAndConnect(store: Store, dialog: HTMLElement, fields: { password?: string; tick?: boolean }) {
  await act(async () => {
    fireEvent.change(within(dialog).getByLabelText('Address'), { target: { value: ADDRESS } });
    if (fields.password !== undefined) fireEvent.change(within(dialog).getByLabelText('Password'), { target: { value: fields.password } });
  });
  await act(async () => {
    const box = within(dialog).getByRole('checkbox', { name: 'Remember the password on this computer' }) as HTMLInputElement;
    if (fields.tick !== undefined && box.checked !== fields.tick) fireEvent.click(box);
  });
  await act(async () => {
    fireEvent.click(within(dialog).getByRole('button', { name: 'Connect' }));
    await until(store, (s) => s.teamStatus === 'idle');
    await settle();
  });
}

const storedKeys = (file: string) => Object.keys((JSON.parse(fs.readFileSync(file, 'utf8')) as { passwords: object }).passwords);

test('remembered on day 1, used and kept on day 2 and day 3 with only the address typed; the box shows it', async () => {
  const file = path.join(dir, 'days.json');
  const { api, sent } = desktop(file, aesCipher);
  let store = await start(api);
  // Day 1: type the password, tick Remember.
  await typeAndConnect(store, await openDialog(store), { password: PASSWORD, tick: true });
  expect(store.getState().info?.index?.kind).toBe('postgres');
  expect(storedKeys(file)).toEqual([`${ADDRESS}#backfile`]);
  await act(async () => store.getState().disconnectTeam());

  for (const day of [2, 3]) {
    cleanup();
    store = await start(api); // the app started again
    const dialog = await openDialog(store);
    await act(async () => {
      fireEvent.change(within(dialog).getByLabelText('Address'), { target: { value: ADDRESS } });
    });
    // The typed address has a remembered password: the box says so.
    expect((within(dialog).getByRole('checkbox', { name: 'Remember the password on this computer' }) as HTMLInputElement).checked, `day ${day}`).toBe(true);
    await typeAndConnect(store, dialog, {});
    expect(store.getState().info?.index?.kind, `day ${day}`).toBe('postgres');
    expect(sent.at(-1)?.password, `day ${day}`).toBe(PASSWORD); // filled in by main from the keychain
    expect(storedKeys(file), `day ${day}`).toEqual([`${ADDRESS}#backfile`]);
    await act(async () => store.getState().disconnectTeam());
  }

  // Another address: the box is not ticked for it.
  cleanup();
  store = await start(api);
  const dialog = await openDialog(store);
  await act(async () => {
    fireEvent.change(within(dialog).getByLabelText('Address'), { target: { value: 'postgres://ann@other:5432/news' } });
  });
  expect((within(dialog).getByRole('checkbox', { name: 'Remember the password on this computer' }) as HTMLInputElement).checked).toBe(false);
});

test('unticking Remember with the field empty forgets the password (and the connect still uses it this once)', async () => {
  const file = path.join(dir, 'forget.json');
  const { api } = desktop(file, aesCipher);
  let store = await start(api);
  await typeAndConnect(store, await openDialog(store), { password: PASSWORD, tick: true });
  await act(async () => store.getState().disconnectTeam());
  cleanup();
  store = await start(api);
  await typeAndConnect(store, await openDialog(store), { tick: false });
  expect(store.getState().info?.index?.kind).toBe('postgres');
  expect(storedKeys(file)).toEqual([]);
});

test('a keychain that refuses after the connect worked: connected, nothing remembered, and the dialog says why', async () => {
  const file = path.join(dir, 'refuses.json');
  const refusing: PasswordCipher = {
    ...aesCipher,
    encrypt: () => {
      throw new Error('Error while encrypting the text provided to safeStorage.encryptString.');
    },
  };
  const { api } = desktop(file, refusing);
  const store = await start(api);
  await typeAndConnect(store, await openDialog(store), { password: PASSWORD, tick: true });
  expect(store.getState().info?.index?.kind).toBe('postgres');
  expect(store.getState().teamError).toBeNull();
  expect(store.getState().teamPasswordRemembered).toBe(false);
  const note = within(screen.getByRole('dialog')).getByText(/keychain refused to keep the password/);
  expect(note.textContent).toMatch(/safeStorage\.encryptString/);
  expect(fs.existsSync(file)).toBe(false);
});

test('File › Connect to a Team Index… with no archive open opens the dialog saying to open an archive first', async () => {
  const api = new FakeApi();
  let menu: ((command: MenuCommand) => void) | undefined;
  const bridge = {
    subscribe: api.subscribe.bind(api),
    onMenuCommand: (listener: (command: MenuCommand) => void) => {
      menu = listener;
      return () => undefined;
    },
  };
  const store = makeStore(api, { debounceMs: 0 });
  connectEvents(store, bridge);
  renderWithStore(<TeamDialog />, store);
  expect(store.getState().info).toBeNull();
  await act(async () => menu?.('connectTeamIndex'));
  const dialog = screen.getByRole('dialog');
  expect(within(dialog).getByRole('alert').textContent).toMatch(/Open an archive first/);
  expect((within(dialog).getByRole('button', { name: 'Connect' }) as HTMLButtonElement).disabled).toBe(true);
});
