/**
 * Two FTS5 writers on two cores (issue 16, stop 20): the same token rows the app writes (schema.ts posts_fts's
 * columns and options, write.ts's tokens and facets, the index's own ids) written
 *   (a) into one FTS5 table by one worker thread, and
 *   (b) into two FTS5 tables in two database files, by two worker threads at once (posts split by the parity of their
 *       place in id order, or into the older and the newer half, as a split by year would),
 * each in the app's transactions (1,000 posts; 500 a shard in (b): the same batches split in two). Then the 50 bench
 * queries (search-queries.ts, planned by list.ts planList as the app plans them) against both: totals, the first page
 * newest first, and the first page by relevance (bm25 with the app's weights) merged from the shards by id / by
 * score, compared with the one table's; and each way's time per query (count + both pages), its p95 and CPU.
 *
 * The rows are made from a built index (its posts and their stored text, as write.ts storedFtsRow makes a moved
 * post's row), so any index of any corpus can be replayed; writing CPU is the writing thread's own (its
 * /proc/thread-self/stat), from its first insert to its last commit and checkpoint, reading its rows excluded.
 *
 *   node --import tsx tests/bench/two-writers.ts INDEX WORKDIR [parity|halves] [rounds=3] [--queries-only]
 *
 * `--queries-only` asks the databases a previous run left in WORKDIR again, without writing them. Times per query:
 * `list` is the count and the newest-first page (the app's default list); `full` adds the first page by bm25 over
 * every hit (the app ranks so only up to store.ts RANK_LIMIT hits).
 *
 * WORKDIR gets the rows (rows-*.jsonl) and the three databases; delete it afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { compileQuery } from '../../src-main/core/query';
import { ID_SPAN, planList, postFacets } from '../../src-main/node/index/list';
import { ftsText, unpackText } from '../../src-main/node/index/write';
import { SEARCH_QUERIES } from './search-queries';

const TOKENIZE = `tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"`;
/** schema.ts v4's posts_fts, its rank and its write tuning. */
const SCHEMA = `
  CREATE VIRTUAL TABLE posts_fts USING fts5 (title, meta, body, facets, content = '', contentless_delete = 1, ${TOKENIZE}, prefix = '1');
  INSERT INTO posts_fts (posts_fts, rank) VALUES ('rank', 'bm25(10.0, 3.0, 1.0, 0.0)');
  INSERT INTO posts_fts (posts_fts, rank) VALUES ('automerge', 16);
  INSERT INTO posts_fts (posts_fts, rank) VALUES ('hashsize', ${16 * 1024 * 1024});
  INSERT INTO posts_fts (posts_fts, rank) VALUES ('crisismerge', 64);`;
type Row = [number, string, string, string, string];
interface WriterJob { rowsFile: string; dbFile: string; batch: number }
interface WriterResult { dbFile: string; posts: number; cpuS: number; readCpuS: number; wallS: number; bytes: number }

