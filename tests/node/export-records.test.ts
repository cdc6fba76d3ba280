/**
 * An export reads its result's order from the index once (IndexStore.listOrder: ids and paths, relevance ranked
 * once) instead of paging through the list, which re-ranked every match for each page and, with the workspace's
 * mark words, re-read the whole result for each page. The order is the list's own, page for page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { createArchiveApi } from '../../src-main/node/archive/create-archive-api';
import { EXPORT_PAGE } from '../../src-main/node/export/export-records';
import { IndexStore } from '../../src-main/node/index/store';
import { RecentArchives } from '../../src-main/node/recent-archives';
import type { ArchiveApi, ListQuery } from '../../src-main/shared/archive-api';
import { tempDir } from '../helpers/temp';

const POSTS = EXPORT_PAGE * 2 + 50;
const tmp = tempDir('backfile-export-records-');
const archive = path.join(tmp, 'archive');
const indexFile = path.join(tmp, 'index.sqlite');
const nameOf = (i: number) => `_posts/2020-0${(i % 9) + 1}-${String((i % 28) + 1).padStart(2, '0')}-p${i}.md`;
let service: ArchiveService;
let api: ArchiveApi;

beforeAll(async () => {
  fs.mkdirSync(path.join(archive, '_posts'), { recursive: true });
  for (let i = 0; i < POSTS; i++) {
    // 钢铁 in every post, in some titles, some more than once: relevance has tiers and ties to order.
    const title = i % 7 === 0 ? `钢铁 第${i}篇` : `第${i}篇`;
    fs.writeFileSync(path.join(archive, nameOf(i)), `---\ntitle: "${title}"\ntags: [t${i % 3}]\n---\n${'钢铁 市场 '.repeat((i % 4) + 1)}${i % 5 === 0 ? '煤炭' : ''}\n`);
  }
  service = new ArchiveService({ indexPathFor: () => indexFile });
  api = createArchiveApi(service, { allowedRoots: null, recent: new RecentArchives(path.join(tmp, 'recent.json')), workspaceFile: path.join(tmp, 'workspace.sqlite'), chooseExportTarget: async () => path.join(tmp, 'out.json') });
  await service.open(archive, { waitForIndex: true });
  for (let i = 0; i < POSTS; i += 2) await api.setStar(nameOf(i), true);
});
afterAll(() => service?.close());

const listed = (store: IndexStore, q: ListQuery): string[] => {
  const paths: string[] = [];
  for (let offset = 0; ; offset += 7) {
    const page = store.list({ ...q, offset, limit: 7 });
    paths.push(...page.items.map((i) => i.path));
    if (page.items.length === 0 || paths.length >= page.total) return paths;
  }
};

describe('IndexStore.listOrder', () => {
  it('is the list’s order page for page, for every sort, ranked or above the rank limit', () => {
    const queries: ListQuery[] = [
      { query: '钢铁' }, { query: '钢铁', sort: 'date' }, { query: '钢铁', sort: 'oldest' }, { query: '钢铁 -煤炭', tag: 't1' },
      { query: 'title:钢铁' }, { query: '' }, { query: '', sort: 'oldest' }, { query: '钢铁 after:2020-03 before:2020-06' },
    ];
    for (const rankLimit of [2000, 100, 10]) {
      const store = IndexStore.open(indexFile, { readonly: true, rankLimit });
      try {
        for (const q of queries) {
          const order = store.listOrder({ ...q, offset: 5, limit: 3 });
          expect(order.paths, `${JSON.stringify(q)} rank limit ${rankLimit}`).toEqual(listed(store, q));
          expect(order.ids).toHaveLength(order.paths.length);
          expect(store.hitsOf(order.ids.slice(0, 3), q.query ?? '').map((h) => h.path)).toEqual(order.paths.slice(0, 3));
        }
      } finally {
        store.close();
      }
    }
  });
});

describe('an export of a result filtered by marks', () => {
  it('reads the index’s order once and lists no page through the list, whatever the result’s size', async () => {
    const list = vi.spyOn(service, 'list');
    const order = vi.spyOn(IndexStore.prototype, 'listOrder');
    try {
      const query = { query: 'is:starred 钢铁', sort: 'relevance' as const };
      const result = await api.exportToFile({ format: 'json', query });
      expect(order).toHaveBeenCalledTimes(1);
      expect(list).not.toHaveBeenCalled();
      const expected = await api.listArticles({ ...query, limit: 500 });
      expect(result).toMatchObject({ count: POSTS / 2, cancelled: false });
      expect((JSON.parse(fs.readFileSync(path.join(tmp, 'out.json'), 'utf8')) as { path: string }[]).map((r) => r.path)).toEqual(expected.items.map((i) => i.path));
    } finally {
      list.mockRestore();
      order.mockRestore();
    }
  });
});
