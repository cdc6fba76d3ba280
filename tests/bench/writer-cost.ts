/**
 * The index writer alone, in CPU seconds: every post of an archive is read, parsed and tokenised first (as the parse
 * threads do, not measured), then written into a new index in transactions of 1,000 posts (update.ts WRITE_MAX, what
 * a cold build writes when the parse threads keep ahead), with process.cpuUsage() around the writes only. Each
 * variant runs in turn on the same parsed posts, `rounds` times, so that their ratios come from one process and one
 * machine load (CPU time, not wall time: other work on the machine changes it little).
 *
 *   node --import tsx tests/bench/writer-cost.ts ARCHIVE [posts=all] [rounds=3] [variant…]
 *
 * Variants: `batch` (as the app writes: one transaction per batch, savepoints only after a failure), `savepoints`
 * (a savepoint per post, as the app wrote from stop 17 to stop 19), `deflate-here` (the text deflated by the
 * writer, as before stop 19, instead of on the parse thread), `no-stories` (signatures and buckets, no post_story
 * upkeep: story.ts's benchmark switch), `no-similarity` (posts parsed without signatures: no post_sig, sig_buckets
 * or stories). Prints one JSON line per round and variant, and the medians.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IndexStore, type IndexBatch } from '../../src-main/node/index/store';
import { forTransfer, readAndParseOneSync, type ReadOutcome } from '../../src-main/node/index/read-post';
import { scanArchive } from '../../src-main/node/index/scan';
import { SIMILARITY_OFF_ENV } from '../../src-main/node/index/similar';
import { STORIES_OFF_ENV } from '../../src-main/node/index/story';

type Upsert = IndexBatch['upserts'][number];
const VARIANTS = ['batch', 'savepoints', 'deflate-here', 'no-stories', 'no-similarity'] as const;
type Variant = (typeof VARIANTS)[number];

const [root, postsArg, roundsArg = '3', ...chosen] = process.argv.slice(2);
if (!root) {
  console.error('usage: writer-cost.ts ARCHIVE [posts=all] [rounds=3] [batch|savepoints|deflate-here|no-stories|no-similarity…]');
  process.exit(2);
}
const variants = (chosen.length > 0 ? chosen : VARIANTS) as Variant[];
for (const v of variants) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v}`);

const files = (await scanArchive(root)).files;
// As update.ts orders a build: oldest first.
files.sort((a, b) => ((a.location.fileDate ?? '') < (b.location.fileDate ?? '') ? -1 : (a.location.fileDate ?? '') > (b.location.fileDate ?? '') ? 1 : 0));
const limit = postsArg && postsArg !== 'all' ? Number(postsArg) : files.length;
const chosenFiles = files.slice(0, limit);

function parseAll(): Upsert[] {
  // As a parse thread hands them over (no body, html or front matter).
  return chosenFiles.map((f) => forTransfer(readAndParseOneSync(f))).filter((o): o is Extract<ReadOutcome, { kind: 'post' }> => o.kind === 'post');
}
const parsed = parseAll();
let unsigned: Upsert[] | undefined;
if (variants.includes('no-similarity')) {
  process.env[SIMILARITY_OFF_ENV] = '1';
  unsigned = parseAll();
  delete process.env[SIMILARITY_OFF_ENV];
}

const WRITE_MAX = 1000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-writer-cost-'));

function run(variant: Variant, round: number) {
  const file = path.join(dir, `${variant}-${round}.sqlite`);
  const store = IndexStore.open(file);
  let upserts = variant === 'no-similarity' ? unsigned! : parsed;
  if (variant === 'deflate-here') upserts = upserts.map((u) => ({ ...u, fts: { ...u.fts!, packed: undefined } }));
  const write = variant === 'savepoints'
    ? (batch: IndexBatch) => (store as unknown as { writeBatch(b: IndexBatch, perPost: boolean): void }).writeBatch(batch, true)
    : (batch: IndexBatch) => store.applyBatch(batch);
  if (variant === 'no-stories') process.env[STORIES_OFF_ENV] = '1';
  const before = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < upserts.length; i += WRITE_MAX) {
    const batch = upserts.slice(i, i + WRITE_MAX);
    write({ upserts: batch, failures: [], deletions: [] });
  }
  const cpu = process.cpuUsage(before);
  const wallMs = performance.now() - started;
  delete process.env[STORIES_OFF_ENV];
  store.close();
  const bytes = fs.statSync(file).size + (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  return { variant, round, posts: upserts.length, cpuS: (cpu.user + cpu.system) / 1e6, wallS: wallMs / 1000, bytes, load: os.loadavg()[0] ?? 0 };
}

const results: ReturnType<typeof run>[] = [];
for (let round = 1; round <= Number(roundsArg); round++) {
  for (const variant of variants) {
    const r = run(variant, round);
    results.push(r);
    console.log(JSON.stringify({ ...r, cpuS: +r.cpuS.toFixed(2), wallS: +r.wallS.toFixed(2), load: +r.load.toFixed(2) }));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(results.filter((r) => r.variant === variants[0]).map((r) => r.cpuS));
for (const variant of variants) {
  const mine = results.filter((r) => r.variant === variant);
  const cpu = median(mine.map((r) => r.cpuS));
  console.log(`${variant.padEnd(14)} writer CPU ${cpu.toFixed(2)} s (${((1000 * cpu) / mine[0]!.posts).toFixed(3)} ms a post, x${(cpu / base).toFixed(2)} of ${variants[0]}), ${(median(mine.map((r) => r.bytes)) / 2 ** 20).toFixed(1)} MB`);
}
fs.rmSync(dir, { recursive: true, force: true });
