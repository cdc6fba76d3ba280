/**
 * What "other versions of a story" (issue 14 part 3) costs an index: the bytes of its two tables (post_sig,
 * sig_buckets) against the rest of the file, and the time of getSimilar's look-up. The build-time cost is measured
 * by run.ts as a second cold build with SIMILARITY_OFF_ENV set (no signatures computed or written), compared with the real one.
 *
 * Run on its own, it measures that build-time cost on an existing archive (a generated 100,000, say):
 *
 *   node --import tsx tests/bench/similarity-cost.ts ARCHIVE [--rounds 2] [--dir DIR] [--source]
 *
 * Each round builds a cold index without other versions and then with them, back to back (the machine's other
 * work drifts over a run), each in a process of its own running the bundled indexer (out/main, as run.ts builds it;
 * `--source`: the sources under tsx): wall seconds, CPU seconds of all its threads (process.cpuUsage), its peak
 * resident set, and the load average. Prints one JSON line a build and a summary line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { IndexStore } from '../../src-main/node/index/store';
import { SIMILARITY_OFF_ENV as OFF_ENV } from '../../src-main/node/index/similar';

export { SIMILARITY_OFF_ENV } from '../../src-main/node/index/similar';

export interface SimilarityCost {
  /** Bytes of post_sig and sig_buckets, and of the whole file (after a checkpoint). */
  similarBytes: number;
  fileBytes: number;
  /** How much larger the file is for them: similarBytes / (fileBytes - similarBytes). */
  growth: number;
  /** p95 and max of getSimilar's look-up over `lookups` posts spread over the archive, ms. */
  lookupP95Ms: number;
  lookupMaxMs: number;
  lookups: number;
  /** Posts with a signature, and the share of looked-up posts that found another version. */
  signed: number;
  withVersions: number;
}

export function similarityCost(file: string, lookups = 200): SimilarityCost {
  const db = new Database(file);
  let similarBytes: number;
  let fileBytes: number;
  let signed: number;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name").all() as { name: string; bytes: number }[];
    similarBytes = bytes.filter((r) => r.name === 'post_sig' || r.name === 'sig_buckets').reduce((sum, r) => sum + r.bytes, 0);
    fileBytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
    signed = db.prepare('SELECT count(*) FROM post_sig').pluck().get() as number;
  } finally {
    db.close();
  }
  const store = IndexStore.open(file, { readonly: true });
  const times: number[] = [];
  let withVersions = 0;
  try {
    const paths = [...store.fileStates().keys()].sort();
    const step = Math.max(1, Math.floor(paths.length / lookups));
    for (let i = 0; i < paths.length && times.length < lookups; i += step) {
      const started = performance.now();
      const found = store.similar(paths[i]!) ?? [];
      times.push(performance.now() - started);
      if (found.length > 0) withVersions++;
    }
  } finally {
    store.close();
  }
  times.sort((a, b) => a - b);
  const round2 = (n: number) => Math.round(n * 100) / 100;
  return {
    similarBytes, fileBytes, growth: round2(similarBytes / Math.max(1, fileBytes - similarBytes)),
    lookupP95Ms: round2(times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)] ?? 0),
    lookupMaxMs: round2(times[times.length - 1] ?? 0), lookups: times.length, signed, withVersions,
  };
}

interface BuildFigures { similarity: boolean; wallS: number; cpuS: number; peakRssMb: number; updated: number; load: number[] }

/** One cold build in this process (the child of buildCost): its figures as one JSON line. */
async function buildHere(root: string, indexFile: string, source: boolean): Promise<void> {
  const { runIndexer } = source ? await import('../../src-main/node/index/run-indexer') : await (await import('./built-indexer')).loadBuiltIndexer();
  const { peakRssMb } = await import('./peak-rss');
  const cpu = process.cpuUsage();
  const started = performance.now();
  const summary = await runIndexer({ root, indexFile }).done;
  const used = process.cpuUsage(cpu);
  const figures: BuildFigures = {
    similarity: process.env[OFF_ENV] !== '1', wallS: +((performance.now() - started) / 1000).toFixed(2),
    cpuS: +((used.user + used.system) / 1e6).toFixed(2), peakRssMb: peakRssMb(), updated: summary.updated,
    load: os.loadavg().map((l) => +l.toFixed(2)),
  };
  console.log(JSON.stringify(figures));
}

/** `rounds` pairs of cold builds of `root`, without and with other versions, each in a child process. */
function buildCost(root: string, rounds: number, dir: string, source: boolean): void {
  fs.mkdirSync(dir, { recursive: true });
  const builds: BuildFigures[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const similarity of [false, true]) {
      const indexFile = path.join(dir, `index-${round}-${similarity ? 'with' : 'without'}.sqlite`);
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(indexFile + suffix, { force: true });
      const env = { ...process.env };
      if (similarity) delete env[OFF_ENV];
      else env[OFF_ENV] = '1';
      const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', root, indexFile, ...(source ? ['--source'] : [])],
        { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 2 ** 24 });
      if (child.status !== 0) throw new Error(`build failed (${child.status ?? child.signal})`);
      const figures = JSON.parse(child.stdout.trim().split('\n').pop()!) as BuildFigures;
      console.log(JSON.stringify({ round, ...figures }));
      builds.push(figures);
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(indexFile + suffix, { force: true });
    }
  }
  const mean = (similarity: boolean, key: 'wallS' | 'cpuS') => {
    const these = builds.filter((b) => b.similarity === similarity);
    return these.reduce((n, b) => n + b[key], 0) / these.length;
  };
  const pct = (key: 'wallS' | 'cpuS') => +((mean(true, key) / mean(false, key) - 1) * 100).toFixed(1);
  console.log(JSON.stringify({
    summary: true, archive: root, rounds, wallPct: pct('wallS'), cpuPct: pct('cpuS'),
    perRound: Array.from({ length: rounds }, (_, r) => {
      const [without, withIt] = [builds[2 * r]!, builds[2 * r + 1]!];
      return { wallPct: +((withIt.wallS / without.wallS - 1) * 100).toFixed(1), cpuPct: +((withIt.cpuS / without.cpuS - 1) * 100).toFixed(1) };
    }),
    peakRssMbWith: Math.max(...builds.filter((b) => b.similarity).map((b) => b.peakRssMb)),
    peakRssMbWithout: Math.max(...builds.filter((b) => !b.similarity).map((b) => b.peakRssMb)),
  }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const source = args.includes('--source');
  const option = (name: string): string | undefined => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  if (args[0] === '--child') await buildHere(args[1]!, args[2]!, source);
  else if (args[0] && !args[0].startsWith('--')) {
    buildCost(path.resolve(args[0]), Number(option('--rounds') ?? 2), path.resolve(option('--dir') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-similarity-cost-'))), source);
  } else {
    console.error('usage: similarity-cost.ts ARCHIVE [--rounds 2] [--dir DIR] [--source]');
    process.exit(2);
  }
}
