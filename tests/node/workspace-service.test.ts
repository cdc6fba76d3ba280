/**
 * The workspace through the contract, over a real archive and its real index: marks made with the API follow
 * their posts through index updates (moved, deleted, back, edited), saved searches count posts dropped in, the
 * arguments are checked at the boundary, and browser mode answers the methods over HTTP.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { createArchiveApi } from '../../src-main/node/archive/create-archive-api';
import { RecentArchives } from '../../src-main/node/recent-archives';
import { validateArgs } from '../../src-main/node/validate-args';
import { serveArchive } from '../../src-main/server/serve';
import type { ArchiveApi } from '../../src-main/shared/archive-api';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('backfile-ws-service-');
const archive = path.join(tmp, 'archive');
const posts = path.join(archive, '_posts');
const write = (name: string, title: string, body: string) => fs.writeFileSync(path.join(posts, name), `---\ntitle: "${title}"\ndate: 2022-05-0${name.length % 9}\n---\n${body}\n`);

let service: ArchiveService;
let api: ArchiveApi;

beforeAll(async () => {
  fs.mkdirSync(posts, { recursive: true });
  write('2022-05-01-a.md', '钢铁一', '钢铁 市场 一');
  write('2022-05-02-b.md', '钢铁二', '钢铁 市场 二');
  write('2022-05-03-c.md', '煤炭', '煤炭 市场');
  service = new ArchiveService({ indexPathFor: () => path.join(tmp, 'index.sqlite') });
  api = createArchiveApi(service, { allowedRoots: null, recent: new RecentArchives(path.join(tmp, 'recent.json')), workspaceFile: path.join(tmp, 'workspace.sqlite') });
  await service.open(archive, { waitForIndex: true });
});
afterAll(() => service?.close());

describe('the workspace through the contract', () => {
  it('marks posts and refuses unknown ones', async () => {
    await api.setStar('_posts/2022-05-01-a.md', true);
    await api.addLabel('_posts/2022-05-01-a.md', '钢铁 story', '#112233');
    await api.setNote('_posts/2022-05-02-b.md', 'edit me');
    await api.addHighlight('_posts/2022-05-03-c.md', { exact: '煤炭', prefix: '', suffix: ' 市场' });
    expect(await api.getMarks('_posts/2022-05-01-a.md')).toMatchObject({ starred: true, labels: ['钢铁 story'] });
    expect(await api.listLabels()).toEqual([{ name: '钢铁 story', color: '#112233', count: 1 }]);
    await expect(api.setStar('_posts/none.md', true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('follows posts through index updates: moved, edited in place, deleted, back', async () => {
    fs.mkdirSync(path.join(posts, 'moved'));
    fs.renameSync(path.join(posts, '2022-05-01-a.md'), path.join(posts, 'moved/2022-05-01-a-renamed.md'));
    write('2022-05-02-b.md', '钢铁二 (edited)', '钢铁 市场 二, corrected');
    fs.renameSync(path.join(posts, '2022-05-03-c.md'), path.join(tmp, 'c.md'));
    await service.reindex();
    const byPath = Object.fromEntries((await api.listMarks()).map((m) => [m.path, m]));
    expect(byPath['_posts/moved/2022-05-01-a-renamed.md']).toMatchObject({ starred: true, labels: ['钢铁 story'], missing: false });
    expect(byPath['_posts/2022-05-02-b.md']).toMatchObject({ note: 'edit me', title: '钢铁二 (edited)', missing: false });
    expect(byPath['_posts/2022-05-03-c.md']).toMatchObject({ title: '煤炭', missing: true, highlights: [expect.objectContaining({ exact: '煤炭' })] });
    fs.renameSync(path.join(tmp, 'c.md'), path.join(posts, '2022-05-09-c-again.md'));
    await service.reindex();
    expect(await api.getMarks('_posts/2022-05-09-c-again.md')).toMatchObject({ highlights: [expect.objectContaining({ exact: '煤炭', suffix: ' 市场' })] });
    expect((await api.listMarks()).some((m) => m.missing)).toBe(false);
  });

  it('a deleted post back at its old path, edited: its marks come back, and starring it again makes no second mark', async () => {
    write('2022-05-04-d.md', '铜价四', '铜价 四');
    await service.reindex();
    await api.setNote('_posts/2022-05-04-d.md', 'keep me');
    fs.rmSync(path.join(posts, '2022-05-04-d.md'));
    await service.reindex();
    expect((await api.listMarks()).find((m) => m.path === '_posts/2022-05-04-d.md')).toMatchObject({ missing: true });
    write('2022-05-04-d.md', '铜价四 (corrected)', '铜价 四, corrected');
    await service.reindex();
    expect(await api.getMarks('_posts/2022-05-04-d.md')).toMatchObject({ note: 'keep me' });
    await api.setStar('_posts/2022-05-04-d.md', true);
    const rows = (await api.listMarks()).filter((m) => m.path === '_posts/2022-05-04-d.md');
    expect(rows).toEqual([expect.objectContaining({ note: 'keep me', starred: true, missing: false, title: '铜价四 (corrected)' })]);
  });

  it('counts a saved search\'s new posts after two are dropped in', async () => {
    await api.addSavedSearch('钢铁', { query: '钢铁', limit: 10, offset: 0 } as never);
    await api.markSavedSearchOpened('钢铁');
    write('2022-05-04-d.md', '钢铁新一', '钢铁 新');
    write('2022-05-05-e.md', '钢铁新二', '钢铁 新');
    await service.reindex();
    expect(await api.listSavedSearches()).toEqual([expect.objectContaining({ name: '钢铁', query: { query: '钢铁' }, total: 4, new: 2 })]);
    expect(await api.markSavedSearchOpened('钢铁')).toMatchObject({ total: 4, new: 0 });
  });

  it('checks the arguments at the boundary', () => {
    expect(() => validateArgs('setStar', ['a.md', 'yes'])).toThrow(/true or false/);
    expect(() => validateArgs('addHighlight', ['a.md', { exact: 'x', onclick: 'y' }])).toThrow(/known field/);
    expect(() => validateArgs('addSavedSearch', ['n', { query: 'x', bogus: 1 }])).toThrow(/known field/);
    expect(() => validateArgs('setLabels', ['a.md', ['x', 3]])).toThrow(/string/);
    expect(validateArgs('addLabel', ['a.md', 'x'])).toEqual(['a.md', 'x']);
  });
});

describe('browser mode', () => {
  it('answers workspace calls over HTTP, from the workspace given with --workspace', async () => {
    const staticDir = tempDir('backfile-ws-web-');
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
    const workspaceFile = path.join(tmp, 'served-workspace.sqlite');
    const server = await serveArchive({ archive, indexFile: path.join(tmp, 'served-index.sqlite'), workspaceFile, staticDir, announce: false, watch: false });
    try {
      await server.service.reindex();
      const token = new URL(server.url).searchParams.get('token') ?? '';
      const call = (method: string, args: unknown[]) => new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: server.port, path: `/api/call/${method}`, method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Backfile-Token': token } }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end(JSON.stringify({ args }));
      });
      const starred = await call('setStar', ['_posts/2022-05-04-d.md', true]);
      expect(starred.status).toBe(200);
      expect(JSON.parse(starred.body).result).toMatchObject({ path: '_posts/2022-05-04-d.md', starred: true });
      expect((await call('setStar', ['_posts/2022-05-04-d.md'])).status).toBe(400);
      expect(fs.existsSync(workspaceFile)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('while an archive is first indexed', () => {
  it('does not take posts not yet indexed for deleted ones', async () => {
    const dir = tempDir('backfile-ws-first-');
    const root = path.join(dir, 'archive');
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(root, '_posts', `2020-01-01-p${i}.md`), `---\ntitle: "P${i}"\n---\n正文 ${i}\n`);
    const workspaceFile = path.join(dir, 'workspace.sqlite');
    const first = new ArchiveService({ indexPathFor: () => path.join(dir, 'index.sqlite') });
    const firstApi = createArchiveApi(first, { allowedRoots: null, recent: new RecentArchives(path.join(dir, 'recent.json')), workspaceFile });
    await first.open(root, { waitForIndex: true });
    await firstApi.setStar('_posts/2020-01-01-p299.md', true);
    await first.close();

    // A new index (say the old one was deleted): the workspace is opened while the index is still being built.
    const second = new ArchiveService({ indexPathFor: () => path.join(dir, 'index-2.sqlite') });
    const secondApi = createArchiveApi(second, { allowedRoots: null, recent: new RecentArchives(path.join(dir, 'recent.json')), workspaceFile });
    await second.open(root);
    const duringIndexing = await secondApi.listMarks();
    await second.reindex();
    const after = await secondApi.listMarks();
    await second.close();
    expect(duringIndexing).toEqual([expect.objectContaining({ path: '_posts/2020-01-01-p299.md', missing: false })]);
    expect(after).toEqual([expect.objectContaining({ path: '_posts/2020-01-01-p299.md', missing: false, starred: true })]);
  });
});
