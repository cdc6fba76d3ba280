/**
 * Stories against the two ways a template misled the collapsed list (reviewer rv3), and what a story look-up reads:
 * - a hidden draft that is a version of two published posts does not make them one story (stories are over
 *   visible posts only: core/similarity/versions.ts storyEdges);
 * - "+N" on a collapsed row is what a click on it shows: getSimilar of the row's post within the result, on an
 *   archive of posts chained through templates (a = X+T, b = T, c = Y+T);
 * - a template's bucket of hundreds of posts is read no further than STORY_BUCKET_READ ids, in the prefetch and
 *   when a deleted post's story is checked (counted rows and signature reads, not time).
 */
import path from 'node:path';
import Database, { type Statement } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { STORY_BUCKET_READ, VersionLookup } from '../../src-main/node/index/similar';
import { IndexStore } from '../../src-main/node/index/store';
import { StoryChanges } from '../../src-main/node/index/story';
import { batchOf, seededCjk, textPost } from '../helpers/parsed-posts';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('backfile-story-templates-');

/** Every collapsed row's "+N" equals getSimilar of its post (same hidden rule) restricted to the result. */
function expectCountsAsShown(store: IndexStore, queries: { includeHidden?: boolean; query?: string }[]): number {
  let badged = 0;
  for (const q of queries) {
    const result = new Set(store.listOrder({ ...q, sort: 'date' }).paths);
    const rows = store.list({ ...q, sort: 'date', collapse: true, limit: 1000 }).items;
    for (const row of rows) {
      const shown = (store.similar(row.path, q.includeHidden === true) ?? []).filter((s) => result.has(s.path));
      expect({ path: row.path, versions: row.versions }).toEqual({ path: row.path, versions: shown.length });
      if (shown.length > 0) badged += 1;
    }
  }
  return badged;
}

