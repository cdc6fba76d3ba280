/**
 * Stories (story.ts, schema v6): each visible post's story in post_story is exactly the connected group of visible
 * posts linked by getSimilar pairs (hidden posts are in no story), recomputed independently here, after inserts,
 * deletes, rewrites and id moves; the collapsed list has one row per story, and each row's "+N" is what getSimilar
 * of its post shows within the result; a v5 index gets its stories in the migration.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src-main/node/index/schema';
import { IndexStore } from '../../src-main/node/index/store';
import { syntheticPost } from '../bench/synthetic-post';
import { indexedFolder } from '../helpers/indexed-folder';
import { batchOf, minuteOf, textPost } from '../helpers/parsed-posts';
import { tempDir } from '../helpers/temp';

/** The paragraphs of synthetic post bodies, as material for texts that overlap by as many paragraphs as wanted. */
const paragraphs = Array.from({ length: 40 }, (_, i) => syntheticPost(7, 500 + i).content.replace(/^---\n[\s\S]*?\n---\n/, ''))
  .flatMap((body) => body.split('\n').filter((line) => line.trim().length > 40 && !line.includes('<')));
const text = (from: number, to: number): string => paragraphs.slice(from, to).join('\n\n');
const post = (title: string, date: string, body: string, extra = ''): string => `---\ntitle: ${JSON.stringify(title)}\ndate: ${date}\n${extra}---\n${body}\n`;

