/**
 * The team-index address as the connect dialog takes it, `postgres://USER@HOST:PORT/DB`, checked before anything is
 * sent, and the short name the header shows (`HOST/DB`). The service checks again; this only says early, and in
 * plain words, what is wrong with what was typed.
 */

import type { IndexInfo } from '../../src-main/shared/archive-api';

/** What can be wrong with a typed address or schema. */
export type TeamInputProblem =
  | 'url-empty'
  | 'url-scheme'
  | 'url-malformed'
  | 'url-user'
  | 'url-host'
  | 'url-port'
  | 'url-database'
  | 'url-password'
  | 'schema';

export interface TeamAddress {
  user: string;
  host: string;
  port: number;
  database: string;
}

/** A PostgreSQL schema name the team index accepts (the service double-quotes it; this is its rule). */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
export const DEFAULT_SCHEMA = 'backfile';

const SCHEME = /^postgres(?:ql)?:\/\//;

export function parseTeamUrl(input: string): { ok: true; address: TeamAddress } | { ok: false; problem: TeamInputProblem } {
  const text = input.trim();
  if (!text) return { ok: false, problem: 'url-empty' };
  if (!SCHEME.test(text)) return { ok: false, problem: 'url-scheme' };
  let url: URL;
  try {
    // A non-special scheme with `//`: WHATWG URL still splits user, host, port and path (and keeps port 80 as typed).
    url = new URL(text);
  } catch {
    // Say which part when it is plain which (an empty host, a port out of range); else the whole address.
    if (/@:\d*(?:\/|$)/.test(text) || /:\/\/:/.test(text)) return { ok: false, problem: 'url-host' };
    const port = /^[^/]*\/\/[^/]*:(\d+)(?:\/|$)/.exec(text)?.[1];
    if (port && Number(port) > 65535) return { ok: false, problem: 'url-port' };
    return { ok: false, problem: 'url-malformed' };
  }
  if (url.password || url.searchParams.has('password')) return { ok: false, problem: 'url-password' };
  if (!url.username) return { ok: false, problem: 'url-user' };
  if (!url.hostname) return { ok: false, problem: 'url-host' };
  const port = url.port ? Number(url.port) : 5432;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, problem: 'url-port' };
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) return { ok: false, problem: 'url-database' };
  return { ok: true, address: { user: decodeURIComponent(url.username), host: url.hostname, port, database } };
}

/** Checks the dialog's two fields; `null` when they can be sent. */
export function teamInputProblem(url: string, schema: string): TeamInputProblem | null {
  const parsed = parseTeamUrl(url);
  if (!parsed.ok) return parsed.problem;
  if (!SCHEMA_NAME.test(schema.trim() || DEFAULT_SCHEMA)) return 'schema';
  return null;
}

/**
 * The header's short name of a team index from IndexInfo.location (`postgres://ann@db:5432/news schema backfile`):
 * `db/news`, with ` · schema` when it is not the default. The location itself when it does not parse.
 */
export function teamLabel(location: string): string {
  const match = /^(\S+)(?:\s+schema\s+(\S+))?\s*$/.exec(location.trim());
  const parsed = match?.[1] ? parseTeamUrl(match[1]) : null;
  if (!parsed?.ok) return location;
  const schema = match?.[2];
  const base = `${parsed.address.host}/${parsed.address.database}`;
  return schema && schema !== DEFAULT_SCHEMA ? `${base} · ${schema}` : base;
}

/** The header's short name of a team index: from its parts when the host gives them, else from its location. */
export function teamLabelOf(index: Pick<IndexInfo, 'location' | 'team'>): string {
  const team = index.team;
  if (!team) return teamLabel(index.location);
  const base = `${team.host}/${team.database}`;
  return team.schema !== DEFAULT_SCHEMA ? `${base} · ${team.schema}` : base;
}

/** The URL and schema of a location, to fill the dialog in again (`null` when it does not parse). */
export function splitLocation(location: string): { url: string; schema: string } | null {
  const match = /^(\S+)(?:\s+schema\s+(\S+))?\s*$/.exec(location.trim());
  if (!match?.[1] || !parseTeamUrl(match[1]).ok) return null;
  return { url: match[1], schema: match[2] ?? DEFAULT_SCHEMA };
}

/**
 * The address as the host names a team index (its IndexInfo.location, main's connectionKey): no password, options
 * after `?` kept. So a typed address and a remembered one compare equal when they lead to the same index.
 */
export function sameTeamUrl(a: string, b: string): boolean {
  const norm = (text: string): string => {
    try {
      const url = new URL(text.trim());
      url.password = '';
      if (url.searchParams.has('password')) url.searchParams.delete('password');
      return url.toString();
    } catch {
      return text.trim();
    }
  };
  return norm(a) === norm(b);
}
