import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IndexerError, runIndexer } from '../../src-main/node/index/run-indexer';
import { IndexStore } from '../../src-main/node/index/store';
import { KILLED_INDEXER, PARSING_NOW, updateIndex } from '../../src-main/node/index/update';
import { tempDir } from '../helpers/temp';

/**
 * Test-only heap of the indexing and parse threads (run-indexer.ts testHeapCapMb): measured, 16 MB index small
 * posts and 32 MB die on an 8 MiB post; 24 MB lies between.
 */
const HEAP_MB = '24';
const POISON = '_posts/2020-01-05-poison.md';

function archive(): string {
  const root = tempDir('backfile-poison-');
  fs.mkdirSync(path.join(root, '_posts'));
  for (let i = 1; i <= 9; i++) fs.writeFileSync(path.join(root, `_posts/2020-01-0${i}-post${i}.md`), `---\ntitle: Post ${i}\n---\nhello river ${i}\n`);
  // More than MAX_POST_BYTES of prose, dated among the others (in the same batch): runs a 24 MB heap out of memory.
  fs.writeFileSync(path.join(root, POISON), `---\ntitle: Poison\n---\n${'lorem ipsum dolor sit amet '.repeat(310_000)}`);
  return root;
}

const read = <T>(indexFile: string, run: (store: IndexStore) => T): T => {
  const store = IndexStore.open(indexFile);
  try {
    return run(store);
  } finally {
    store.close();
  }
};

describe('a post that runs the indexing thread out of memory', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.BACKFILE_INDEX_THREAD_HEAP_MB;
    process.env.BACKFILE_INDEX_THREAD_HEAP_MB = HEAP_MB;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.BACKFILE_INDEX_THREAD_HEAP_MB;
    else process.env.BACKFILE_INDEX_THREAD_HEAP_MB = saved;
  });

  it('fails one update only: the next indexes the rest of its batch and reports it, until it changes', async () => {
    const root = archive();
    const indexFile = path.join(tempDir(), 'index.sqlite');
    // Read on the indexing thread (no parse threads): the whole batch dies with it.
    await expect(runIndexer({ root, indexFile, parseThreads: 0 }).done).rejects.toBeInstanceOf(IndexerError);
    expect(JSON.parse(read(indexFile, (s) => s.getMeta(PARSING_NOW) ?? '[]'))).toContain(POISON);

    const second = await runIndexer({ root, indexFile, parseThreads: 0 }).done;
    expect(second).toMatchObject({ scanned: 10, updated: 10, cancelled: false });
    read(indexFile, (store) => {
      expect(store.counts().posts).toBe(9);
      expect(store.list({ query: 'river', limit: 50 }).total).toBe(9);
      expect(store.problems()).toContainEqual({ path: POISON, message: KILLED_INDEXER, severity: 'error' });
      expect(JSON.parse(store.getMeta(PARSING_NOW) ?? '[]')).toEqual([]);
    });

    // Not read again while it is the same file...
    expect(await runIndexer({ root, indexFile, parseThreads: 0 }).done).toMatchObject({ updated: 0, unchanged: 10 });
    // ...and read again once it changes.
    fs.writeFileSync(path.join(root, POISON), '---\ntitle: Poison no more\n---\nhello river\n');
    expect(await runIndexer({ root, indexFile, parseThreads: 0 }).done).toMatchObject({ updated: 1 });
    read(indexFile, (store) => {
      expect(store.counts().posts).toBe(10);
      expect(store.problems().filter((p) => p.path === POISON)).toEqual([]);
    });
  });
});

describe('the note of the files being read (PARSING_NOW)', () => {
  /** Two small posts, A and B. */
  function twoPosts(): string {
    const root = tempDir('backfile-poison-');
    fs.mkdirSync(path.join(root, '_posts'));
    fs.writeFileSync(path.join(root, '_posts/2020-01-01-a.md'), '---\ntitle: A\n---\nalpha\n');
    fs.writeFileSync(path.join(root, '_posts/2020-01-02-b.md'), '---\ntitle: B\n---\nbeta\n');
    return root;
  }

  it('names the culprit when it holds one file: recorded as not indexed without reading it', async () => {
    const root = twoPosts();
    const store = IndexStore.open(path.join(tempDir(), 'index.sqlite'));
    try {
      store.setMeta(PARSING_NOW, JSON.stringify(['_posts/2020-01-02-b.md']));
      // A watcher's report of another path: the note makes it a full scan.
      expect(await updateIndex(store, root, { paths: ['_posts/2020-01-01-a.md'] })).toMatchObject({ scanned: 2, updated: 2 });
      expect(store.counts().posts).toBe(1);
      expect(store.problems()).toEqual([{ path: '_posts/2020-01-02-b.md', message: KILLED_INDEXER, severity: 'error' }]);
      expect(store.getMeta(PARSING_NOW)).toBe('[]');
    } finally {
      store.close();
    }
  });

  it('holding several files, has them read (one at a time) and indexed, and is empty after the update', async () => {
    const root = twoPosts();
    const store = IndexStore.open(path.join(tempDir(), 'index.sqlite'));
    try {
      store.setMeta(PARSING_NOW, JSON.stringify(['_posts/2020-01-01-a.md', '_posts/2020-01-02-b.md']));
      expect(await updateIndex(store, root)).toMatchObject({ scanned: 2, updated: 2 });
      expect(store.counts().posts).toBe(2);
      expect(store.problems()).toEqual([]);
      expect(store.getMeta(PARSING_NOW)).toBe('[]');
    } finally {
      store.close();
    }
  });
});