/** Connected groups of `paths` under `linked` (union-find), as sorted lists, sorted. */
function components(paths: readonly string[], linked: (p: string) => string[]): string[][] {
  const parent = new Map(paths.map((p) => [p, p]));
  const find = (p: string): string => (parent.get(p) === p ? p : find(parent.get(p)!));
  for (const p of paths) for (const q of linked(p)) if (parent.has(q)) parent.set(find(p), find(q));
  const groups = new Map<string, string[]>();
  for (const p of paths) groups.set(find(p), [...(groups.get(find(p)) ?? []), p]);
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

describe('story ids in the index', () => {
  const { root, file, write, update, withStore } = indexedFolder('backfile-story-');
  /** The groups the index stores: posts sharing a story number, and every other post alone. */
  const storedGroups = (): string[][] => {
    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare('SELECT p.path, s.story FROM posts p LEFT JOIN post_story s ON s.id = p.id').all() as { path: string; story: number | null }[];
      const orphans = db.prepare('SELECT count(*) FROM post_story WHERE id NOT IN (SELECT id FROM posts)').pluck().get() as number;
      expect(orphans).toBe(0);
      const byStory = new Map<string, string[]>();
      for (const r of rows) {
        const key = r.story === null ? `alone ${r.path}` : `story ${r.story}`;
        byStory.set(key, [...(byStory.get(key) ?? []), r.path]);
      }
      // A story row is only kept for stories of two or more.
      for (const [key, members] of byStory) if (key.startsWith('story')) expect(members.length).toBeGreaterThan(1);
      return [...byStory.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
    } finally {
      db.close();
    }
  };
  /** The groups getSimilar's pairs make among visible posts (each hidden post alone), computed here from scratch. */
  const similarGroups = (): string[][] =>
    withStore((store) => {
      const visible = new Set(store.listOrder({ sort: 'date' }).paths);
      const paths = store.listOrder({ includeHidden: true, sort: 'date' }).paths;
      return components(paths, (p) => (visible.has(p) ? (store.similar(p) ?? []).map((s) => s.path) : []));
    });
  const groupOf = (p: string): string[] => storedGroups().find((g) => g.includes(p))!;

  it('inserts join stories, a chain hangs together through its middle, deletes split it, rewrites and moves keep it right', async () => {
    // X ~ Y ~ Z overlap by 7 of 10 paragraphs each way; X and Z share 4 of 16: a chain only through Y.
    write('_posts/2021-01-01-x.md', post('X', '2021-01-01', text(0, 10)));
    write('_posts/2021-01-02-y.md', post('Y', '2021-01-02', text(3, 13)));
    write('_posts/2021-01-03-z.md', post('Z', '2021-01-03', text(6, 16)));
    // A clique of three reprints, one of them unpublished (in no story: hidden posts never link), and two posts alone.
    write('_posts/2021-02-01-a.md', post('A', '2021-02-01', text(20, 30)));
    write('_posts/2021-02-02-b.md', post('B', '2021-02-02', `本文转载自新华网，版权归原作者所有。\n\n${text(20, 30)}`));
    write('_posts/2021-02-03-c.md', post('C', '2021-02-03', text(20, 29), 'published: false\n'));
    write('_posts/2021-03-01-d.md', post('D', '2021-03-01', text(40, 50)));
    write('_posts/2021-03-02-e.md', post('E', '2021-03-02', '短'));
    await update();
    const similar = (p: string) => withStore((s) => (s.similar(p, true) ?? []).map((v) => v.path));
    expect(similar('_posts/2021-01-02-y.md').sort()).toEqual(['_posts/2021-01-01-x.md', '_posts/2021-01-03-z.md']);
    expect(similar('_posts/2021-01-01-x.md')).toEqual(['_posts/2021-01-02-y.md']);
    expect(storedGroups()).toEqual(similarGroups());
    expect(groupOf('_posts/2021-01-01-x.md')).toEqual(['_posts/2021-01-01-x.md', '_posts/2021-01-02-y.md', '_posts/2021-01-03-z.md']);
    expect(groupOf('_posts/2021-02-01-a.md')).toHaveLength(2);
    expect(groupOf('_posts/2021-02-03-c.md')).toEqual(['_posts/2021-02-03-c.md']);

    // The middle of the chain deleted: X and Z are stories of their own.
    fs.rmSync(path.join(root, '_posts/2021-01-02-y.md'));
    await update();
    expect(storedGroups()).toEqual(similarGroups());
    expect(groupOf('_posts/2021-01-01-x.md')).toEqual(['_posts/2021-01-01-x.md']);
    expect(groupOf('_posts/2021-01-03-z.md')).toEqual(['_posts/2021-01-03-z.md']);

    // Back again (a new post): it joins both into one story.
    write('_posts/2021-01-02-y.md', post('Y', '2021-01-02', text(3, 13)));
    await update(['_posts/2021-01-02-y.md']);
    expect(storedGroups()).toEqual(similarGroups());
    expect(groupOf('_posts/2021-01-03-z.md')).toHaveLength(3);

    // D rewritten into a reprint of A (same path, same id): it moves from alone into A's story; then back out.
    write('_posts/2021-03-01-d.md', post('D', '2021-03-01', text(20, 30)));
    await update(['_posts/2021-03-01-d.md']);
    expect(storedGroups()).toEqual(similarGroups());
    expect(groupOf('_posts/2021-03-01-d.md')).toHaveLength(3);
    write('_posts/2021-03-01-d.md', post('D', '2021-03-10', text(40, 50)));
    await update(['_posts/2021-03-01-d.md']);
    expect(storedGroups()).toEqual(similarGroups());
    expect(groupOf('_posts/2021-03-01-d.md')).toEqual(['_posts/2021-03-01-d.md']);

    // Two of the clique deleted at once: the last one is alone, with no row left behind.
    fs.rmSync(path.join(root, '_posts/2021-02-01-a.md'));
    fs.rmSync(path.join(root, '_posts/2021-02-02-b.md'));
    await update();
    expect(storedGroups()).toEqual(similarGroups());
    expect(groupOf('_posts/2021-02-03-c.md')).toEqual(['_posts/2021-02-03-c.md']);
  });

  it('story rows follow posts whose ids move (a crowded minute)', async () => {
    // 40 posts in the last minute of a day (16 ids a minute): ids move to make room, during the build and when
    // posts of the minute before arrive. Posts 2k and 2k+1 are versions of one story.
    for (let i = 0; i < 40; i++) write(`_posts/crowd/2021-05-05-p${i}.md`, post(`P${i}`, '2021-05-05 23:59:00', text(60 + (i >> 1) * 3, 70 + (i >> 1) * 3)));
    await update();
    for (let i = 0; i < 20; i++) write(`_posts/crowd/2021-05-05-q${i}.md`, post(`Q${i}`, '2021-05-05 23:58:00', text(120 + i * 11, 130 + i * 11)));
    await update();
    expect(storedGroups()).toEqual(similarGroups());
    const p0 = groupOf('_posts/crowd/2021-05-05-p0.md');
    expect(p0).toContain('_posts/crowd/2021-05-05-p1.md');
  });

  it('the collapsed list has one row per story of the result, with its other versions counted', () => {
    withStore((store) => {
      let collapsedSome = false;
      for (const q of [{}, { includeHidden: true }, { query: '2021' }, { includeHidden: true, sort: 'oldest' as const }]) {
        const order = store.listOrder({ ...q, sort: q.sort ?? 'date' }).paths;
        const all = store.listOrder({ includeHidden: true, sort: 'date' }).paths;
        // Stories over the visible posts (a hidden post alone), counted among the result's posts.
        const visible = new Set(store.listOrder({ sort: 'date' }).paths);
        const groups = components(all, (p) => (visible.has(p) ? (store.similar(p) ?? []).map((s) => s.path) : []));
        const storyOfPath = new Map(groups.flatMap((g, i) => g.map((p) => [p, i] as const)));
        const expected = new Set(order.map((p) => storyOfPath.get(p)));
        const rows = [];
        for (let offset = 0; ; offset += 7) {
          const page = store.list({ ...q, sort: q.sort ?? 'date', collapse: true, offset, limit: 7 });
          expect(page.total).toBe(expected.size);
          rows.push(...page.items);
          if (page.items.length < 7) break;
        }
        expect(rows).toHaveLength(expected.size);
        expect(new Set(rows.map((r) => storyOfPath.get(r.path))).size).toBe(expected.size);
        for (const row of rows) {
          const inResult = order.filter((p) => storyOfPath.get(p) === storyOfPath.get(row.path));
          // The story's first post in the list's order stands for it.
          expect(row.path).toBe(inResult[0]);
          // "+N" is what a click shows: its post's other versions (getSimilar) within the result.
          const shown = (store.similar(row.path, q.includeHidden === true) ?? []).filter((s) => order.includes(s.path));
          expect(row.versions).toBe(shown.length);
        }
        expect(rows.some((r) => (r.versions ?? 0) > 0)).toBe(expected.size < order.length);
        collapsedSome ||= expected.size < order.length;
      }
      expect(collapsedSome).toBe(true);
    });
  });

  it('an index of schema v5 gets its stories in the migration, without a rebuild', () => {
    const before = storedGroups();
    const db = new Database(file);
    db.exec('DROP TABLE post_story; DROP INDEX posts_hash; PRAGMA user_version = 5;');
    const parser = db.prepare("SELECT value FROM meta WHERE key = 'parser_version'").pluck().get();
    db.close();
    IndexStore.open(file).close();
    expect(storedGroups()).toEqual(before);
    const after = new Database(file, { readonly: true });
    try {
      expect(after.prepare("SELECT value FROM meta WHERE key = 'parser_version'").pluck().get()).toBe(parser);
      expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      after.close();
    }
  });
});

describe('stories on one very busy day', () => {
  // As in similar-widen.test.ts: more posts in one day than its ids hold, so write.ts widenIds renumbers every post
  // in the middle of a write transaction. Every 100th post has a text (one of 50 stories, so posts 100k apart by
  // 5,000 are versions of each other); the others are too short to have versions.
  const storyText = (s: number): string => syntheticPost(9, 2000 + s).content.replace(/^---\n[\s\S]*?\n---\n/, '');
  const bodyOf = (i: number): string => (i % 100 === 0 ? storyText((i / 100) % 50) : `短讯${i}`);

  it('keep every post in its story when the ids are widened mid-transaction', () => {
    const file = path.join(tempDir('backfile-story-widen-'), 'index.sqlite');
    const store = IndexStore.open(file);
    const N = 23_100;
    try {
      const spanBefore = store.getMeta('id_span');
      for (let from = 0; from < N; from += 2000) {
        store.applyBatch(batchOf(Array.from({ length: Math.min(2000, N - from) }, (_, k) => textPost(`p${from + k}`, minuteOf(from + k), bodyOf(from + k)))));
      }
      expect(store.getMeta('id_span')).not.toBe(spanBefore);
      const signed = Array.from({ length: N / 100 + 1 }, (_, k) => `_posts/p${k * 100}.md`).filter((p) => store.getPost(p));
      expect(signed).toHaveLength(231);
      const expected = components(signed, (p) => (store.similar(p, true) ?? []).map((v) => v.path));
      expect(expected.length).toBeLessThanOrEqual(50);
      const db = new Database(file, { readonly: true });
      try {
        const rows = db.prepare('SELECT p.path, s.story FROM post_story s JOIN posts p ON p.id = s.id').all() as { path: string; story: number }[];
        expect(db.prepare('SELECT count(*) FROM post_story').pluck().get()).toBe(rows.length);
        const byStory = new Map<number, string[]>();
        for (const r of rows) byStory.set(r.story, [...(byStory.get(r.story) ?? []), r.path]);
        const stored = [...byStory.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
        expect(stored).toEqual(expected.filter((g) => g.length > 1));
      } finally {
        db.close();
      }
    } finally {
      store.close();
    }
  }, 300_000);
});
