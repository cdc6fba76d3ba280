/**
 * Property tests against real FTS5: a CJK query finds exactly the posts whose title or body contains it
 * as a substring, and FTS5's own tokenizer sees exactly the tokens core/tokenize.ts produced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenize } from '../../src-main/core/tokenize';
import type { ParsedPost } from '../../src-main/core/types';
import { IndexStore } from '../../src-main/node/index/store';

// A small alphabet so that substrings recur across posts: Han, Extension A, Extension B (a surrogate pair),
// a compatibility ideograph (U+F900, which NFKC turns into U+8C48, also present), kana with ー, hangul.
const CJK = ['中', '国', '钢', '铁', '铁', '国', '㐀', '𠀀', '\uF900', '\u8C48', 'カ', 'ー', '한', '々'];
const SEPARATORS = [' ', '，', 'a', '1', '\n', '。', '“'];
const cjkString = (min: number, max: number) =>
  fc.array(fc.constantFrom(...CJK), { minLength: min, maxLength: max }).map((cs) => cs.join(''));
const text = fc.array(fc.constantFrom(...CJK, ...CJK, ...SEPARATORS), { maxLength: 24 }).map((cs) => cs.join(''));
const doc = fc.record({ title: text, body: text });

function post(path: string, title: string, body: string): ParsedPost {
  return {
    path, title, date: null, year: null, month: null, categories: [], tags: [], published: true, draft: false,
    format: 'markdown', meta: {}, body, html: '', text: body, hasRemoteContent: false, excerpt: '', source: null, encoding: 'utf-8', problems: [],
  };
}

let dir: string;
let store: IndexStore;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'backfile-substring-'));
  store = IndexStore.open(join(dir, 'index.sqlite'));
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CJK search agrees with substring search', () => {
  it('for random posts and queries of 1 to 6 characters taken from them or made up', () => {
    let previous: string[] = [];
    const property = fc.property(
      fc.array(doc, { minLength: 1, maxLength: 8 }),
      fc.nat(), fc.nat(), fc.integer({ min: 1, max: 6 }), cjkString(1, 4), fc.boolean(),
      (docs, pick, start, length, madeUp, useMadeUp) => {
        // A query cut from one of the posts, when it is pure CJK; otherwise a made-up one.
        const source = docs[pick % docs.length]!;
        const chars = Array.from(pick % 2 === 0 ? source.title : source.body);
        const from = chars.length > 0 ? start % chars.length : 0;
        const cut = chars.slice(from, from + length).join('');
        const query = useMadeUp || cut === '' || !cut.split('').every((c) => CJK.join('').includes(c)) ? madeUp : cut;

        const paths = docs.map((_, i) => `_posts/p${i}.md`);
        store.applyBatch({
          deletions: previous.filter((p) => !paths.includes(p)),
          failures: [],
          upserts: docs.map((d, i) => ({ post: post(paths[i]!, d.title, d.body), size: 1, mtimeMs: 1, hash: null })),
        });
        previous = paths;

        const needle = query.normalize('NFKC');
        const expected = docs.flatMap((d, i) => (`${d.title}\n${d.body}`.normalize('NFKC').includes(needle) ? [paths[i]!] : []));
        const found = store.list({ query, limit: 500, includeHidden: true, sort: 'date' }).items.map((h) => h.path);
        expect(found.sort()).toEqual(expected.sort());
      },
    );
    fc.assert(property, { numRuns: 400 });
  });
});

describe('FTS5 sees exactly our tokens', () => {
  it('the index table\'s unicode61 neither splits nor merges what tokenize produced', () => {
    // A second connection to the same file reads the real posts_fts through a temporary fts5vocab table.
    const db = new Database(join(dir, 'index.sqlite'));
    db.exec("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, posts_fts, 'instance')");
    const read = db.prepare("SELECT term FROM temp.v WHERE doc = (SELECT id FROM posts WHERE path = ?) AND col = 'body' ORDER BY offset").pluck();
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
      store.applyBatch({ upserts: [{ post: post('_posts/vocab.md', '', s), size: 1, mtimeMs: 1, hash: null }], failures: [], deletions: [] });
      expect(read.all('_posts/vocab.md')).toEqual(tokenize(s));
    }), { numRuns: 1000 });
    db.close();
  });
});
