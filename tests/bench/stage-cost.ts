/**
 * The cold index's floor, stage by stage, in CPU seconds (issue 16, stop 20). Every stage of today's pipeline runs
 * on this one thread over the same posts, a chunk of 1,000 posts at a time (oldest first, as a build reads them):
 * each stage runs over the whole chunk under process.cpuUsage() before the next stage starts, so each figure is
 * milliseconds of CPU, not a few microseconds a post. The writer runs four times on each chunk, into four
 * databases in one folder, so its parts are differences of runs over the same rows:
 *
 * - `bare` a bare FTS5 table with the app's options (schema.ts posts_fts: columns, prefix, automerge, hash,
 *   crisismerge) fed the app's token rows and ids, inserts and COMMIT timed apart (FTS5 flushes and merges its
 *   segments at the commit);
 * - `nosim` the app's writer (IndexStore.applyBatch) with no signature on any post (no post_sig, buckets, stories);
 * - `batched` the app's writer as a small update writes: bucket rows and story upkeep batch by batch (as every
 *   build wrote before stop 21), for comparison;
 * - `app` the app's writer as a big build writes (stop 21): signatures only batch by batch (similar.ts
 *   SIMILARITY_PENDING), then the story pass at the end (story.ts runStoryPass), timed apart.
 *
 * Then what two cores could do at best: all the CPU over two, and the two threads of today's build (parse thread:
 * read to transfer; indexing thread: receive and write): the longer one is the floor of a build with one writer.
 *
 *   node --import tsx tests/bench/stage-cost.ts ARCHIVE [posts=all] [--json] [--dir DIR] [--parse-only]
 *
 * Prints a table (ms of CPU a post, and seconds) and, with --json, one JSON line. The four databases go to a new
 * folder in the system's temporary folder (or in DIR) and are deleted at the end.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { decodeText } from '../../src-main/core/decode';
import { parseFrontMatter } from '../../src-main/core/front-matter';
import { htmlToText } from '../../src-main/core/html-text';
import { stripLiquid } from '../../src-main/core/liquid';
import { linkAutolinkLines, renderMarkdown, type MarkdownResult } from '../../src-main/core/markdown';
import { parsePost } from '../../src-main/core/parse-post';
import { keepsText } from '../../src-main/core/render';
import { sanitizeArticleHtml } from '../../src-main/core/sanitize';
import type { ParsedPost } from '../../src-main/core/types';
import { dateKey, postFacets } from '../../src-main/node/index/list';
import { forTransfer, readAndParseOneSync, type ReadOutcome } from '../../src-main/node/index/read-post';
import { scanArchive, type ScannedFile } from '../../src-main/node/index/scan';
import { postSignature } from '../../src-main/node/index/similar';
import { IndexStore, type IndexBatch } from '../../src-main/node/index/store';
import { frontMatterDescription, ftsText, packText, tagKeys } from '../../src-main/node/index/write';

type Upsert = IndexBatch['upserts'][number];
const args = process.argv.slice(2);
const json = args.includes('--json');
/** The parse thread's stages only (no databases written). */
const parseOnly = args.includes('--parse-only');
const dirAt = args.indexOf('--dir');
const positional = args.filter((a, i) => !a.startsWith('--') && (dirAt < 0 || i !== dirAt + 1));
const [root, postsArg] = positional;
if (!root) {
  console.error('usage: stage-cost.ts ARCHIVE [posts=all] [--json] [--dir DIR] [--parse-only]');
  process.exit(2);
}
const CHUNK = 1000;

const cpu = new Map<string, number>();
const add = (stage: string, before: NodeJS.CpuUsage): void => {
  const used = process.cpuUsage(before);
  cpu.set(stage, (cpu.get(stage) ?? 0) + (used.user + used.system) / 1e6);
};
function timed<T>(stage: string, work: () => T): T {
  const before = process.cpuUsage();
  const out = work();
  add(stage, before);
  return out;
}

