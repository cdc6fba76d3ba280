import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { IndexStore } from '../../src-main/node/index/store';
import { forTransfer, readAndParseOneSync, type ReadOutcome } from '../../src-main/node/index/read-post';
import { scanArchive } from '../../src-main/node/index/scan';
import { tempDir } from '../helpers/temp';
import { GOLDEN_ARCHIVES } from './fixtures/make-index-goldens';

/**
 * The list's excerpt is core excerptOf(the post's text), and the index keeps that text (post_text): posts.excerpt
 * is no longer written (42 MB of 100,000 synthetic posts, issue 16), and the reader makes the excerpt again from
 * the text it inflates for the snippet anyway. What a reader sees must not change.
 */
describe('excerpts made from the stored text', () => {
  it('are the parser\'s excerpts, in list pages and getPost, and posts.excerpt holds no copy', async () => {
    const root = tempDir('backfile-excerpt-');
    fs.mkdirSync(path.join(root, '_posts'));
    const write = (name: string, body: string) =>
      fs.writeFileSync(path.join(root, '_posts', `${name}.md`), `---\ntitle: ${name}\ndate: 2020-01-01 10:00:00\n---\n${body}\n`);
    write('2020-01-01-empty', '');
    write('2020-01-01-spaces', '   \n\n  \t ');
    write('2020-01-01-short', '央行  今日\n\n宣布 降息。');
    write('2020-01-01-long', `${'钢铁市场价格上涨，'.repeat(60)}\n\n${'word '.repeat(200)}`);
    write('2020-01-01-html', '<p>第一段 <b>加粗</b></p>\n\n<div>second   paragraph\twith tabs</div>');
    write('2020-01-01-astral', `${'𠀀𠀁'.repeat(100)} 尾`);
    const files = (await scanArchive(root)).files;
    const outcomes = files.map((f) => forTransfer(readAndParseOneSync(f)) as Extract<ReadOutcome, { kind: 'post' }>);
    const parsedExcerpt = new Map(outcomes.map((o) => [o.post.path, o.post.excerpt]));
    expect(parsedExcerpt.get('_posts/2020-01-01-long.md')!.endsWith('…')).toBe(true);

    const file = path.join(root, '.index.sqlite');
    const store = IndexStore.open(file);
    try {
      store.applyBatch({ upserts: outcomes, failures: [], deletions: [] });
      for (const query of ['', '钢铁', 'second']) {
        const items = store.list({ query, limit: 50 }).items;
        expect(items.length).toBeGreaterThan(0);
        for (const item of items) expect(item.excerpt, `${query} ${item.path}`).toBe(parsedExcerpt.get(item.path));
      }
      for (const [p, excerpt] of parsedExcerpt) expect(store.getPost(p)?.excerpt).toBe(excerpt);
    } finally {
      store.close();
    }
    const db = new Database(file);
    try {
      expect(db.prepare("SELECT count(*) FROM posts WHERE excerpt != ''").pluck().get()).toBe(0);
      // A file without stored excerpts carries schema 8: a Backfile of schema 7 or older (which reads posts.excerpt)
      // refuses it as made by a newer Backfile instead of listing every post with a blank excerpt.
      expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(8);
      // An index written before (schema 7) holds its excerpts in posts.excerpt: never read, so the step to 8 keeps
      // every post (no rebuild) and the excerpts are still the parser's.
      db.prepare("UPDATE posts SET excerpt = 'stored by an older writer'").run();
      db.pragma('user_version = 7');
    } finally {
      db.close();
    }
    const older = IndexStore.open(file);
    try {
      const items = older.list({ query: '', limit: 50 }).items;
      expect(items.length).toBe(parsedExcerpt.size);
      for (const item of items) expect(item.excerpt).toBe(parsedExcerpt.get(item.path));
    } finally {
      older.close();
    }
  });

  // Every post of the shared corpora and the edge archive: messy HTML, encodings, empty and huge bodies.
  for (const archive of GOLDEN_ARCHIVES) {
    it.skipIf(!fs.existsSync(archive.dir))(`are the parser's excerpts for every post of ${archive.name}`, async () => {
      const files = (await scanArchive(archive.dir)).files;
      const posts = files.map((f) => forTransfer(readAndParseOneSync(f))).filter((o): o is Extract<ReadOutcome, { kind: 'post' }> => o.kind === 'post');
      expect(posts.length).toBeGreaterThan(0);
      const store = IndexStore.open(path.join(tempDir('backfile-excerpt-corpus-'), 'index.sqlite'));
      try {
        store.applyBatch({ upserts: posts, failures: [], deletions: [] });
        const shown = new Map(store.list({ query: '', limit: posts.length, includeHidden: true }).items.map((i) => [i.path, i.excerpt]));
        expect(shown.size).toBe(posts.length);
        for (const o of posts) expect(shown.get(o.post.path), o.post.path).toBe(o.post.excerpt);
      } finally {
        store.close();
      }
    });
  }
});
