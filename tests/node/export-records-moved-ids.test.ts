/**
 * An export reads its result's order once, then its posts a page at a time. A write between the two (the watcher
 * indexing a new post of a full minute, write.ts makeRoom) moves posts to other ids and may give an old id to another
 * post: the pages are read by path, so the export still holds exactly the posts that match.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArchiveService } from '../../src-main/node/archive/archive-service';
import { exportSource } from '../../src-main/node/export/export-records';
import { IndexStore, type IndexBatch } from '../../src-main/node/index/store';
import { listWithMarks, type ResultIndex } from '../../src-main/node/workspace/mark-filter';
import { WorkspaceStore } from '../../src-main/node/workspace/workspace-store';
import type { Article } from '../../src-main/shared/archive-api';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('backfile-export-moved-');

function post(name: string, date: string, text: string): Article & { body: string; text: string } {
  return {
    path: `_posts/${name}.md`, title: name, date, year: 2021, month: 6, categories: [], tags: [], published: true, draft: false,
    format: 'markdown', meta: {}, body: text, html: '', text, hasRemoteContent: false, excerpt: '', source: null, encoding: 'utf-8', problems: [],
  } as unknown as Article & { body: string; text: string };
}
const batch = (posts: ReturnType<typeof post>[]): IndexBatch =>
  ({ upserts: posts.map((p) => ({ post: p, size: 1, mtimeMs: 1, hash: null })), failures: [], deletions: [] }) as unknown as IndexBatch;

describe('an export while the index is written', () => {
  it('holds exactly the matching posts when ids move between the order and the pages', async () => {
    const store = IndexStore.open(path.join(tmp, 'index.sqlite'));
    try {
      const posts = new Map<string, ReturnType<typeof post>>();
      const add = (list: ReturnType<typeof post>[]) => {
        for (const p of list) posts.set(p.path, p);
        store.applyBatch(batch(list));
      };
      add(Array.from({ length: 16 }, (_, i) => post(`m${i}`, '2021-06-01T10:00', i % 2 ? 'secret' : 'public')));
      add(Array.from({ length: 16 }, (_, i) => post(`n${i}`, '2021-06-01T10:01', 'secret')));
      const index = {
        read: <T>(read: (s: IndexStore) => T): T => read(store),
        getArticle: async (p: string) => posts.get(p)!,
      };
      const service = { info: () => ({ name: 'site' }), captureIndex: () => index } as unknown as ArchiveService;
      const source = await exportSource(service, { format: 'json', query: { query: 'secret' } }, new Date('2026-01-01T00:00:00Z'));
      // The order is read; now a post of the same minute lands and makeRoom shifts that minute's posts.
      add([post('late', '2021-06-01T10:00', 'unrelated')]);
      const exported: string[] = [];
      for await (const page of source.pages) exported.push(...page.map((r) => r.path));
      const matching = [...posts.values()].filter((p) => p.text === 'secret').map((p) => p.path);
      expect(source.total).toBe(matching.length);
      expect(exported.sort()).toEqual(matching.sort());
    } finally {
      store.close();
    }
  });
});

describe('a list page with mark words while the index is written', () => {
  it('shows exactly the marked matching posts when ids move between the order and the page', async () => {
    const store = IndexStore.open(path.join(tmp, 'marks-index.sqlite'));
    const workspace = WorkspaceStore.open(path.join(tmp, 'marks-workspace.sqlite'));
    try {
      store.applyBatch(batch(Array.from({ length: 16 }, (_, i) => post(`m${i}`, '2021-06-01T10:00', 'secret'))));
      store.applyBatch(batch(Array.from({ length: 16 }, (_, i) => post(`n${i}`, '2021-06-01T10:01', 'secret'))));
      const starred = ['_posts/m3.md', '_posts/n0.md', '_posts/n9.md', '_posts/n15.md'];
      for (const p of starred) workspace.mark({ path: p, hash: null, title: p, date: null }, (id) => workspace.setStar(id, true));
      let wrote = false;
      const index: ResultIndex = {
        order: (q) => store.listOrder(q),
        hits: (paths, query) => {
          // Between the order and the page: a post of the same minute lands and makeRoom shifts that minute's ids.
          if (!wrote) store.applyBatch(batch([post('late', '2021-06-01T10:00', 'unrelated')]));
          wrote = true;
          return store.hitsOfPaths(paths, query);
        },
      };
      const result = await listWithMarks(workspace, { query: 'secret is:starred', limit: 50 }, index);
      expect(result.total).toBe(4);
      expect(result.items.map((h) => h.path).sort()).toEqual([...starred].sort());
    } finally {
      workspace.close();
      store.close();
    }
  });
});
