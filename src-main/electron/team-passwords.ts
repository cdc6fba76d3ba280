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

export function withTeamPasswords<A extends TeamMethods>(api: A, credentials: TeamCredentials): A {
  async function describe(index: IndexInfo): Promise<IndexInfo> {
    const key = locationKey(index);
    return {
      ...index,
      passwordStorage: credentials.canRemember() ? 'keychain' : 'unavailable',
      passwordRemembered: key !== null && (await credentials.has(key)),
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
      const { remember, ...rest } = request;
      const index = await api.connectTeamIndex(password === undefined ? rest : { ...rest, password });
      // Only a password that worked is kept; unticking "Remember" forgets the one kept before.
      if (remember === true && typed !== undefined) await credentials.remember(key, typed);
      else if (remember === false) await credentials.forget(key);
      return describe(index);
    },
  };
}
