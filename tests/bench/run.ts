/**
 * The indexing benchmark (DRAFT — the lead owns the final version; see TODO(lead) markers).
 *
 *   npm run bench -- [--posts 100000] [--seed 42] [--dir /tmp/backfile-bench] [--keep] [--skip-lunr]
 *
 * 1. generates a synthetic archive (generate-archive.ts),
 * 2. full index with the real indexer thread: time, CPU, peak RSS, index size,
 * 3. searches for the planted query words: time and hit counts against the known counts,
 * 4. a re-run with nothing changed, then 100 changed + 100 added + 100 deleted posts: incremental time,
 * 5. the lunr baseline with the same tokens, in a fresh process (lunr-baseline.ts).
 * Prints one JSON report and writes it to test-output/bench-<posts>.json.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runIndexer } from '../../src-main/node/indexer';
import { IndexStore } from '../../src-main/node/index-store';
import { writePostsFile } from './collect-posts';
import { generateArchive } from './generate-archive';
import { measureLunrInChild } from './lunr-baseline';
import { mutateArchive } from './mutate-archive';
import { QUERY_WORDS } from './query-words';

const { values: args } = parseArgs({
  options: {
    posts: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '42' },
    dir: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'skip-lunr': { type: 'boolean', default: false },
  },
});
const posts = Number(args.posts);
const seed = Number(args.seed);
const work = path.resolve(args.dir ?? path.join(os.tmpdir(), `backfile-bench-${posts}`));
const archive = path.join(work, 'archive');
const indexFile = path.join(work, 'index', 'backfile.sqlite');
const MB = 1024 * 1024;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** Wall time, CPU time (all threads) and the peak resident set while `run` works (sampled every 50 ms). */
async function measure<T>(run: () => Promise<T>): Promise<{ result: T; ms: number; cpuMs: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    const result = await run();
    const used = process.cpuUsage(cpu);
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, ms: Math.round(performance.now() - started), cpuMs: Math.round((used.user + used.system) / 1000), peakRssMb: round1(peak / MB) };
  } finally {
    clearInterval(sampler);
  }
}

async function sizeOf(file: string): Promise<number> {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) total += (await fs.stat(file + suffix).catch(() => null))?.size ?? 0;
  return total;
}

const index = () => runIndexer({ root: archive, indexFile }).done;

await fs.rm(work, { recursive: true, force: true });
await fs.mkdir(path.dirname(indexFile), { recursive: true });
const report: Record<string, unknown> = { posts, seed, node: process.version, cpus: os.cpus().length };

const generated = await measure(() => generateArchive(archive, posts, seed));
report.generate = { ms: generated.ms, files: generated.result.files, megabytes: round1(generated.result.bytes / MB) };
console.error(`generated ${posts} posts (${round1(generated.result.bytes / MB)} MB) in ${generated.ms} ms`);

const full = await measure(index);
report.fullIndex = { ...full.result, wallMs: full.ms, cpuMs: full.cpuMs, peakRssMb: full.peakRssMb, indexMb: round1((await sizeOf(indexFile)) / MB) };
console.error(`full index: ${full.ms} ms, peak RSS ${full.peakRssMb} MB`);

// TODO(lead): decide whether the benchmark should time list() (search + snippets for one page) or a leaner count.
const store = IndexStore.open(indexFile, { readonly: true });
try {
  report.queries = QUERY_WORDS.map(({ word }) => {
    const expected = generated.result.queryCounts[word] ?? 0;
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      total = store.list({ query: word, limit: 50 }).total;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { word, expected, total, ok: total === expected, medianMs: round1(times[2] ?? 0), firstMs: round1(times[0] ?? 0) };
  });
} finally {
  store.close();
}

const noop = await measure(index);
report.unchangedRerun = { ...noop.result, wallMs: noop.ms, peakRssMb: noop.peakRssMb };

const mutation = await mutateArchive(archive, { change: 100, add: 100, delete: 100 }, seed + 1);
const incremental = await measure(index);
report.incremental = {
  ...incremental.result,
  wallMs: incremental.ms,
  peakRssMb: incremental.peakRssMb,
  ok: incremental.result.updated === mutation.changed.length + mutation.added.length && incremental.result.deleted === mutation.deleted.length,
};
console.error(`incremental: ${incremental.ms} ms`);

if (!args['skip-lunr']) {
  // TODO(lead): at 100,000 posts lunr needs roughly 15 GB of heap and a quarter of an hour (linear from 2k/10k);
  // measuring it at a smaller N (e.g. --posts 10000) and extrapolating may be the practical choice.
  const postsFile = path.join(work, 'posts.jsonl');
  const collected = await writePostsFile(archive, postsFile);
  try {
    report.lunr = { collectMs: collected.ms, ...(await measureLunrInChild(postsFile)) };
  } catch (error) {
    report.lunr = { collectMs: collected.ms, error: error instanceof Error ? error.message : String(error) };
  }
}

const out = path.resolve('test-output', `bench-${posts}.json`);
await fs.mkdir(path.dirname(out), { recursive: true });
await fs.writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
if (!args.keep) await fs.rm(work, { recursive: true, force: true });
