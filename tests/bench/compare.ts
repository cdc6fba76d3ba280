/**
 * `npm run bench -- --compare`: Backfile's index beside other ways to index the same posts, each in a process of
 * its own, one after the other, all on the same generated archive (docs/BENCHMARKS.md, "Comparing engines"):
 * (a) Backfile's cold index, as run.ts measures it (the real indexing and parse threads; index-child.ts);
 * (b) a bare SQLite FTS5 table fed the same tokens (fts5-bare-child.ts), with Backfile's FTS5 options and with
 *     FTS5's defaults;
 * (c) lunr 2.3.9 with the same tokens (lunr-child.ts), up to --lunr-max-posts;
 * (d) Pagefind over the posts as HTML pages (pagefind-site.ts).
 * Prints a table (or with --json one JSON object) and writes the JSON to test-output/bench-compare-<corpus>-<posts>.json.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import { ftsText } from '../../src-main/node/index/write';
import { buildMain } from './built-indexer';
import { writePostsFile } from './collect-posts';
import { formatComparison, withRatios, type EngineFigures } from './compare-table';
import type { BareFtsResult, BareTable } from './fts5-bare-child';
import type { Corpus, GeneratedArchive } from './generate-archive';
import type { IndexChildResult } from './index-child';
import type { LunrChildResult } from './lunr-baseline';
import { pagefindPage, pagefindPagePath, runPagefind } from './pagefind-site';
import { runChild } from './run-child';

export interface CompareOptions {
  posts: number;
  seed: number;
  corpus: Corpus;
  json: boolean;
  fromSource: boolean;
  dir?: string;
  keep: boolean;
  skipLunr: boolean;
  lunrMaxPosts: number;
}

const MB = 2 ** 20;
const round1 = (n: number): number => Math.round(n * 10) / 10;
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const errorLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
/** lunr's heap per post, measured (docs/BENCHMARKS.md): about 0.2 MB synthetic, 0.4 MB real text; the larger, with room. */
const LUNR_MB_PER_POST = 0.4;

/** Database and WAL once the WAL is checkpointed into the database. */
function checkpointedBytes(file: string): number {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return ['', '-wal'].reduce((n, s) => n + (fs.statSync(file + s, { throwIfNoEntry: false })?.size ?? 0), 0);
}

