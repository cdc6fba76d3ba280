/**
 * Reaching a team index on PostgreSQL (issue 15): a connection pool from a `postgres://` URL and a schema name, and
 * PostgreSQL's failures as the contract's errors. A write refused by the role's rights (SQLSTATE 42501) is
 * READ_ONLY; a refused read is STORE_UNAVAILABLE naming the GRANTs a reader needs; a server that cannot be reached or refuses the login is STORE_UNAVAILABLE. No message ever holds the
 * password: URLs are shown without it, and it is cut out of any text PostgreSQL or the driver sends back.
 */
import pg from 'pg';
import { ArchiveError } from '../../shared/archive-api';

export const DEFAULT_PG_SCHEMA = 'backfile';
/** A schema name we will put in SQL: lower-case letters, digits and `_`, as PostgreSQL folds unquoted names. */
export const PG_SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema name, checked (INVALID_ARGUMENT otherwise), double-quoted for SQL. */
/** An error with no SQLSTATE (the connection lost, not the server's no): a client that met it leaves its pool. */
export const withoutSqlState = (error: unknown): error is Error => error instanceof Error && !(error as { code?: unknown }).code;

export function quoteSchema(schema: string): string {
  if (typeof schema !== 'string' || !PG_SCHEMA_NAME.test(schema)) {
    throw new ArchiveError('INVALID_ARGUMENT', `Not a usable schema name: ${JSON.stringify(String(schema).slice(0, 80))} (lower-case letters, digits and _, at most 63, not starting with a digit).`);
  }
  return `"${schema}"`;
}

/** The channel the writer notifies after each committed batch (payload: the new generation): pg-notify.ts. */
export { notifyChannel } from './pg-notify';

/** A URL as pg reads it; INVALID_ARGUMENT for anything else than postgres:// or postgresql://. */
function parseUrl(url: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') || parsed.hostname === '') {
    throw new ArchiveError('INVALID_ARGUMENT', 'Not a PostgreSQL address: expected postgres://USER@HOST:PORT/DATABASE.');
  }
  // The user, password and database are percent-encoded in a URL: a raw '%' (a password "50%off") cannot be read.
  if (![parsed.username, parsed.password, parsed.pathname].every(decodes)) {
    throw new ArchiveError('INVALID_ARGUMENT', 'Not a PostgreSQL address: expected postgres://USER@HOST:PORT/DATABASE (write a % in the user, password or database as %25).');
  }
  return parsed;
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** The URL without its password (in the user part or as `?password=`), other options kept: safe to show and log. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    // Options after `?` (sslmode=require …) are part of where the index is; only a password there is cut out.
    if (parsed.searchParams.has('password')) parsed.searchParams.delete('password');
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

export interface PgTarget {
  /** The URL without password, for messages. */
  shown: string;
  /** The role that logs in (for READ_ONLY's message). */
  role: string;
  /** The schema of the team index (for a refused read's message), when known. */
  schema?: string;
  /** Strings cut out of every message (the password, raw and URL-encoded). */
  secrets: string[];
}

/** What the failed work did: only a refused write makes a team index "read-only" for the role. */
export type PgAccess = 'read' | 'write';

/**
 * Turns any failure of PostgreSQL or the driver into the contract's error for this target; others pass through.
 * `access`: what the work was; a refused write (indexing, import) is READ_ONLY, a refused read names the GRANTs.
 */
export function pgError(error: unknown, target: PgTarget, access: PgAccess = 'read'): unknown {
  if (error instanceof ArchiveError) return error;
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const raw = typeof e?.message === 'string' ? e.message : String(error);
  const text = target.secrets.reduce((t, s) => (s === '' ? t : t.split(s).join('***')), raw);
  // 42501: insufficient privilege; 25006: a read-only transaction (a hot-standby replica).
  if ((code === '42501' || code === '25006') && access === 'write') {
    return new ArchiveError('READ_ONLY', `This team index is read-only for ${target.role}: indexing and import need a role with write rights.`, { cause: error });
  }
  if (code === '42501') {
    const schema = target.schema ?? DEFAULT_PG_SCHEMA;
    return new ArchiveError('STORE_UNAVAILABLE', `The team index at ${target.shown} cannot be used: ${target.role} may not read schema ${schema} (${text}). `
      + `A reader needs: GRANT USAGE ON SCHEMA ${schema} TO ${target.role}; GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${target.role};`, { cause: error });
  }
  const reason = unavailableReason(code, text, target);
  if (reason) return new ArchiveError('STORE_UNAVAILABLE', `The team index at ${target.shown} cannot be used: ${reason}.`, { cause: error });
  if (text !== raw && error instanceof Error) return new Error(text, { cause: code || undefined });
  return error;
}

function unavailableReason(code: string, text: string, target: PgTarget): string | null {
  switch (code) {
    case 'ECONNREFUSED': return 'the server refused the connection (is PostgreSQL running at that host and port?)';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'no such host';
    case 'ETIMEDOUT': case 'EHOSTUNREACH': case 'ENETUNREACH': return 'the server does not answer';
    case 'ECONNRESET': case 'EPIPE': return 'the connection was cut';
    case '28P01': case '28000': return `the login as ${target.role} failed (${text})`;
    case '3D000': return `the database does not exist (${text})`;
    case '53300': return 'the server has too many connections';
    case '57P01': case '57P02': case '57P03': return `the server is shutting down or starting (${text})`;
    default: break;
  }
  if (code.startsWith('08')) return `the connection failed (${text})`;
  // The driver's own words for a connection that timed out or ended (no code).
  if (/^Connection terminated|^timeout expired|connection timeout/i.test(text)) return `the connection failed (${text})`;
  return null;
}

export interface PgOptions {
  /** Overrides the URL's password (the desktop dialog hands it apart from the URL). */
  password?: string;
  /** Connections at most (default 4: one indexer, or a reader's few concurrent queries). */
  max?: number;
}

export interface PgConnection {
  pool: pg.Pool;
  schema: string;
  target: PgTarget;
  /** Runs `work` and maps its failures (pgError; `access` 'write' for indexing and import, default 'read'). */
  call<T>(work: () => Promise<T>, access?: PgAccess): Promise<T>;
  close(): Promise<void>;
}

/**
 * A pool for the team index at `url`, in `schema`: the URL and the schema are checked and one connection is made,
 * so an unreachable server or a failed login is reported here (STORE_UNAVAILABLE), not at the first query.
 */
export async function openPgConnection(url: string, schema: string = DEFAULT_PG_SCHEMA, options: PgOptions = {}): Promise<PgConnection> {
  quoteSchema(schema);
  const parsed = parseUrl(url);
  if (options.password !== undefined) parsed.password = encodeURIComponent(options.password);
  const password = decodeURIComponent(parsed.password);
  const role = decodeURIComponent(parsed.username) || process.env.PGUSER || 'this role';
  const target: PgTarget = { shown: redactUrl(parsed.toString()), role, schema, secrets: password ? [password, encodeURIComponent(password)] : [] };
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: options.max ?? 4,
    connectionTimeoutMillis: 15_000,
    // A connection the network cut without a word (a VPN drop) is found by TCP keep-alive, not left waiting for ever.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'backfile',
  });
  // An idle connection the server ends (a restart) must not crash the app: the next query reports it.
  pool.on('error', () => undefined);
  // So must one ended while checked out (a write's job running): its next query fails and is reported instead.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const call = async <T>(work: () => Promise<T>, access: PgAccess = 'read'): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw pgError(error, target, access);
    }
  };
  try {
    await call(() => pool.query('SELECT 1'));
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return { pool, schema, target, call, close: () => pool.end() };
}
