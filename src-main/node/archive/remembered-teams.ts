/**
 * The team index each archive was last read from (issue 15), so the desktop app reconnects when that archive is
 * opened again: one small JSON file in the data folder (beside recent-archives.json), keyed by the archive's root.
 * Only where (the URL without any password, the schema) and whether the connection needed a password; never the
 * password itself, which stays with the OS keychain (electron/team-credentials.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { toApiError, type TeamIndexRequest, type TeamReconnect } from '../../shared/archive-api';
import { DEFAULT_PG_SCHEMA, redactUrl } from '../pg/pg-connection';

export interface RememberedTeam {
  /** The URL as IndexInfo.location shows it: no password (in the user part or as `?password=`), options kept. */
  url: string;
  schema: string;
  /** The connection was made with a password: reconnecting needs one (remembered by the keychain, or typed). */
  password: boolean;
  /** The reader's marks were kept in the team database (TeamIndexRequest.teamWorkspace). */
  teamWorkspace?: boolean;
}

interface RememberedFile {
  version: 1;
  /** Archive root → its team index. */
  archives: Record<string, RememberedTeam>;
}

function isRemembered(value: unknown): value is RememberedTeam {
  const v = value as Partial<RememberedTeam> | null;
  return typeof v?.url === 'string' && typeof v.schema === 'string' && typeof v.password === 'boolean' && (v.teamWorkspace === undefined || typeof v.teamWorkspace === 'boolean');
}

export class RememberedTeams {
  constructor(private readonly file: string) {}

  /** The team index remembered for the archive at `root`, or null (none, or a missing or damaged file). */
  async get(root: string): Promise<RememberedTeam | null> {
    return (await this.read()).archives[path.resolve(root)] ?? null;
  }

  /** Remembers where the archive at `root` was connected; a password in `url` is cut out before it is written. */
  async remember(root: string, team: RememberedTeam): Promise<void> {
    const data = await this.read();
    const url = redactUrl(team.url);
    // Not a URL (the service refused it before this): nothing worth keeping, and nothing that might hold a secret.
    if (url === 'postgres://…') return;
    data.archives[path.resolve(root)] = { url, schema: team.schema, password: team.password, ...(team.teamWorkspace ? { teamWorkspace: true } : {}) };
    await this.write(data);
  }

  async forget(root: string): Promise<void> {
    const data = await this.read();
    const key = path.resolve(root);
    if (!Object.hasOwn(data.archives, key)) return;
    delete data.archives[key];
    await this.write(data);
  }

  private async read(): Promise<RememberedFile> {
    try {
      const parsed = JSON.parse(await fs.readFile(this.file, 'utf8')) as Partial<RememberedFile> | null;
      const archives: Record<string, RememberedTeam> = {};
      if (parsed?.version === 1 && parsed.archives && typeof parsed.archives === 'object') {
        for (const [root, team] of Object.entries(parsed.archives)) if (isRemembered(team)) archives[root] = { url: team.url, schema: team.schema, password: team.password, ...(team.teamWorkspace ? { teamWorkspace: true } : {}) };
      }
      return { version: 1, archives };
    } catch {
      return { version: 1, archives: {} }; // missing or damaged: nothing remembered, it is only a convenience
    }
  }

  /** A temporary file renamed into place, readable by this user only (it names servers and roles). */
  private async write(data: RememberedFile): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(temp, JSON.stringify(data, null, 2), { mode: 0o600 });
    await fs.rename(temp, this.file);
  }
}

/** The schema a request names (the default when none). */
export const schemaOf = (request: Pick<TeamIndexRequest, 'schema'>): string => request.schema ?? DEFAULT_PG_SCHEMA;

/** Whether a connection was made with a password (given apart, or inside the URL): its reconnect needs one. */
export function requestUsesPassword(request: Pick<TeamIndexRequest, 'url' | 'password'>): boolean {
  if (request.password !== undefined) return true;
  try {
    const url = new URL(request.url);
    return url.password !== '' || url.searchParams.has('password');
  } catch {
    return false;
  }
}

/** A reconnect that could not connect, and why (the contract's error: STORE_UNAVAILABLE for a server that is down). */
export function reconnectFailure(attempt: TeamReconnect, error: unknown): TeamReconnect {
  return { url: attempt.url, schema: attempt.schema, state: 'failed', error: toApiError(error) };
}

/** `request` connects to the team index of `pending` (the same URL, password aside, and schema): a Retry. */
export function isRetryOf(pending: TeamReconnect, request: Pick<TeamIndexRequest, 'url' | 'schema'>): boolean {
  return pending.schema === schemaOf(request) && pending.url === redactUrl(request.url.trim());
}
