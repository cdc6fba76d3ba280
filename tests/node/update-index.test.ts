import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { locatePost } from '../../src-main/core/post-path';
import { renderText } from '../../src-main/core/render';
import { IndexStore } from '../../src-main/node/index/store';
import { MAX_INDEXED_CHARS } from '../../src-main/node/index/read-post';
import {
  AHEAD_BYTES, BATCH_BYTES, MAX_POST_BYTES, WRITE_MAX_BYTES, parseInOrder, readAndParseOneSync, updateIndex, type ReadOutcome,
} from '../../src-main/node/index/update';
import type { ScannedFile } from '../../src-main/node/index/scan';
import type * as Tokenize from '../../src-main/core/tokenize';
import { tempDir } from '../helpers/temp';

/** A stand-in for any bug in parsing or tokenising one post: the tokenizer throws on this word. */
const TOKENIZER_BOMB = 'tokenizerbomb';
vi.mock('../../src-main/core/tokenize', async (importOriginal) => {
  const real = await importOriginal<typeof Tokenize>();
  return {
    ...real,
    tokenize: (text: string) => {
      if (text.includes(TOKENIZER_BOMB)) throw new RangeError('Maximum call stack size exceeded');
      return real.tokenize(text);
    },
  };
});

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

describe('one post never takes the archive down', () => {
  const root = tempDir();
  fs.mkdirSync(path.join(root, '_posts'));
  const write = (rel: string, text: string) => fs.writeFileSync(path.join(root, rel), text);

  it('reports a post the parser or tokenizer fails on as not indexed, instead of throwing', () => {
    write('_posts/2020-02-01-bomb.md', `---\ntitle: Bomb\n---\nA ${TOKENIZER_BOMB} in the text.\n`);
    const outcome = readAndParseOneSync(scanned(root, '_posts/2020-02-01-bomb.md'));
    expect(outcome).toMatchObject({ kind: 'failure', path: '_posts/2020-02-01-bomb.md', hash: expect.any(String) });
    if (outcome.kind === 'failure') {
      expect(outcome.problems).toEqual([{ path: '_posts/2020-02-01-bomb.md', severity: 'error', message: 'could not be indexed: Maximum call stack size exceeded' }]);
    }
  });

  it('indexes the rest of the archive around it, and lists it among the problems', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, '_posts'));
    fs.writeFileSync(path.join(dir, '_posts/2020-02-01-bomb.md'), `---\ntitle: Bomb\n---\n${TOKENIZER_BOMB}\n`);
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, '_posts', `2020-02-0${i + 2}-ok${i}.md`), `---\ntitle: OK ${i}\n---\n钢铁 steel ${i}\n`);
    const store = IndexStore.open(path.join(dir, '.index.sqlite'));
    try {
      expect(await updateIndex(store, dir)).toMatchObject({ scanned: 6, updated: 6 });
      expect(store.list({ query: '钢铁' }).total).toBe(5);
      expect(store.problems()).toEqual([expect.objectContaining({ path: '_posts/2020-02-01-bomb.md', message: expect.stringMatching(/^could not be indexed/) })]);
    } finally {
      store.close();
    }
  });

  it('records a post whose write fails as not indexed, rolls back its rows alone, and writes the rest of the batch', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, '_posts'));
    for (const n of [1, 2, 3]) fs.writeFileSync(path.join(dir, '_posts', `2020-03-0${n}-p${n}.md`), `---\ntitle: P${n}\ntags: [t${n}]\n---\nmarathon ${n}\n`);
    const store = IndexStore.open(path.join(dir, '.index.sqlite'));
    try {
      await updateIndex(store, dir);
      const outcomes = ['_posts/2020-03-01-p1.md', '_posts/2020-03-02-p2.md', '_posts/2020-03-03-p3.md']
        .map((rel) => readAndParseOneSync(scanned(dir, rel)))
        .filter((o): o is Extract<ReadOutcome, { kind: 'post' }> => o.kind === 'post');
      // p2 is rewritten with a field the writer cannot store: its old rows go (rolled back), p1 and p3 are rewritten.
      const bad = { ...outcomes[1]!, post: { ...outcomes[1]!.post, tags: null as unknown as string[] } };
      store.applyBatch({ upserts: [outcomes[0]!, bad, outcomes[2]!], failures: [], deletions: [] });
      expect(store.list({ query: 'marathon' }).items.map((a) => a.path)).toEqual(['_posts/2020-03-03-p3.md', '_posts/2020-03-01-p1.md']);
      expect(store.tags().map((t) => [t.name, t.count])).toEqual([['t1', 1], ['t3', 1]]);
      expect(store.counts()).toEqual({ posts: 2, hidden: 0, problems: 1 });
      expect(store.problems()[0]).toMatchObject({ path: '_posts/2020-03-02-p2.md', severity: 'error', message: expect.stringMatching(/^could not be indexed: /) });
    } finally {
      store.close();
    }
  });

  it('reads front matter after millions of blank lines (a regex used to overflow the stack on them)', () => {
    write('_posts/2020-02-02-blank.md', `${'\n'.repeat(4_000_000)}---\ntitle: After the blank lines\n---\nbody\n`);
    const outcome = readAndParseOneSync(scanned(root, '_posts/2020-02-02-blank.md'));
    expect(outcome.kind === 'post' && [outcome.post.title, outcome.post.problems]).toEqual(['After the blank lines', []]);
  });

  it('indexes a 1.5 MB one-line Chinese post whole (its run overflowed the tokenizer\'s stack)', () => {
    const run = '中国钢铁工业协会'.repeat(65_536);
    write('_posts/2020-02-03-one-line.md', `---\ntitle: One line\n---\n${run}\n`);
    const outcome = readAndParseOneSync(scanned(root, '_posts/2020-02-03-one-line.md'));
    expect(outcome.kind).toBe('post');
    if (outcome.kind !== 'post') return;
    // Rendered in pieces cut inside the line, joined again: the same text, hence the same tokens.
    expect(outcome.post.text).toBe(run);
    expect(outcome.post.problems).toEqual([]);
    expect(outcome.fts.body.split(' ').length).toBe(run.length);
  });

  it('renders a long post piece by piece to the same text as whole, and indexes at most MAX_INDEXED_CHARS of it', () => {
    const paragraph = (i: number) => `Paragraph ${i} of a **long** report, with a [link](https://example.com/${i}) and 钢铁产量${i}。`;
    const body = Array.from({ length: 4000 }, (_, i) => paragraph(i)).join('\n\n');
    write('_posts/2020-02-04-long.md', `---\ntitle: Long\n---\n${body}\n`);
    const long = readAndParseOneSync(scanned(root, '_posts/2020-02-04-long.md'));
    expect(long.kind === 'post' && long.post.text).toBe(renderText(body, 'markdown').text);

    const huge = Array.from({ length: 60_000 }, (_, i) => paragraph(i)).join('\n\n');
    write('_posts/2020-02-05-huge.md', `---\ntitle: Huge\n---\n${huge}\n\n<https://example.com/source>\n`);
    const outcome = readAndParseOneSync(scanned(root, '_posts/2020-02-05-huge.md'));
    expect(outcome.kind).toBe('post');
    if (outcome.kind !== 'post') return;
    expect(outcome.post.text.length).toBe(MAX_INDEXED_CHARS);
    expect(outcome.post.text.startsWith('Paragraph 0 of a long report')).toBe(true);
    expect(outcome.post.problems).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/only the first 1 Mi are searchable/) })]);
  });
});

