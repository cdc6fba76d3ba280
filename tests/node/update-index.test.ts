import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locatePost } from '../../src-main/core/post-path';
import { IndexStore } from '../../src-main/node/index/store';
import { MAX_POST_BYTES, readAndParseOneSync, updateIndex } from '../../src-main/node/index/update';
import type { ScannedFile } from '../../src-main/node/index/scan';
import { tempDir } from '../helpers/temp';

const scanned = (root: string, relPath: string): ScannedFile => {
  const absPath = path.join(root, relPath);
  const stat = fs.existsSync(absPath) ? fs.statSync(absPath) : { size: 0, mtimeMs: 0 };
  return { relPath, absPath, size: stat.size, mtimeMs: Math.trunc(stat.mtimeMs), location: locatePost(relPath, 'jekyll') };
};

describe('reading posts for the index', () => {
  const root = tempDir();
  fs.mkdirSync(path.join(root, '_posts'));

  it('treats a file deleted between the scan and the read as gone, not as an error', async () => {
    const file = scanned(root, '_posts/2020-01-01-vanished.md');
    expect(readAndParseOneSync(file)).toEqual({ kind: 'gone', path: '_posts/2020-01-01-vanished.md' });
  });

  it('reads a file rewritten after the scan as it is now', async () => {
    const rel = '_posts/2020-01-02-rewritten.md';
    fs.writeFileSync(path.join(root, rel), '---\ntitle: Before\n---\nold');
    const file = scanned(root, rel);
    fs.writeFileSync(path.join(root, rel), '---\ntitle: After the rewrite\n---\nnew and longer body');
    const outcome = readAndParseOneSync(file);
    expect(outcome.kind).toBe('post');
    if (outcome.kind === 'post') {
      expect(outcome.post.title).toBe('After the rewrite');
      expect(outcome.size).toBe(fs.statSync(path.join(root, rel)).size);
    }
  });

  it('reads only the first 8 MiB of a 2 GB post, with a warning, in bounded memory', async () => {
    const rel = '_posts/2020-01-03-huge.md';
    const abs = path.join(root, rel);
    fs.writeFileSync(abs, '---\ntitle: A huge post\n---\n');
    fs.truncateSync(abs, 2 * 1024 * 1024 * 1024); // sparse: takes no disk space
    const before = process.memoryUsage().rss;
    const outcome = readAndParseOneSync(scanned(root, rel));
    const grown = process.memoryUsage().rss - before;
    expect(outcome.kind).toBe('post');
    if (outcome.kind === 'post') {
      // The sparse tail is NUL bytes, so the reader also (rightly) calls the content binary.
      expect(outcome.post.problems.map((p) => p.message).join(' ')).toMatch(/only the first 8 MB were read/);
    }
    expect(grown).toBeLessThan(20 * MAX_POST_BYTES);
  });

  it('reports a folder named like a post instead of failing', async () => {
    const rel = '_posts/2020-01-04-folder.md';
    fs.mkdirSync(path.join(root, rel));
    const outcome = readAndParseOneSync(scanned(root, rel));
    expect(['gone', 'failure']).toContain(outcome.kind);
  });
});

describe('an update that never waits for its parser', () => {
  it('still lets other work run between writes, so a cancel message is seen after the first write', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, '_posts'));
    for (let i = 0; i < 1500; i++) fs.writeFileSync(path.join(root, '_posts', `2020-01-01-p${i}.md`), `---\ntitle: p${i}\n---\nbody ${i}\n`);
    const store = IndexStore.open(path.join(root, '.index.sqlite'));
    // Batches are parsed up front and handed over already resolved: the writer never waits for a message.
    let cancelled = false;
    let timer: NodeJS.Timeout | undefined;
    const summary = await updateIndex(store, root, {
      parseFiles: (files) => Promise.resolve(files.map(readAndParseOneSync)),
      parseAhead: 0,
      isCancelled: () => cancelled,
      // After the first write, a macrotask (as a worker's 'message' event is) asks to cancel.
      onProgress: (p) => void (p.phase === 'indexing' && p.indexed > 0 && (timer ??= setTimeout(() => (cancelled = true), 0))),
    }).finally(() => {
      clearTimeout(timer);
      store.close();
    });
    expect(summary.updated).toBeGreaterThan(0);
    expect(summary.updated).toBeLessThanOrEqual(500);
  });
});

