import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArchiveError, type IndexProgress, type ListQuery } from '../../src-main/shared/archive-api';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { generateArchive } from '../bench/generate-archive';
import { mulberry32 } from '../bench/prng';
import { ftsBookkeepingPages, pagesReadForTokens } from '../helpers/fts-pages';
import { tempDir } from '../helpers/temp';
import { closedAfterEach } from '../helpers/archive-services';

/**
 * Calls `call` until it answers: INDEX_REBUILDING waits for the rebuild's end (an indexProgress event), any other
 * error fails the test at once. Says whether the index was being rebuilt.
 */
async function answer<T>(service: ArchiveService, call: () => T | Promise<T>): Promise<{ value: T; rebuilding: boolean }> {
  let rebuilding = false;
  for (;;) {
    let stop = () => undefined as void;
    const settled = new Promise<void>((resolve) => {
      stop = service.on('indexProgress', (p) => {
        if (p.phase === 'ready' || p.phase === 'error') resolve();
      });
    });
    try {
      return { value: await call(), rebuilding };
    } catch (error) {
      if (!(error instanceof ArchiveError && error.code === 'INDEX_REBUILDING')) throw error;
      rebuilding = true;
      await settled;
    } finally {
      stop();
    }
  }
}

const QUERIES: ListQuery[] = [
  { query: '', limit: 50, sort: 'date' },
  { query: 'the', limit: 20 },
  { query: 'market OR river', limit: 20, sort: 'date' },
  { query: '', limit: 10, offset: 150, includeHidden: true },
];

/** What a search shows, without snippets (made from stored text). */
const shown = async (service: ArchiveService, q: ListQuery) => {
  const r = (await service.list(q));
  return { total: r.total, items: r.items.map((i) => `${i.path} ${i.title}`) };
};

/** Overwrites the pages at these page numbers (1-based) with bytes from `rng`. */
function overwritePages(file: string, pages: number[], pageSize: number, rng: () => number): void {
  const fd = fs.openSync(file, 'r+');
  try {
    for (const page of pages) fs.writeSync(fd, Buffer.from(Array.from({ length: pageSize }, () => Math.floor(rng() * 256))), 0, pageSize, (page - 1) * pageSize);
  } finally {
    fs.closeSync(fd);
  }
}

function pageInfo(file: string, table?: string): { pageSize: number; pageCount: number; root: number } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      pageSize: db.pragma('page_size', { simple: true }) as number,
      pageCount: db.pragma('page_count', { simple: true }) as number,
      root: table ? (db.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').pluck().get(table) as number) : 0,
    };
  } finally {
    db.close();
  }
}

