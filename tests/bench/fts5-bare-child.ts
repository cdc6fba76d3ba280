/**
 * The floor under Backfile's index, for the comparison (compare.ts): a bare SQLite FTS5 table fed the same tokens
 * Backfile's tokenizer makes (a file of ftsText() lines written beforehand), one writer, no other tables, in
 * transactions of 1,000 posts, rowids 1, 2, 3… in file order. Timed from opening the file to closing it after
 * a WAL checkpoint; the tokens file is streamed, so the resident set holds a batch, not the corpus.
 * Prints one JSON line (BareFtsResult).
 *
 * Tables:
 * - `backfile`: Backfile's posts_fts options (contentless with delete support, the same unicode61 settings,
 *   prefix='1', automerge 16, 16 MiB hash, crisismerge 64), without the facets column;
 * - `plain`: FTS5's defaults (stores its content, no prefix index, 1 MiB hash).
 *
 * Usage: node --import tsx tests/bench/fts5-bare-child.ts <tokens.jsonl> <db.sqlite> <backfile|plain>
 */
import { peakRssMb } from './peak-rss';
import fs from 'node:fs';
import readline from 'node:readline';
import Database from 'better-sqlite3';

export type BareTable = 'backfile' | 'plain';

export interface BareFtsResult {
  table: BareTable;
  posts: number;
  buildMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
  /** Database and WAL after the checkpoint. */
  bytes: number;
}

const TOKENIZE = `tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"`;
const SCHEMA: Record<BareTable, string> = {
  backfile: `
    CREATE VIRTUAL TABLE fts USING fts5 (title, body, content = '', contentless_delete = 1, ${TOKENIZE}, prefix = '1');
    INSERT INTO fts (fts, rank) VALUES ('automerge', 16);
    INSERT INTO fts (fts, rank) VALUES ('hashsize', ${16 * 1024 * 1024});
    INSERT INTO fts (fts, rank) VALUES ('crisismerge', 64);`,
  plain: `CREATE VIRTUAL TABLE fts USING fts5 (title, body, ${TOKENIZE});`,
};
const BATCH = 1000;

const [tokensFile, dbFile, table] = process.argv.slice(2);
if (!tokensFile || !dbFile || (table !== 'backfile' && table !== 'plain')) {
  console.error('usage: fts5-bare-child.ts <tokens.jsonl> <db.sqlite> <backfile|plain>');
  process.exit(2);
}
const round1 = (n: number): number => Math.round(n * 10) / 10;
for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
const rssBeforeMb = round1(process.memoryUsage().rss / 2 ** 20);

const started = performance.now();
const db = new Database(dbFile);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(SCHEMA[table]);
const insert = db.prepare('INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)');
const write = db.transaction((rows: [number, string, string][]) => {
  for (const row of rows) insert.run(...row);
});
let posts = 0;
let batch: [number, string, string][] = [];
for await (const line of readline.createInterface({ input: fs.createReadStream(tokensFile), crlfDelay: Infinity })) {
  if (line === '') continue;
  const { title, body } = JSON.parse(line) as { title: string; body: string };
  batch.push([++posts, title, body]);
  if (batch.length === BATCH) {
    write(batch);
    batch = [];
  }
}
if (batch.length > 0) write(batch);
db.pragma('wal_checkpoint(TRUNCATE)');
db.close();
const buildMs = Math.round(performance.now() - started);

const bytes = ['', '-wal'].reduce((n, s) => n + (fs.statSync(dbFile + s, { throwIfNoEntry: false })?.size ?? 0), 0);
const result: BareFtsResult = { table, posts, buildMs, rssBeforeMb, peakRssMb: peakRssMb(), bytes };
console.log(JSON.stringify(result));