const wallStart = performance.now();
const scanBefore = process.cpuUsage();
const files = (await scanArchive(root)).files;
add('scan + stat', scanBefore);
files.sort((a, b) => ((a.location.fileDate ?? '') < (b.location.fileDate ?? '') ? -1 : (a.location.fileDate ?? '') > (b.location.fileDate ?? '') ? 1 : 0));
const limit = postsArg && postsArg !== 'all' ? Math.min(files.length, Number(postsArg)) : files.length;

const dir = fs.mkdtempSync(path.join(dirAt >= 0 ? args[dirAt + 1]! : os.tmpdir(), 'backfile-stage-cost-'));
const dbPath = (name: string) => path.join(dir, `${name}.sqlite`);
for (const name of ['app', 'batched', 'nosim', 'bare']) for (const s of ['', '-wal', '-shm']) fs.rmSync(dbPath(name) + s, { force: true });

const app = IndexStore.open(dbPath('app'));
// As updateIndex tells it before a cold build's first batch: bucket rows and stories wait for the end.
app.deferSimilarity(limit);
const batched = IndexStore.open(dbPath('batched'));
const nosim = IndexStore.open(dbPath('nosim'));
const bare = new Database(dbPath('bare'));
bare.pragma('journal_mode = WAL');
bare.pragma('synchronous = NORMAL');
bare.exec(`
  CREATE VIRTUAL TABLE posts_fts USING fts5 (title, meta, body, facets, content = '', contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'", prefix = '1');
  INSERT INTO posts_fts (posts_fts, rank) VALUES ('automerge', 16);
  INSERT INTO posts_fts (posts_fts, rank) VALUES ('hashsize', ${16 * 1024 * 1024});
  INSERT INTO posts_fts (posts_fts, rank) VALUES ('crisismerge', 64);`);
const bareInsert = bare.prepare('INSERT INTO posts_fts (rowid, title, meta, body, facets) VALUES (?, ?, ?, ?, ?)');
const appDb = new Database(dbPath('app'), { readonly: true });
const appId = appDb.prepare('SELECT id FROM posts WHERE path = ?').pluck();

