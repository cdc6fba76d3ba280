import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../src-main/shared/archive-api';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { copyArchive, edgeArchive, tempDir } from '../helpers/temp';

/**
 * Many tiny files in one folder (the security issue asks for 100,000; BACKFILE_MANY_FILES sets the count, the
 * default keeps the suite quick): imported with progress, and the thread that serves the window keeps turning.
 * The bound on event-loop delay is loose on purpose: it catches a blocking import (seconds), not a slow machine.
 */
const COUNT = Number(process.env.BACKFILE_MANY_FILES ?? 2000);

describe(`importing ${COUNT} tiny files from one folder`, () => {
  it('reports progress as it goes, keeps the event loop free, and indexes every post', async () => {
    const source = path.join(tempDir(), 'scraped-dump');
    fs.mkdirSync(source);
    for (let i = 0; i < COUNT; i++) {
      const day = String((i % 28) + 1).padStart(2, '0');
      fs.writeFileSync(path.join(source, `2021-02-${day}-item-${i}.md`), `---\ntitle: "快讯 ${i}"\n---\n第${i}条简讯。\n`);
    }
    const archive = copyArchive(edgeArchive);
    const service = new ArchiveService();
    try {
      const before = (await service.open(archive, { waitForIndex: true, indexFile: path.join(tempDir(), 'i.sqlite') })).posts;
      const progress: ImportProgress[] = [];
      service.on('importProgress', (p) => progress.push(p));
      const delay = monitorEventLoopDelay({ resolution: 20 });
      delay.enable();
      const report = await service.importPaths([source]);
      delay.disable();

      expect(report.added).toBe(COUNT);
      expect(report.problems).toEqual([]);
      expect(progress.filter((p) => p.phase === 'copying').length).toBeGreaterThan(3);
      const copied = progress.map((p) => p.copied);
      expect(copied).toEqual([...copied].sort((a, b) => a - b));
      expect(progress.at(-1)?.phase).toBe('done');
      expect(delay.max / 1e6).toBeLessThan(2000);
      expect(service.info().posts).toBe(before + COUNT);
      expect((await service.list({ query: '快讯' })).total).toBe(COUNT);
    } finally {
      await service.close();
    }
    // Each copied file is written to a temporary name, fsynced and linked into place (about 5 ms a file here).
  }, 120_000 + COUNT * 15);
});
