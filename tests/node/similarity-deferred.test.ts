/**
 * A big update defers other versions to its end (similar.ts SIMILARITY_PENDING, story.ts runStoryPass): its batches
 * write signatures only (counted: no sig_buckets or post_story statement while they run), the end makes every bucket
 * row and story at once, and the result is a from-scratch build's, which is also a per-post incremental build's
 * where order cannot matter. A run cancelled or killed half-way leaves the mark, readers meanwhile get no versions
 * and no error, and the next run heals it; small updates after the pass keep stories right batch by batch.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SIMILARITY_PENDING, rebucketSignatures } from '../../src-main/node/index/similar';
import { IndexStore } from '../../src-main/node/index/store';
import { buildStories } from '../../src-main/node/index/story';
import { readAndParseOneSync, type ReadOutcome } from '../../src-main/node/index/read-post';
import { scanArchive } from '../../src-main/node/index/scan';
import { updateIndex } from '../../src-main/node/index/update';
import type { IndexProgress } from '../../src-main/shared/archive-api';
import { generateReprintArchive } from '../bench/reprint-archive';
import { batchOf, textPost } from '../helpers/parsed-posts';
import { repoRoot, tempDir } from '../helpers/temp';


/** Bucket rows as (bucket, path) and stories as sorted groups of paths: comparable across indexes whose ids differ. */
function versionsOf(file: string): { buckets: string[]; stories: string[]; pending: boolean } {
  const db = new Database(file, { readonly: true });
  try {
    const buckets = (db.prepare('SELECT b.bucket, p.path FROM sig_buckets b JOIN posts p ON p.id = b.id').raw().all() as [number, string][])
      .map(([bucket, p]) => `${bucket} ${p}`).sort();
    const groups = new Map<number, string[]>();
    for (const [story, p] of db.prepare('SELECT s.story, p.path FROM post_story s JOIN posts p ON p.id = s.id').raw().all() as [number, string][]) {
      groups.set(story, [...(groups.get(story) ?? []), p]);
    }
    const stories = [...groups.values()].map((g) => g.sort().join(' | ')).sort();
    const pending = db.prepare('SELECT count(*) FROM meta WHERE key = ?').pluck().get(SIMILARITY_PENDING) === 1;
    return { buckets, stories, pending };
  } finally {
    db.close();
  }
}

/** The same, made from scratch (rebucketSignatures + buildStories) on a copy of the index. */
function fromScratch(file: string): { buckets: string[]; stories: string[] } {
  const copy = `${file}.scratch`;
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  fs.copyFileSync(file, copy);
  const scratch = new Database(copy);
  try {
    const sql = (text: string) => scratch.prepare(text);
    scratch.transaction(() => {
      rebucketSignatures(sql);
      buildStories(sql);
      sql('DELETE FROM meta WHERE key = ?').run(SIMILARITY_PENDING);
    })();
  } finally {
    scratch.close();
  }
  const { buckets, stories } = versionsOf(copy);
  return { buckets, stories };
}

/** A reprint archive of over a thousand posts: stories of two to four, no template (no cap decides anything). */
function archiveOf(name: string): string {
  const archive = path.join(tempDir(`backfile-deferred-${name}-`), 'archive');
  generateReprintArchive(archive, { seed: 23, originals: 300, unrelated: 300 });
  return archive;
}
const postsIn = (archive: string): number => fs.readdirSync(archive, { recursive: true }).map(String).filter((p) => p.endsWith('.md') || p.endsWith('.html')).length;

