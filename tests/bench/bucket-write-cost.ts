/**
 * What the similarity tables cost a cold build's writer as the archive grows (issue 14's cost target): the post_sig
 * and sig_buckets rows of an archive's posts (their real signatures, oldest first) are written as a build writes
 * them (schema.ts's tables, transactions of 1,000 posts, bucket rows sorted and 256 a statement, as similar.ts
 * writePendingBuckets), alone in a new database, with counts and CPU per commit: pages the commit wrote to the WAL
 * (wal_autocheckpoint off, a TRUNCATE checkpoint after each commit, its CPU counted apart), and CPU of the post_sig
 * inserts, the bucket inserts and the COMMIT. Prints one JSON line per window of `every` commits (default 10) and
 * one summing line. Variant `fts5`: the bucket rows as the tokens of a contentless FTS5 table with detail=none
 * (append-only segments, a candidate design) instead of the WITHOUT ROWID B-tree.
 *
 *   node --import tsx tests/bench/bucket-write-cost.ts ARCHIVE [posts=all] [btree|fts5] [every=10] [--sigs FILE]
 *
 * --sigs FILE keeps the signatures made from the archive in FILE (made once, read on later runs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { bandBuckets } from '../../src-main/core/similarity/bands';
import { unpackSignature } from '../../src-main/core/similarity/signature';
import { forTransfer, readAndParseOneSync } from '../../src-main/node/index/read-post';
import { scanArchive } from '../../src-main/node/index/scan';

const args = process.argv.slice(2);
const sigsAt = args.indexOf('--sigs');
const sigsFile = sigsAt >= 0 ? args[sigsAt + 1] : undefined;
const [root, postsArg = 'all', variant = 'btree', everyArg = '10'] = args.filter((a, i) => !a.startsWith('--') && (sigsAt < 0 || i !== sigsAt + 1));
if (!root || !['btree', 'fts5', 'deferred'].includes(variant)) {
  console.error('usage: bucket-write-cost.ts ARCHIVE [posts=all] [btree|fts5|deferred] [every=10] [--sigs FILE]');
  process.exit(2);
}
const every = Number(everyArg);
const SIG_BYTES = 128;

/** Each post's packed signature (oldest first, as a build writes), null for a post too short to have one. */
async function signatures(): Promise<(Buffer | null)[]> {
  if (sigsFile && fs.existsSync(sigsFile)) {
    const all = fs.readFileSync(sigsFile);
    const out: (Buffer | null)[] = [];
    for (let at = 0; at < all.length; at += SIG_BYTES + 1) out.push(all[at] === 1 ? all.subarray(at + 1, at + 1 + SIG_BYTES) : null);
    return out;
  }
  const files = (await scanArchive(root!)).files;
  files.sort((a, b) => ((a.location.fileDate ?? '') < (b.location.fileDate ?? '') ? -1 : (a.location.fileDate ?? '') > (b.location.fileDate ?? '') ? 1 : 0));
  const out: (Buffer | null)[] = [];
  for (const f of files) {
    const o = forTransfer(readAndParseOneSync(f));
    if (o.kind !== 'post') continue;
    const s = o.fts?.signature;
    out.push(s ? Buffer.from(s.buffer, s.byteOffset, s.byteLength) : null);
  }
  if (sigsFile) {
    const all = Buffer.alloc(out.length * (SIG_BYTES + 1));
    out.forEach((s, i) => {
      if (!s) return;
      all[i * (SIG_BYTES + 1)] = 1;
      s.copy(all, i * (SIG_BYTES + 1) + 1);
    });
    fs.writeFileSync(sigsFile, all);
  }
  return out;
}

const all = await signatures();
const sigs = postsArg === 'all' ? all : all.slice(0, Number(postsArg));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-bucket-cost-'));
const file = path.join(dir, 'buckets.sqlite');
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
db.exec('CREATE TABLE post_sig (id INTEGER PRIMARY KEY, sig BLOB NOT NULL)');
if (variant !== 'fts5') db.exec('CREATE TABLE sig_buckets (bucket INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (bucket, id)) WITHOUT ROWID');
else db.exec("CREATE VIRTUAL TABLE sig_buckets USING fts5 (b, content='', detail=none, contentless_delete=1, tokenize='ascii')");

const ROWS = 256;
const many = variant !== 'fts5'
  ? db.prepare(`INSERT OR IGNORE INTO sig_buckets (bucket, id) VALUES ${Array(ROWS).fill('(?, ?)').join(', ')}`)
  : undefined;
