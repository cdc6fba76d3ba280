/**
 * The desktop app's side of connectTeamIndex: the page sends the password once (and whether to remember it); main
 * keeps it only through safeStorage (TeamCredentials), fills a remembered one in when the page sends none, and tells
 * the dialog what it can offer (IndexInfo.passwordStorage, passwordRemembered). The service never sees `remember`.
 */
import type { ArchiveApi, IndexInfo, TeamIndexRequest } from '../shared/archive-api';
import { connectionKey, type TeamCredentials } from './team-credentials';

type TeamMethods = Pick<ArchiveApi, 'getIndexInfo' | 'connectTeamIndex' | 'disconnectTeamIndex'>;

/** `postgres://ann@db:5432/news schema desk` → its URL and schema (IndexInfo.location of a team index). */
function locationKey(index: IndexInfo): string | null {
  if (index.kind !== 'postgres') return null;
  const match = /^(\S+)(?:\s+schema\s+(\S+))?\s*$/.exec(index.location.trim());
  return match?.[1] ? connectionKey(match[1], match[2] ?? 'backfile') : null;
}

/** The password inside a URL (`postgres://ann:pw@…`), if any. */
function urlPassword(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** `URL#schema` (connectionKey) → its two parts, for the dialog. */
function splitKey(key: string): { url: string; schema: string } {
  const at = key.lastIndexOf('#');
  return { url: key.slice(0, at), schema: key.slice(at + 1) };
}

const KEYCHAIN_FAILED = 'Connected, but the system keychain refused to';

export function withTeamPasswords<A extends TeamMethods>(api: A, credentials: TeamCredentials): A {
  async function describe(index: IndexInfo, note?: string): Promise<IndexInfo> {
    const key = locationKey(index);
    const keys = await credentials.keys();
    return {
      ...index,
      passwordStorage: credentials.canRemember() ? 'keychain' : 'unavailable',
      passwordRemembered: key !== null && keys.includes(key),
      passwordsRememberedFor: keys.map(splitKey),
      ...(note ? { passwordNote: note } : {}),
    };
  }

  return {
    ...api,
    getIndexInfo: async () => describe(await api.getIndexInfo()),
    disconnectTeamIndex: async () => describe(await api.disconnectTeamIndex()),
    async connectTeamIndex(request: TeamIndexRequest) {
      const key = connectionKey(request.url, request.schema ?? 'backfile');
      const typed = request.password ?? urlPassword(request.url);
      const password = typed ?? (await credentials.recall(key)) ?? undefined;
      const { remember, forgetPassword, ...rest } = request;
      const index = await api.connectTeamIndex(password === undefined ? rest : { ...rest, password });
      // Connected: what follows only keeps or drops the password, and never makes the connect fail.
      // Only a typed password that worked is kept. It is forgotten only on the reader's word: "Remember" unticked with a
      // new password typed, or forgetPassword (unticked with the field empty). A connect with the remembered password
      // (no password typed) leaves it as it is, whatever `remember` says.
      let note: string | undefined;
      try {
        if (remember === true && typed !== undefined) {
          if (!(await credentials.remember(key, typed))) note = `${KEYCHAIN_FAILED} keep the password: it was not remembered.`;
        } else if (forgetPassword === true || (remember === false && typed !== undefined)) await credentials.forget(key);
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        note = `${KEYCHAIN_FAILED} ${remember === true ? 'keep the password: it was not remembered' : 'forget the password'} (${reason}).`;
      }
      const described = await describe(index, note).catch(() => ({ ...index, passwordRemembered: false, ...(note ? { passwordNote: note } : {}) }));
      return note && remember === true ? { ...described, passwordRemembered: false } : described;
    },
  };
}
