/**
 * The workspace finds a post that lost its path by its content hash (index-view.ts byHash): one look-up of the
 * index's posts_hash (schema v6), never a read of every file's state.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ArchiveService } from '../../src-main/node/archive/archive-service';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { indexViewOf } from '../../src-main/node/workspace/index-view';
import { tempDir } from '../helpers/temp';

describe('index view by hash', () => {
  it('finds the posts with a hash through posts_hash, without reading every file state', async () => {
    const root = tempDir('backfile-index-view-');
    const file = path.join(root, '.index.sqlite');
    const same = '---\ntitle: 同一篇\ndate: 2021-01-01\n---\n正文内容一样。\n';
    fs.mkdirSync(path.join(root, '_posts'));
    fs.writeFileSync(path.join(root, '_posts/2021-01-01-a.md'), same);
    fs.writeFileSync(path.join(root, '_posts/2021-01-01-b.md'), same);
    fs.writeFileSync(path.join(root, '_posts/2021-01-02-c.md'), '---\ntitle: 另一篇\ndate: 2021-01-02\n---\n别的。\n');
    const store = IndexStore.open(file);
    try {
      await updateIndex(store, root);
      const hash = store.fileStatesOf(['_posts/2021-01-01-a.md']).get('_posts/2021-01-01-a.md')!.hash!;
      let statesRead = 0;
      const watched = new Proxy(store, {
        get(target, key, receiver) {
          if (key === 'fileStates' || key === 'sizesAndTimes') statesRead += 1;
          const value = Reflect.get(target, key, receiver) as unknown;
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
      const read = <T>(job: (s: IndexStore) => T): T => job(watched);
      const service = { readIndex: read, readWorkspaceIndex: read } as unknown as ArchiveService;
      const view = indexViewOf(service);
      if (view instanceof Promise) throw new Error('the local index answers at once');
      const found = view.byHash(hash);
      expect(found.map((p) => p.path)).toEqual(['_posts/2021-01-01-a.md', '_posts/2021-01-01-b.md']);
      expect(found[0]).toMatchObject({ hash, title: '同一篇', date: '2021-01-01' });
      expect(view.byHash('no-such-hash')).toEqual([]);
      expect(statesRead).toBe(0);
    } finally {
      store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const plan = db.prepare('EXPLAIN QUERY PLAN SELECT path FROM posts WHERE hash = ? ORDER BY path').all('x') as { detail: string }[];
      expect(plan.map((r) => r.detail).join('\n')).toContain('posts_hash');
    } finally {
      db.close();
    }
  });
});