describe('stories and templates', () => {
  const X = seededCjk(1, 20), Y = seededCjk(2, 20), T = seededCjk(3, 14), X2 = seededCjk(4, 14), Y2 = seededCjk(5, 14), T2 = seededCjk(6, 13);

  it('a hidden draft between two published posts does not make them one story', () => {
    const store = IndexStore.open(path.join(tmp, 'draft.sqlite'));
    try {
      store.applyBatch(batchOf([
        textPost('2020-02-01-a2', '2020-02-01', `${X2}\n${T2}`), textPost('draft-b2', '2020-02-02', T2, { draft: true }), textPost('2020-02-03-c2', '2020-02-03', `${Y2}\n${T2}`),
      ]));
      // The draft is a version of both; they are not versions of each other.
      expect(store.similar('_posts/draft-b2.md')?.map((s) => s.path).sort()).toEqual(['_posts/2020-02-01-a2.md', '_posts/2020-02-03-c2.md']);
      expect(store.similar('_posts/2020-02-01-a2.md')).toEqual([]);
      // The default list (drafts hidden): two rows, no "+1 versions" whose click would show nothing.
      const rows = store.list({ sort: 'date', collapse: true }).items;
      expect(rows.map((r) => [r.path, r.versions])).toEqual([['_posts/2020-02-03-c2.md', 0], ['_posts/2020-02-01-a2.md', 0]]);
      expect(store.list({ sort: 'date', collapse: true, includeHidden: true }).total).toBe(3);
      expectCountsAsShown(store, [{}, { includeHidden: true }]);
    } finally {
      store.close();
    }
  });

  it('an index of schema v6, whose stories held hidden posts, gets them made again on open', () => {
    const file = path.join(tmp, 'draft.sqlite');
    const db = new Database(file);
    // As v6 kept them: the draft linked a2 and c2 into one story.
    db.exec('DELETE FROM post_story; INSERT INTO post_story (id, story) SELECT id, 1 FROM posts; PRAGMA user_version = 6;');
    db.close();
    const store = IndexStore.open(file);
    try {
      expect(store.list({ sort: 'date', collapse: true }).total).toBe(2);
    } finally {
      store.close();
    }
    const after = new Database(file, { readonly: true });
    try {
      expect(after.prepare('SELECT count(*) FROM post_story').pluck().get()).toBe(0);
    } finally {
      after.close();
    }
  });

  it('"+N" on every collapsed row is what its click shows, on posts chained through templates', () => {
    const store = IndexStore.open(path.join(tmp, 'chain.sqlite'));
    try {
      const posts = [
        textPost('2020-01-01-a', '2020-01-01', `${X}\n${T}`), textPost('2020-01-02-b', '2020-01-02', T), textPost('2020-01-03-c', '2020-01-03', `${Y}\n${T}`),
      ];
      // A seeded archive around it: three templates, each reused by a few posts with their own news before it,
      // reprints (the same text twice), and posts alone.
      for (let t = 0; t < 3; t++) {
        const template = seededCjk(100 + t, 12);
        for (let i = 0; i < 4; i++) posts.push(textPost(`2020-03-${String(t * 5 + i + 1).padStart(2, '0')}-t${t}-${i}`, `2020-03-${String(t * 5 + i + 1).padStart(2, '0')}`, `${seededCjk(200 + t * 10 + i, 8 + 4 * (i % 3))}\n${template}`));
        posts.push(textPost(`2020-04-0${t + 1}-bare${t}`, `2020-04-0${t + 1}`, template, { draft: t === 1 }));
      }
      for (let i = 0; i < 4; i++) {
        const news = seededCjk(300 + i, 12);
        posts.push(textPost(`2020-05-0${i + 1}-r${i}`, `2020-05-0${i + 1}`, news), textPost(`2020-05-1${i + 1}-r${i}-again`, `2020-05-1${i + 1}`, `转载。\n${news}`));
        posts.push(textPost(`2020-06-0${i + 1}-alone${i}`, `2020-06-0${i + 1}`, seededCjk(400 + i, 12)));
      }
      store.applyBatch(batchOf(posts));
      // a, b, c: one story (b links them); c stands for it and shows the one version a click on it lists (b).
      expect(store.similar('_posts/2020-01-03-c.md')?.map((s) => s.path)).toEqual(['_posts/2020-01-02-b.md']);
      const abc = store.list({ sort: 'date', collapse: true, query: '', limit: 1000 }).items.filter((r) => r.path.startsWith('_posts/2020-01-'));
      expect(abc.map((r) => [r.path, r.versions])).toEqual([['_posts/2020-01-03-c.md', 1]]);
      const badged = expectCountsAsShown(store, [{}, { includeHidden: true }]);
      expect(badged).toBeGreaterThan(4);
    } finally {
      store.close();
    }
  });

  describe('a template of hundreds of posts', () => {
    const file = path.join(tmp, 'template.sqlite');
    const N = 160;
    const template = seededCjk(500, 16);
    const store = IndexStore.open(file);
    // Each issue of the daily notice: the template with a line of its own figures.
    store.applyBatch(batchOf(Array.from({ length: N }, (_, i) => textPost(`2021-01-01-n${i}`, '2021-01-01', `${template}\n第${i}期：${seededCjk(600 + i, 1)}`))));
    store.close();

    /** better-sqlite3 statements that count the rows they give, by table read. */
    function countingSql(db: Database.Database): { sql: (text: string) => Statement; rows: { buckets: number; signatureQueries: number } } {
      const rows = { buckets: 0, signatureQueries: 0 };
      const cache = new Map<string, Statement>();
      const sql = (text: string): Statement => {
        let statement = cache.get(text);
        if (statement) return statement;
        const real = db.prepare(text);
        const proxy: Statement = new Proxy(real, {
          get(target, key) {
            const value = Reflect.get(target, key, target) as unknown;
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              const out = (value as (...a: unknown[]) => unknown).apply(target, args);
              if (out === target) return proxy;
              if (key === 'all' || key === 'get') {
                const n = key === 'all' ? (out as unknown[]).length : out === undefined ? 0 : 1;
                if (/FROM sig_buckets/.test(text) && !/count\(\*\)/.test(text)) rows.buckets += n;
                if (/FROM post_sig/.test(text) && /\bsig\b/.test(text.replace(/post_sig/g, ''))) rows.signatureQueries += 1;
              }
              return out;
            };
          },
        });
        cache.set(text, (statement = proxy));
        return statement;
      };
      return { sql, rows };
    }

    it('one post\'s look-up reads at most STORY_BUCKET_READ posts a bucket', () => {
      const db = new Database(file, { readonly: true });
      try {
        expect(db.prepare('SELECT count(*) FROM post_story').pluck().get()).toBe(N);
        const buckets = db.prepare('SELECT count(*) FROM (SELECT bucket FROM sig_buckets GROUP BY bucket HAVING count(*) > ?)').pluck().get(STORY_BUCKET_READ) as number;
        expect(buckets).toBeGreaterThan(10);
        const { sql, rows } = countingSql(db);
        const last = db.prepare('SELECT max(id) FROM post_sig').pluck().get() as number;
        const lookup = new VersionLookup(sql);
        lookup.prefetch([last]);
        expect(lookup.of(last).length).toBeGreaterThan(STORY_BUCKET_READ / 2);
        // 32 buckets a post at most: the first 64 of each, never the template's N.
        expect(rows.buckets).toBeLessThanOrEqual(32 * STORY_BUCKET_READ);
        expect(rows.buckets).toBeLessThan(buckets * N);
        // The members' signatures in one sorted read, not one query each.
        expect(rows.signatureQueries).toBeLessThanOrEqual(3);
      } finally {
        db.close();
      }
    });

    it('a deleted template post\'s story is checked with its members read at once and capped', () => {
      const db = new Database(file);
      const { sql, rows } = countingSql(db);
      try {
        db.transaction(() => {
          const first = db.prepare('SELECT min(id) FROM post_sig').pluck().get() as number;
          const changes = new StoryChanges();
          changes.removed(sql, first);
          // The post itself leaves its buckets too (write.ts does it before the flush).
          db.prepare('DELETE FROM sig_buckets WHERE id = ?').run(first);
          db.prepare('DELETE FROM post_sig WHERE id = ?').run(first);
          changes.flush(sql, new Set());
          // Still one story of the others.
          expect(db.prepare('SELECT count(DISTINCT story) FROM post_story').pluck().get()).toBe(1);
          expect(db.prepare('SELECT count(*) FROM post_story').pluck().get()).toBe(N - 1);
          throw new RollBack();
        })();
      } catch (e) {
        if (!(e instanceof RollBack)) throw e;
      } finally {
        db.close();
      }
      const distinct = (() => {
        const ro = new Database(file, { readonly: true });
        try {
          return ro.prepare('SELECT count(DISTINCT bucket) FROM sig_buckets').pluck().get() as number;
        } finally {
          ro.close();
        }
      })();
      expect(rows.buckets).toBeLessThanOrEqual(distinct * STORY_BUCKET_READ);
      // Signatures: a few reads of many ids, not one query per member.
      expect(rows.signatureQueries).toBeLessThan(20);
    });
  });
});

class RollBack extends Error {}
