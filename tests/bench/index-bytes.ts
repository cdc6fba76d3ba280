/**
 * Where an index's bytes go, and what its searches cost (Index v2, issue 16). Builds the index with the real
 * indexing thread when the file does not exist yet, then prints one JSON line: the file's bytes and its WAL's
 * after a checkpoint, the bytes of each table and index (SQLite's dbstat) and their unused bytes, free pages,
 * the bytes of each column of posts and of post_text's packed texts, the archive's bytes and the ratio, and the benchmark's 50
 * searches (search-queries.ts, first page of 50 with snippets, as open-child.ts runs them) over `rounds`
 * rounds: p50/p95 of each query's median.
 * Usage: npx tsx tests/bench/index-bytes.ts <archive> <index.sqlite> [rounds=3]
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { IndexStore } from '../../src-main/node/index/store';
import { runIndexer } from '../../src-main/node/index/run-indexer';
import { SEARCH_QUERIES } from './search-queries';

const [root, file, roundsArg = '3'] = process.argv.slice(2);
if (!root || !file) {
  console.error('usage: index-bytes.ts <archive> <index.sqlite> [rounds=3]');
  process.exit(2);
}

function folderBytes(dir: string): number {
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) bytes += folderBytes(full);
    else if (entry.isFile()) bytes += fs.statSync(full).size;
  }
  return bytes;
}

let buildMs: number | null = null;
if (!fs.existsSync(file)) {
  const started = performance.now();
  await runIndexer({ root, indexFile: file }).done;
  buildMs = Math.round(performance.now() - started);
}

// A checkpoint first, so that the file holds everything (the WAL is folded in); the WAL left after it is counted.
const db = new Database(file);
db.pragma('wal_checkpoint(TRUNCATE)');
const walFile = `${file}-wal`;
const walBytes = fs.existsSync(walFile) ? fs.statSync(walFile).size : 0;
const statRows = db.prepare('SELECT name, SUM(pgsize) AS bytes, SUM(unused) AS unused FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as
  { name: string; bytes: number; unused: number }[];
const tables = Object.fromEntries(statRows.map((r) => [r.name, r.bytes]));
// Bytes of a table's pages that hold nothing (a row that did not fit ends a page early), by table.
const unused = Object.fromEntries(statRows.filter((r) => r.unused > 0).map((r) => [r.name, r.unused]));
const pageSize = db.pragma('page_size', { simple: true }) as number;
const freePages = db.pragma('freelist_count', { simple: true }) as number;
// The bytes of each column of posts as stored (text as UTF-8, numbers as SQLite's serial types: approximated by their text).
const postColumns = (db.prepare('PRAGMA table_info(posts)').all() as { name: string }[]).map((c) => c.name);
const columnBytes = db.prepare(`SELECT ${postColumns.map((c) => `SUM(length(CAST("${c}" AS BLOB))) AS "${c}"`).join(', ')} FROM posts`).get() as Record<string, number | null>;
const postTextPayload = db.prepare('SELECT SUM(length(text)) FROM post_text').pluck().get() as number | null;
db.close();

const store = IndexStore.open(file);
const rounds = Math.max(1, Number(roundsArg));
const times = new Map<string, number[]>();
const totals = new Map<string, number>();
for (let round = 0; round < rounds; round++) {
  for (const query of SEARCH_QUERIES) {
    const started = performance.now();
    const result = store.list({ query, limit: 50 });
    const ms = performance.now() - started;
    times.set(query, [...(times.get(query) ?? []), ms]);
    totals.set(query, result.total);
  }
}
store.close();

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const perQuery = SEARCH_QUERIES.map((query) => ({ query, ms: Math.round(median(times.get(query)!) * 10) / 10, total: totals.get(query)! }));
const sorted = perQuery.map((q) => q.ms).sort((a, b) => a - b);
const percentile = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const fileBytes = fs.statSync(file).size;
const archiveBytes = folderBytes(root);
console.log(JSON.stringify({
  fileBytes, walBytes, archiveBytes, ratio: Math.round(((fileBytes + walBytes) / archiveBytes) * 100) / 100, buildMs, pageSize,
  freeBytes: freePages * pageSize, tables, unused, postColumns: columnBytes, postTextPayload,
  search: { p50: percentile(50), p95: percentile(95), slowest: [...perQuery].sort((a, b) => b.ms - a.ms).slice(0, 5) },
  perQuery,
}));
