/**
 * The desktop app's remembered team-index passwords (src-main/electron/team-credentials.ts, team-passwords.ts): the file logic with
 * real encryption (AES-256-GCM from node:crypto standing in for the OS keychain behind Electron's safeStorage),
 * real files. No Electron and no mocks of it: the cipher is passed in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { connectionKey, safeStorageCipher, TeamCredentials, type PasswordCipher } from '../../src-main/electron/team-credentials';
import { withTeamPasswords } from '../../src-main/electron/team-passwords';
import { ArchiveError, type IndexInfo, type TeamIndexRequest } from '../../src-main/shared/archive-api';
import { tempDir } from '../helpers/temp';

/** A real authenticated cipher under a key derived from `secret`; IVs from a counter (deterministic, never reused). */
function aesCipher(secret: string, available = true): PasswordCipher & { encrypted: number } {
  const key = createHash('sha256').update(secret).digest();
  let counter = 0;
  const self = {
    encrypted: 0,
    available: () => available,
    encrypt(plain: string): Buffer {
      const iv = Buffer.alloc(12);
      iv.writeUInt32BE((counter += 1), 8);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      self.encrypted += 1;
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(data: Buffer): string {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
  return self;
}

const PASSWORD = 's3cret-口令-🔑';

describe('TeamCredentials', () => {
  test('keeps a password only encrypted, as base64 in a JSON file readable by its owner only, and gives it back', async () => {
    const file = path.join(tempDir(), 'settings', 'team-credentials.json');
    const cipher = aesCipher('this user');
    const store = new TeamCredentials(file, cipher);
    const key = connectionKey('postgres://reader@db.example:5432/news', 'backfile');

    expect(await store.remember(key, PASSWORD)).toBe(true);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    const stored = (JSON.parse(text) as { passwords: Record<string, string> }).passwords[key];
    expect(stored).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(cipher.decrypt(Buffer.from(stored ?? '', 'base64'))).toBe(PASSWORD);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    expect(await store.recall(key)).toBe(PASSWORD);
    expect(await store.has(key)).toBe(true);
    // Another schema of the same database is another index.
    expect(await store.recall(connectionKey('postgres://reader@db.example:5432/news', 'other'))).toBeNull();
    // A new process reads the same file.
    expect(await new TeamCredentials(file, aesCipher('this user')).recall(key)).toBe(PASSWORD);
  });

  test('stores nothing when the OS cannot protect it', async () => {
    const file = path.join(tempDir(), 'team-credentials.json');
    const cipher = aesCipher('this user', false);
    const store = new TeamCredentials(file, cipher);
    expect(store.canRemember()).toBe(false);
    expect(await store.remember('k', PASSWORD)).toBe(false);
    expect(fs.existsSync(file)).toBe(false);
    expect(cipher.encrypted).toBe(0);
  });

  test('another user (another key), a damaged entry or a damaged file recall nothing and do not throw', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'team-credentials.json');
    await new TeamCredentials(file, aesCipher('alice')).remember('k', PASSWORD);
    expect(await new TeamCredentials(file, aesCipher('mallory')).recall('k')).toBeNull();

    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { passwords: Record<string, string> };
    const bytes = Buffer.from(data.passwords.k ?? '', 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    fs.writeFileSync(file, JSON.stringify({ version: 1, passwords: { k: bytes.toString('base64') } }));
    expect(await new TeamCredentials(file, aesCipher('alice')).recall('k')).toBeNull();

    fs.writeFileSync(file, '{ not json');
    const store = new TeamCredentials(file, aesCipher('alice'));
    expect(await store.recall('k')).toBeNull();
    // Remembering again replaces the damaged file with a good one.
    expect(await store.remember('k', PASSWORD)).toBe(true);
    expect(await store.recall('k')).toBe(PASSWORD);
  });

  test('forget removes one password and keeps the others', async () => {
    const file = path.join(tempDir(), 'team-credentials.json');
    const store = new TeamCredentials(file, aesCipher('u'));
    await store.remember('a', 'pa');
    await store.remember('b', 'pb');
    await store.forget('a');
    expect(await store.recall('a')).toBeNull();
    expect(await store.recall('b')).toBe('pb');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['team-credentials.json']); // no temp file left behind
  });
});

describe('connectionKey', () => {
  test('names the index by its URL without any password, and its schema', () => {
    expect(connectionKey('postgres://reader:pw@db:5432/news')).toBe('postgres://reader@db:5432/news#backfile');
    expect(connectionKey(' postgres://reader@db:5432/news ', 'desk')).toBe('postgres://reader@db:5432/news#desk');
  });
});

describe('safeStorageCipher', () => {
  const real = aesCipher('k');
  const safe = (available: boolean, backend: string) => ({
    isEncryptionAvailable: () => available,
    encryptString: (s: string) => real.encrypt(s),
    decryptString: (b: Buffer) => real.decrypt(b),
    getSelectedStorageBackend: () => backend,
  });

  test("Linux's basic_text fallback (a hard-coded key) counts as unavailable", () => {
    expect(safeStorageCipher(safe(true, 'basic_text'), 'linux').available()).toBe(false);
    expect(safeStorageCipher(safe(true, 'gnome_libsecret'), 'linux').available()).toBe(true);
    expect(safeStorageCipher(safe(false, 'gnome_libsecret'), 'linux').available()).toBe(false);
    expect(safeStorageCipher(safe(true, 'basic_text'), 'darwin').available()).toBe(true);
  });
});

describe('withTeamPasswords (what main puts around connectTeamIndex)', () => {
  /** The three contract methods as the service answers them, recording what reached it. */
  function service() {
    const seen: TeamIndexRequest[] = [];
    let connected: IndexInfo = { kind: 'local', readOnly: false, location: '/data/index.sqlite' };
    const api = {
      getIndexInfo: async () => connected,
      disconnectTeamIndex: async () => (connected = { kind: 'local', readOnly: false, location: '/data/index.sqlite' }),
      connectTeamIndex: async (request: TeamIndexRequest) => {
        seen.push(request);
        if (request.password !== PASSWORD) throw new ArchiveError('STORE_UNAVAILABLE', 'password authentication failed for user "reader"');
        const url = new URL(request.url);
        url.password = '';
        return (connected = { kind: 'postgres', readOnly: true, location: `${url.toString()} schema ${request.schema ?? 'backfile'}` });
      },
    };
    return { api, seen };
  }
  const URL_ = 'postgres://reader@db.example:5432/news';

  test('remembers a password that worked, only encrypted; later connections without one use it; unticking forgets it', async () => {
    const file = path.join(tempDir(), 'team-credentials.json');
    const { api, seen } = service();
    const wrapped = withTeamPasswords(api, new TeamCredentials(file, aesCipher('me')));
    expect(await wrapped.getIndexInfo()).toMatchObject({ kind: 'local', passwordStorage: 'keychain', passwordRemembered: false });

    // A wrong password is not kept.
    await expect(wrapped.connectTeamIndex({ url: URL_, password: 'wrong', remember: true })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(fs.existsSync(file)).toBe(false);

    const info = await wrapped.connectTeamIndex({ url: URL_, password: PASSWORD, remember: true });
    expect(info).toMatchObject({ kind: 'postgres', readOnly: true, passwordStorage: 'keychain', passwordRemembered: true });
    expect(seen.at(-1)).toEqual({ url: URL_, password: PASSWORD }); // `remember` stays in main
    expect(fs.readFileSync(file, 'utf8')).not.toContain(PASSWORD);

    await wrapped.disconnectTeamIndex();
    await wrapped.connectTeamIndex({ url: URL_ });
    expect(seen.at(-1)).toEqual({ url: URL_, password: PASSWORD });

    await wrapped.connectTeamIndex({ url: URL_, password: PASSWORD, remember: false });
    expect(await wrapped.getIndexInfo()).toMatchObject({ passwordRemembered: false });
    await expect(wrapped.connectTeamIndex({ url: URL_ })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(seen.at(-1)).toEqual({ url: URL_ });
  });

  test('without a protected keychain nothing is written, and the dialog is told so', async () => {
    const file = path.join(tempDir(), 'team-credentials.json');
    const { api } = service();
    const wrapped = withTeamPasswords(api, new TeamCredentials(file, aesCipher('me', false)));
    expect(await wrapped.connectTeamIndex({ url: URL_, password: PASSWORD, remember: true })).toMatchObject({
      passwordStorage: 'unavailable',
      passwordRemembered: false,
    });
    expect(fs.existsSync(file)).toBe(false);
  });
});
