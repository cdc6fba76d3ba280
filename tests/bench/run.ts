/**
 * The performance benchmark (docs/BENCHMARKS.md explains every figure and records a run).
 *
 *   npm run bench -- [--posts 100000] [--json] [--seed 42] [--dir <folder>] [--keep] [--skip-lunr] [--threads N] [--from-source]
 *                    [--corpus synthetic|real] [--compare [--lunr-max-posts 20000]] [--store URL|auto [--pg-schema NAME]]
 *
 * --corpus real: the archive is the shared corpora's real paragraphs recombined (real-text-post.ts) instead of
 * template sentences; with --corpus, the figures also give the index-to-archive byte ratio.
 * --compare: instead of all this, Backfile's cold index beside a bare FTS5 table, lunr and Pagefind (compare.ts).
 * --store: instead of all this, SQLite beside PostgreSQL at URL (or a throwaway server: auto) (store-bench.ts).
 *
 * 1. generates the synthetic archive (generate-archive.ts, fixed seed) in a temporary folder;
 * 2. cold index: an empty index to searchable, with the real indexing thread and its parse threads (the app's
 *    main-process bundle, built first with electron-vite, under plain Node; --from-source: the sources under tsx);
 * 3. warm open, trees and the 50 searches of search-queries.ts, in a fresh process (open-child.ts);
 * 4. an unchanged re-run, then 100 changed + 100 added + 100 deleted posts brought up to date by a full scan (as
 *    at start), then 300 more changes brought up to date from their paths (as the watcher reports them);
 * 5. lunr 2.3.9 against Backfile on the corpus's first 2,000 posts, each in a fresh process, both building from
 *    the same parsed posts (lunr-child.ts, store-child.ts); Backfile's whole pipeline from the files is reported too.
 * Prints a table (or with --json one JSON object) and writes the JSON to test-output/bench-<posts>.json.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runIndexer as runIndexerFromSource } from '../../src-main/node/index/run-indexer';
import { buildMain, loadBuiltIndexer } from './built-indexer';
import { writePostsFile } from './collect-posts';
import { runComparison } from './compare';
import { runStoreBench } from './store-bench';
import { CORPORA, type Corpus, type GeneratedArchive } from './generate-archive';
import type { IndexChildResult } from './index-child';
import type { LunrChildResult } from './lunr-baseline';
import { mutateArchive } from './mutate-archive';
import type { OpenMeasurement } from './open-child';
import type { StoreChildResult } from './store-child';
import { runChild } from './run-child';
import { SIMILARITY_OFF_ENV, similarityCost } from './similarity-cost';
import { checkTargets, formatTable } from './targets';

const { values: args } = parseArgs({
  options: {
    posts: { type: 'string', default: '100000' },
    json: { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
    dir: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'skip-lunr': { type: 'boolean', default: false },
    threads: { type: 'string' },
    'from-source': { type: 'boolean', default: false },
    corpus: { type: 'string' },
    compare: { type: 'boolean', default: false },
    'lunr-max-posts': { type: 'string', default: '20000' },
    store: { type: 'string' },
    'pg-schema': { type: 'string', default: 'backfile_bench' },
  },
});
const posts = Number(args.posts);
const seed = Number(args.seed);
if (!Number.isInteger(posts) || posts < 300) throw new Error('--posts must be a whole number of at least 300');
const corpus = (args.corpus ?? 'synthetic') as Corpus;
if (!CORPORA.includes(corpus)) throw new Error(`--corpus must be one of ${CORPORA.join(', ')}`);
const LUNR_POSTS = Math.min(2000, posts);
const work = path.resolve(args.dir ?? path.join(os.tmpdir(), `backfile-bench-${posts}-${process.pid}`));
const archive = path.join(work, 'archive');
const indexFile = path.join(work, 'index', 'backfile.sqlite');
const parseThreads = args.threads === undefined ? undefined : Number(args.threads);
const MB = 1024 * 1024;
const round1 = (n: number): number => Math.round(n * 10) / 10;
const seconds = (ms: number): number => Math.round(ms / 100) / 10;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** Wall time, CPU time (all threads of this process) and peak resident set (sampled every 50 ms) while `run` works. */
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

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
if (args.compare) {
  await runComparison({
    posts, seed, corpus, json: args.json, fromSource: args['from-source'], keep: args.keep, skipLunr: args['skip-lunr'],
    lunrMaxPosts: Number(args['lunr-max-posts']), ...(args.dir === undefined ? {} : { dir: args.dir }),
  });
} else if (args.store !== undefined) {
  await runStoreBench({
    posts, seed, corpus, store: args.store, schema: args['pg-schema'], json: args.json, keep: args.keep,
    ...(args.dir === undefined ? {} : { dir: args.dir }), ...(parseThreads === undefined ? {} : { parseThreads }),
  });
} else {
  await bench();
}

