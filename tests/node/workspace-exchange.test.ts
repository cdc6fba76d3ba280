/**
 * Workspace export and import (exchange.ts) over real workspace files: every mark lands on its own post, also when
 * two posts have the same content (reposts), when a post moved, and when a post was edited since the export.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportWorkspace, importWorkspace } from '../../src-main/node/workspace/exchange';
import type { IndexView, IndexedPost } from '../../src-main/node/workspace/reconcile';
import { WorkspaceStore } from '../../src-main/node/workspace/workspace-store';
import { tempDir } from '../helpers/temp';

const dir = tempDir('backfile-workspace-exchange-');
let n = 0;
const stores: WorkspaceStore[] = [];
const fresh = () => {
  const store = WorkspaceStore.open(path.join(dir, `ws-${++n}.sqlite`));
  stores.push(store);
  return store;
};
afterEach(() => stores.splice(0).forEach((s) => s.close()));

const post = (p: string, hash: string, title = `T ${p}`): IndexedPost => ({ path: p, hash, title, date: '2021-02-03' });
const view = (posts: IndexedPost[]): IndexView => ({ byPath: (p) => posts.find((x) => x.path === p), byHash: (h) => posts.filter((x) => x.hash === h) });
const summary = (store: WorkspaceStore) => store.listMarks().map((m) => ({ path: m.path, note: m.note, starred: m.starred, missing: m.missing }));

/** Note "A" on a.md; note "B" and a star on b.md: the same content (one hash), as reposts are. */
function twoReposts() {
  const posts = [post('_posts/a.md', 'same'), post('_posts/b.md', 'same')];
  const source = fresh();
  source.mark(posts[0]!, (id) => source.setNote(id, 'A'));
  source.mark(posts[1]!, (id) => {
    source.setNote(id, 'B');
    source.setStar(id, true);
  });
  // Exported in the order that made the old matcher fail: b.md's mark first would take a.md (first by hash) too.
  return { posts, data: exportWorkspace(source) };
}

describe('importing a workspace', () => {
  it('keeps each mark on its own post when two posts have the same content', () => {
    const { posts, data } = twoReposts();
    const target = fresh();
    const report = importWorkspace(target, data, view(posts));
    expect(report).toMatchObject({ merged: 2, missing: 0, conflicts: [] });
    expect(summary(target)).toEqual([
      { path: '_posts/a.md', note: 'A', starred: false, missing: false },
      { path: '_posts/b.md', note: 'B', starred: true, missing: false },
    ]);
  });

  it('moved reposts: each mark takes a copy no other mark has claimed', () => {
    const { data } = twoReposts();
    const target = fresh();
    importWorkspace(target, data, view([post('moved/x.md', 'same'), post('moved/y.md', 'same')]));
    const marks = summary(target);
    expect(marks.map((m) => m.path)).toEqual(['moved/x.md', 'moved/y.md']);
    expect(marks.map((m) => m.note).sort()).toEqual(['A', 'B']);
    expect(marks.every((m) => !m.missing)).toBe(true);
  });

  it('reposts this archive lacks stay two missing marks, each with its own note', () => {
    const { data } = twoReposts();
    const target = fresh();
    expect(importWorkspace(target, data, view([]))).toMatchObject({ merged: 0, missing: 2 });
    expect(summary(target)).toEqual([
      { path: '_posts/a.md', note: 'A', starred: false, missing: true },
      { path: '_posts/b.md', note: 'B', starred: true, missing: true },
    ]);
  });

  it('a post edited since the export (its path, new content) still takes its mark, its repost keeps its own', () => {
    const { data } = twoReposts();
    const target = fresh();
    importWorkspace(target, data, view([post('_posts/a.md', 'edited'), post('_posts/b.md', 'same')]));
    expect(summary(target)).toEqual([
      { path: '_posts/a.md', note: 'A', starred: false, missing: false },
      { path: '_posts/b.md', note: 'B', starred: true, missing: false },
    ]);
  });
});
