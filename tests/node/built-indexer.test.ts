/**
 * The app's main-process bundle, as electron-vite emits it, indexes an archive under plain Node: the
 * indexing thread and its parse threads start from the bundled files (spawn-worker.ts finds them next to
 * its own shared chunk). The Electron binary cannot run here; this is the part of its startup that can.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IndexStore } from '../../src-main/node/index/store';
import { PARALLEL_FROM } from '../../src-main/node/index/parse-pool';
import { buildMain, loadBuiltIndexer, type IndexerModule } from '../bench/built-indexer';
import { tempDir } from '../helpers/temp';

let indexer: IndexerModule;
beforeAll(async () => {
  buildMain();
  indexer = await loadBuiltIndexer();
}, 120_000);

function writeArchive(root: string, posts: number): void {
  const folder = path.join(root, '_posts');
  fs.mkdirSync(folder, { recursive: true });
  for (let i = 0; i < posts; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    fs.writeFileSync(path.join(folder, `2021-03-${day}-post-${i}.md`), `---\ntitle: 第${i}篇 report ${i}\ntags: [t${i % 7}]\n---\n市场消息 number ${i}。\n`);
  }
}

describe('the bundled indexer (out/main) under plain Node', () => {
  it('indexes a small archive on its indexing thread', async () => {
    const root = tempDir();
    writeArchive(root, 30);
    const indexFile = path.join(root, '.index.sqlite');
    const summary = await indexer.runIndexer({ root, indexFile }).done;
    expect(summary).toMatchObject({ scanned: 30, updated: 30, cancelled: false });
    const store = IndexStore.open(indexFile, { readonly: true });
    try {
      expect(store.list({ query: 'report 17' }).items.map((a) => a.title)).toContain('第17篇 report 17');
    } finally {
      store.close();
    }
  }, 60_000);

  it('starts its parse threads from the bundle for a large update, and builds the same index', async () => {
    const root = tempDir();
    writeArchive(root, PARALLEL_FROM);
    const threaded = path.join(root, '.threaded.sqlite');
    const single = path.join(root, '.single.sqlite');
    // Every batch parsed on a bundled parse thread (a thread that failed to start would leave them to the indexing thread).
    expect(await indexer.runIndexer({ root, indexFile: threaded, parseThreads: 2 }).done)
      .toMatchObject({ updated: PARALLEL_FROM, parsedOnThreads: PARALLEL_FROM / 250, parsedHere: 0 });
    expect(await indexer.runIndexer({ root, indexFile: single, parseThreads: 0 }).done)
      .toMatchObject({ updated: PARALLEL_FROM, parsedOnThreads: 0, parsedHere: 0 });
    const read = (file: string) => {
      const store = IndexStore.open(file, { readonly: true });
      try {
        return { stats: store.stats(), tags: store.tags(false), hits: store.list({ query: '市场', limit: 500 }).total };
      } finally {
        store.close();
      }
    };
    expect(read(threaded)).toEqual(read(single));
    expect(read(threaded).hits).toBe(PARALLEL_FROM);
  }, 120_000);
});
