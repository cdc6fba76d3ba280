/**
 * The set-up the team index's cold-build tests share (tests/node/pg-cold*.test.ts): a throwaway PostgreSQL, a pool
 * of its superuser, and an archive of planted reprints (stories to make) among unrelated posts, about five batches;
 * and an indexer in a child process killed at a chosen point of its load.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type pg from 'pg';
import { beforeAll } from 'vitest';
import { generateReprintArchive } from '../bench/reprint-archive';
import type { IndexProgress } from '../../src-main/shared/archive-api';
import { usePgPool } from './pg-store';
import type { TestPostgres } from './postgres';
import { repoRoot, tempDir } from './temp';

export interface ColdArchive {
  dir: string;
  archive: string;
  /** Made in beforeAll (tests/helpers/pg-store.ts). */
  server: TestPostgres;
  pool: pg.Pool;
  /** Posts in the archive. */
  posts: number;
}

/** Registers the server, pool and archive in the calling suite's beforeAll (stopped in its afterAll). */
export function useColdArchive(prefix: string): ColdArchive {
  const dir = tempDir(prefix);
  const setup: ColdArchive = { dir, archive: path.join(dir, 'archive'), posts: 0, ...usePgPool({ max: 4 }) };
  beforeAll(() => {
    const planted = generateReprintArchive(setup.archive, { seed: 14, originals: 100, unrelated: 900 });
    setup.posts = planted.unrelated.length + planted.families.reduce((n, f) => n + 1 + f.reprints.length, 0);
  });
  return setup;
}

/** Resolves once no session holds an advisory lock (the server has noticed a killed indexer's socket close). */
export async function indexerGone(pool: pg.Pool): Promise<void> {
  for (;;) {
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'");
    if (rows[0]!.n === 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Indexes the archive into `schema` as `url`'s role in a child process, killed with SIGKILL once `killAt` posts are written. */
export async function indexUntilKilled(setup: ColdArchive, url: string, schema: string, killAt: number): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/helpers/pg-index-with-progress.ts'), url, schema, setup.archive], {
    cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  for await (const line of readline.createInterface({ input: child.stdout })) {
    const progress = JSON.parse(line) as IndexProgress | { phase: 'done' };
    if (progress.phase === 'indexing' && progress.indexed >= killAt && progress.indexed < progress.toIndex) {
      child.kill('SIGKILL');
      break;
    }
  }
  const signal = await exited;
  await indexerGone(setup.pool);
  return signal;
}