describe('an update of the paths a watcher reported', () => {
  const write = (root: string, rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const post = (title: string) => `---\ntitle: ${title}\n---\n${title} body\n`;
  const titles = (store: IndexStore) => store.list({ limit: 100 }).items.map((a) => a.title).sort();

  it('looks at those paths only: changed, added and deleted posts; other changes wait for a full scan', async () => {
    const root = tempDir();
    for (const n of ['a', 'b', 'c', 'd']) write(root, `_posts/2020-01-0${n.charCodeAt(0) - 96}-${n}.md`, post(n));
    const store = IndexStore.open(path.join(root, '.index.sqlite'));
    try {
      await updateIndex(store, root);
      write(root, '_posts/2020-01-01-a.md', post('a changed, and longer'));
      write(root, '_posts/2020-02-01-e.md', post('e'));
      fs.rmSync(path.join(root, '_posts/2020-01-02-b.md'));
      write(root, '_posts/2020-01-03-c.md', post('c changed unreported'));
      const summary = await updateIndex(store, root, {
        paths: ['_posts/2020-01-01-a.md', '_posts/2020-02-01-e.md', '_posts/2020-01-02-b.md', '_posts/.hidden.md'],
      });
      expect(summary).toMatchObject({ scanned: 2, updated: 2, deleted: 1 });
      expect(titles(store)).toEqual(['a changed, and longer', 'c', 'd', 'e']);
      // The next full scan catches what nobody reported.
      expect(await updateIndex(store, root)).toMatchObject({ scanned: 4, updated: 1, deleted: 0 });
      expect(titles(store)).toEqual(['a changed, and longer', 'c changed unreported', 'd', 'e']);
    } finally {
      store.close();
    }
  });

  it('scans the whole archive when a folder, a link or a path outside is among them', async () => {
    const root = tempDir();
    write(root, '_posts/2020-01-01-a.md', post('a'));
    const store = IndexStore.open(path.join(root, '.index.sqlite'));
    try {
      await updateIndex(store, root);
      write(root, 'world/_posts/2020-03-01-f.md', post('f'));
      expect(await updateIndex(store, root, { paths: ['world'] })).toMatchObject({ scanned: 2, updated: 1 });
      write(root, '_posts/2020-03-02-g.md', post('g'));
      expect(await updateIndex(store, root, { paths: ['../outside.md'] })).toMatchObject({ scanned: 3, updated: 1 });
      fs.symlinkSync(path.join(root, '_posts/2020-01-01-a.md'), path.join(root, '_posts/2020-03-03-link.md'));
      expect(await updateIndex(store, root, { paths: ['_posts/2020-03-03-link.md'] })).toMatchObject({ scanned: 4 });
      expect(titles(store)).toEqual(['a', 'a', 'f', 'g']);
    } finally {
      store.close();
    }
  });
});

describe('a full scan of an indexed archive', () => {
  it('re-reads every post when the layout changes (a flat folder gains a _posts folder)', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'news'));
    fs.writeFileSync(path.join(root, 'news', 'a.md'), '---\ntitle: A\n---\nalpha\n');
    fs.writeFileSync(path.join(root, 'news', 'b.md'), '---\ntitle: B\n---\nbeta\n');
    const store = IndexStore.open(path.join(root, '.index.sqlite'));
    try {
      expect(await updateIndex(store, root)).toMatchObject({ layout: 'flat', updated: 2 });
      expect(await updateIndex(store, root)).toMatchObject({ layout: 'flat', updated: 0, unchanged: 2 });
      // In a Jekyll archive only _posts and _drafts hold posts: news/*.md are pages now, and leave the index.
      fs.mkdirSync(path.join(root, 'world', '_posts'), { recursive: true });
      fs.writeFileSync(path.join(root, 'world', '_posts', '2020-05-05-c.md'), '---\ntitle: C\n---\ngamma\n');
      expect(await updateIndex(store, root)).toMatchObject({ layout: 'jekyll', scanned: 1, updated: 1, deleted: 2 });
      expect(store.list({}).items.map((a) => [a.title, a.categories])).toEqual([['C', ['world']]]);
    } finally {
      store.close();
    }
  });
});

describe('an index made by another parser version', () => {
  it('stays marked as such until every post was read again, so a cancelled rebuild resumes as a rebuild', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, '_posts'));
    for (let i = 0; i < 600; i++) fs.writeFileSync(path.join(root, '_posts', `2020-01-01-p${i}.md`), `---\ntitle: p${i}\n---\nbody ${i}\n`);
    const store = IndexStore.open(path.join(root, '.index.sqlite'));
    try {
      await updateIndex(store, root);
      store.setMeta('parser_version', 'older');
      let writes = 0;
      const cancelled = await updateIndex(store, root, {
        isCancelled: () => writes > 0,
        onProgress: (p) => void (p.phase === 'indexing' && p.indexed > 0 && writes++),
      });
      expect(cancelled.updated).toBeLessThan(600);
      expect(store.getMeta('parser_version')).toBe('older');
      expect(await updateIndex(store, root)).toMatchObject({ updated: 600 });
      expect(store.getMeta('parser_version')).not.toBe('older');
    } finally {
      store.close();
    }
  });
});
