/**
 * main's withTeamPasswords over a real TeamCredentials file and real node:crypto: a connect that uses the remembered
 * password keeps it, whatever `remember` a page sends with the field empty; it is forgotten only on the reader's word;
 * a keychain that fails after a connect that worked does not turn the connect into a failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { ArchiveApi, IndexInfo, TeamIndexRequest } from '../../src-main/shared/archive-api';
import { TeamCredentials, connectionKey, type PasswordCipher } from '../../src-main/electron/team-credentials';
import { userCipher } from '../helpers/user-cipher';
import { withTeamPasswords } from '../../src-main/electron/team-passwords';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'team-passwords-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const cipher = userCipher;
const URL_ = 'postgres://ann@db/news?sslmode=require';

type Methods = Pick<ArchiveApi, 'getIndexInfo' | 'connectTeamIndex' | 'disconnectTeamIndex'>;

function service(): Methods & { sent: TeamIndexRequest[] } {
  let current: IndexInfo = { kind: 'local', readOnly: false, location: '/a/index.sqlite' };
  const sent: TeamIndexRequest[] = [];
  return {
    sent,
    getIndexInfo: async () => current,
    disconnectTeamIndex: async (): Promise<IndexInfo> => (current = { kind: 'local', readOnly: false, location: '/a/index.sqlite' }),
    connectTeamIndex: async (r: TeamIndexRequest): Promise<IndexInfo> => {
      sent.push(r);
      if (r.password !== 'pw') throw Object.assign(new Error('[STORE_UNAVAILABLE] password authentication failed'), { code: 'STORE_UNAVAILABLE' });
      return (current = { kind: 'postgres', readOnly: true, location: `${URL_} schema backfile` });
    },
  };
}

describe('withTeamPasswords', () => {
  test('day 1 remembered; days 2 and 3 connect with the field empty (remember: false sent) and keep it', async () => {
    const file = path.join(dir, 'days.json');
    const credentials = new TeamCredentials(file, cipher);
    const inner = service();
    const api = withTeamPasswords(inner, credentials);
    const day1 = await api.connectTeamIndex({ url: URL_, password: 'pw', remember: true });
    expect(day1.passwordRemembered).toBe(true);
    expect(day1.passwordsRememberedFor).toEqual([{ url: URL_, schema: 'backfile' }]);
    for (const day of [2, 3]) {
      await api.disconnectTeamIndex();
      const info = await api.connectTeamIndex({ url: URL_, schema: 'backfile', remember: false });
      expect(inner.sent.at(-1)?.password, `day ${day}`).toBe('pw');
      expect(info.kind).toBe('postgres');
      expect(info.passwordRemembered, `day ${day}`).toBe(true);
      expect(await credentials.recall(connectionKey(URL_))).toBe('pw');
    }
    // The reader's word: forgetPassword, or a typed password with the box unticked.
    await api.connectTeamIndex({ url: URL_, forgetPassword: true });
    expect(await credentials.has(connectionKey(URL_))).toBe(false);
    await api.connectTeamIndex({ url: URL_, password: 'pw', remember: true });
    await api.connectTeamIndex({ url: URL_, password: 'pw', remember: false });
    expect(await credentials.has(connectionKey(URL_))).toBe(false);
  });

  test('a keychain that throws after the connect worked: the connect stands, nothing remembered, a note says why', async () => {
    const failing: PasswordCipher = {
      ...cipher,
      encrypt: () => {
        throw new Error('Error while encrypting the text provided to safeStorage.encryptString.');
      },
    };
    const inner = service();
    const api = withTeamPasswords(inner, new TeamCredentials(path.join(dir, 'failing.json'), failing));
    const info = await api.connectTeamIndex({ url: URL_, password: 'pw', remember: true });
    expect(info.kind).toBe('postgres');
    expect(info.passwordRemembered).toBe(false);
    expect(info.passwordNote).toMatch(/keychain refused to keep the password.*safeStorage\.encryptString/);
    expect((await inner.getIndexInfo()).kind).toBe('postgres');
  });
});
