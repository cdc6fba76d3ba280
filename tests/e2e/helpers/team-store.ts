/**
 * Browser mode on a team index, for the e2e tests: a throwaway PostgreSQL that the CLI has indexed an archive into
 * (as the README tells a newsroom to: `index ARCHIVE --store URL` as the writing role), and `serve ARCHIVE --store URL`
 * as the CLI runs it, in a child process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runCli } from '../../helpers/cli';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { repoRoot } from '../../helpers/temp';
import { launchBrowser, type BrowserSession, type ServedArchive } from './browser-app';

/**
 * A throwaway PostgreSQL with two roles, `indexer` (writes) and `reader` (USAGE and SELECT only), and `archive`
 * indexed into it by the CLI as `indexer`. The caller stops it.
 */
export async function startTeamIndex(archive: string): Promise<TestPostgres> {
  const postgres = await startPostgres();
  try {
    await postgres.createRole('indexer', { readOnly: false });
    await postgres.createRole('reader', { readOnly: true });
    const indexed = runCli(['index', archive, '--store', postgres.url('indexer')]);
    if (indexed.status !== 0) throw new Error(`cli index --store failed (${indexed.status}): ${indexed.stderr}`);
    return postgres;
  } catch (e) {
    await postgres.stop();
    throw e;
  }
}

/**
 * `serve ARCHIVE --store URL [...more]` as the CLI runs it, in a child process (the test's own, stopped by its pid):
 * resolves with the tokenised address it prints. The recent-archive list goes to a temp data folder, removed on close.
 */
export async function serveStore(archive: string, storeUrl: string, more: string[] = []): Promise<ServedArchive> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-e2e-team-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src-main/cli/main.ts'), 'serve', archive, '--store', storeUrl, ...more], {
    cwd: repoRoot,
    env: { ...process.env, BACKFILE_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output)?.[1];
      if (found) resolve(found);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve --store ended (${code}): ${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    server: undefined as unknown as ServedArchive['server'],
    url,
    origin: new URL(url).origin,
    close: async () => {
      if (child.exitCode === null) {
        process.kill(child.pid ?? 0, 'SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What a team test file's tests share: the team index, the archive served from it as `reader`, one browser. */
export interface TeamSession extends BrowserSession {
  postgres: TestPostgres;
}

/**
 * useBrowserSession over a team index, registered in the calling `describe`: before its tests, the team index of
 * `archive` (startTeamIndex), then `prepare` (grants, rows), then `serve ARCHIVE --store URL [...serveArgs]` as
 * `reader` while the browser launches; after them, all stopped. Read the fields inside tests and later hooks.
 */
export function useTeamSession(archive: string, options: { serveArgs?: string[]; prepare?: (postgres: TestPostgres) => Promise<void> } = {}): TeamSession {
  const session: Partial<TeamSession> = {};
  beforeAll(async () => {
    const postgres = (session.postgres = await startTeamIndex(archive));
    await options.prepare?.(postgres);
    [session.served, session.browser] = await Promise.all([serveStore(archive, postgres.url('reader'), options.serveArgs), launchBrowser()]);
  }, 180_000);
  afterAll(async () => {
    await session.browser?.close();
    await session.served?.close();
    await session.postgres?.stop();
  });
  return session as TeamSession;
}
