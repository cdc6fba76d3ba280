import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * A real, throwaway PostgreSQL for the tests (no mocks of the database): Debian's `postgresql` binaries,
 * `initdb` into a temporary folder as the `postgres` user, a free port on 127.0.0.1, trust authentication,
 * fsync off (a test cluster is thrown away), stopped and removed by `stop()`.
 */
export interface TestPostgres {
  /** A connection URL for a role (default the superuser `postgres`), database `postgres`, no password (trust). */
  url(role?: string): string;
  adminUrl: string;
  port: number;
  /** The cluster's data folder (postmaster.pid names the server's process, for measuring its CPU). */
  dataDir: string;
  /**
   * A login role. A writer may create schemas in the database; a read-only one gets exactly the spec's reader
   * rights (USAGE on schemas, SELECT on tables) on every schema that exists and on those created later.
   */
  createRole(name: string, options: { readOnly: boolean }): Promise<void>;
  /** Runs SQL as the superuser (setting up a case, or looking at what a test wrote). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  stop(): Promise<void>;
}

const run = promisify(execFile);
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/VERSION/bin), or undefined. */
export function pgBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  let versions: string[];
  try {
    versions = fs.readdirSync(base);
  } catch {
    return undefined;
  }
  const found = versions
    .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')) && fs.existsSync(path.join(base, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return found.length ? path.join(base, found[0]!, 'bin') : undefined;
}

/**
 * Whether the tests can start a PostgreSQL here, and if not, why (one line for the skip). Only missing binaries
 * make a reason: anything else that goes wrong starting it is a failure, not a skip.
 */
export function pgAvailable(): { ok: true } | { ok: false; reason: string } {
  if (!pgBinDir()) return { ok: false, reason: 'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; apt-get install -y postgresql)' };
  return { ok: true };
}

/** A port nothing listens on (bound to 0, then let go): for a server that is not there. */
export const freePortForTest = (): Promise<number> => freePort();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Root runs PostgreSQL's tools as `postgres` (initdb refuses root); any other user runs them as itself. */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/**
 * Servers still running in this process, each with its synchronous stop. pg_ctl puts postgres in a session of its
 * own, so nothing stops it when the test process ends; 'exit' handlers run on a normal end (an error thrown past
 * afterAll too) but not on a signal, hence the SIGINT/SIGTERM handlers (Ctrl+C; vitest ends its workers with SIGTERM).
 */
const running = new Set<() => void>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function stopAllSync(): void {
  for (const stop of [...running]) {
    try {
      stop();
    } catch {
      // Stop the others anyway.
    }
  }
}

/** On a signal: stop every server, then let the signal do what it would have done without us. */
function onSignal(signal: NodeJS.Signals): void {
  stopAllSync();
  unwatchSignals();
  // Another listener keeps the process alive on purpose (and already had the signal); with none, end as signalled.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function watchSignals(): void {
  if (running.size !== 1) return;
  process.on('exit', stopAllSync);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function unwatchSignals(): void {
  process.removeListener('exit', stopAllSync);
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
}

/** Runs `job` on a session of its own at `url` (raw SQL as that URL's role, as a role with psql could), ended after it either way. */
export async function inSession<T>(url: string, job: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await job(client);
  } finally {
    await client.end();
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = pgBinDir();
  if (!bin) throw new Error(pgAvailable().ok ? 'unreachable' : 'PostgreSQL is not installed');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'postgres.log');
  const pgCtl = path.join(bin, 'pg_ctl');
  const port = await freePort();

  const [initCmd, initArgs] = asPostgres(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  try {
    await run(initCmd, initArgs);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true }); // no server yet: only its folder to remove
    throw error;
  }
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const [startCmd, startArgs] = asPostgres(pgCtl, ['start', '-w', '-D', data, '-l', log, '-o', options]);
  try {
    await run(startCmd, startArgs);
  } catch (error) {
    const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${tail}`);
  }

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    running.delete(stopSync);
    if (running.size === 0) unwatchSignals();
    const [cmd, args] = asPostgres(pgCtl, ['stop', '-m', 'immediate', '-D', data]);
    try {
      execFileSync(cmd, args, { stdio: 'ignore' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  // A test process that ends without afterAll (an error thrown, Ctrl+C, SIGTERM) still leaves no server or folder.
  running.add(stopSync);
  watchSignals();

  const url = (role = 'postgres') => `postgres://${encodeURIComponent(role)}@127.0.0.1:${port}/postgres`;
  const adminUrl = url();
  const query = <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) => inSession(adminUrl, (client) => client.query<R>(sql, params));

  const writers = ['postgres'];
  const readers: string[] = [];
  /** Reader rights on what exists now and on what `owner` creates later (default privileges are per creating role). */
  const grantReads = async (reader: string, owners: string[]) => {
    const schemas = await query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'");
    for (const { nspname } of schemas.rows) {
      await query(`GRANT USAGE ON SCHEMA "${nspname}" TO "${reader}"`);
      await query(`GRANT SELECT ON ALL TABLES IN SCHEMA "${nspname}" TO "${reader}"`);
    }
    for (const owner of owners) {
      await query(`ALTER DEFAULT PRIVILEGES FOR ROLE "${owner}" GRANT USAGE ON SCHEMAS TO "${reader}"`);
      await query(`ALTER DEFAULT PRIVILEGES FOR ROLE "${owner}" GRANT SELECT ON TABLES TO "${reader}"`);
    }
  };

  return {
    url,
    adminUrl,
    port,
    dataDir: data,
    query,
    async createRole(name, { readOnly }) {
      if (!ROLE_NAME.test(name)) throw new Error(`Not a plain role name: ${name}`);
      await query(`CREATE ROLE "${name}" LOGIN`);
      if (readOnly) {
        readers.push(name);
        await grantReads(name, writers);
      } else {
        writers.push(name);
        await query(`GRANT CREATE ON DATABASE postgres TO "${name}"`);
        for (const reader of readers) await grantReads(reader, [name]);
      }
    },
    async stop() {
      stopSync();
    },
  };
}