let posts = 0;
for (let start = 0; start < limit; start += CHUNK) {
  const chunk: ScannedFile[] = files.slice(start, Math.min(limit, start + CHUNK));
  // Read: open, fstat, read, close (as read-post.ts), then the content hash.
  const bytes = timed('read (open, fstat, read)', () => chunk.map((f) => {
    const fd = fs.openSync(f.absPath, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const buffer = Buffer.allocUnsafe(size);
      let offset = 0;
      while (offset < size) {
        const n = fs.readSync(fd, buffer, offset, size - offset, offset);
        if (n === 0) break;
        offset += n;
      }
      return buffer.subarray(0, offset);
    } finally {
      fs.closeSync(fd);
    }
  }));
  timed('hash (sha1)', () => bytes.map((b) => createHash('sha1').update(b).digest('hex')));
  const texts = timed('decode', () => bytes.map((b) => decodeText(b).text));
  const bodies = timed('front matter', () => texts.map((t) => parseFrontMatter(t).body));
  const raws = timed('render (liquid, markdown-it)', () => bodies.map((body, i): MarkdownResult => {
    const format = chunk[i]!.location.format;
    const without = stripLiquid(body, format === 'html' ? 'html' : 'markdown');
    return format === 'html' ? linkAutolinkLines(without) : renderMarkdown(without);
  }));
  const html = timed('sanitise (keepsText, else sanitize-html)', () =>
    raws.map((r) => (keepsText(r.html) ? r.html : sanitizeArticleHtml(r.html, { postPath: '' }).html)));
  timed('html to text', () => html.map((h) => htmlToText(h)));
  // The whole parse as the index runs it (the stages above and dates, title, categories, tags): "parse, rest" is
  // this less the stages above.
  const parsed = timed('parsePost (whole)', () => chunk.map((f, i) =>
    parsePost(f.relPath, bytes[i]!, f.location, { maxBodyBytes: 8 * 1024 * 1024, textOnly: true })));
  const descriptions = parsed.map((p) => frontMatterDescription(p));
  const fts = timed('tokenise (title, meta, body)', () => parsed.map((p, i) => ftsText({ ...p, description: descriptions[i] })));
  const signatures = timed('similarity signature', () => parsed.map((p) => postSignature(p.text)));
  const packed = timed('deflate text', () => parsed.map((p) => new Uint8Array(packText(p.text))));
  const outcomes: ReadOutcome[] = chunk.map((f, i) => ({
    kind: 'post', post: parsed[i]!, size: bytes[i]!.length, mtimeMs: Math.trunc(f.mtimeMs), hash: '',
    fts: { ...fts[i]!, signature: signatures[i]!, packed: packed[i]!, description: descriptions[i]! },
  }));
  // What the parse thread's postMessage and the indexing thread's receipt cost: one structured clone of the batch.
  const sent = timed('send to writer (structured clone)', () => structuredClone(outcomes.map(forTransfer))) as Upsert[];
  sent.sort((a, b) => dateKey(a.post.date) - dateKey(b.post.date));
  // The check below reads every post again through read-post.ts: the stages above must make what it makes.
  if (start === 0) checkSame(chunk.slice(0, 50), outcomes);

  posts += chunk.length;
  if (!json) process.stderr.write(`\r${posts} / ${limit}`);
  if (parseOnly) continue;
  timed('writer: app (applyBatch)', () => app.applyBatch({ upserts: sent, failures: [], deletions: [] }));
  timed('writer: batch by batch', () => batched.applyBatch({ upserts: sent, failures: [], deletions: [] }));
  const unsigned = sent.map((u) => ({ ...u, fts: { ...u.fts!, signature: null } }));
  timed('writer: no similarity', () => nosim.applyBatch({ upserts: unsigned, failures: [], deletions: [] }));
  const rows = sent.map((u) => {
    const p = u.post as ParsedPost;
    const hidden = !p.published || p.draft;
    const facets = postFacets({ hidden, year: p.year, month: p.month, categories: p.categories, tagKeys: tagKeys(p.tags).map(([norm]) => norm) });
    return [appId.get(p.path) as number, u.fts!.title, u.fts!.meta, u.fts!.body, facets] as const;
  });
  timed('writer: bare FTS5 begin + inserts', () => {
    bare.exec('BEGIN');
    for (const row of rows) bareInsert.run(...row);
  });
  timed('writer: bare FTS5 commit (flush, merges)', () => bare.exec('COMMIT'));
}
timed('writer: bare FTS5 commit (flush, merges)', () => bare.pragma('wal_checkpoint(TRUNCATE)'));
const heapBeforePass = process.memoryUsage();
timed('writer: story pass (at the end)', () => app.finishSimilarity());
const passMemory = { rssMb: +(process.memoryUsage().rss / 2 ** 20).toFixed(1), rssBeforeMb: +(heapBeforePass.rss / 2 ** 20).toFixed(1) };
const wallS = (performance.now() - wallStart) / 1000;
if (!json) process.stderr.write('\n');
console.error(JSON.stringify(Object.fromEntries([...cpu].map(([k, v]) => [k, +v.toFixed(2)]))));

function checkSame(chunk: ScannedFile[], outcomes: ReadOutcome[]): void {
  chunk.forEach((f, i) => {
    const real = readAndParseOneSync(f);
    const mine = outcomes[i]!;
    if (real.kind !== 'post' || mine.kind !== 'post') throw new Error(`${f.relPath}: not a post`);
    for (const key of ['title', 'meta', 'body'] as const) {
      if (real.fts[key] !== mine.fts[key]) throw new Error(`${f.relPath}: ${key} differs from read-post.ts`);
    }
  });
}