describe('an index damaged or deleted while Backfile uses it', () => {
  const make = closedAfterEach();

  let dir: string;
  let archive: string;
  let built: string;
  let expected: Awaited<ReturnType<typeof shown>>[];
  let expectedTrees: unknown;
  let postPath: string;

  beforeAll(async () => {
    dir = tempDir('backfile-recovery-');
    archive = path.join(dir, 'archive');
    await generateArchive(archive, 300, 11);
    built = path.join(dir, 'built.sqlite');
    const service = new ArchiveService();
    await service.open(archive, { waitForIndex: true, indexFile: built });
    expected = await Promise.all(QUERIES.map((q) => shown(service, q)));
    expectedTrees = { categories: (await service.categories()), dates: (await service.dates()), tags: (await service.tags()), problems: (await service.problems()) };
    postPath = (await service.list({ limit: 1 })).items[0]!.path;
    await service.close();
    // The copies below take the main file alone: fold the WAL into it first (service.close() may resolve before
    // the indexing thread's connection has checkpointed it), so that no copy depends on that race.
    const db = new Database(built);
    const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    db.close();
    expect(checkpoint).toMatchObject({ busy: 0 });
    expect(fs.existsSync(`${built}-wal`) ? fs.statSync(`${built}-wal`).size : 0).toBe(0);
    expect(expected[0]!.total).toBeGreaterThan(250);
  }, 60_000);

  const copyOfIndex = (name: string): string => {
    const file = path.join(dir, name);
    fs.copyFileSync(built, file);
    return file;
  };

  /** A copy of the built index rewritten at another page size (VACUUM keeps application_id and user_version). */
  const copyAtPageSize = (name: string, pageSize: number): string => {
    const file = copyOfIndex(name);
    const db = new Database(file);
    try {
      db.pragma('journal_mode = DELETE');
      db.pragma(`page_size = ${pageSize}`);
      db.exec('VACUUM');
      db.pragma('journal_mode = WAL');
      expect(db.pragma('page_size', { simple: true })).toBe(pageSize);
    } finally {
      db.close();
    }
    return file;
  };

  // Tokens the searches of QUERIES find, and the first query that reads each one's doclist ('the' finds nothing in
  // this archive: its lookup may stop before any leaf).
  const AIMED: [token: string, firstReader: number][] = [['market', 2], ['river', 2]];

  for (const size of [0, 8192]) {
    const layout = size ? `an index VACUUMed to ${size}-byte pages` : 'the index as built';
    it(`FTS5 pages overwritten in the middle (seeded, 6 trials, ${layout}): searches answer INDEX_REBUILDING or the right hits, and the right hits after the rebuild`, async () => {
      const rng = mulberry32(20240611);
      const source = size ? copyAtPageSize(`source-${size}.sqlite`, size) : built;
      const { pageSize } = pageInfo(source);
      if (size) expect(pageSize).toBe(size);
      for (const [, reader] of AIMED) expect(expected[reader]!.total).toBeGreaterThan(0);
      // Aimed damage: the leaf record holding each aimed token's doclist start, in every segment, found from the
      // file's structures (FTS5's term index, dbstat), so a search certainly reads it whatever the page size or how
      // FTS5 flushed its segments. Besides it, other leaf or overflow pages of posts_fts_data: not its interior pages
      // nor FTS5's bookkeeping records, which any use of the table reads (were the open to read them, it would meet
      // the damage instead of a search, by chance of where they lie).
      const aimedPages = pagesReadForTokens(source, 'posts_fts', AIMED.map(([token]) => token));
      const bookkeeping = new Set(ftsBookkeepingPages(source, 'posts_fts'));
      const db = new Database(source, { readonly: true });
      const ftsPages = (db.prepare("SELECT pageno FROM dbstat WHERE name = 'posts_fts_data' AND pagetype <> 'internal' ORDER BY pageno").pluck().all() as number[]).filter((p) => !bookkeeping.has(p));
      db.close();
      let rebuiltOnRead = 0;
      for (let trial = 0; trial < 6; trial++) {
        const file = path.join(dir, `mid-${size}-${trial}.sqlite`);
        fs.copyFileSync(source, file);
        const [token, firstReader] = AIMED[Math.floor(rng() * AIMED.length)]!;
        // (A leaf sharing a page with the bookkeeping records, possible with large pages, is left out.)
        const aimed = aimedPages.get(token)!.filter((p) => !bookkeeping.has(p));
        expect(aimed.length, token).toBeGreaterThan(0);
        const first = Math.floor(ftsPages.length * 0.25);
        const span = Math.floor(ftsPages.length * 0.5);
        const pages = [aimed[Math.floor(rng() * aimed.length)]!, ...Array.from({ length: trial }, () => ftsPages[first + Math.floor(rng() * span)]!)];
        overwritePages(file, pages, pageSize, rng);

        const service = make();
        await service.open(archive, { waitForIndex: true, indexFile: file });
        let metBy = -1;
        for (const [i, q] of QUERIES.entries()) {
          const { value, rebuilding } = await answer(service, () => shown(service, q));
          if (rebuilding) {
            rebuiltOnRead++;
            if (metBy < 0) metBy = i;
          }
          expect(value, `trial ${trial}, pages ${pages.join(' ')}, query ${JSON.stringify(q)}`).toEqual(expected[i]);
        }
        // The search that reads the aimed token met the damage (or an earlier one met another damaged page).
        expect(metBy, `trial ${trial}: ${token} on pages ${pages.join(' ')}`).toBeGreaterThanOrEqual(1);
        expect(metBy, `trial ${trial}: ${token} on pages ${pages.join(' ')}`).toBeLessThanOrEqual(firstReader);
        const trees = await answer(service, async () => ({ categories: (await service.categories()), dates: (await service.dates()), tags: (await service.tags()), problems: (await service.problems()) }));
        expect(trees.value).toEqual(expectedTrees);
        await service.close();
      }
      // Every trial's damage was met by a search (not by the indexing thread at open), and one search a trial
      // rebuilt: after the rebuild the others read a whole index.
      expect(rebuiltOnRead).toBe(6);
    }, 120_000);
  }

  // Each read met damage of its own table (the others stay whole): it answers INDEX_REBUILDING, the rebuild runs
  // with progress as a first build, and the same call then answers right.
  const cases: [string, string, (s: ArchiveService) => unknown][] = [
    ['a search', 'posts_fts_data', (s) => shown(s, { query: 'the', limit: 20 })],
    ['the category tree', 'category_counts', (s) => s.categories()],
    ['the tags', 'tag_counts', (s) => s.tags()],
    ['the date tree and the counts', 'date_counts', async (s) => [await s.dates(), s.info().posts]],
    ['an article', 'sqlite_autoindex_posts_1', (s) => s.getArticle(postPath).then((a) => a.title)],
    ['the problems', 'posts_with_problems', (s) => s.problems()],
  ];
  for (const [what, table, call] of cases) {
    it(`damage met by ${what} (${table}) starts a rebuild; the call answers INDEX_REBUILDING, then works`, async () => {
      const reference = make();
      await reference.open(archive, { waitForIndex: true, indexFile: copyOfIndex(`ref-${table}.sqlite`) });
      const right = await call(reference);
      await reference.close();

      const file = copyOfIndex(`damaged-${table}.sqlite`);
      const { pageSize, root } = pageInfo(file, table);
      overwritePages(file, [root], pageSize, mulberry32(root));
      const service = make();
      const progress: IndexProgress[] = [];
      service.on('indexProgress', (p) => progress.push(p));
      await service.open(archive, { waitForIndex: true, indexFile: file });
      const result = await answer(service, () => call(service));
      expect(result.rebuilding).toBe(true);
      expect(result.value).toEqual(right);
      expect(progress.some((p) => p.phase === 'indexing' && p.toIndex >= 300)).toBe(true);
      expect(progress.at(-1)?.phase).toBe('ready');
    }, 60_000);
  }

  it('the index deleted while serving: calls recover and read the new file that the updates write', async () => {
    const copy = path.join(dir, 'deleted-archive');
    fs.cpSync(archive, copy, { recursive: true });
    const file = copyOfIndex('deleted.sqlite');
    const service = make();
    await service.open(copy, { waitForIndex: true, indexFile: file });
    expect(await shown(service, QUERIES[0]!)).toEqual(expected[0]);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });

    const after = await answer(service, () => shown(service, QUERIES[0]!));
    expect(after.value).toEqual(expected[0]);
    expect(fs.existsSync(file)).toBe(true);

    // The service reads the file the indexer writes: a new post shows up.
    fs.writeFileSync(path.join(copy, '_posts', '2030-01-01-after-the-deletion.md'), '---\ntitle: "Written after the deletion"\ndate: 2030-01-01\n---\nZyzzogeton.\n');
    await service.reindex();
    expect((await service.list({ query: 'zyzzogeton' })).items.map((i) => i.title)).toEqual(['Written after the deletion']);
  }, 60_000);

  it('the index replaced by another Backfile\'s rebuild: the new file is shown', async () => {
    const copy = path.join(dir, 'replaced-archive');
    fs.cpSync(archive, copy, { recursive: true });
    const file = copyOfIndex('replaced.sqlite');
    const first = make();
    await first.open(copy, { waitForIndex: true, indexFile: file });
    expect((await first.list({ query: 'quuxification' })).total).toBe(0);

    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    fs.writeFileSync(path.join(copy, '_posts', '2030-02-02-seen-by-the-other.md'), '---\ntitle: "Seen by the other"\ndate: 2030-02-02\n---\nQuuxification.\n');
    const second = make();
    await second.open(copy, { waitForIndex: true, indexFile: file });

    const seen = await answer(first, async () => (await first.list({ query: 'quuxification' })).items.map((i) => i.title));
    expect(seen.value).toEqual(['Seen by the other']);
  }, 60_000);

  it("the index replaced by another program's file while serving: NOT_OURS, and that file is left alone", async () => {
    const file = copyOfIndex('hijacked.sqlite');
    const service = make();
    await service.open(archive, { waitForIndex: true, indexFile: file });
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    fs.writeFileSync(file, 'not yours\n'.repeat(1000));
    const before = fs.readFileSync(file);
    await expect(service.list({ query: 'the' })).rejects.toThrow(expect.objectContaining({ code: 'NOT_OURS' }));
    await service.reindex().catch(() => undefined);
    await expect(service.categories()).rejects.toThrow(expect.objectContaining({ code: 'NOT_OURS' }));
    expect(fs.readFileSync(file)).toEqual(before);
  }, 60_000);
});
