/**
 * Index v2, issue 16: what other FTS5 layouts of the same tokens would cost, on disk and per search. Reads an
 * index built by index-bytes.ts (its posts and stored texts), writes the same FTS5 rows (write.ts ftsText and
 * postFacets, in id order, 2,000 rows a transaction like a build) into one new file per variant, and prints one
 * JSON line a variant: the FTS5 tables' bytes (dbstat), the build time, and the bench's 50 searches
 * (search-queries.ts: the count and the first page of 50, as store.list asks FTS5, plus the page's snippets
 * inflated): p50/p95 of each query's median over `rounds`, and whether each total equals the baseline's.
 *
 * `detail=column` cannot run phrases (every CJK word of 2+ characters is a phrase of bigrams): its queries run
 * each phrase as an AND of its tokens, then every candidate is verified against its stored text, tokenised
 * again (the exact phrase, in the columns asked for), which is what its total costs.
 * Usage: npx tsx tests/bench/fts-variants.ts <index.sqlite> <workdir> [rounds=3] [variant…]
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { compileQuery } from '../../src-main/core/query';
import { makeSnippet } from '../../src-main/core/snippet';
import { planList, postFacets } from '../../src-main/node/index/list';
import { ftsText, idSpan, unpackText, type FtsText } from '../../src-main/node/index/write';
import { SEARCH_QUERIES } from './search-queries';

const TOKENIZE = `tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"`;
interface Variant { options: string; after?: string[]; unigrams?: boolean; verify?: boolean; keepDeletes?: false }
const VARIANTS: Record<string, Variant> = {
  // The table of schema 4, as built.
  current: { options: "prefix = '1'" },
  // SQLite refuses columnsize=0 with contentless_delete=1 (which deleting and moving posts needs): measured without it.
  columnsize0: { options: "prefix = '1', columnsize = 0", keepDeletes: false },
  noprefix: { options: '' },
  // No prefix index; one-character queries read a separate table of (character, post) rows instead.
  unigramTable: { options: '', unigrams: true },
  detailColumn: { options: "prefix = '1', detail = column", verify: true },
  pgsz8000: { options: "prefix = '1'", after: ["INSERT INTO posts_fts (posts_fts, rank) VALUES ('pgsz', 8000)"] },
  automerge2: { options: "prefix = '1'", after: ["INSERT INTO posts_fts (posts_fts, rank) VALUES ('automerge', 2)"] },
  optimized: { options: "prefix = '1'", after: [] },
};

const [source, workdir, roundsArg = '3', ...only] = process.argv.slice(2);
if (!source || !workdir) {
  console.error('usage: fts-variants.ts <index.sqlite> <workdir> [rounds=3] [variant…]');
  process.exit(2);
}
fs.mkdirSync(workdir, { recursive: true });
const rounds = Math.max(1, Number(roundsArg));
const src = new Database(source, { readonly: true });
const span = idSpan((text) => src.prepare(text));

interface Row { id: number; fts: FtsText; facets: string }
function* rows(): Generator<Row[]> {
  const read = src.prepare(`SELECT p.id, p.title, p.hidden, p.year, p.month, p.categories, p.tags, p.tag_keys, p.description, t.text
    FROM posts p JOIN post_text t ON t.id = p.id WHERE p.id > ? ORDER BY p.id LIMIT 2000`);
  for (let after = -1; ;) {
    const chunk = read.all(after) as { id: number; title: string; hidden: number; year: number | null; month: number | null; categories: string;
      tags: string; tag_keys: string; description: string; text: Buffer }[];
    if (chunk.length === 0) return;
    yield chunk.map((r) => ({
      id: r.id,
      fts: ftsText({ title: r.title, text: unpackText(r.text), tags: JSON.parse(r.tags) as string[], categories: JSON.parse(r.categories) as string[], description: r.description }),
      facets: postFacets({ hidden: r.hidden !== 0, year: r.year, month: r.month, categories: JSON.parse(r.categories) as string[],
        tagKeys: (JSON.parse(r.tag_keys) as [string, string][]).map(([n]) => n) }),
    }));
    after = chunk[chunk.length - 1]!.id;
  }
}

// Tokenise once, for every variant.
const all: Row[] = [];
for (const chunk of rows()) all.push(...chunk);
const textOf = src.prepare('SELECT text FROM post_text WHERE id = ?').pluck();
const ftsById = new Map(all.map((r) => [r.id, r.fts]));

/** Each positive multi-token phrase as an AND of its tokens (detail=column has no positions). */
const relax = (expr: string): string =>
  expr.replace(/"[^"]*"/g, (m) => (m.includes(' ') ? `(${m.slice(1, -1).split(' ').map((t) => `"${t}"`).join(' AND ')})` : m));
