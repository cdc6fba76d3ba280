import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateArchive } from '../bench/generate-archive';
import { IndexStore } from '../../src-main/node/index/store';
import { ParsePool } from '../../src-main/node/index/parse-pool';
import { scanArchive } from '../../src-main/node/index/scan';
import { readAndParse, updateIndex, type ReadOutcome } from '../../src-main/node/index/update';
import { tempDir } from '../helpers/temp';

const dir = tempDir('backfile-pool-');
const archive = path.join(dir, 'archive');
const ready = generateArchive(archive, 700, 11);
const pools: ParsePool[] = [];
afterAll(async () => {
  for (const pool of pools) await pool.close();
});

/** What an index holds, in a comparable form: every post's stored fields and a few searches. */
function contents(file: string) {
  const store = IndexStore.open(file, { readonly: true });
  try {
    const paths = [...store.fileStates().keys()].sort();
    return {
      posts: paths.map((p) => store.getPost(p)),
      searches: ['市场', '投资 上海', 'tag:财经快讯', 'Northwind'].map((query) => store.list({ query, limit: 500 })),
      trees: [store.categories(), store.dates(), store.tags()],
    };
  } finally {
    store.close();
  }
}

describe('parse threads', () => {
  it('give the same outcomes as reading on this thread, without the HTML, body and fields the index never stores', async () => {
    await ready;
    const files = (await scanArchive(archive)).files.slice(0, 120);
    const pool = new ParsePool(2);
    pools.push(pool);
    const [threaded, here] = await Promise.all([pool.parseFiles(files), readAndParse(files)]);
    const strip = (o: ReadOutcome) => (o.kind === 'post' ? { ...o, post: { ...o.post, body: '', html: '', meta: {} } } : o);
    expect(threaded).toEqual(here.map(strip));
    expect(threaded.every((o) => o.kind === 'post' && o.post.text.length > 0 && o.post.html === '')).toBe(true);
  });

  it('build the same index as a single thread, batches written in order', async () => {
    await ready;
    const single = path.join(dir, 'single.sqlite');
    const threaded = path.join(dir, 'threaded.sqlite');
    const one = IndexStore.open(single);
    await updateIndex(one, archive).finally(() => one.close());
    const pool = new ParsePool(2);
    pools.push(pool);
    const store = IndexStore.open(threaded);
    const progress: number[] = [];
    const summary = await updateIndex(store, archive, {
      parseFiles: pool.parseFiles,
      parseAhead: 6,
      onProgress: (p) => p.phase === 'indexing' && progress.push(p.indexed),
    }).finally(() => store.close());
    expect(summary.updated).toBe(700);
    expect(progress.at(-1)).toBe(700);
    expect(contents(threaded)).toEqual(contents(single));
  });

  it('parse a lost thread\'s batches on the calling thread, and start a new thread', async () => {
    await ready;
    const files = (await scanArchive(archive)).files.slice(0, 60);
    const pool = new ParsePool(1);
    pools.push(pool);
    const slots = (pool as unknown as { slots: { worker: { threadId: number; terminate(): Promise<number> } }[] }).slots;
    const first = pool.parseFiles(files);
    const lostThread = slots[0]!.worker.threadId;
    // The only thread dies with the batch in hand: the batch still comes back, and so do later ones.
    await slots[0]!.worker.terminate();
    const [a, b] = await Promise.all([first, pool.parseFiles(files)]);
    expect(a.length).toBe(60);
    expect(b).toEqual(a);
    expect(slots).toHaveLength(1);
    expect(slots[0]!.worker.threadId).not.toBe(lostThread);
  });

  it('stop after whole batches when cancelled, and the next run completes the index', async () => {
    await ready;
    const file = path.join(dir, 'cancelled.sqlite');
    const pool = new ParsePool(2);
    pools.push(pool);
    let batches = 0;
    const store = IndexStore.open(file);
    const summary = await updateIndex(store, archive, {
      parseFiles: pool.parseFiles,
      parseAhead: 4,
      onProgress: (p) => void (p.phase === 'indexing' && p.indexed > 0 && batches++),
      isCancelled: () => batches >= 1,
    });
    expect(summary.updated).toBeGreaterThan(0);
    expect(summary.updated).toBeLessThan(700);
    expect(summary.updated % 250).toBe(0);
    const rest = await updateIndex(store, archive).finally(() => store.close());
    expect(rest.updated).toBe(700 - summary.updated);
    expect(fs.existsSync(file)).toBe(true);
  });
});
