/**
 * Posts written straight into an IndexStore (no files, no parser): the fixture builders the similarity and story
 * tests share (other versions, stories, the story pass, ids widened in a busy day).
 */
import type { ParsedPost } from '../../src-main/core/types';
import type { IndexBatch } from '../../src-main/node/index/store';
import { postFtsText } from '../../src-main/node/index/write';

/** `_posts/NAME.md`, titled NAME, with `text` as its body and text, no categories or tags; a draft or unpublished when asked. */
export function textPost(name: string, date: string, text: string, hidden: { draft?: boolean; published?: boolean } = {}): ParsedPost {
  return {
    path: `_posts/${name}.md`, title: name, date, year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), categories: [], tags: [],
    published: hidden.published ?? true, draft: hidden.draft ?? false, format: 'markdown', meta: {}, body: text, html: '', text,
    hasRemoteContent: false, excerpt: '', source: null, encoding: 'utf-8', problems: [],
  } as unknown as ParsedPost;
}

/** One write of `posts` for IndexStore.applyBatch, as updateIndex makes it (no failures, no deletions). */
export const batchOf = (posts: ParsedPost[]): IndexBatch => ({
  upserts: posts.map((p) => ({ post: p, size: 1, mtimeMs: 1, hash: null, fts: postFtsText(p) })),
  failures: [],
  deletions: [],
});

/** Seeded text: `n` sentences of 30 CJK characters, one a line (a linear congruential generator, seeded per text). */
export function seededCjk(seed: number, n: number): string {
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(Array.from({ length: 30 }, () => String.fromCharCode(0x4e00 + Math.floor(next() * 8000))).join('') + '。');
  return lines.join('\n');
}

/** Post i's time on 2021-06-01: spread over the day's minutes, so the day fills (each minute's ids) before any minute overflows. */
export const minuteOf = (i: number): string => `2021-06-01T${String(Math.floor((i % 1440) / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
