/**
 * How long getFacets takes (issue 11 item 9): the trees' counts for a narrowed list, on a generated archive.
 * Builds the archive and its index once (kept under --dir for reruns), then times each query's facets (the
 * median of 7 calls, after one warm-up) and prints one line per query.
 *
 * Run: `npx tsx tests/bench/facets.ts --posts 20000 [--dir /tmp/backfile-facets-bench]`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { generateArchive } from './generate-archive';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const posts = Number(arg('posts', '20000'));
const dir = path.resolve(arg('dir', `/tmp/backfile-facets-bench-${posts}`));
const archive = path.join(dir, 'archive');
const indexFile = path.join(dir, 'index.sqlite');

if (!fs.existsSync(path.join(dir, 'ready'))) {
  fs.rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  await generateArchive(archive, posts, 42);
  const store = IndexStore.open(indexFile);
  await updateIndex(store, archive);
  store.close();
  fs.writeFileSync(path.join(dir, 'ready'), '');
  console.log(`built ${posts} posts and their index in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const store = IndexStore.open(indexFile, { readonly: true });
const tags = store.tags().filter((t) => t.name !== '');
const busiest = [...store.dates()].sort((a, b) => b.count - a.count)[0]!;
const [a, b] = [tags[0]!.name, tags[1]!.name];
const queries: [string, ListQuery][] = [
  ['archive-wide (no query)', {}],
  ['archive-wide, with hidden', { includeHidden: true }],
  [`one tag (${a})`, { tag: a }],
  [`a year (${busiest.year})`, { year: busiest.year }],
  ['two tags, AND', { tags: [a, b] }],
  ['two tags, OR', { tags: [a, b], tagMode: 'any' }],
  ['a word (市场)', { query: '市场' }],
  ['a word + a tag', { query: '市场', tag: a }],
];
for (const [label, q] of queries) {
  store.facets(q);
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    store.facets(q);
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  const total = store.list({ ...q, limit: 1 }).total;
  console.log(`${posts} posts | ${label.padEnd(30)} | ${String(total).padStart(6)} hits | facets ${times[3]!.toFixed(1)} ms (median of 7)`);
}
store.close();
