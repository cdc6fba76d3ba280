import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { generateArchive } from '../bench/generate-archive';
import { mulberry32, type Rng } from '../bench/prng';
import { updatePgIndex } from '../../src-main/node/pg';
import { scanArchive } from '../../src-main/node/index/scan';
import type { IndexProgress } from '../../src-main/shared/archive-api';
import { pgShape } from '../helpers/pg-compare';
import { pgAvailableOrLog, usePgStore } from '../helpers/pg-store';
import { repoRoot, tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('skip pg-kill');

/** The kill points come from this seed (BACKFILE_CRASH_SEED to try others); a failure names seed and round. */
const SEED = Number(process.env.BACKFILE_CRASH_SEED ?? 7);
const ROUNDS = 6;
/** Posts still to write when the child is told to die (two batches of 250): every round dies mid-run. */
const LEFT = 500;

interface KillPoint { phase: 'scanning' | 'indexing'; share: number }
const drawKillPoint = (rng: Rng): KillPoint => ({ phase: rng() < 0.2 ? 'scanning' : 'indexing', share: rng() });
const killAfter = (point: KillPoint, toIndex: number): number => Math.floor(point.share * Math.max(0, Math.floor((toIndex - LEFT) / 3)));

/**
 * The PostgreSQL indexer killed with SIGKILL at many points of its work (tests/node/index-crash.test.ts for the
 * SQLite store): each batch is one transaction, so the team index keeps whole batches only, and the next run
 * finishes the job: the index then equals a clean build, row for row and in the same order.
 */
describe.runIf(available.ok)('the PostgreSQL indexer killed mid-index', () => {
  // Made here, not in the test: tempDir's clean-up (afterAll) is only registered outside a test.
  const dir = tempDir('backfile-pg-kill-');
  const { server, store } = usePgStore({ roles: { indexer: { readOnly: false } }, as: 'indexer' });

  async function indexUntilKilled(archive: string, point: KillPoint) {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/helpers/pg-index-with-progress.ts'), server.url('indexer'), 'backfile', archive], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })));
    const seen: string[] = [];
    for await (const line of readline.createInterface({ input: child.stdout })) {
      const progress = JSON.parse(line) as IndexProgress | { phase: 'done' };
      seen.push(progress.phase === 'indexing' ? `indexing ${progress.indexed}/${progress.toIndex}` : progress.phase);
      const due = progress.phase === point.phase && (progress.phase === 'scanning' || progress.indexed >= killAfter(point, progress.toIndex));
      if (due) {
        child.kill('SIGKILL');
        break;
      }
    }
    return { ...(await exited), seen };
  }

  /** The server notices a killed client when its socket closes: wait until its session (and lock) is gone. */
  async function sessionsGone(): Promise<void> {
    for (;;) {
      const { rows } = await server.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'indexer' AND pid <> pg_backend_pid() AND application_name = 'backfile' AND state <> 'idle'");
      const locks = await server.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'");
      if (rows[0]!.n === 0 && locks.rows[0]!.n === 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it('keeps whole batches after every kill and ends equal to a clean build', async () => {
    const archive = path.join(dir, 'archive');
    await generateArchive(archive, 1500, 7);
    const onDisk = (await scanArchive(archive)).files.map((f) => f.relPath).sort();

    const rng = mulberry32(SEED);
    let generation = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const point = drawKillPoint(rng);
      const run = await indexUntilKilled(archive, point);
      const where = `seed ${SEED}, round ${round}, ${JSON.stringify(point)}: ${run.seen.join(', ')}`;
      expect(run.signal, where).toBe('SIGKILL');
      await sessionsGone();
      const exists = (await server.query("SELECT 1 FROM pg_tables WHERE schemaname = 'backfile' AND tablename = 'meta'")).rowCount === 1;
      if (!exists) continue;
      // Whole rows only: every post row is complete, its file on disk, and the generation never goes back. (A run
      // after a kill reads the batch the kill interrupted one post at a time, update.ts PARSING_NOW: batches of one.)
      const { rows } = await server.query<{ path: string; ok: boolean }>(
        "SELECT path, (length(body) > 0 AND tsv <> ''::tsvector AND cardinality(facets) > 0) AS ok FROM backfile.posts");
      expect(rows.every((r) => r.ok && onDisk.includes(r.path)), where).toBe(true);
      const now = Number((await server.query<{ value: string }>("SELECT value FROM backfile.meta WHERE key = 'generation'")).rows[0]!.value);
      expect(now).toBeGreaterThanOrEqual(generation);
      generation = now;
    }

    const summary = await updatePgIndex(store.pool, 'backfile', archive);
    expect(summary.updated + summary.unchanged).toBe(onDisk.length);
    await updatePgIndex(store.pool, 'clean', archive);
    const [resumed, clean] = [await pgShape(store.pool, 'backfile'), await pgShape(store.pool, 'clean')];
    expect(resumed.posts.map((p) => p.path).sort()).toEqual(onDisk);
    expect(resumed).toEqual(clean);
  }, 240_000);
});