describe('other versions deferred to the end of a big update', () => {
  it('a cold build writes no bucket row or story while its batches run, and ends with a from-scratch build\'s', async () => {
    const archive = archiveOf('cold');
    const file = path.join(path.dirname(archive), 'index.sqlite');
    const statements: string[] = [];
    const marks: number[] = [];
    const store = IndexStore.open(file, { trace: (sql) => statements.push(sql) });
    try {
      const summary = await updateIndex(store, archive, {
        onProgress: (p: IndexProgress) => { if (p.phase === 'indexing') marks.push(statements.length); },
      });
      expect(summary.updated).toBe(postsIn(archive));
      expect(summary.updated).toBeGreaterThan(1_000);
    } finally {
      store.close();
    }
    // From the first progress of the indexing phase to its last: every batch (five of 250 posts at least).
    expect(marks.length).toBeGreaterThanOrEqual(6);
    const duringBatches = statements.slice(marks[0], marks[marks.length - 1]).filter((sql) => /sig_buckets|post_story/.test(sql));
    // Only the two that empty them when the mark is set.
    expect(duringBatches).toEqual(['DELETE FROM sig_buckets', 'DELETE FROM post_story']);
    expect(statements.slice(marks[0], marks[marks.length - 1]).filter((sql) => /INSERT INTO post_sig/.test(sql)).length).toBeGreaterThan(500);
    const built = versionsOf(file);
    expect(built.pending).toBe(false);
    expect(built.buckets.length).toBeGreaterThan(500 * 32);
    expect(built.stories.length).toBeGreaterThan(5);
    expect(built).toEqual({ ...fromScratch(file), pending: false });

    // A per-post incremental build of the same posts (no bucket holds more than a look-up reads, no look-up more
    // candidates than it scores: order cannot matter) has the same rows and stories.
    const other = path.join(path.dirname(archive), 'incremental.sqlite');
    const outcomes = (await scanArchive(archive)).files.map(readAndParseOneSync)
      .filter((o): o is Extract<ReadOutcome, { kind: 'post' }> => o.kind === 'post');
    const incremental = IndexStore.open(other);
    try {
      for (const outcome of outcomes) incremental.applyBatch({ upserts: [outcome], failures: [], deletions: [] });
    } finally {
      incremental.close();
    }
    const db = new Database(other, { readonly: true });
    const widest = db.prepare('SELECT count(*) FROM sig_buckets GROUP BY bucket ORDER BY 1 DESC LIMIT 1').pluck().get() as number;
    db.close();
    expect(widest).toBeLessThanOrEqual(64);
    expect(versionsOf(other)).toEqual(built);
  }, 240_000);

  it('a cancelled build leaves the mark, readers get no versions and no error, and the next update heals it', async () => {
    const archive = archiveOf('cancel');
    const file = path.join(path.dirname(archive), 'index.sqlite');
    const store = IndexStore.open(file);
    try {
      let written = 0;
      await updateIndex(store, archive, {
        onProgress: (p) => { if (p.phase === 'indexing') written = p.indexed; },
        isCancelled: () => written >= 500,
      });
      expect(store.getMeta(SIMILARITY_PENDING)).toBe('1');
      const listed = store.list({ sort: 'date', limit: 1000 }).items;
      expect(listed.length).toBeGreaterThanOrEqual(500);
      // Readers see what the tables hold: nothing, so no versions and one row a post; never an error.
      for (const item of listed.slice(0, 50)) expect(store.similar(item.path)).toEqual([]);
      const collapsed = store.list({ sort: 'date', collapse: true, limit: 1000 });
      expect(collapsed.items.length).toBe(listed.length);
      expect(collapsed.items.every((item) => item.versions === 0)).toBe(true);
      // A small update (nothing changed) that finds the mark heals it.
      await updateIndex(store, archive);
      expect(store.getMeta(SIMILARITY_PENDING)).toBeUndefined();
    } finally {
      store.close();
    }
    const healed = versionsOf(file);
    expect(healed.stories.length).toBeGreaterThan(5);
    expect(healed).toEqual({ ...fromScratch(file), pending: false });
  }, 240_000);

  it('a build killed half-way leaves the mark, and the next run heals it', async () => {
    const archive = archiveOf('kill');
    const file = path.join(path.dirname(archive), 'index.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/helpers/index-with-progress.ts'), archive, file], {
      cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let killedAt = -1;
    for await (const line of readline.createInterface({ input: child.stdout })) {
      const progress = JSON.parse(line) as IndexProgress | { phase: 'done' };
      if (progress.phase === 'indexing' && progress.indexed >= 250) {
        killedAt = progress.indexed;
        child.kill('SIGKILL');
        break;
      }
    }
    expect(await exited).toBe('SIGKILL');
    expect(killedAt).toBeLessThan(postsIn(archive));
    expect(versionsOf(file)).toMatchObject({ pending: true, buckets: [], stories: [] });
    const store = IndexStore.open(file);
    try {
      await updateIndex(store, archive);
    } finally {
      store.close();
    }
    const healed = versionsOf(file);
    expect(healed.pending).toBe(false);
    expect(healed.stories.length).toBeGreaterThan(5);
    expect(healed).toEqual({ ...fromScratch(file), pending: false });
  }, 240_000);

  it('small updates after the pass keep bucket rows and stories right batch by batch', async () => {
    const archive = archiveOf('after');
    const file = path.join(path.dirname(archive), 'index.sqlite');
    const store = IndexStore.open(file);
    try {
      await updateIndex(store, archive);
      const posts = fs.readdirSync(path.join(archive, '_posts'), { recursive: true }).map(String).filter((p) => p.endsWith('.md')).sort();
      // A reprint of one post, another post deleted, a third rewritten as a copy of a fourth.
      const read = (p: string) => fs.readFileSync(path.join(archive, '_posts', p), 'utf8');
      fs.writeFileSync(path.join(archive, '_posts', 'reprint.md'), read(posts[10]!).replace(/^title: .*$/m, 'title: "转载"'));
      fs.rmSync(path.join(archive, '_posts', posts[20]!));
      fs.writeFileSync(path.join(archive, '_posts', posts[30]!), read(posts[40]!));
      const summary = await updateIndex(store, archive);
      expect(summary.updated + summary.deleted).toBe(3);
      expect(store.getMeta(SIMILARITY_PENDING)).toBeUndefined();
    } finally {
      store.close();
    }
    const after = versionsOf(file);
    expect(after.stories.some((s) => s.includes('reprint.md'))).toBe(true);
    expect(after).toEqual({ ...fromScratch(file), pending: false });
  }, 240_000);

  it('a connection that built batch by batch before a deferred update does not trust its bucket filter after the pass', async () => {
    const archive = archiveOf('filter');
    const held = path.join(path.dirname(archive), 'held');
    const files = fs.readdirSync(archive, { recursive: true }).map(String).filter((p) => p.endsWith('.md') || p.endsWith('.html')).sort();
    // All but 200 posts held back: the first build is small (batch by batch, its bucket filter on).
    for (const rel of files.slice(200)) {
      fs.mkdirSync(path.dirname(path.join(held, rel)), { recursive: true });
      fs.renameSync(path.join(archive, rel), path.join(held, rel));
    }
    const file = path.join(path.dirname(archive), 'index.sqlite');
    const late = files[files.length - 5]!;
    const store = IndexStore.open(file);
    try {
      await updateIndex(store, archive);
      expect(store.getMeta(SIMILARITY_PENDING)).toBeUndefined();
      expect(files.length - 200).toBeGreaterThanOrEqual(1_000);
      fs.cpSync(held, archive, { recursive: true });
      const pending: string[] = [];
      await updateIndex(store, archive, { onProgress: () => { if (store.getMeta(SIMILARITY_PENDING)) pending.push('1'); } });
      expect(pending.length).toBeGreaterThan(0);
      // A reprint of a post the pass bucketed, in a small update on the same connection.
      fs.writeFileSync(path.join(archive, '_posts', 'reprint-of-late.md'), fs.readFileSync(path.join(archive, late), 'utf8').replace(/^title: .*$/m, 'title: "转载"'));
      await updateIndex(store, archive);
    } finally {
      store.close();
    }
    const after = versionsOf(file);
    expect(after.stories.some((s) => s.includes('reprint-of-late.md') && s.includes(late))).toBe(true);
    expect(after).toEqual({ ...fromScratch(file), pending: false });
  }, 240_000);

  it('while deferred, deletions, rewrites and id moves keep post_sig right and touch no bucket row or story', () => {
    const file = path.join(tempDir('backfile-deferred-moves-'), 'index.sqlite');
    /** Seeded CJK paragraphs: posts of one `family` share most of theirs (versions), others share none. */
    const text = (family: number, own: number): string => {
      let s = family * 7919 + 1;
      const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
      const line = (): string => Array.from({ length: 30 }, () => String.fromCharCode(0x4e00 + Math.floor(next() * 8000))).join('');
      const lines = Array.from({ length: 8 }, line);
      s = own * 104729 + 3;
      lines.push(line());
      return lines.join('。\n');
    };
    const touched: string[] = [];
    const store = IndexStore.open(file, { trace: (sql) => { if (/sig_buckets|post_story/.test(sql)) touched.push(sql); } });
    try {
      store.deferSimilarity(5_000);
      expect(store.getMeta(SIMILARITY_PENDING)).toBe('1');
      touched.length = 0;
      // The next day's first post first, then a crowd in the last minute of the day before: no free id after the
      // crowd's first posts, so the posts before them are moved down (write.ts makeRoom) again and again.
      store.applyBatch(batchOf([textPost('next', '2021-06-02T00:00', text(1, 0))]));
      for (let round = 0; round < 4; round++) {
        store.applyBatch(batchOf(Array.from({ length: 60 }, (_, i) => textPost(`crowd${round}-${i}`, '2021-06-01T23:59', text(2 + (i % 6), round * 100 + i)))));
      }
      // A deletion and a rewrite (another date: another id) while deferred.
      store.applyBatch({ upserts: [], failures: [], deletions: ['_posts/crowd0-1.md'] });
      store.applyBatch(batchOf([textPost('crowd1-2', '2021-05-01T08:00', text(1, 999))]));
      expect(touched).toEqual([]);
      const db = new Database(file, { readonly: true });
      try {
        // Every signature belongs to a post, every post has one.
        expect(db.prepare('SELECT count(*) FROM post_sig s LEFT JOIN posts p ON p.id = s.id WHERE p.id IS NULL').pluck().get()).toBe(0);
        expect(db.prepare('SELECT count(*) FROM post_sig').pluck().get()).toBe(db.prepare('SELECT count(*) FROM posts').pluck().get());
        expect(db.prepare('SELECT count(*) FROM posts').pluck().get()).toBe(240);
      } finally {
        db.close();
      }
      store.finishSimilarity();
    } finally {
      store.close();
    }
    const done = versionsOf(file);
    expect(done.pending).toBe(false);
    expect(done.stories.length).toBe(7);
    expect(done.stories.some((s) => s.includes('crowd1-2.md') && s.includes('next.md'))).toBe(true);
    expect(done).toEqual({ ...fromScratch(file), pending: false });
  });
});