/** Backfile's FTS5 text (ftsText: the tokens the indexer writes) of every post, one JSON line each. */
async function writeTokensFile(postsFile: string, tokensFile: string): Promise<number> {
  const started = performance.now();
  const out = fs.createWriteStream(tokensFile);
  for await (const line of readline.createInterface({ input: fs.createReadStream(postsFile), crlfDelay: Infinity })) {
    if (line === '') continue;
    const { title, text } = JSON.parse(line) as { title: string; text: string };
    if (!out.write(`${JSON.stringify(ftsText({ title, text }))}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return Math.round(performance.now() - started);
}

async function bareFts(tokensFile: string, work: string, table: BareTable, posts: number): Promise<EngineFigures> {
  const r = await runChild<BareFtsResult>('./fts5-bare-child.ts', [tokensFile, path.join(work, `bare-${table}.sqlite`), table]);
  const note = table === 'backfile'
    ? 'one contentless FTS5 table (title, body) with Backfile\'s FTS5 options (prefix=\'1\', 16 MiB hash, automerge 16, crisismerge 64), the same tokens, one writer, 1,000 posts a transaction, rowids 1…n; no other tables, no facets, no parsing'
    : 'one plain FTS5 table (stores its text) with FTS5\'s defaults (no prefix index, 1 MiB hash), otherwise as above';
  return { engine: `fts5 bare (${table === 'backfile' ? 'Backfile options' : 'defaults'})`, posts, build_ms: r.buildMs, bytes: r.bytes, peak_rss_mb: r.peakRssMb, rss_before_mb: r.rssBeforeMb, note };
}

async function lunr(postsFile: string, o: CompareOptions): Promise<EngineFigures> {
  const engine = 'lunr 2.3.9 (same tokens)';
  const base = { engine, posts: o.posts, build_ms: null, bytes: null, peak_rss_mb: null, rss_before_mb: null };
  const note = 'in-memory inverted index of the same tokens, built from the parsed posts loaded beforehand; bytes = the index as JSON; peak RSS includes the loaded posts';
  if (o.skipLunr) return { ...base, note, skipped: 'skipped: --skip-lunr' };
  if (o.posts > o.lunrMaxPosts) {
    return { ...base, note, skipped: `skipped: lunr holds its whole index in the JS heap (about ${LUNR_MB_PER_POST} MB a post); past --lunr-max-posts ${o.lunrMaxPosts} it does not fit a benchmark machine` };
  }
  const freeMb = Math.round(os.freemem() / MB);
  const needMb = Math.round(o.posts * LUNR_MB_PER_POST + 1024);
  if (needMb > freeMb) return { ...base, note, skipped: `skipped: needs about ${needMb} MB, ${freeMb} MB free` };
  const heapMb = Math.min(12288, Math.round(freeMb * 0.9));
  try {
    const r = await runChild<LunrChildResult>('./lunr-child.ts', [postsFile, '--serialize'], ['--expose-gc', `--max-old-space-size=${heapMb}`]);
    const bytesNote = r.serializeError ? `; bytes: none, the index cannot be written as JSON (${r.serializeError})` : '';
    return { ...base, build_ms: r.buildMs, bytes: r.serializedBytes ?? null, peak_rss_mb: r.peakRssMb, rss_before_mb: r.rssBeforeMb, note: note + bytesNote };
  } catch (e) {
    return { ...base, note, skipped: `failed: ${errorLine(e)}` };
  }
}

export async function runComparison(o: CompareOptions): Promise<void> {
  const loadStart = os.loadavg().map(round1);
  const work = path.resolve(o.dir ?? path.join(os.tmpdir(), `backfile-compare-${o.corpus}-${o.posts}-${process.pid}`));
  const archive = path.join(work, 'archive');
  const site = path.join(work, 'site');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(path.join(site, 'posts'), { recursive: true });
  try {
    if (!o.fromSource) {
      log('building the main-process bundle (electron-vite build)…');
      buildMain();
    }
    const generated = await runChild<GeneratedArchive>('./generate-archive.ts', [archive, String(o.posts), String(o.seed), o.corpus]);
    log(`generated ${o.posts} ${o.corpus} posts (${round1(generated.bytes / MB)} MB)`);

    // (a) Backfile: the whole pipeline from the files, as the app indexes.
    const indexFile = path.join(work, 'backfile.sqlite');
    const cold = await runChild<IndexChildResult>('./index-child.ts', [archive, indexFile, o.fromSource ? 'source' : 'built']);
    const engines: EngineFigures[] = [{
      engine: 'Backfile cold index', posts: o.posts, build_ms: cold.buildMs, bytes: checkpointedBytes(indexFile), peak_rss_mb: cold.peakRssMb, rss_before_mb: cold.rssBeforeMb,
      note: `scan, read, parse, tokenise and write (posts, text, facets, tree counts, FTS5) with the real indexing and parse threads (${o.fromSource ? 'sources under tsx' : 'out/main bundle'}), as run.ts's cold_index_s, in a fresh process (index-child.ts)`,
    }];
    log(`Backfile: ${cold.buildMs} ms, peak RSS ${cold.peakRssMb} MB`);

    // The same posts, parsed once: a posts file (lunr), a tokens file (bare FTS5) and the HTML pages (Pagefind).
    const postsFile = path.join(work, 'posts.jsonl');
    const prepared = await writePostsFile(archive, postsFile, (post, n) => fs.writeFileSync(pagefindPagePath(site, n), pagefindPage(post)));
    const tokensFile = path.join(work, 'tokens.jsonl');
    const tokeniseMs = await writeTokensFile(postsFile, tokensFile);
    log(`parsed ${prepared.posts} posts in ${prepared.ms} ms, tokenised in ${tokeniseMs} ms`);

    // (b) bare FTS5, (c) lunr, (d) Pagefind: one at a time, each alone.
    for (const table of ['backfile', 'plain'] as const) {
      engines.push(await bareFts(tokensFile, work, table, o.posts));
      log(`${engines.at(-1)!.engine}: ${engines.at(-1)!.build_ms} ms`);
    }
    engines.push(await lunr(postsFile, o));
    log(`${engines.at(-1)!.engine}: ${engines.at(-1)!.skipped ?? `${engines.at(-1)!.build_ms} ms`}`);
    try {
      const pf = await runPagefind(site);
      engines.push({
        engine: `Pagefind ${pf.version.replace(/^pagefind\s*/, '')}`, posts: o.posts, build_ms: pf.buildMs, bytes: pf.bytes, peak_rss_mb: pf.peakRssMb, rss_before_mb: null,
        note: `${pf.binary} --site over one HTML page a post (Backfile's rendered body, categories and tags as filters, date as sort); its own Chinese word segmentation, not Backfile's bigrams; bytes = the whole bundle, of which ${round1(pf.assetBytes / 1024)} KB UI scripts, styles and WebAssembly; the pages themselves not counted`,
      });
    } catch (e) {
      engines.push({ engine: 'Pagefind', posts: o.posts, build_ms: null, bytes: null, peak_rss_mb: null, rss_before_mb: null, note: 'see docs/BENCHMARKS.md', skipped: `failed: ${errorLine(e)}` });
    }
    log(`${engines.at(-1)!.engine}: ${engines.at(-1)!.skipped ?? `${engines.at(-1)!.build_ms} ms`}`);

    const cpus = os.cpus();
    const machine = { cpus: cpus.length, cpuModel: cpus[0]?.model ?? '?', memoryGb: round1(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
    const loadEnd = os.loadavg().map(round1);
    const rows = withRatios(engines, generated.bytes);
    const report = {
      corpus: o.corpus, posts: o.posts, seed: o.seed, archive_bytes: generated.bytes, archive_mb: round1(generated.bytes / MB),
      parse_ms: prepared.ms, tokenise_ms: tokeniseMs, machine, load_average_start: loadStart, load_average_end: loadEnd, engines: rows,
    };
    const out = path.resolve('test-output', `bench-compare-${o.corpus}-${o.posts}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    if (o.json) console.log(JSON.stringify(report));
    else {
      console.log(formatComparison(rows, [
        `Backfile comparison — ${o.posts} posts, ${o.corpus} corpus (seed ${o.seed}), archive ${report.archive_mb} MB`,
        `${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}; load average ${JSON.stringify(loadStart)} at start, ${JSON.stringify(loadEnd)} at end`,
      ]));
    }
  } finally {
    if (!o.keep) fs.rmSync(work, { recursive: true, force: true });
  }
}