const one = variant !== 'fts5'
  ? db.prepare('INSERT OR IGNORE INTO sig_buckets (bucket, id) VALUES (?, ?)')
  : db.prepare('INSERT INTO sig_buckets (rowid, b) VALUES (?, ?)');
const insertSig = db.prepare('INSERT INTO post_sig (id, sig) VALUES (?, ?)');
const begin = db.prepare('BEGIN');
const commit = db.prepare('COMMIT');

/** The deferred variant's rows: written once, sorted, into the empty table after the last commit. */
const deferred: [number, number][] = [];
function insertSorted(rows: [number, number][]): void {
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let at = 0;
  const params = new Array<number>(2 * ROWS);
  for (; at + ROWS <= rows.length; at += ROWS) {
    for (let k = 0; k < ROWS; k++) {
      params[2 * k] = rows[at + k]![0];
      params[2 * k + 1] = rows[at + k]![1];
    }
    many!.run(params);
  }
  for (; at < rows.length; at++) one.run(rows[at]![0], rows[at]![1]);
}

const cpuOf = (before: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(before);
  return (u.user + u.system) / 1e6;
};
const window = { sigS: 0, bucketsS: 0, commitS: 0, checkpointS: 0, pages: 0, commits: 0 };
const total = { ...window };
const WRITE_MAX = 1000;
for (let start = 0; start < sigs.length; start += WRITE_MAX) {
  begin.run();
  let t = process.cpuUsage();
  const rows: [number, number][] = [];
  const batch: [number, Buffer][] = [];
  for (let i = start; i < Math.min(sigs.length, start + WRITE_MAX); i++) {
    const s = sigs[i];
    if (!s) continue;
    insertSig.run(i + 1, s);
    batch.push([i + 1, s]);
  }
  window.sigS += cpuOf(t);
  t = process.cpuUsage();
  if (variant === 'btree') {
    for (const [id, s] of batch) for (const bucket of new Set(bandBuckets(unpackSignature(s)))) rows.push([bucket, id]);
    insertSorted(rows);
  } else if (variant === 'deferred') {
    for (const [id, s] of batch) for (const bucket of new Set(bandBuckets(unpackSignature(s)))) deferred.push([bucket, id]);
  } else {
    for (const [id, s] of batch) one.run(id, [...new Set(bandBuckets(unpackSignature(s)))].map((b) => b.toString(36)).join(' '));
  }
  window.bucketsS += cpuOf(t);
  t = process.cpuUsage();
  commit.run();
  window.commitS += cpuOf(t);
  t = process.cpuUsage();
  const [, frames] = db.prepare('PRAGMA wal_checkpoint(PASSIVE)').raw().get() as number[];
  db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').run();
  window.checkpointS += cpuOf(t);
  window.pages += frames!;
  window.commits += 1;
  const posts = Math.min(sigs.length, start + WRITE_MAX);
  if (window.commits === every || posts === sigs.length) {
    const line = { variant, posts, pagesPerCommit: Math.round(window.pages / window.commits) } as Record<string, unknown>;
    for (const k of ['sigS', 'bucketsS', 'commitS', 'checkpointS'] as const) {
      line[`${k.slice(0, -1)}MsPerCommit`] = +((window[k] / window.commits) * 1000).toFixed(1);
      total[k] += window[k];
    }
    total.pages += window.pages;
    total.commits += window.commits;
    console.log(JSON.stringify(line));
    Object.assign(window, { sigS: 0, bucketsS: 0, commitS: 0, checkpointS: 0, pages: 0, commits: 0 });
  }
}
if (variant === 'deferred') {
  // The whole build's bucket rows in one transaction, sorted, into the empty table.
  let t = process.cpuUsage();
  begin.run();
  insertSorted(deferred);
  total.bucketsS += cpuOf(t);
  t = process.cpuUsage();
  commit.run();
  total.commitS += cpuOf(t);
  t = process.cpuUsage();
  const [, frames] = db.prepare('PRAGMA wal_checkpoint(PASSIVE)').raw().get() as number[];
  db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').run();
  total.checkpointS += cpuOf(t);
  total.pages += frames!;
  console.log(JSON.stringify({ variant, last: 'all bucket rows, sorted', pages: frames }));
}
const bytes = fs.statSync(file).size;
db.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({
  variant, posts: sigs.length, commits: total.commits, pages: total.pages, fileMB: +(bytes / 2 ** 20).toFixed(1),
  sigS: +total.sigS.toFixed(2), bucketsS: +total.bucketsS.toFixed(2), commitS: +total.commitS.toFixed(2), checkpointS: +total.checkpointS.toFixed(2),
  load: os.loadavg().map((l) => +l.toFixed(1)),
}));
