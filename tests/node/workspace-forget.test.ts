/**
 * forgetMarks through the contract, over a real archive, its real index and a real workspace file: the marks of a
 * deleted post (kept as missing) go, with their highlights and labellings, in one call; a present post's stay.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { createArchiveApi } from '../../src-main/node/archive/create-archive-api';
import { RecentArchives } from '../../src-main/node/recent-archives';
import { validateArgs } from '../../src-main/node/validate-args';
import type { ArchiveApi } from '../../src-main/shared/archive-api';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('backfile-ws-forget-');
const archive = path.join(tmp, 'archive');
const posts = path.join(archive, '_posts');
const A = '_posts/2022-05-01-a.md';
const B = '_posts/2022-05-02-b.md';
const write = (name: string, title: string, body: string) => fs.writeFileSync(path.join(archive, name), `---\ntitle: "${title}"\ndate: 2022-05-01\n---\n${body}\n`);

let service: ArchiveService;
let api: ArchiveApi;

beforeAll(async () => {
  fs.mkdirSync(posts, { recursive: true });
  write(A, '钢铁一', '钢铁 市场 一');
  write(B, '钢铁二', '钢铁 市场 二');
  service = new ArchiveService({ indexPathFor: () => path.join(tmp, 'index.sqlite') });
  api = createArchiveApi(service, { allowedRoots: null, recent: new RecentArchives(path.join(tmp, 'recent.json')), workspaceFile: path.join(tmp, 'workspace.sqlite') });
  await service.open(archive, { waitForIndex: true });
});
afterAll(() => service?.close());

describe('forgetMarks', () => {
  it('forgets a missing post\'s marks, keeps a present one\'s, and the labels', async () => {
    await api.setStar(A, true);
    await api.addLabel(A, '钢铁', '#112233');
    await api.addHighlight(A, { exact: '市场' });
    await api.setStar(B, true);
    fs.rmSync(path.join(archive, A));
    await service.reindex();
    expect((await api.listMarks()).map((m) => [m.path, m.title, m.missing])).toEqual([[B, '钢铁二', false], [A, '钢铁一', true]]);

    expect(await api.forgetMarks(B)).toBe(0);
    expect(await api.forgetMarks(A)).toBe(1);
    expect((await api.listMarks()).map((m) => m.path)).toEqual([B]);
    expect(await api.listLabels()).toEqual([{ name: '钢铁', color: '#112233', count: 0 }]);
    expect(await api.forgetMarks(A)).toBe(0);

    // The same content back under its name: nothing to come back to now.
    write(A, '钢铁一', '钢铁 市场 一');
    await service.reindex();
    expect(await api.getMarks(A)).toMatchObject({ starred: false, labels: [], highlights: [] });
  });

  it('checks its argument at the boundary', () => {
    expect(() => validateArgs('forgetMarks', [42])).toThrow(/INVALID_ARGUMENT|string/);
    expect(() => validateArgs('forgetMarks', [A])).not.toThrow();
  });
});
