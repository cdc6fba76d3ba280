/**
 * Writes a reproducible synthetic archive of Chinese news posts for the indexing benchmark.
 * Same `posts` and `seed`, same bytes: each post has its own PRNG stream (see prng.ts).
 * Corpus `synthetic` (the default): sentences from templates (synthetic-post.ts); `real`: the shared corpora's
 * real paragraphs recombined (real-text-post.ts).
 *
 * Run directly: `npx tsx tests/bench/generate-archive.ts <dir> [posts=2000] [seed=42] [synthetic|real]`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { QUERY_WORDS } from './query-words';
import { loadRealText } from './real-paragraphs';
import { realTextPost } from './real-text-post';
import { syntheticPost, type SyntheticPost } from './synthetic-post';

export type Corpus = 'synthetic' | 'real';
export const CORPORA: readonly Corpus[] = ['synthetic', 'real'];

/** Post `index` of `seed` in the given corpus. */
export function postMaker(corpus: Corpus): (seed: number, index: number) => SyntheticPost {
  if (corpus === 'synthetic') return syntheticPost;
  const text = loadRealText();
  return (seed, index) => realTextPost(text, seed, index);
}

export interface GeneratedArchive {
  files: number;
  bytes: number;
  /** How many posts contain each planted query word (title or body), counted on the text written. */
  queryCounts: Record<string, number>;
}

/** Enough writes in flight to keep the disk busy without hundreds of open files. */
const CONCURRENCY = 16;

export async function generateArchive(dir: string, posts: number, seed = 42, corpus: Corpus = 'synthetic'): Promise<GeneratedArchive> {
  await fs.mkdir(dir, { recursive: true });
  const makePost = postMaker(corpus);
  const folders = new Map<string, Promise<unknown>>();
  const folder = (relPath: string) => {
    const dirname = path.join(dir, path.dirname(relPath));
    if (!folders.has(dirname)) folders.set(dirname, fs.mkdir(dirname, { recursive: true }));
    return folders.get(dirname);
  };
  const queryCounts = Object.fromEntries(QUERY_WORDS.map((q) => [q.word, 0]));
  let bytes = 0;
  let next = 0;
  const writer = async () => {
    while (next < posts) {
      const post = makePost(seed, next++);
      for (const q of QUERY_WORDS) if (post.searchable.includes(q.word)) queryCounts[q.word] = (queryCounts[q.word] ?? 0) + 1;
      const data = Buffer.from(post.content);
      bytes += data.length;
      await folder(post.relPath);
      await fs.writeFile(path.join(dir, post.relPath), data);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, writer));
  return { files: posts, bytes, queryCounts };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, count = '2000', seed = '42', corpus = 'synthetic'] = process.argv.slice(2);
  if (!dir || !CORPORA.includes(corpus as Corpus)) {
    console.error('usage: tsx tests/bench/generate-archive.ts <dir> [posts] [seed] [synthetic|real]');
    process.exit(2);
  }
  const started = performance.now();
  const result = await generateArchive(path.resolve(dir), Number(count), Number(seed), corpus as Corpus);
  const ms = Math.round(performance.now() - started);
  console.log(JSON.stringify({ ...result, megabytes: +(result.bytes / 2 ** 20).toFixed(1), ms }, null, 2));
}
