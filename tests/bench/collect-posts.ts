/**
 * Reads an archive the way the indexer does (scan, then parsePost) and writes each post's title and plain text
 * as one JSON line, so a baseline index in another process sees exactly the text Backfile indexes.
 * Streams: the parent never holds the whole archive's text.
 */
import fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { parsePost } from '../../src-main/core/parse-post';
import { scanArchive } from '../../src-main/node/index/scan';
import type { ParsedPost } from '../../src-main/core/types';
import type { LunrPost } from './lunr-baseline';

/** `each`, when given, also sees every parsed post whole (compare.ts writes Pagefind's pages from them). */
export async function writePostsFile(root: string, file: string, each?: (post: ParsedPost, n: number) => void): Promise<{ posts: number; ms: number }> {
  const started = performance.now();
  const scan = await scanArchive(root);
  const out = fs.createWriteStream(file);
  let posts = 0;
  for (const entry of scan.files) {
    const parsed = parsePost(entry.relPath, await readFile(entry.absPath), entry.location);
    each?.(parsed, posts);
    // `post`: what Backfile's index stores of it (store-child.ts); lunr reads only id, title and text.
    const post = { ...parsed, body: '', html: '', meta: {} };
    const line: LunrPost & { post: typeof post; size: number } = { id: parsed.path, title: parsed.title, text: parsed.text, post, size: entry.size };
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
    posts++;
  }
  out.end();
  await once(out, 'finish');
  return { posts, ms: Math.round(performance.now() - started) };
}

/** Reads a file written by writePostsFile (JSON lines), or a plain JSON array of posts. */
export function readPostsFile(file: string): LunrPost[] {
  const text = fs.readFileSync(file, 'utf8');
  if (text.trimStart().startsWith('[')) return JSON.parse(text) as LunrPost[];
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as LunrPost);
}
