import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateArchive } from '../bench/generate-archive';
import { IndexStore } from '../../src-main/node/index/store';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { scanArchive } from '../../src-main/node/index/scan';
import { repoRoot, tempDir } from '../helpers/temp';

/**
 * The app killed while indexing, many times at random moments: the index must stay a valid SQLite file
 * (transactions), and the next start must bring it in step with the disk. Posts are never written by indexing.
 */
describe('killed mid-index', () => {
  it('keeps the index valid and catches up with the disk after every kill', async () => {
    const dir = tempDir('backfile-crash-');
    const archive = path.join(dir, 'archive');
    await generateArchive(archive, 1500, 7);
    const indexFile = path.join(dir, 'index.sqlite');
    const onDisk = (await scanArchive(archive)).files.map((f) => f.relPath).sort();

    let killedWhileRunning = 0;
    for (let round = 0; round < 6; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src-main/cli/main.ts'), 'index', archive, '--index', indexFile, '--json'], {
        cwd: repoRoot,
        stdio: 'ignore',
      });
      const delay = 400 + Math.floor(Math.random() * 2500);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const code = await exited;
      clearTimeout(timer);
      if (code === null) killedWhileRunning++;

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
    expect(killedWhileRunning).toBeGreaterThan(0);

    // The next start finishes the job: the index agrees with the disk.
    const service = new ArchiveService();
    try {
      await service.open(archive, { waitForIndex: true, indexFile });
      const indexed = [...service.store.fileStates().keys()].sort();
      expect(indexed).toEqual(onDisk);
      const info = service.info();
      expect(info.posts + info.hidden).toBe(onDisk.length);
    } finally {
      await service.close();
    }
  }, 180_000);
});
