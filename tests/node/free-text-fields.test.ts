import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedPost } from '../../src-main/core/types';
import { IndexStore, type IndexBatch } from '../../src-main/node/index/store';
import { ID_SPAN } from '../../src-main/node/index/list';
import { updateIndex } from '../../src-main/node/index/update';
import { tempDir } from '../helpers/temp';

/**
 * Free text also matches tags, category names and the `description`/`excerpt` front matter (issue 11 item 7),
 * weighted below the title and above the body; `title:` and `tag:` stay what they were. Real files, real parser,
 * real SQLite.
 */
const POSTS: Record<string, string> = {
  // Tagged MeToo; the body never says it.
  '_posts/2018-01-10-tagged.md': '---\ntitle: 好莱坞风波\ntags: [MeToo, 娱乐]\n---\n制片人被多名女演员指控。\n',
  // The word only in the description.
  '_posts/2018-01-11-described.md': '---\ntitle: 校园调查\ndescription: 学生发起 MeToo 联署\n---\n大学成立了调查小组。\n',
  // The word in the excerpt front matter only.
  '_posts/2018-01-12-excerpted.md': '---\ntitle: 出版业\nexcerpt: 编辑谈 MeToo\n---\n出版社回应。\n',
  // The word in the body only.
  '_posts/2018-01-13-body.md': '---\ntitle: 一周综述\n---\n本周 MeToo 运动继续发酵。\n',
  // The word in the title only.
  '_posts/2018-01-09-title.md': '---\ntitle: MeToo 一年后\n---\n回顾与展望。\n',
  // A category name only (folder categories and front matter alike).
  '_posts/2018-01-14-category.md': '---\ntitle: 专题\ncategories: [MeToo专栏]\n---\n读者来信。\n',
  // Nothing.
  '_posts/2018-01-15-none.md': '---\ntitle: 天气\ntags: [气象]\n---\n明天有雨。\n',
};

let dir: string;
let store: IndexStore;
const paths = (query: string, sort?: 'date'): string[] =>
  store.list({ query, limit: 100, ...(sort ? { sort } : {}) }).items.map((h) => path.basename(h.path, '.md').slice(11));

beforeAll(async () => {
  dir = tempDir('backfile-free-text-');
  const archive = path.join(dir, 'archive');
  for (const [rel, text] of Object.entries(POSTS)) {
    fs.mkdirSync(path.dirname(path.join(archive, rel)), { recursive: true });
    fs.writeFileSync(path.join(archive, rel), text);
  }
  store = IndexStore.open(path.join(dir, 'index.sqlite'));
  await updateIndex(store, archive);
});
afterAll(() => store.close());

describe('free text', () => {
  it('finds a post by its tag, description, excerpt front matter and category name, not only by title and body', () => {
    expect(new Set(paths('MeToo'))).toEqual(new Set(['tagged', 'described', 'excerpted', 'body', 'title', 'category']));
    expect(paths('metoo', 'date')).toEqual(['category', 'body', 'excerpted', 'described', 'tagged', 'title']);
    expect(paths('MeToo专栏')).toEqual(['category']);
    expect(paths('专栏')).toEqual(['category']);
    expect(paths('联署')).toEqual(['described']);
    expect(paths('娱乐')).toEqual(['tagged']);
  });

  it('ranks title above tags and description, and those above body', () => {
    const ranked = paths('MeToo');
    expect(ranked[0]).toBe('title');
    expect(ranked.at(-1)).toBe('body');
    expect(new Set(ranked.slice(1, -1))).toEqual(new Set(['tagged', 'described', 'excerpted', 'category']));
  });

  it('excludes a post by its tag or description too', () => {
    expect(paths('制片人 -MeToo')).toEqual([]);
    expect(paths('调查 -联署')).toEqual([]);
  });

  it('keeps title: to the title and tag: to the tags', () => {
    expect(paths('title:MeToo')).toEqual(['title']);
    expect(paths('tag:MeToo')).toEqual(['tagged']);
    expect(paths('title:联署')).toEqual([]);
    expect(paths('tag:联署')).toEqual([]);
  });

  it('shows the body text as the snippet of a post found only by its tag', () => {
    const hit = store.list({ query: 'MeToo tag:娱乐' }).items[0]!;
    expect(hit.snippet).toContain('制片人被多名女演员指控');
  });
});

describe('a post moved to another id (write.ts moveId)', () => {
  const post = (n: string, extra: Partial<ParsedPost> = {}): ParsedPost => ({
    path: `_posts/${n}.md`, title: `title ${n}`, date: '2020-01-15', year: 2020, month: 1, categories: ['c'], tags: [],
    published: true, draft: false, format: 'markdown', meta: {}, body: 'text', html: '', text: 'text', hasRemoteContent: false,
    excerpt: 'text', source: null, encoding: 'utf-8', problems: [], ...extra,
  });
  const batch = (posts: ParsedPost[]): IndexBatch =>
    ({ upserts: posts.map((p) => ({ post: p, size: 1, mtimeMs: 1, hash: null })), failures: [], deletions: [] });

  it('keeps its tags, categories and description searchable', () => {
    const file = path.join(tempDir('backfile-free-text-move-'), 'index.sqlite');
    const moved = IndexStore.open(file);
    const idOf = (): number => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare("SELECT id FROM posts WHERE path = '_posts/m0.md'").pluck().get() as number;
      } finally {
        db.close();
      }
    };
    try {
      // A full minute, then the post at the next minute; one more post in the full minute moves it up (makeRoom),
      // and its FTS5 row is written again from what the posts table holds.
      moved.applyBatch(batch([
        ...Array.from({ length: ID_SPAN }, (_, i) => post(`f${i}`)),
        post('m0', { date: '2020-01-15T00:01', tags: ['zebratag'], categories: ['okapicat'], meta: { description: 'lemurdesc' } }),
      ]));
      const before = idOf();
      moved.applyBatch(batch([post('extra')]));
      expect(idOf()).not.toBe(before);
      for (const word of ['zebratag', 'okapicat', 'lemurdesc']) {
        expect(moved.list({ query: word }).items.map((h) => h.path), word).toEqual(['_posts/m0.md']);
      }
    } finally {
      moved.close();
    }
  });
});
