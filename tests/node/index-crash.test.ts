import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { generateArchive } from '../bench/generate-archive';
import { mulberry32, type Rng } from '../bench/prng';
import { IndexStore } from '../../src-main/node/index/store';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { scanArchive } from '../../src-main/node/index/scan';
import type { IndexProgress } from '../../src-main/shared/archive-api';
import { repoRoot, tempDir } from '../helpers/temp';

/** The kill points come from this seed (set BACKFILE_CRASH_SEED to try others); a failure names seed and round. */
const SEED = Number(process.env.BACKFILE_CRASH_SEED ?? 7);
const ROUNDS = 6;
/**
 * Posts the child still has to write when it is told to die: two write batches of 250 (update.ts), hundreds of
 * milliseconds of work, while the signal follows the progress line within a millisecond. So every round is
 * killed mid-run (during the scan, between or inside write transactions), never after it finished.
 */
const LEFT = 500;

/** Kill once the child reports this phase and, when indexing, at least `share` of what may go this round. */
interface KillPoint { phase: 'scanning' | 'indexing'; share: number }

function drawKillPoint(rng: Rng): KillPoint {
  return { phase: rng() < 0.2 ? 'scanning' : 'indexing', share: rng() };
}

/**
 * Posts written in this run before the kill: at most a third of what is over LEFT, so that the later rounds
 * still find work; 0 kills as the writes begin.
 */
const killAfter = (point: KillPoint, toIndex: number): number => Math.floor(point.share * Math.max(0, Math.floor((toIndex - LEFT) / 3)));

/**
 * Runs the CLI's index command (helpers/index-with-progress.ts, which prints its progress events) and SIGKILLs it
 * at the kill point. Resolves with how it ended and what it reported.
 */
async function indexUntilKilled(archive: string, indexFile: string, point: KillPoint) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/helpers/index-with-progress.ts'), archive, indexFile], {
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

/**
 * The app killed while indexing, many times at different points of its work: the index must stay a valid SQLite
 * file (transactions), and the next start must bring it in step with the disk. Posts are never written by indexing.
 */
describe('killed mid-index', () => {
  it('keeps the index valid and catches up with the disk after every kill', async () => {
    const dir = tempDir('backfile-crash-');
    const archive = path.join(dir, 'archive');
    await generateArchive(archive, 1500, 7);
    const indexFile = path.join(dir, 'index.sqlite');
    const onDisk = (await scanArchive(archive)).files.map((f) => f.relPath).sort();

    const rng = mulberry32(SEED);
    for (let round = 0; round < ROUNDS; round++) {
      const point = drawKillPoint(rng);
      const run = await indexUntilKilled(archive, indexFile, point);
      // Killed while running, every round: a run that finished first means the kill point is wrong, not luck.
      expect(run.signal, `seed ${SEED}, round ${round}, ${JSON.stringify(point)}: ${run.seen.join(', ')}`).toBe('SIGKILL');

      // Whatever moment the kill came at, the file is a consistent database.
      if (fs.existsSync(indexFile)) {
        const store = IndexStore.open(indexFile, { verify: true });
        const indexed = [...store.fileStates().keys()];
        expect(indexed.every((p) => onDisk.includes(p))).toBe(true);
        store.close();
        const db = new Database(indexFile);
        try {
          expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
          // FTS5's own check of its segments and doclists (throws on damage).
          db.exec("INSERT INTO posts_fts (posts_fts) VALUES ('integrity-check')");
        } finally {
          db.close();
        }
      }
    }

    // The next start finishes the job: the index agrees with the disk.
    const service = new ArchiveService();
    try {
      await service.open(archive, { waitForIndex: true, indexFile });
      const reader = IndexStore.open(indexFile, { readonly: true }); // the service hands out no store
      const indexed = [...reader.fileStates().keys()].sort();
      reader.close();
      expect(indexed).toEqual(onDisk);
      const info = service.info();
      expect(info.posts + info.hidden).toBe(onDisk.length);
    } finally {
      await service.close();
    }
  }, 180_000);
});
