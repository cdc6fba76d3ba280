/**
 * Browser mode's dossier through createExportMethods with the server's real download folder: written, packed into one
 * .zip (the packing is part of the export: BUSY for others, cancellable), and a cancel while packing leaves nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { ExportDownloads } from '../../src-main/node/export/export-downloads';
import { createExportMethods } from '../../src-main/node/export/export-methods';
import type { ExportProgress } from '../../src-main/shared/archive-api';
import { tempDir } from '../helpers/temp';

describe('the dossier as a browser-mode download', () => {
  let service: ArchiveService;
  let downloads: ExportDownloads;
  beforeAll(async () => {
    const root = path.join(tempDir('backfile-dossier-download-'), '新闻');
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(root, `_posts/2020-04-01-p${i}.md`), `---\ntitle: 第${i}篇\n---\n钢铁 ${'文字'.repeat(2000)}\n`);
    service = new ArchiveService({ assetUrl: (p) => `/asset/${p}` });
    await service.open(root, { waitForIndex: true, indexFile: path.join(tempDir(), 'index.sqlite') });
    downloads = await ExportDownloads.create();
  });
  afterAll(async () => {
    await service.close();
    await downloads.close();
  });

  it('cancelled while packing: BUSY for another export meanwhile, then nothing is left and the next export runs', async () => {
    const methods = createExportMethods(service, { exportDownloads: downloads });
    const phases: ExportProgress[] = [];
    let other: Promise<unknown> | null = null;
    const off = service.on('exportProgress', (p) => {
      phases.push(p);
      if (p.phase === 'packing' && p.written === 3) {
        other = methods.exportToFile({ format: 'csv', query: {} }).catch((error: unknown) => error);
        void methods.cancelExport();
      }
    });
    const result = await methods.exportToFile({ format: 'dossier', query: {} });
    off();
    expect(result).toEqual({ path: '新闻-dossier.zip', count: 0, bytes: 0, cancelled: true });
    expect(await other).toMatchObject({ code: 'BUSY' });
    const packing = phases.filter((p) => p.phase === 'packing');
    expect(packing.length).toBeGreaterThan(0);
    expect(packing.at(-1)!.written).toBeLessThan(packing.at(-1)!.total);
    expect(phases.map((p) => p.phase)).not.toContain('done');
    expect(phases.at(-1)!.phase).toBe('cancelled');
    expect(fs.readdirSync(downloads.folder)).toEqual([]);

    const again = await methods.exportToFile({ format: 'dossier', query: {} });
    expect(again).toMatchObject({ path: '新闻-dossier.zip', count: 30, cancelled: false });
    const slot = path.join(downloads.folder, again!.download!.split('/').pop()!);
    expect(fs.readdirSync(slot)).toEqual(['新闻-dossier.zip']);
    expect(fs.statSync(path.join(slot, '新闻-dossier.zip')).size).toBe(again!.bytes);
  });
});