/** This thread's CPU seconds (utime + stime of /proc/thread-self/stat, in clock ticks of 10 ms). */
function threadCpuS(): number {
  const stat = fs.readFileSync('/proc/thread-self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function writeShard(job: WriterJob): Promise<WriterResult> {
  const readBefore = threadCpuS();
  const rows: Row[] = [];
  for await (const line of readline.createInterface({ input: fs.createReadStream(job.rowsFile), crlfDelay: Infinity })) {
    if (line !== '') rows.push(JSON.parse(line) as Row);
  }
  const readCpuS = threadCpuS() - readBefore;
  for (const s of ['', '-wal', '-shm']) fs.rmSync(job.dbFile + s, { force: true });
  const started = performance.now();
  const before = threadCpuS();
  const db = new Database(job.dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const insert = db.prepare('INSERT INTO posts_fts (rowid, title, meta, body, facets) VALUES (?, ?, ?, ?, ?)');
  const write = db.transaction((batch: Row[]) => {
    for (const row of batch) insert.run(...row);
  });
  for (let i = 0; i < rows.length; i += job.batch) write(rows.slice(i, i + job.batch));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const cpuS = threadCpuS() - before;
  const wallS = (performance.now() - started) / 1000;
  const bytes = ['', '-wal'].reduce((n, s) => n + (fs.statSync(job.dbFile + s, { throwIfNoEntry: false })?.size ?? 0), 0);
  return { dbFile: job.dbFile, posts: rows.length, cpuS, readCpuS, wallS, bytes };
}

if (!isMainThread) {
  parentPort!.postMessage(await writeShard((workerData as { data: WriterJob }).data));
} else {
  await main();
}

function runWriters(jobs: WriterJob[]): Promise<{ results: WriterResult[]; wallS: number; processCpuS: number }> {
  const started = performance.now();
  const before = process.cpuUsage();
  return Promise.all(jobs.map((job) => new Promise<WriterResult>((resolve, reject) => {
    // Through the sources' TypeScript bootstrap (as spawn-worker.ts starts a worker under tsx).
    const worker = new Worker(new URL('../../src-main/node/index/ts-worker-bootstrap.mjs', import.meta.url), { workerData: { entry: import.meta.url, data: job } });
    worker.once('message', resolve);
    worker.once('error', reject);
  }))).then((results) => {
    const used = process.cpuUsage(before);
    return { results, wallS: (performance.now() - started) / 1000, processCpuS: (used.user + used.system) / 1e6 };
  });
}

/** The app's FTS5 rows of an index's posts, in id order (write.ts storedFtsRow, for every post). */
function indexSpan(index: string): number {
  const db = new Database(index, { readonly: true });
  const span = Number((db.prepare("SELECT value FROM meta WHERE key = 'id_span'").pluck().get() as string | undefined) ?? ID_SPAN);
  db.close();
  return span;
}

function writeRows(index: string, dir: string, split: 'parity' | 'halves'): { files: string[]; posts: number; span: number } {
  const db = new Database(index, { readonly: true });
  const span = Number((db.prepare("SELECT value FROM meta WHERE key = 'id_span'").pluck().get() as string | undefined) ?? ID_SPAN);
  const total = db.prepare('SELECT count(*) FROM posts').pluck().get() as number;
  const text = db.prepare('SELECT text FROM post_text WHERE id = ?').pluck();
  const files = ['rows-all.jsonl', 'rows-0.jsonl', 'rows-1.jsonl'].map((f) => path.join(dir, f));
  const fds = files.map((f) => fs.openSync(f, 'w'));
  let n = 0;
  for (const row of db.prepare('SELECT id, title, hidden, year, month, categories, tags, tag_keys, description FROM posts ORDER BY id').iterate() as
    Iterable<{ id: number; title: string; hidden: number; year: number | null; month: number | null; categories: string; tags: string; tag_keys: string; description: string }>) {
    const categories = JSON.parse(row.categories) as string[];
    const fts = ftsText({ title: row.title, text: unpackText(text.get(row.id) as Buffer | undefined), tags: JSON.parse(row.tags) as string[], categories, description: row.description });
    const facets = postFacets({ hidden: row.hidden !== 0, year: row.year, month: row.month, categories, tagKeys: (JSON.parse(row.tag_keys) as [string, string][]).map(([norm]) => norm) });
    const line = JSON.stringify([row.id, fts.title, fts.meta, fts.body, facets]) + '\n';
    // By the parity of the post's place in id order: ids themselves are 16 a minute (list.ts ID_SPAN), so nearly
    // every id is even and their parity would put almost every post in one shard.
    const shard = split === 'parity' ? n % 2 : n < total / 2 ? 0 : 1;
    fs.writeSync(fds[0]!, line);
    fs.writeSync(fds[1 + shard]!, line);
    n++;
  }
  fds.forEach((fd) => fs.closeSync(fd));
  db.close();
  return { files, posts: n, span };
}

interface Answer { total: number; date: number[]; rank: number[]; rankScores: number[] }

async function main(): Promise<void> {
  const queriesOnly = process.argv.includes('--queries-only');
  const [index, dir, splitArg = 'parity', roundsArg = '3'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!index || !dir || (splitArg !== 'parity' && splitArg !== 'halves')) {
    console.error('usage: two-writers.ts INDEX WORKDIR [parity|halves] [rounds=3] [--queries-only]');
    process.exit(2);
  }
  fs.mkdirSync(dir, { recursive: true });
  const { files, posts, span } = queriesOnly ? { files: [], posts: 0, span: indexSpan(index) } : writeRows(index, dir, splitArg);
  const one = path.join(dir, 'one.sqlite');
  const shards = [path.join(dir, 'shard-0.sqlite'), path.join(dir, 'shard-1.sqlite')];
  const load = () => os.loadavg().map((l) => +l.toFixed(2));
  const report: Record<string, unknown> = { index, posts, split: splitArg };

  if (!queriesOnly) await writeBoth();
  async function writeBoth(): Promise<void> {
    const loadA = load();
    const a = await runWriters([{ rowsFile: files[0]!, dbFile: one, batch: 1000 }]);
    const loadB = load();
    const b = await runWriters([0, 1].map((i) => ({ rowsFile: files[1 + i]!, dbFile: shards[i]!, batch: 500 })));
    const shape = (r: typeof a, loadBefore: number[]) => ({
      loadBefore, wallS: +r.wallS.toFixed(2), processCpuS: +r.processCpuS.toFixed(2),
      threads: r.results.map((t) => ({ posts: t.posts, writeCpuS: +t.cpuS.toFixed(2), readRowsCpuS: +t.readCpuS.toFixed(2), writeWallS: +t.wallS.toFixed(2), mb: +(t.bytes / 2 ** 20).toFixed(1) })),
    });
    report.one = shape(a, loadA);
    report.two = shape(b, loadB);
  }

  // Queries: the one table, and the two shards (the second attached to the first's connection).
  const single = new Database(one, { readonly: true });
  const sharded = new Database(shards[0]!, { readonly: true });
  sharded.exec(`ATTACH DATABASE '${shards[1]!.replace(/'/g, "''")}' AS s1`);
  const statements = (db: Database.Database, schema: string) => ({
    count: db.prepare(`SELECT count(*) FROM ${schema}.posts_fts(?) WHERE rowid >= ? AND rowid < ?`).pluck(),
    date: db.prepare(`SELECT rowid FROM ${schema}.posts_fts(?) WHERE rowid >= ? AND rowid < ? ORDER BY rowid DESC LIMIT 50`).pluck(),
    rank: db.prepare(`SELECT rowid, rank FROM ${schema}.posts_fts(?) WHERE rowid >= ? AND rowid < ? ORDER BY rank, rowid DESC LIMIT 50`).raw(),
  });
  const oneSql = statements(single, 'main');
  const shardSql = [statements(sharded, 'main'), statements(sharded, 's1')];
  const ask = (s: ReturnType<typeof statements>, expr: string, min: number, max: number, ranked: boolean): Answer => {
    const rank = ranked ? (s.rank.all(expr, min, max) as [number, number][]) : [];
    return { total: s.count.get(expr, min, max) as number, date: s.date.all(expr, min, max) as number[], rank: rank.map((r) => r[0]), rankScores: rank.map((r) => r[1]) };
  };
  const merged = (expr: string, min: number, max: number, ranked: boolean): Answer => {
    const parts = shardSql.map((s) => ask(s, expr, min, max, ranked));
    const scored = parts.flatMap((p) => p.rank.map((id, i) => [id, p.rankScores[i]!] as const)).sort((x, y) => x[1] - y[1] || y[0] - x[0]).slice(0, 50);
    return {
      total: parts.reduce((n, p) => n + p.total, 0),
      date: parts.flatMap((p) => p.date).sort((x, y) => y - x).slice(0, 50),
      rank: scored.map((r) => r[0]), rankScores: scored.map((r) => r[1]),
    };
  };
  const rounds = Number(roundsArg);
  const perQuery: { query: string; total: number; sameTotal: boolean; sameDate: boolean; rankCompared: boolean; sameRank: boolean; sameRankSet: boolean; rankOverlap: number; oneMs: number; twoMs: number; oneCpuMs: number; twoCpuMs: number; oneListCpuMs: number; twoListCpuMs: number; oneListMs: number; twoListMs: number }[] = [];
  for (const query of SEARCH_QUERIES) {
    const plan = planList({ query }, compileQuery(query), span);
    const ranked = plan.titleExpr !== null;
    const time = (f: () => Answer) => {
      const walls: number[] = [];
      const cpus: number[] = [];
      let answer: Answer | undefined;
      for (let r = 0; r < rounds; r++) {
        const cpu = process.cpuUsage();
        const t = performance.now();
        answer = f();
        walls.push(performance.now() - t);
        const used = process.cpuUsage(cpu);
        cpus.push((used.user + used.system) / 1000);
      }
      const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
      return { answer: answer!, ms: median(walls), cpuMs: median(cpus) };
    };
    const o = time(() => ask(oneSql, plan.expr, plan.minId, plan.maxId, ranked));
    const t = time(() => merged(plan.expr, plan.minId, plan.maxId, ranked));
    const oList = time(() => ask(oneSql, plan.expr, plan.minId, plan.maxId, false));
    const tList = time(() => merged(plan.expr, plan.minId, plan.maxId, false));
    perQuery.push({
      query, total: o.answer.total, sameTotal: o.answer.total === t.answer.total,
      sameDate: JSON.stringify(o.answer.date) === JSON.stringify(t.answer.date), rankCompared: ranked,
      sameRank: JSON.stringify(o.answer.rank) === JSON.stringify(t.answer.rank),
      sameRankSet: JSON.stringify([...o.answer.rank].sort()) === JSON.stringify([...t.answer.rank].sort()),
      rankOverlap: t.answer.rank.filter((id) => o.answer.rank.includes(id)).length,
      oneListMs: +oList.ms.toFixed(2), twoListMs: +tList.ms.toFixed(2), oneListCpuMs: +oList.cpuMs.toFixed(2), twoListCpuMs: +tList.cpuMs.toFixed(2),
      oneMs: +o.ms.toFixed(2), twoMs: +t.ms.toFixed(2), oneCpuMs: +o.cpuMs.toFixed(2), twoCpuMs: +t.cpuMs.toFixed(2),
    });
  }
  single.close();
  sharded.close();
  const p = (xs: number[], q: number) => [...xs].sort((x, y) => x - y)[Math.ceil(q * xs.length) - 1]!;
  const rankedQueries = perQuery.filter((q) => q.rankCompared);
  report.queries = {
    sameTotals: perQuery.filter((q) => q.sameTotal).length, sameDatePages: perQuery.filter((q) => q.sameDate).length, of: perQuery.length,
    rankCompared: rankedQueries.length, sameRankPages: rankedQueries.filter((q) => q.sameRank).length,
    sameRankSets: rankedQueries.filter((q) => q.sameRankSet).length,
    meanRankOverlap: +(rankedQueries.reduce((n, q) => n + (q.total === 0 ? 1 : q.rankOverlap / Math.min(50, q.total)), 0) / Math.max(1, rankedQueries.length)).toFixed(3),
    differingRank: rankedQueries.filter((q) => !q.sameRank).map((q) => `${q.query} (${q.total}${q.sameRankSet ? ', same posts' : ''})`),
    list: {
      oneP50Ms: p(perQuery.map((q) => q.oneListMs), 0.5), oneP95Ms: p(perQuery.map((q) => q.oneListMs), 0.95),
      twoP50Ms: p(perQuery.map((q) => q.twoListMs), 0.5), twoP95Ms: p(perQuery.map((q) => q.twoListMs), 0.95),
      oneCpuP50Ms: p(perQuery.map((q) => q.oneListCpuMs), 0.5), oneCpuP95Ms: p(perQuery.map((q) => q.oneListCpuMs), 0.95),
      twoCpuP50Ms: p(perQuery.map((q) => q.twoListCpuMs), 0.5), twoCpuP95Ms: p(perQuery.map((q) => q.twoListCpuMs), 0.95),
    },
    oneP50Ms: p(perQuery.map((q) => q.oneMs), 0.5), oneP95Ms: p(perQuery.map((q) => q.oneMs), 0.95),
    twoP50Ms: p(perQuery.map((q) => q.twoMs), 0.5), twoP95Ms: p(perQuery.map((q) => q.twoMs), 0.95),
    oneCpuP95Ms: p(perQuery.map((q) => q.oneCpuMs), 0.95), twoCpuP95Ms: p(perQuery.map((q) => q.twoCpuMs), 0.95),
    load: load(),
  };
  console.log(JSON.stringify(report));
  for (const q of perQuery) console.error(JSON.stringify(q));
}