describe('the bytes between the parse threads and the writer', () => {
  it('are bounded: batches, batches asked for ahead and write transactions are sized by file bytes', async () => {
    const MiB = 1024 * 1024;
    const sizes = [...Array.from({ length: 40 }, () => 8 * MiB), ...Array.from({ length: 600 }, () => 4000), 3 * MiB, 3 * MiB, 3 * MiB];
    const files = sizes.map((size, i): ScannedFile => ({
      relPath: `_posts/2020-01-01-p${i}.md`, absPath: `/nowhere/${i}`, size, mtimeMs: 0, location: locatePost(`_posts/2020-01-01-p${i}.md`, 'jekyll'),
    }));
    const bytesOf = (batch: { relPath: string }[]) => batch.reduce((n, f) => n + sizes[Number(/p(\d+)/.exec(f.relPath)![1])]!, 0);
    let outstanding = 0;
    let peak = 0;
    const batchBytes: number[] = [];
    // Parsed as soon as asked (the worst case: parse threads faster than the writer).
    const parsed = parseInOrder(files, async (batch) => {
      batchBytes.push(bytesOf(batch));
      outstanding += bytesOf(batch);
      peak = Math.max(peak, outstanding);
      return batch.map((f): ReadOutcome => ({ kind: 'gone', path: f.relPath }));
    }, 10);
    const written: number[] = [];
    for (let outcomes = await parsed.next(); outcomes !== null; outcomes = await parsed.next()) {
      const bytes = bytesOf(outcomes.map((o) => ({ relPath: o.kind === 'gone' ? o.path : '' })));
      written.push(outcomes.length);
      expect(bytes).toBeLessThanOrEqual(Math.max(WRITE_MAX_BYTES, MAX_POST_BYTES));
      outstanding -= bytes;
    }
    expect(written.reduce((a, b) => a + b, 0)).toBe(files.length);
    expect(Math.max(...batchBytes)).toBeLessThanOrEqual(BATCH_BYTES);
    expect(peak).toBeLessThanOrEqual(AHEAD_BYTES + WRITE_MAX_BYTES);
    // Small posts still go 250 to a batch.
    expect(batchBytes).toContain(250 * 4000);
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
