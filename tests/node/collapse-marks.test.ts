/**
 * A collapsed list with mark words (is:starred): the workspace keeps the marked posts first, then they are grouped
 * by story (mark-filter.ts), so "+N versions" counts the story's posts that the marks keep.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { createArchiveApi } from '../../src-main/node/archive/create-archive-api';
import { RecentArchives } from '../../src-main/node/recent-archives';
import type { ArchiveApi } from '../../src-main/shared/archive-api';
import { generateReprintArchive } from '../bench/reprint-archive';
import { tempDir } from '../helpers/temp';

const dir = tempDir('backfile-collapse-marks-');
const archive = path.join(dir, 'archive');
const planted = generateReprintArchive(archive, { seed: 12, originals: 3, unrelated: 5, corpus: path.join(dir, 'no-corpus') });
let service: ArchiveService;
let api: ArchiveApi;

beforeAll(async () => {
  service = new ArchiveService({ indexPathFor: () => path.join(dir, 'index.sqlite') });
  api = createArchiveApi(service, { allowedRoots: null, recent: new RecentArchives(path.join(dir, 'recent.json')), workspaceFile: path.join(dir, 'workspace.sqlite'), chooseExportTarget: async () => path.join(dir, 'out.json') });
  await service.open(archive, { waitForIndex: true });
});
afterAll(() => service?.close());

describe('collapse with mark words', () => {
  it('groups the starred posts by story, counting only starred versions', async () => {
    const [first, second] = planted.families.filter((f) => f.reprints.length >= 1);
    expect(first && second).toBeTruthy();
    const starred = [first!.original, first!.reprints[0]!, second!.reprints[0]!, planted.unrelated[0]!];
    for (const p of starred) await api.setStar(p, true);
    const all = await api.listArticles({ query: 'is:starred', sort: 'date' });
    expect(all.total).toBe(4);
    const collapsed = await api.listArticles({ query: 'is:starred', sort: 'date', collapse: true });
    expect(collapsed.total).toBe(3);
    const order = all.items.map((i) => i.path);
    const row = (members: string[]) => collapsed.items.filter((i) => members.includes(i.path));
    const firstRows = row([first!.original, ...first!.reprints]);
    expect(firstRows).toHaveLength(1);
    // The story's first starred post in the list's order stands for it, with its one other starred version.
    expect(firstRows[0]!.path).toBe(order.find((p) => p === first!.original || p === first!.reprints[0]));
    expect(firstRows[0]!.versions).toBe(1);
    expect(row([second!.original, ...second!.reprints])[0]!.versions).toBe(0);
    expect(row([planted.unrelated[0]!])[0]!.versions).toBe(0);
    // Paged one story at a time, the same rows.
    const paged = [];
    for (let offset = 0; offset < 3; offset++) paged.push(...(await api.listArticles({ query: 'is:starred', sort: 'date', collapse: true, offset, limit: 1 })).items);
    expect(paged).toEqual(collapsed.items);
  });
});