const s = (stage: string): number => cpu.get(stage) ?? 0;
const parseStages = ['decode', 'front matter', 'render (liquid, markdown-it)', 'sanitise (keepsText, else sanitize-html)', 'html to text'];
const parseRest = Math.max(0, s('parsePost (whole)') - parseStages.reduce((n, k) => n + s(k), 0));
const rows: [string, number, string][] = [
  ['scan + stat', s('scan + stat'), 'indexing thread, before'],
  ['read (open, fstat, read)', s('read (open, fstat, read)'), 'parse'],
  ['hash (sha1)', s('hash (sha1)'), 'parse'],
  ...parseStages.map((k): [string, number, string] => [k, s(k), 'parse']),
  ['parse, rest (dates, title, lists)', parseRest, 'parse'],
  ['tokenise (title, meta, body)', s('tokenise (title, meta, body)'), 'parse'],
  ['similarity signature', s('similarity signature'), 'parse'],
  ['deflate text', s('deflate text'), 'parse'],
  ['send to writer (structured clone)', s('send to writer (structured clone)'), 'both'],
  ['FTS5 insert', s('writer: bare FTS5 begin + inserts'), 'writer'],
  ['FTS5 commit (flush, merges, checkpoint)', s('writer: bare FTS5 commit (flush, merges)'), 'writer'],
  ['other tables (posts, post_text, counts, problems)', s('writer: no similarity') - s('writer: bare FTS5 begin + inserts') - s('writer: bare FTS5 commit (flush, merges)'), 'writer'],
  ['signatures (post_sig; bucket rows and stories deferred)', s('writer: app (applyBatch)') - s('writer: no similarity'), 'writer'],
  ['story pass at the end (sig_buckets, post_story)', s('writer: story pass (at the end)'), 'writer'],
  ['before stop 21: post_sig, sig_buckets and stories batch by batch', s('writer: batch by batch') - s('writer: no similarity'), 'not run'],
];
const parseThread = rows.filter((r) => r[2] === 'parse').reduce((n, r) => n + r[1], 0) + s('send to writer (structured clone)') / 2;
const writerThread = s('writer: app (applyBatch)') + s('writer: story pass (at the end)') + s('send to writer (structured clone)') / 2;
const total = parseThread + writerThread + s('scan + stat');
const summary = {
  archive: root, posts, load: os.loadavg().map((l) => +l.toFixed(2)), wallS: +wallS.toFixed(1),
  stages: Object.fromEntries(rows.map(([k, v]) => [k, +v.toFixed(2)])),
  raw: Object.fromEntries([...cpu].map(([k, v]) => [k, +v.toFixed(2)])),
  parseThreadS: +parseThread.toFixed(2), writerThreadS: +writerThread.toFixed(2), totalS: +total.toFixed(2),
  bestTwoCoresS: +(total / 2).toFixed(2), passMemory,
  oneWriterFloorS: +(s('scan + stat') + Math.max(parseThread, writerThread)).toFixed(2),
  waits: writerThread > parseThread ? 'parse thread waits for the writer' : 'writer waits for the parse thread',
};
if (json) console.log(JSON.stringify(summary));
else {
  const ms = (v: number) => ((1000 * v) / posts).toFixed(3);
  console.log(`${posts} posts of ${root}; load average ${summary.load.join(' ')}; wall ${summary.wallS} s (one thread, every stage)`);
  console.log('| stage | thread | CPU s | ms a post |\n| --- | --- | ---: | ---: |');
  for (const [k, v, thread] of rows) console.log(`| ${k} | ${thread} | ${v.toFixed(2)} | ${ms(v)} |`);
  console.log(`| **parse thread** (read to deflate, half the clone) | | ${parseThread.toFixed(2)} | ${ms(parseThread)} |`);
  console.log(`| **indexing thread** (writer, half the clone) | | ${writerThread.toFixed(2)} | ${ms(writerThread)} |`);
  console.log(`| **all CPU** | | ${total.toFixed(2)} | ${ms(total)} |`);
  console.log(`two cores at best (all CPU / 2): ${summary.bestTwoCoresS} s = ${Math.round(posts / summary.bestTwoCoresS)} posts/s`);
  console.log(`one writer's floor (scan + the longer thread): ${summary.oneWriterFloorS} s = ${Math.round(posts / summary.oneWriterFloorS)} posts/s; ${summary.waits}`);
}
appDb.close();
app.close();
batched.close();
nosim.close();
bare.close();
fs.rmSync(dir, { recursive: true, force: true });
