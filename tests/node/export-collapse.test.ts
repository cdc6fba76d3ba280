/**
 * A collapsed list (ListQuery.collapse) is exported as it is shown: one record per story, its first post in the
 * list's order, as many as the list's total says; without collapse, every post.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { exportPaths, exportSource } from '../../src-main/node/export/export-records';
import type { ExportRequest, ListQuery } from '../../src-main/shared/archive-api';
import { generateReprintArchive } from '../bench/reprint-archive';
import { tempDir } from '../helpers/temp';

const dir = tempDir('backfile-export-collapse-');
const archive = path.join(dir, 'archive');
const planted = generateReprintArchive(archive, { seed: 8, originals: 4, unrelated: 6, corpus: path.join(dir, 'no-corpus') });
let service: ArchiveService;

beforeAll(async () => {
  service = new ArchiveService({ indexPathFor: () => path.join(dir, 'index.sqlite') });
  await service.open(archive, { waitForIndex: true });
});
afterAll(() => service?.close());

const request = (query: ListQuery): ExportRequest => ({ format: 'json', query });

describe('exporting a collapsed list', () => {
  it('exports each story once, as the list shows it', async () => {
    for (const sort of ['date', 'oldest'] as const) {
      const list = await service.list({ sort, collapse: true, limit: 500 });
      expect(list.total).toBe(planted.families.length + planted.unrelated.length);
      const paths = await exportPaths(service, request({ sort, collapse: true }), 10_000, () => 'too large');
      expect(paths).toEqual(list.items.map((i) => i.path));
      const source = await exportSource(service, request({ sort, collapse: true }), new Date('2024-01-01'));
      expect(source.total).toBe(list.total);
      const records = [];
      for await (const page of source.pages) records.push(...page);
      expect(records.map((r) => r.path)).toEqual(paths);
    }
    const all = await exportPaths(service, request({ sort: 'date' }), 10_000, () => 'too large');
    expect(all).toHaveLength(planted.unrelated.length + planted.families.reduce((n, f) => n + 1 + f.reprints.length, 0));
  });
});
