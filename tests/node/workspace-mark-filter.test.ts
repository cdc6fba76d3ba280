/**
 * The query words about the reader's marks: read by core/query.ts (never searched as text), applied by the
 * workspace over a real archive and index, through the contract (listArticles) and the CLI's search.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compileQuery } from '../../src-main/core/query';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { createArchiveApi } from '../../src-main/node/archive/create-archive-api';
import { IndexStore } from '../../src-main/node/index/store';
import { RecentArchives } from '../../src-main/node/recent-archives';
import type { ArchiveApi } from '../../src-main/shared/archive-api';
import { runCliJson } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

describe('compileQuery reads mark words', () => {
  it('as workspace filters, never as text', () => {
    expect(compileQuery('is:starred 钢铁')).toMatchObject({ match: '"钢铁"', filters: { marks: [{ negated: false, any: [{ mark: 'starred', value: '' }] }] } });
    expect(compileQuery('-label:"Two  Words"').filters.marks).toEqual([{ negated: true, any: [{ mark: 'label', value: 'two words' }] }]);
    expect(compileQuery('has:note OR has:highlights').filters.marks).toEqual([{ negated: false, any: [{ mark: 'note', value: '' }, { mark: 'highlight', value: '' }] }]);
    expect(compileQuery('钢铁').filters.marks).toBeUndefined();
    expect(compileQuery('is:bogus')).toMatchObject({ match: '"is bogu"', notice: expect.stringMatching(/not a mark/) });
  });
});

describe('listArticles with mark words', () => {
  const tmp = tempDir('backfile-ws-marks-');
  const archive = path.join(tmp, 'archive');
  let service: ArchiveService;
  let api: ArchiveApi;
  const env = { BACKFILE_DATA_DIR: path.join(tmp, 'data') };
  const workspaceFile = path.join(tmp, 'workspace.sqlite');
  const paths = (result: { items: { path: string }[] }) => result.items.map((i) => path.basename(i.path)).sort();

  beforeAll(async () => {
    fs.mkdirSync(path.join(archive, '_posts'), { recursive: true });
    for (let i = 1; i <= 6; i++) fs.writeFileSync(path.join(archive, `_posts/2020-01-0${i}-p${i}.md`), `---\ntitle: "P${i}"\n---\n${i % 2 ? '钢铁' : '煤炭'} 市场 ${i}\n`);
    service = new ArchiveService({ indexPathFor: () => path.join(tmp, 'index.sqlite') });
    api = createArchiveApi(service, { allowedRoots: null, recent: new RecentArchives(path.join(tmp, 'recent.json')), workspaceFile });
    await service.open(archive, { waitForIndex: true });
    await api.setStar('_posts/2020-01-01-p1.md', true);
    await api.setStar('_posts/2020-01-02-p2.md', true);
    await api.addLabel('_posts/2020-01-03-p3.md', 'Two Words');
    await api.setNote('_posts/2020-01-04-p4.md', 'a note');
    await api.addHighlight('_posts/2020-01-05-p5.md', { exact: '钢铁' });
  });
  afterAll(() => service?.close());

  it('keeps the posts whose marks pass, with the rest of the query and the paging', async () => {
    expect(paths(await api.listArticles({ query: 'is:starred' }))).toEqual(['2020-01-01-p1.md', '2020-01-02-p2.md']);
    expect(paths(await api.listArticles({ query: 'is:starred 钢铁' }))).toEqual(['2020-01-01-p1.md']);
    expect(paths(await api.listArticles({ query: 'label:"two words"' }))).toEqual(['2020-01-03-p3.md']);
    expect(paths(await api.listArticles({ query: 'has:note OR has:highlight' }))).toEqual(['2020-01-04-p4.md', '2020-01-05-p5.md']);
    expect(paths(await api.listArticles({ query: '-is:starred -has:note 市场' }))).toEqual(['2020-01-03-p3.md', '2020-01-05-p5.md', '2020-01-06-p6.md']);
    const page = await api.listArticles({ query: '-is:starred', sort: 'date', offset: 1, limit: 2 });
    expect(page.total).toBe(4);
    expect(page.items.map((i) => path.basename(i.path))).toEqual(['2020-01-05-p5.md', '2020-01-04-p4.md']);
  });

  it('counts a saved search with mark words', async () => {
    expect(await api.addSavedSearch('starred', { query: 'is:starred' })).toMatchObject({ total: 2, new: 2 });
  });

  it("reads the result once for a page or a saved search (the index's order, no page listed through the list)", async () => {
    const list = vi.spyOn(service, 'list');
    const order = vi.spyOn(IndexStore.prototype, 'listOrder');
    try {
      const page = await api.listArticles({ query: '-is:starred', sort: 'relevance', offset: 1, limit: 2 });
      expect(page.total).toBe(4);
      expect(order).toHaveBeenCalledTimes(1);
      expect(await api.addSavedSearch('not starred', { query: '-is:starred 市场' })).toMatchObject({ total: 4 });
      expect(order).toHaveBeenCalledTimes(2);
      expect(list).not.toHaveBeenCalled();
    } finally {
      list.mockRestore();
      order.mockRestore();
    }
  });

  it('applies them in the CLI search too', () => {
    const result = runCliJson<{ total: number; hits: { path: string }[] }>(['search', archive, 'is:starred', '--index', path.join(tmp, 'cli-index.sqlite'), '--workspace', workspaceFile], env);
    expect(result.total).toBe(2);
    expect(result.hits.map((h) => path.basename(h.path)).sort()).toEqual(['2020-01-01-p1.md', '2020-01-02-p2.md']);
  });
});