/** The benchmark itself (steps 1-5 above). */
async function bench(): Promise<void> {
  // The app's bundle under plain Node (as in the app), unless --from-source (the sources under tsx).
  const fromSource = args['from-source'];
  if (!fromSource) {
    log('building the main-process bundle (electron-vite build)…');
    buildMain();
  }
  const { runIndexer } = fromSource ? { runIndexer: runIndexerFromSource } : await loadBuiltIndexer();
  const index = () => runIndexer({ root: archive, indexFile, ...(parseThreads === undefined ? {} : { parseThreads }) }).done;

  await fs.rm(work, { recursive: true, force: true });
  await fs.mkdir(path.dirname(indexFile), { recursive: true });
  try {
    const cpus = os.cpus();
    const machine = { cpus: cpus.length, availableParallelism: os.availableParallelism(), cpuModel: cpus[0]?.model ?? '?', memoryGb: round1(os.totalmem() / 2 ** 30), loadAverage: os.loadavg().map(round1), node: process.version, platform: `${os.platform()} ${os.release()}` };

    // Generated in another process, so that its memory is not counted as the indexer's.
    const generated = await measure(() => runChild<GeneratedArchive & { ms: number }>('./generate-archive.ts', [archive, String(posts), String(seed), corpus]));
    const archiveMb = round1(generated.result.bytes / MB);
    log(`generated ${posts} posts (${archiveMb} MB) in ${(generated.ms / 1000).toFixed(1)} s`);

    // What other versions of a story cost (issue 14 part 3): the same cold build without signatures, once before
    // and once after the real one (the mean of the two: the first build of a fresh archive and the machine's other
    // work drift over a run), the bytes of their tables, and getSimilar's look-up.
    const plainIndex = `${indexFile}.no-similarity`;
    const plainBuild = async () => {
      process.env[SIMILARITY_OFF_ENV] = '1';
      try {
        return await measure(() => runIndexer({ root: archive, indexFile: plainIndex, ...(parseThreads === undefined ? {} : { parseThreads }) }).done);
      } finally {
        delete process.env[SIMILARITY_OFF_ENV];
        await Promise.all(['', '-wal', '-shm'].map((suffix) => fs.rm(`${plainIndex}${suffix}`, { force: true })));
      }
    };
    const plainBefore = await plainBuild();
    const cold = await measure(index);
    const plainAfter = await plainBuild();
    const plain = { ms: (plainBefore.ms + plainAfter.ms) / 2, cpuMs: (plainBefore.cpuMs + plainAfter.cpuMs) / 2 };
    const indexMb = round1((await sizeOf(indexFile)) / MB);
    log(`cold index: ${(cold.ms / 1000).toFixed(1)} s, ${Math.round(posts / (cold.ms / 1000))} posts/s, peak RSS ${cold.peakRssMb} MB, index ${indexMb} MB`);
    const similar = similarityCost(indexFile);
    const slowdownPct = Math.round((cold.ms / plain.ms - 1) * 1000) / 10;
    log(`similarity: build without it ${(plainBefore.ms / 1000).toFixed(1)} s before, ${(plainAfter.ms / 1000).toFixed(1)} s after (${slowdownPct} % slower with it), its tables ${round1(similar.similarBytes / MB)} MB (+${Math.round(similar.growth * 1000) / 10} %), look-up p95 ${similar.lookupP95Ms} ms`);

    const open = await runChild<OpenMeasurement>('./open-child.ts', [indexFile]);
    const times = open.searches.map((s) => s.ms).sort((a, b) => a - b);
    const slowest = [...open.searches].sort((a, b) => b.ms - a.ms).slice(0, 5);
    log(`warm open ${open.warmOpenMs} ms, trees ${open.treesMs} ms, search p50 ${percentile(times, 50)} ms p95 ${percentile(times, 95)} ms`);
    const timelineTimes = open.timelines.map((t) => t.ms).sort((a, b) => a - b);
    log(`timeline of the same searches: p50 ${percentile(timelineTimes, 50)} ms p95 ${percentile(timelineTimes, 95)} ms`);

    const unchanged = await measure(index);
    log(`unchanged re-run: ${(unchanged.ms / 1000).toFixed(1)} s`);
    const mutation = await mutateArchive(archive, { change: 100, add: 100, delete: 100 }, seed + 1);
    const incremental = await measure(index);
    const incrementalOk = incremental.result.updated === mutation.changed.length + mutation.added.length && incremental.result.deleted === mutation.deleted.length;
    log(`incremental (300 changes): ${(incremental.ms / 1000).toFixed(1)} s${incrementalOk ? '' : ' — WRONG COUNTS'}`);
    // The same again while the archive is open: the watcher reports the paths, and only they are looked at.
    const watchedMutation = await mutateArchive(archive, { change: 100, add: 100, delete: 100 }, seed + 2);
    const watchedPaths = [...watchedMutation.changed, ...watchedMutation.added, ...watchedMutation.deleted];
    const watched = await measure(() => runIndexer({ root: archive, indexFile, paths: watchedPaths, ...(parseThreads === undefined ? {} : { parseThreads }) }).done);
    const watchedOk = watched.result.updated === watchedMutation.changed.length + watchedMutation.added.length && watched.result.deleted === watchedMutation.deleted.length;
    log(`incremental, watched paths (300 changes): ${(watched.ms / 1000).toFixed(2)} s${watchedOk ? '' : ' — WRONG COUNTS'}`);

    let lunr: Record<string, unknown> | null = null;
    let lunrBuildRatio: number | null = null;
    let lunrMemoryRatio: number | null = null;
    if (!args['skip-lunr']) {
      // The same seed gives the same first posts (each post has its own random stream): the corpus's first 2,000.
      const small = path.join(work, 'first-posts');
      await runChild('./generate-archive.ts', [small, String(LUNR_POSTS), String(seed), corpus]);
      const postsFile = path.join(work, 'first-posts.jsonl');
      await writePostsFile(small, postsFile);
      // Like for like: both build from the same posts file, loaded before measuring, with the same tokens.
      const baseline = await runChild<LunrChildResult>('./lunr-child.ts', [postsFile], ['--expose-gc', '--max-old-space-size=12288']);
      const backfile = await runChild<StoreChildResult>('./store-child.ts', [postsFile, path.join(work, 'first-posts-store.sqlite')], ['--expose-gc']);
      // For reference: the whole pipeline from the files (scan, read, parse, tokenise, write; thread start-up under tsx).
      const fromFiles = await runChild<IndexChildResult>('./index-child.ts', [small, path.join(work, 'first-posts.sqlite'), fromSource ? 'source' : 'built']);
      const backfileMb = Math.max(1, backfile.peakRssMb - backfile.rssBeforeMb);
      const lunrMb = baseline.peakRssMb - baseline.rssBeforeMb;
      lunrBuildRatio = round1(baseline.buildMs / backfile.buildMs);
      lunrMemoryRatio = round1(lunrMb / backfileMb);
      lunr = {
        posts: LUNR_POSTS,
        lunr: { buildMs: baseline.buildMs, heapMb: baseline.heapMb, rssGrowthMb: round1(lunrMb), peakRssMb: baseline.peakRssMb, tokens: baseline.tokens },
        backfile: { buildMs: backfile.buildMs, rssGrowthMb: round1(backfileMb), peakRssMb: backfile.peakRssMb, indexMb: backfile.indexMb },
        backfile_from_files: { buildMs: fromFiles.buildMs, rssGrowthMb: round1(fromFiles.peakRssMb - fromFiles.rssBeforeMb), peakRssMb: fromFiles.peakRssMb },
      };
      log(`lunr on ${LUNR_POSTS} posts: ${baseline.buildMs} ms, +${round1(lunrMb)} MB; Backfile: ${backfile.buildMs} ms, +${round1(backfileMb)} MB (from the files: ${fromFiles.buildMs} ms)`);
    }

    const figures = {
      posts,
      archive_mb: archiveMb,
      cold_index_s: seconds(cold.ms),
      posts_per_s: Math.round(posts / (cold.ms / 1000)),
      cold_index_cpu_s: seconds(cold.cpuMs),
      warm_open_s: Math.round(open.warmOpenMs) / 1000,
      unchanged_s: seconds(unchanged.ms),
      incremental_s: seconds(incremental.ms),
      incremental_ok: incrementalOk,
      incremental_watched_s: Math.round(watched.ms / 10) / 100,
      incremental_watched_ok: watchedOk,
      search_p50_ms: percentile(times, 50),
      search_p95_ms: percentile(times, 95),
      search_max_ms: times[times.length - 1] ?? 0,
      trees_ms: open.treesMs,
      timeline_ms: percentile(timelineTimes, 95),
      similar_slowdown_pct: slowdownPct,
      similar_cpu_pct: Math.round((cold.cpuMs / plain.cpuMs - 1) * 1000) / 10,
      similar_growth_pct: Math.round(similar.growth * 1000) / 10,
      similar_mb: round1(similar.similarBytes / MB),
      similar_lookup_ms: similar.lookupP95Ms,
      peak_rss_mb: Math.max(cold.peakRssMb, unchanged.peakRssMb, incremental.peakRssMb, watched.peakRssMb),
      open_rss_mb: open.peakRssMb,
      index_mb: indexMb,
      lunr_build_ratio: lunrBuildRatio,
      lunr_memory_ratio: lunrMemoryRatio,
      // Only asked for with --corpus, so that the default output stays as it was.
      ...(args.corpus === undefined ? {} : { corpus, index_to_archive: Math.round((indexMb / archiveMb) * 100) / 100 }),
    };
    const targets = checkTargets(figures);
    const report = {
      ...figures,
      machine,
      seed,
      indexer: fromSource ? 'sources under tsx' : 'out/main bundle under node',
      generate_s: seconds(generated.ms),
      searches: open.searches,
      slowest_searches: slowest,
      slowest_timelines: [...open.timelines].sort((a, b) => b.ms - a.ms).slice(0, 5),
      similarity: { ...similar, buildWithoutMs: [plainBefore.ms, plainAfter.ms], buildWithoutCpuMs: [plainBefore.cpuMs, plainAfter.cpuMs] },
      lunr,
      targets,
    };
    const out = path.resolve('test-output', `bench-${posts}.json`);
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
    if (args.json) console.log(JSON.stringify(report));
    else console.log(formatTable(figures, targets, machine));
  } finally {
    if (!args.keep) await fs.rm(work, { recursive: true, force: true });
  }
}
