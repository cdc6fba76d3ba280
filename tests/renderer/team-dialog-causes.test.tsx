// @vitest-environment happy-dom
/**
 * The connect dialog says why a team index was refused with one opening line per cause, in the reader's language,
 * and labels a detail "Server said" only when it quotes PostgreSQL: never the same three guesses for every refusal.
 * The messages are the host's (see team-refusal.test.ts, which makes them with the host's code).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { ApiError } from '../../src-main/shared/archive-api';
import { TeamDialog } from '../../src-renderer/components/team-dialog';
import { Toolbar } from '../../src-renderer/components/toolbar';
import type { Language } from '../../src-renderer/i18n';
import { connectEvents } from '../../src-renderer/store/connect-events';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore } from './test-utils';

afterEach(cleanup);

const at = 'The team index at postgres://ann@db.example:5432/news';
const causes: { name: string; error: ApiError; en: string; zh: string }[] = [
  {
    name: 'server down',
    error: { code: 'STORE_UNAVAILABLE', message: `${at} cannot be used: the server refused the connection (is PostgreSQL running at that host and port?).` },
    en: 'The server cannot be reached: check that PostgreSQL runs at this host and port, and that this computer may connect to it.',
    zh: '无法连接到服务器：请确认 PostgreSQL 正在该主机和端口上运行，且本机可以连接它。',
  },
  {
    name: 'wrong password',
    error: { code: 'STORE_UNAVAILABLE', message: `${at} cannot be used: the login as ann failed (password authentication failed for user "ann").` },
    en: 'PostgreSQL refused the login: check the user name and the password.Server said: password authentication failed for user "ann"',
    zh: 'PostgreSQL 拒绝了登录：请检查用户名和密码。服务器说明：password authentication failed for user "ann"',
  },
  {
    name: 'no index in the schema',
    error: { code: 'STORE_UNAVAILABLE', message: `${at} holds no Backfile index in schema nothere (index it first: cli index ARCHIVE --store URL).` },
    en: 'This schema holds no Backfile index: check the schema’s name, or have the team’s indexer build it (cli index ARCHIVE --store URL).',
    zh: '此模式中没有 Backfile 索引：请检查模式名称，或请团队的索引程序先建立索引（cli index 存档 --store URL）。',
  },
  {
    name: 'another archive',
    error: {
      code: 'STORE_UNAVAILABLE',
      message: `${at} schema backfile cannot be used: this team index is of another archive (indexed from /srv/news; 2 of 3 sampled posts, e.g. a/1.md, are not in /home/me/other).`,
    },
    en: 'This team index was built from another archive than the one open here: open that archive, or connect to the schema indexed from this one.' +
      'It was indexed from /srv/news; 2 of 3 posts sampled from it (e.g. a/1.md) are not in this archive.',
    zh: '此团队索引是由另一个存档建立的，而不是这里打开的存档：请打开那个存档，或连接由本存档建立索引的模式。' +
      '它的索引建自 /srv/news；从中抽查的 3 篇文章里有 2 篇（例如 a/1.md）不在此存档中。',
  },
  {
    name: 'no such database',
    error: { code: 'STORE_UNAVAILABLE', message: `${at} cannot be used: the database does not exist (database "nws" does not exist).` },
    en: 'The server has no database of this name: check the end of the address (…/DB).Server said: database "nws" does not exist',
    zh: '服务器上没有这个名称的数据库：请检查地址的结尾（…/数据库）。服务器说明：database "nws" does not exist',
  },
  {
    name: 'no rights on the schema',
    error: {
      code: 'STORE_UNAVAILABLE',
      message: `${at} cannot be used: ann may not read schema backfile (permission denied for schema backfile). A reader needs: GRANT USAGE ON SCHEMA backfile TO ann; GRANT SELECT ON ALL TABLES IN SCHEMA backfile TO ann;`,
    },
    en: 'Your role may not read this schema: its owner must grant you the rights below.A reader needs: GRANT USAGE ON SCHEMA backfile TO ann; GRANT SELECT ON ALL TABLES IN SCHEMA backfile TO ann;',
    zh: '你的角色无权读取此模式：需要由它的所有者授予你下列权限。读取需要的权限：GRANT USAGE ON SCHEMA backfile TO ann; GRANT SELECT ON ALL TABLES IN SCHEMA backfile TO ann;',
  },
  {
    name: 'no such host',
    error: { code: 'STORE_UNAVAILABLE', message: `${at} cannot be used: no such host.` },
    en: 'No server of this name is known: check the host in the address.',
    zh: '找不到这个名称的服务器：请检查地址中的主机名。',
  },
  {
    name: 'a newer Backfile’s index',
    error: { code: 'STORE_UNAVAILABLE', message: 'The team index in schema backfile was made by a newer Backfile (schema 9); upgrade Backfile on this machine (nothing was changed).' },
    en: 'This team index was made by a newer Backfile: upgrade Backfile on this computer to read it.Made by: schema 9.',
    zh: '此团队索引由更新版本的 Backfile 建立：请在本机升级 Backfile 后再读取。建立它的版本：schema 9。',
  },
  {
    name: 'an older Backfile’s index',
    error: {
      code: 'STORE_UNAVAILABLE',
      message: 'The team index in schema backfile needs a rebuild (v7 → v8) by its owner old_owner (cli index ARCHIVE --store URL, as that role): this Backfile cannot read it until then, and nothing was changed.',
    },
    en: 'This team index was made by an older Backfile: its owner must rebuild it (cli index ARCHIVE --store URL, as that role) before this version can read it.Rebuild: v7 → v8; its owner: old_owner.',
    zh: '此团队索引由较旧版本的 Backfile 建立：需要由它的所有者重建（以该角色运行 cli index 存档 --store URL），本版本才能读取。需要重建：v7 → v8；所有者：old_owner。',
  },
  {
    name: 'another app’s tables',
    error: { code: 'NOT_OURS', message: 'The schema public holds tables Backfile did not make (posts): choose another schema for the team index.' },
    en: 'This schema holds tables Backfile did not make: choose another schema.',
    zh: '此模式中有不是 Backfile 建立的表：请选择另一个模式。',
  },
  {
    name: 'a refusal of no known kind',
    error: { code: 'STORE_UNAVAILABLE', message: 'The team index in schema backfile has no team workspace tables yet.' },
    en: 'The team index cannot be used.Details: The team index in schema backfile has no team workspace tables yet.',
    zh: '无法使用此团队索引。详情（英文）：The team index in schema backfile has no team workspace tables yet.',
  },
];

async function refusedWith(error: ApiError, language: Language): Promise<string> {
  const api = new FakeApi();
  api.teamFailure = error;
  const store = makeStore(api, { debounceMs: 0 });
  store.getState().setLanguage(language);
  await store.getState().init();
  connectEvents(store, api);
  renderWithStore(
    <>
      <Toolbar onHelp={() => undefined} />
      <TeamDialog />
    </>,
    store,
  );
  const zh = language === 'zh';
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: zh ? '团队索引…' : 'Team index…' }));
  });
  const dialog = screen.getByRole('dialog', { name: zh ? '连接团队索引' : 'Connect to a team index' });
  await act(async () => {
    fireEvent.change(within(dialog).getByLabelText(zh ? '地址' : 'Address'), { target: { value: 'postgres://ann@db.example:5432/news' } });
    fireEvent.change(within(dialog).getByLabelText(zh ? '密码' : 'Password'), { target: { value: 'pw' } });
  });
  await act(async () => {
    fireEvent.click(within(dialog).getByRole('button', { name: zh ? '连接' : 'Connect' }));
  });
  return (await within(dialog).findByRole('alert')).textContent ?? '';
}

describe('the connect dialog says each cause of a refusal in its own words', () => {
  for (const language of ['en', 'zh'] as const) {
    test.each(causes)(`${language}: $name`, async (cause) => {
      expect(await refusedWith(cause.error, language)).toBe(cause[language]);
    });
  }

  test('no two causes open with the same line, and none with the old three guesses', () => {
    for (const language of ['en', 'zh'] as const) {
      const openings = causes.map((c) => c[language].split(/(?<=[.。])/)[0]);
      expect(new Set(openings).size).toBe(causes.length);
    }
    for (const c of causes) expect(c.en).not.toMatch(/may be down or unreachable|password may be wrong/);
  });

  test('under the Chinese UI, Backfile’s own English is never labelled as the server’s', async () => {
    for (const cause of causes) {
      cleanup();
      const text = await refusedWith(cause.error, 'zh');
      const said = /服务器说明：(.*)$/.exec(text)?.[1];
      if (said !== undefined) expect(cause.error.message, cause.name).toContain(`(${said})`);
      // Backfile's English appears only for a refusal of no known kind, and then labelled as such.
      if (!text.includes('详情（英文）：')) expect(text, cause.name).not.toMatch(/The team index (at|in) |cannot be used/);
    }
  });
});