/** The phrases of a compiled match and the column each must be in (null: any text column). */
function phrases(match: string): { tokens: string; column: 'title' | null }[] {
  const out: { tokens: string; column: 'title' | null }[] = [];
  for (const m of match.matchAll(/(title : \()?"([^"]*)"/g)) if (m[2]!.includes(' ')) out.push({ tokens: m[2]!, column: m[1] ? 'title' : null });
  return out;
}
const has = (text: string, tokens: string): boolean => ` ${text} `.includes(` ${tokens} `);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// The totals of `current` (this run's, or a previous run's in the same workdir) are what every variant must find.
const baselineFile = path.join(workdir, 'current-totals.json');
const baseline = new Map<string, number>(fs.existsSync(baselineFile) ? Object.entries(JSON.parse(fs.readFileSync(baselineFile, 'utf8')) as Record<string, number>) : []);

for (const [name, v] of Object.entries(VARIANTS)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const file = path.join(workdir, `${name}.sqlite`);
  fs.rmSync(file, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE VIRTUAL TABLE posts_fts USING fts5 (title, meta, body, facets, content = '', ${v.keepDeletes === false ? '' : 'contentless_delete = 1, '}${TOKENIZE}${v.options ? `, ${v.options}` : ''});
    INSERT INTO posts_fts (posts_fts, rank) VALUES ('rank', 'bm25(10.0, 3.0, 1.0, 0.0)');
    INSERT INTO posts_fts (posts_fts, rank) VALUES ('automerge', 16);
    INSERT INTO posts_fts (posts_fts, rank) VALUES ('hashsize', ${16 * 1024 * 1024});
    INSERT INTO posts_fts (posts_fts, rank) VALUES ('crisismerge', 64);`);
  for (const sql of v.after ?? []) db.exec(sql);
  if (v.unigrams) db.exec('CREATE TABLE unigrams (ch TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (ch, id)) WITHOUT ROWID');
  const insert = db.prepare('INSERT INTO posts_fts (rowid, title, meta, body, facets) VALUES (?, ?, ?, ?, ?)');
  const uni = v.unigrams ? db.prepare('INSERT OR IGNORE INTO unigrams (ch, id) VALUES (?, ?)') : null;
  const started = performance.now();
  for (let i = 0; i < all.length; i += 2000) {
    db.transaction(() => {
      for (const r of all.slice(i, i + 2000)) {
        insert.run(r.id, r.fts.title, r.fts.meta, r.fts.body, r.facets);
        if (uni) for (const ch of new Set(`${r.fts.title} ${r.fts.meta} ${r.fts.body}`.match(/\p{Script=Han}/gu) ?? [])) uni.run(ch, r.id);
      }
    })();
  }
  if (name === 'optimized') db.exec("INSERT INTO posts_fts (posts_fts) VALUES ('optimize')");
  const buildMs = Math.round(performance.now() - started);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const tables = Object.fromEntries((db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[])
    .map((r) => [r.name, r.bytes]));
  const ftsBytes = Object.entries(tables).filter(([n]) => n.startsWith('posts_fts')).reduce((s, [, b]) => s + b, 0);

  const times = new Map<string, number[]>();
  const totals = new Map<string, number>();
  for (let round = 0; round < rounds; round++) {
    for (const query of SEARCH_QUERIES) {
      const t0 = performance.now();
      const compiled = compileQuery(query);
      const plan = planList({ query }, compiled, span);
      let total: number;
      let ids: number[];
      const oneChar = compiled.match !== null && /^"(\p{Script=Han})" \*$/u.exec(compiled.match);
      if (v.unigrams && oneChar) {
        // The one-character query from the unigram table, the hidden filter from FTS5.
        const hits = db.prepare(`SELECT id FROM unigrams WHERE ch = ? AND id >= ? AND id < ? AND id NOT IN
          (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?) ORDER BY id DESC`).pluck().all(oneChar[1], plan.minId, plan.maxId, '"\uE000h"') as number[];
        total = hits.length;
        ids = hits.slice(0, 50);
      } else if (v.verify && compiled.match !== null && phrases(compiled.match).length > 0) {
        const wanted = phrases(compiled.match);
        const candidates = db.prepare('SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ? ORDER BY rowid DESC')
          .pluck().all(relax(plan.expr), plan.minId, plan.maxId) as number[];
        // Verified from the stored text (inflated, tokenised again), as an index without positions must.
        const ok = candidates.filter((id) => {
          const fts = ftsText({ title: '', text: unpackText(textOf.get(id) as Buffer) });
          const title = ftsById.get(id)!.title;
          const meta = ftsById.get(id)!.meta;
          return wanted.every((w) => has(title, w.tokens) || (w.column === null && (has(meta, w.tokens) || has(fts.body, w.tokens))));
        });
        total = ok.length;
        ids = ok.slice(0, 50);
      } else {
        total = db.prepare('SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ?').pluck().get(plan.expr, plan.minId, plan.maxId) as number;
        ids = db.prepare('SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ? ORDER BY rowid DESC LIMIT 50')
          .pluck().all(plan.expr, plan.minId, plan.maxId) as number[];
      }
      for (const id of ids) makeSnippet(unpackText(textOf.get(id) as Buffer), compiled.highlight);
      times.set(query, [...(times.get(query) ?? []), performance.now() - t0]);
      totals.set(query, total);
    }
  }
  if (name === 'current') {
    for (const [q, t] of totals) baseline.set(q, t);
    fs.writeFileSync(baselineFile, JSON.stringify(Object.fromEntries(totals)));
  }
  const perQuery = SEARCH_QUERIES.map((query) => ({ query, ms: Math.round(median(times.get(query)!) * 10) / 10, total: totals.get(query)! }));
  const sorted = perQuery.map((q) => q.ms).sort((a, b) => a - b);
  const pct = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const differ = baseline.size === 0 ? null : perQuery.filter((q) => baseline.get(q.query) !== q.total).map((q) => `${q.query}: ${baseline.get(q.query)} -> ${q.total}`);
  console.log(JSON.stringify({
    variant: name, fileBytes: fs.statSync(file).size, ftsBytes, tables, buildMs,
    search: { p50: pct(50), p95: pct(95), slowest: [...perQuery].sort((a, b) => b.ms - a.ms).slice(0, 4) }, totalsDiffer: differ,
  }));
  db.close();
}

