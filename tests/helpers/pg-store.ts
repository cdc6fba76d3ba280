/**
 * The set-up most PostgreSQL tests repeat (tests/node/pg-*.test.ts, team-*.test.ts): the one-line skip when
 * PostgreSQL is not installed, and, in a suite, a server of its own (tests/helpers/postgres.ts) started in beforeAll
 * with its roles and a store, connection or pool on it, all closed and the server stopped in afterAll.
 *
 * The server and what is opened on it are handed back at once, as stand-ins for what beforeAll makes: use them in
 * tests and hooks as the things themselves (`server.url('ann')`, `store.pool`); touched before beforeAll has run
 * (at collection), they throw. The suite's own afterAll hooks run before this one (vitest runs after-hooks as a
 * stack), so what a test file closes itself is closed before the store and the server.
 */
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openPgStore, type PgStore } from '../../src-main/node/pg';
import { openPgConnection, type PgConnection } from '../../src-main/node/pg/pg-connection';
import { pgAvailable, startPostgres, type TestPostgres } from './postgres';

/** pgAvailable(), printing `LABEL: why` once when PostgreSQL is not there (the file's skip line). */
export function pgAvailableOrLog(label: string): ReturnType<typeof pgAvailable> {
  const available = pgAvailable();
  if (!available.ok) console.log(`${label}: ${available.reason}`);
  return available;
}

export interface PgServerOptions {
  /** Login roles made right after the server starts, in this order (TestPostgres.createRole). */
  roles?: Record<string, { readOnly: boolean }>;
  /** beforeAll's timeout in ms (default the config's hookTimeout). */
  timeout?: number;
}

/** A stand-in for the value `get` gives once beforeAll has made it: every property read goes to that value. */
function madeInBeforeAll<T extends object>(what: string, get: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_target, key) {
      // Not a promise (so that `await`ing a stand-in, or returning it from an async function, never asks too early).
      if (key === 'then') return undefined;
      const value = get();
      if (value === undefined) throw new Error(`${what} is made in beforeAll: use it in a test or a hook, not while the suite is collected`);
      const property: unknown = Reflect.get(value, key, value);
      return typeof property === 'function' ? (property as (...args: unknown[]) => unknown).bind(value) : property;
    },
  });
}

/**
 * A server of the calling suite's own: started (and given `roles`) in beforeAll, stopped in afterAll after `open`'s
 * value is closed. The base of the helpers below.
 */
function useServerWith<T extends object>(what: string, options: PgServerOptions, open: (server: TestPostgres) => Promise<T>, close: (value: T) => Promise<void>): { server: TestPostgres; value: T } {
  let server: TestPostgres | undefined;
  let value: T | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    for (const [name, role] of Object.entries(options.roles ?? {})) await server.createRole(name, role);
    value = await open(server);
  }, options.timeout);
  afterAll(async () => {
    if (value) await close(value);
    await server?.stop();
  });
  return { server: madeInBeforeAll('The test PostgreSQL', () => server), value: madeInBeforeAll(what, () => value) };
}

/** A throwaway PostgreSQL for the calling suite (started in its beforeAll, stopped in its afterAll). */
export function usePostgres(options: PgServerOptions = {}): TestPostgres {
  return useServerWith('Nothing', options, async () => ({}), async () => undefined).server;
}

export interface PgOpenOptions extends PgServerOptions {
  /** The role logged in as (made by `roles` or by the suite; default the superuser `postgres`). */
  as?: string;
  /** The schema opened (default the app's, backfile). */
  schema?: string;
}

/** A server and a store on it (openPgStore) for the calling suite; the store is closed before the server stops. */
export function usePgStore(options: PgOpenOptions = {}): { server: TestPostgres; store: PgStore } {
  const { server, value } = useServerWith('The PostgreSQL store', options, (s) => openPgStore(s.url(options.as), options.schema), (store) => store.close());
  return { server, store: value };
}

/** A server and a connection on it (openPgConnection) for the calling suite; closed before the server stops. */
export function usePgConnection(options: PgOpenOptions = {}): { server: TestPostgres; connection: PgConnection } {
  const { server, value } = useServerWith('The PostgreSQL connection', options, (s) => openPgConnection(s.url(options.as), options.schema), (connection) => connection.close());
  return { server, connection: value };
}

/** A server and a plain pool of `max` connections on it for the calling suite; ended before the server stops. */
export function usePgPool(options: PgServerOptions & { as?: string; max: number }): { server: TestPostgres; pool: pg.Pool } {
  const { server, value } = useServerWith('The PostgreSQL pool', options, async (s) => new pg.Pool({ connectionString: s.url(options.as), max: options.max }), (pool) => pool.end());
  return { server, pool: value };
}

/** inSession (postgres.ts): `job` on a session of its own at a URL, ended after it either way. */
export { inSession } from './postgres';
