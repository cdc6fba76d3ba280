/**
 * The archive index: one SQLite file (WAL) with the posts' metadata and plain text, count tables for the
 * trees, and a contentless FTS5 table fed with core/tokenize.ts tokens plus facet tokens (index-list.ts
 * explains how one FTS5 query does search, filters, counting and date paging). Disposable: when it is
 * unusable, the caller deletes it and rebuilds from the posts on disk, once ownership.ts has shown the file
 * is Backfile's (archive/live-index.ts).
 */
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import type {
  ArchiveStats, ArticleSummary, CategoryNode, DateNode, Facets, ListQuery, ListResult, Problem, SearchHit, SimilarPost, TagCount, Timeline, TimelineUnit,
} from '../../shared/archive-api';
import type { ParsedPost } from '../../core/types';
import { compileQuery } from '../../core/query';
import { makeSnippet } from '../../core/snippet';
import { excerptOf } from '../../core/parse-post';
import { TOKENIZER_VERSION } from '../../core/tokenize';
import { buildCategoryTree, buildDateTree, sortTags } from '../../core/trees';
import { APPLICATION_ID, SCHEMA_VERSION, migrate, schemaMatches } from './schema';
import { DATED_BASE, FACET, pathFromCategoryKey, paging, planList } from './list';
import { countFacets } from './facets';
import { BucketFilter, deferSimilarityFor, findSimilar, markSimilarityPending, similarIds, similarityPending } from './similar';
import { collapseOrder, runStoryPass, storiesOf } from './story';
import { countTimeline, countTimelineKept } from './timeline';
import { WriteContext, deletePost, idSpan, notIndexed, unpackText, upsertPost, type FtsText } from './write';

/**
 * Relevance is bm25 (title 10, tags/categories/description 3, body 1: schema.ts) over all hits up to RANK_LIMIT hits divided by the number of tokens in the query (bm25
 * walks every token's positions in every hit: measured about 1-2 µs a hit for one token, 20 µs for a phrase of
 * three common bigrams). Above that, posts matching in the title come first (ranked while they are few
 * enough, else newest first), then the rest newest first: each step is then an FTS5 doclist walk that stops
 * at the page, and 20,000 hits cost what 50 do.
 */
export const RANK_LIMIT = 2000;

/** How many tokens the FTS5 expression holds (inside its quoted strings). */
const tokenCount = (expr: string): number =>
  (expr.match(/"(?:[^"]|"")*"/g) ?? []).reduce((n, quoted) => n + quoted.split(' ').length, 0);

export class IndexUnusableError extends Error {
  constructor(readonly file: string, reason: string, options?: { cause?: unknown }) {
    super(`The search index ${file} cannot be used (${reason}); delete it and rebuild from the posts.`, options);
    this.name = 'IndexUnusableError';
  }
}

export interface FileState { size: number; mtimeMs: number; hash: string | null }
export interface IndexBatch {
  /** `fts`: the post's tokens when a parse thread made them already (write.ts postFtsText). */
  upserts: { post: ParsedPost; size: number; mtimeMs: number; hash: string | null; fts?: FtsText }[];
  failures: { path: string; size: number; mtimeMs: number; hash: string | null; problems: Problem[] }[];
  deletions: string[];
}
export type StoredPost = ArticleSummary & { source: string | null; draft: boolean; problems: Problem[] };

interface SummaryRow { id: number; path: string; title: string; date: string | null; categories: string; tags: string; hidden: number }
const SUMMARY = 'id, path, title, date, categories, tags, hidden';

const isCorruption = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
};

/** SQLite errors that say nothing about the row being written: the disk, the memory, the file, another process. */
const isEnvironmentFailure = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(FULL|IOERR|NOMEM|BUSY|LOCKED|READONLY|CANTOPEN|PROTOCOL|INTERRUPT|PERM)/.test(code);
};

/** `text`: the post's stored text (unpackText), whose start is the excerpt (posts.excerpt is no longer kept). */
const toSummary = (r: SummaryRow, text: string): ArticleSummary => ({
  path: r.path, title: r.title, date: r.date, categories: JSON.parse(r.categories) as string[],
  tags: JSON.parse(r.tags) as string[], excerpt: excerptOf(text), hidden: r.hidden !== 0,
});

/** A post of a batch written in one go could not be written: the batch is written again, post by post. */
class PostFailed extends Error {
  constructor(cause: unknown) {
    super('a post of the batch could not be written', { cause });
  }
}

export class IndexStore {
  private readonly statements = new Map<string, Statement>();
  /** Hit counts by expression and range, valid while `PRAGMA data_version` stays the same (paging recounts nothing). */
  private readonly counts_ = new Map<string, number>();
  private countsVersion = -1;
  /** The last collapsed result (story.ts collapseOrder), by query, while the index stays the same: paging groups nothing again. */
  private collapsed_: { key: string; version: number; ids: number[]; versions: number[]; result: Set<number> } | null = null;

  /** The LSH buckets this connection wrote since sig_buckets was empty (similar.ts): a cold build's story look-ups read fewer. */
  private readonly buckets = new BucketFilter();

  private constructor(private readonly db: Db, readonly file: string, private readonly rankLimit: number) {}

  /**
   * Opens (creating or migrating) the index. Throws IndexUnusableError when the file is not a Backfile index,
   * is damaged, or comes from a newer schema or another tokenizer. `verify` adds a full `quick_check`, which
   * reads the whole file (seconds for a large archive): for use after a crash, not on every start; damage
   * met later is reported as IndexUnusableError by every method anyway. `rankLimit` overrides RANK_LIMIT.
   * `trace` is called with every SQL statement run (better-sqlite3's `verbose`), for tests that count them.
   */
  static open(file: string, options: { readonly?: boolean; verify?: boolean; rankLimit?: number; trace?: (sql: string) => void } = {}): IndexStore {
    const readonly = options.readonly === true;
    let db: Db | undefined;
    try {
      // The Electron app names its own build of the driver (scripts/ensure-electron-abi.mjs); Node uses node_modules'.
      const nativeBinding = process.env.BACKFILE_SQLITE_BINDING || undefined;
      // `trace` sees every SQL statement the connection runs (savepoints included): tests count a build's statements.
      db = new Database(file, { readonly, fileMustExist: readonly, ...(nativeBinding ? { nativeBinding } : {}), ...(options.trace ? { verbose: (sql: unknown) => options.trace?.(String(sql)) } : {}) });
      // The first read of a file that is not SQLite fails here (SQLITE_NOTADB).
      const appId = db.pragma('application_id', { simple: true }) as number;
      const version = db.pragma('user_version', { simple: true }) as number;
      const objects = db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() as number;
      const pages = db.pragma('page_count', { simple: true }) as number;
      // Another program's database, even an empty one (a new file of ours has no page before its first migration).
      if ((objects > 0 || pages > 0) && appId !== APPLICATION_ID) throw new IndexUnusableError(file, 'it is not a Backfile index');
      if (version > SCHEMA_VERSION) throw new IndexUnusableError(file, `it was made by a newer Backfile (schema ${version})`);
      if (readonly && version < SCHEMA_VERSION) throw new IndexUnusableError(file, 'it is out of date and opened read-only');
      if (!readonly) {
        // A new file is migrated before WAL is turned on: its first transaction (tables, application_id) then
        // leaves either nothing or a whole index, never a SQLite file without Backfile's marks (ownership.ts).
        // 8 KiB pages for a new file (must be set before its first page is written): post_text's rows of about
        // 1.2 kB left a fifth of 4 KiB pages empty; 100,000 synthetic posts 925.5 -> 902.3 MB, search no slower
        // (docs/BENCHMARKS.md "Stop 20: 100,000 posts, table by table"). An existing file keeps its page size.
        if (pages === 0) {
          db.pragma('page_size = 8192');
          migrate(db);
        }
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        migrate(db);
      }
      if (!schemaMatches(db)) throw new IndexUnusableError(file, 'its tables are not the ones this version of Backfile uses');
      if (options.verify === true) {
        const check = db.pragma('quick_check(1)', { simple: true });
        if (check !== 'ok') throw new IndexUnusableError(file, `the database is damaged: ${String(check)}`);
      }
      const store = new IndexStore(db, file, options.rankLimit ?? RANK_LIMIT);
      const tokenizer = store.getMeta('tokenizer_version');
      if (tokenizer === undefined && !readonly) store.setMeta('tokenizer_version', String(TOKENIZER_VERSION));
      else if (tokenizer !== undefined && tokenizer !== String(TOKENIZER_VERSION)) {
        throw new IndexUnusableError(file, 'it was built with another tokenizer version');
      }
      return store;
    } catch (e) {
      db?.close();
      if (e instanceof IndexUnusableError) throw e;
      if (isCorruption(e)) throw new IndexUnusableError(file, `the database is damaged or not SQLite: ${(e as Error).message}`, { cause: e });
      throw e;
    }
  }

  /** One prepared statement per SQL text, made on first use. */
  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      if (this.statements.size > 200) this.statements.clear(); // list() builds SQL per filter combination
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Damage found while working is reported like damage found at open. */
  private guard<T>(run: () => T): T {
    try {
      return run();
    } catch (e) {
      if (isCorruption(e)) throw new IndexUnusableError(this.file, `the database is damaged: ${(e as Error).message}`, { cause: e });
      throw e;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  getMeta(key: string): string | undefined {
    return this.guard(() => this.stmt('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined);
  }

  setMeta(key: string, value: string): void {
    this.guard(() => this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value));
  }

  /** What was indexed from each file (posts and unreadable files): the scanner compares it with the disk. */
  fileStates(): Map<string, FileState> {
    return this.guard(() => {
      const rows = this.stmt('SELECT path, size, mtime_ms AS mtimeMs, hash FROM posts UNION ALL SELECT path, size, mtime_ms, hash FROM file_problems')
        .all() as ({ path: string } & FileState)[];
      return new Map(rows.map((r) => [r.path, { size: r.size, mtimeMs: r.mtimeMs, hash: r.hash }]));
    });
  }

  /**
   * fileStates without the hashes, for a rescan of a large archive: read as rows of values from the covering
   * index (100,000 posts: about 140 ms instead of 300-450 ms with hashes, as objects).
   */
  sizesAndTimes(): Map<string, { size: number; mtimeMs: number }> {
    return this.guard(() => {
      const rows = this.stmt('SELECT path, size, mtime_ms FROM posts UNION ALL SELECT path, size, mtime_ms FROM file_problems')
        .raw().all() as [string, number, number][];
      const states = new Map<string, { size: number; mtimeMs: number }>();
      for (const [path, size, mtimeMs] of rows) states.set(path, { size, mtimeMs });
      return states;
    });
  }

  /** The posts whose file has this content hash (the workspace finds a moved post by it): one look-up of posts_hash. */
  pathsWithHash(hash: string): string[] {
    return this.guard(() => this.stmt('SELECT path FROM posts WHERE hash = ? ORDER BY path').pluck().all(hash) as string[]);
  }

  /** fileStates for a few paths only (a watcher's report); paths not in the index are left out. */
  fileStatesOf(paths: Iterable<string>): Map<string, FileState> {
    return this.guard(() => {
      const states = new Map<string, FileState>();
      const get = this.stmt('SELECT size, mtime_ms AS mtimeMs, hash FROM posts WHERE path = ? UNION ALL SELECT size, mtime_ms, hash FROM file_problems WHERE path = ?');
      for (const path of paths) {
        const row = get.get(path, path) as FileState | undefined;
        if (row) states.set(path, { size: row.size, mtimeMs: row.mtimeMs, hash: row.hash });
      }
      return states;
    });
  }

  /**
   * Upserts, failures and deletions in one transaction. Upserting a known path replaces it entirely.
   * The posts are written straight into the transaction; only when one of them fails is the transaction rolled
   * back and the batch written again with a savepoint per post (upsertOrRecord), so that the failing post is
   * recorded as not indexed and the rest are written. A savepoint per post in every batch made FTS5 flush its
   * pending terms to a new segment at each one (its xSavepoint writes the in-memory hash out): a cold build of
   * 20,000 real-text posts took 1.8x the CPU of one transaction (docs/BENCHMARKS.md, stop 19).
   */
  applyBatch(batch: IndexBatch): void {
    this.counts_.clear();
    this.collapsed_ = null;
    try {
      this.writeBatch(batch, false);
    } catch (e) {
      if (!(e instanceof PostFailed)) throw e;
      this.writeBatch(batch, true);
    }
  }

  /** One write transaction of the batch; `perPost`: each upsert in a savepoint of its own, failures recorded. */
  private writeBatch(batch: IndexBatch, perPost: boolean): void {
    const sql = (text: string): Statement => this.stmt(text);
    this.guard(() => this.db.transaction(() => {
      const context = new WriteContext(undefined, this.buckets, similarityPending(sql));
      for (const path of batch.deletions) {
        deletePost(sql, context, path);
        sql('DELETE FROM file_problems WHERE path = ?').run(path);
      }
      for (const f of batch.failures) this.recordFailure(f, context);
      for (const u of batch.upserts) {
        if (perPost) this.upsertOrRecord(u, context);
        else this.upsertOrRollBack(u, context);
      }
      context.flush(sql);
    })());
  }

  /**
   * Writes one post straight into the batch's transaction. When it fails for a reason of its own, PostFailed rolls
   * the transaction back (its half-written rows with it) and applyBatch writes the batch again post by post.
   */
  private upsertOrRollBack(u: IndexBatch['upserts'][number], context: WriteContext): void {
    try {
      upsertPost((text) => this.stmt(text), context, u.post, u.size, u.mtimeMs, u.hash, u.fts);
    } catch (e) {
      if (isCorruption(e) || isEnvironmentFailure(e) || !this.db.inTransaction) throw e;
      throw new PostFailed(e);
    }
  }

  /**
   * Writes one post in its own savepoint (a transaction function called inside a transaction): when it fails,
   * its half-written rows are rolled back and it is recorded as a file that could not be indexed, and the
   * batch goes on. Damage to the database is not one post's problem: it ends the batch.
   */
  private upsertOrRecord(u: IndexBatch['upserts'][number], context: WriteContext): void {
    const sql = (text: string): Statement => this.stmt(text);
    const own = new WriteContext(context.maxIds, undefined, context.deferred);
    try {
      this.db.transaction(() => upsertPost(sql, own, u.post, u.size, u.mtimeMs, u.hash, u.fts))();
      context.absorb(own);
    } catch (e) {
      // Only a failure of this post's own data is this post's problem. A full disk, an I/O error or lack of memory
      // makes SQLite roll back the whole transaction: writing on would commit half a batch outside it.
      if (isCorruption(e) || isEnvironmentFailure(e) || !this.db.inTransaction) throw e;
      // The savepoint's ids (and any posts it moved) were rolled back: the remembered last ids may be wrong now.
      context.maxIds.clear();
      const path = String(u.post.path);
      const problems = [notIndexed(path, e)];
      this.recordFailure({ path, size: u.size, mtimeMs: u.mtimeMs, hash: u.hash, problems }, context);
    }
  }

  /** A file that is not a post in the index (unreadable, or not indexable): its problems, and no post at its path. */
  private recordFailure(f: IndexBatch['failures'][number], context: WriteContext): void {
    const sql = (text: string): Statement => this.stmt(text);
    deletePost(sql, context, f.path);
    sql(`INSERT INTO file_problems (path, size, mtime_ms, hash, problems) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, hash = excluded.hash, problems = excluded.problems`)
      .run(f.path, f.size, f.mtimeMs, f.hash, JSON.stringify(f.problems));
  }

  /**
   * updateIndex's hook before its first batch (update.ts UpdatableStore): an update that writes `toWrite` posts,
   * at least as many as the index holds (similar.ts deferSimilarityFor), writes signatures only and leaves other
   * versions to finishSimilarity. A mark left by a run killed or cancelled half-way stays, whatever this one writes.
   */
  deferSimilarity(toWrite: number): void {
    const sql = (text: string): Statement => this.stmt(text);
    this.guard(() => this.db.transaction(() => {
      if (similarityPending(sql)) return;
      if (!deferSimilarityFor(toWrite, sql('SELECT count(*) FROM post_sig').pluck().get() as number)) return;
      this.collapsed_ = null;
      markSimilarityPending(sql);
    })());
  }

  /** updateIndex's hook at its end: when other versions were deferred, the story pass makes them (story.ts runStoryPass). */
  finishSimilarity(): void {
    const sql = (text: string): Statement => this.stmt(text);
    this.guard(() => this.db.transaction(() => {
      if (!similarityPending(sql)) return;
      this.collapsed_ = null;
      runStoryPass(sql);
      this.buckets.forget();
    })());
  }

  /** The cached counts, emptied when the index changed since they were counted. */
  private freshCounts(): Map<string, number> {
    // data_version moves when another connection (the indexing worker) commits; our own writes clear the cache.
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (version !== this.countsVersion || this.counts_.size > 500) {
      this.counts_.clear();
      this.countsVersion = version;
    }
    return this.counts_;
  }

  private countHits(expr: string, minId: number, maxId: number): number {
    return this.knownCount(expr, minId, maxId) ?? this.rememberCount(expr, minId, maxId,
      this.stmt('SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ?').pluck().get(expr, minId, maxId) as number);
  }

  /** The hits of `expr` in the id range, when counted since the index last changed. */
  private knownCount(expr: string, minId: number, maxId: number): number | undefined {
    return this.freshCounts().get(`${minId} ${maxId} ${expr}`);
  }

  private rememberCount(expr: string, minId: number, maxId: number, n: number): number {
    this.freshCounts().set(`${minId} ${maxId} ${expr}`, n);
    return n;
  }

  private pageIds(expr: string, order: 'rank' | 'date' | 'oldest', minId: number, maxId: number, offset: number, limit: number): number[] {
    const orderBy = order === 'rank' ? 'rank, rowid DESC' : order === 'oldest' ? 'rowid ASC' : 'rowid DESC';
    return this.stmt(`SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ? ORDER BY ${orderBy} LIMIT ? OFFSET ?`)
      .pluck().all(expr, minId, maxId, limit, offset) as number[];
  }

  /**
   * A page of relevance order over many hits: the title hits (ranked when at most `rankable`, else newest first),
   * then the rest newest first. The title hits are not counted whole: a count that stops at rankable + 1 says
   * whether they are few enough to rank (then it counted them all), and when they are not, the page is theirs
   * unless it reaches past rankable + 1 (a whole count then, as before). Counting them all cost a second full pass
   * over the query's doclists (5.7 ms of "同比增长"'s 21 at 100,000 posts). The bounded count walks in FTS5's own
   * order, oldest first: a walk newest first costs more (FTS5 reads a doclist backwards page by page), and made
   * the queries whose title hits are few or none slower than the count (国家统计局 同比: 8.8 -> 10.9 ms CPU).
   */
  private titleFirstPage(titleExpr: string, restExpr: string, rankable: number, minId: number, maxId: number, offset: number, limit: number): number[] {
    let titleHits = this.knownCount(titleExpr, minId, maxId);
    if (titleHits === undefined) {
      const upTo = this.stmt('SELECT count(*) FROM (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ? LIMIT ?)')
        .pluck().get(titleExpr, minId, maxId, rankable + 1) as number;
      if (upTo <= rankable) titleHits = this.rememberCount(titleExpr, minId, maxId, upTo);
      else if (offset + limit <= upTo) return this.pageIds(titleExpr, 'date', minId, maxId, offset, limit);
      else titleHits = this.countHits(titleExpr, minId, maxId);
    }
    const ids = offset < titleHits
      ? this.pageIds(titleExpr, titleHits <= rankable ? 'rank' : 'date', minId, maxId, offset, Math.min(limit, titleHits - offset))
      : [];
    if (ids.length < limit) ids.push(...this.pageIds(restExpr, 'date', minId, maxId, Math.max(0, offset - titleHits), limit - ids.length));
    return ids;
  }

  /** Oldest first, still in rowid order (no sorting): the dated posts ascending, then the undated ones (key 0). */
  private oldestIds(expr: string, minId: number, maxId: number, offset: number, limit: number): number[] {
    const datedFrom = Math.max(minId, DATED_BASE);
    const dated = datedFrom < maxId ? this.countHits(expr, datedFrom, maxId) : 0;
    const ids = offset < dated ? this.pageIds(expr, 'oldest', datedFrom, maxId, offset, Math.min(limit, dated - offset)) : [];
    if (ids.length < limit && minId < DATED_BASE) {
      ids.push(...this.pageIds(expr, 'oldest', minId, Math.min(maxId, DATED_BASE), Math.max(0, offset - dated), limit - ids.length));
    }
    return ids;
  }

  /**
   * The article list: search and tree selections in one FTS5 query, counted and paged there; only the page's
   * posts are read, and only they get a snippet. Newest first for listings and `sort: 'date'`, oldest first for `sort: 'oldest'`, else relevance.
   */
  list(q: ListQuery): ListResult {
    if (q.collapse === true) return this.collapsedList(q);
    // One read transaction: the total, the page and whether any post is hidden are read from the same state.
    return this.guard(() => this.db.transaction(() => {
      const compiled = compileQuery(typeof q.query === 'string' ? q.query : '');
      const { expr, titleExpr, restExpr, minId, maxId } = planList(q, compiled, idSpan((text) => this.stmt(text)), this.hasHiddenPosts());
      const { offset, limit } = paging(q);
      const notice = compiled.notice !== undefined ? { notice: compiled.notice } : {};
      try {
        const total = this.countHits(expr, minId, maxId);
        if (total === 0 || offset >= total) return { total, items: [], ...notice };
        let ids: number[];
        const rankable = compiled.match === null ? 0 : Math.floor(this.rankLimit / Math.max(1, tokenCount(compiled.match)));
        if (q.sort === 'oldest') ids = this.oldestIds(expr, minId, maxId, offset, limit);
        else if (titleExpr === null || restExpr === null || q.sort === 'date') ids = this.pageIds(expr, 'date', minId, maxId, offset, limit);
        else if (total <= rankable) ids = this.pageIds(expr, 'rank', minId, maxId, offset, limit);
        else ids = this.titleFirstPage(titleExpr, restExpr, rankable, minId, maxId, offset, limit);
        return { total, items: this.hits(ids, compiled.highlight), ...notice };
      } catch (e) {
        // compileQuery quotes every token, so this would be a bug, not the user's fault: say so instead of failing.
        if (e instanceof Error && /fts5/i.test(e.message) && !isCorruption(e)) {
          return { total: 0, items: [], notice: `The search could not be run (${e.message}).` };
        }
        throw e;
      }
    })());
  }

  /**
   * Whether any post is hidden (FTS5's own facet token, so in the caller's transaction it agrees with the hits).
   * Most archives have none, and then every pass of a list saves its NOT (about 10 % of a count's CPU).
   */
  private hasHiddenPosts(): boolean {
    return this.stmt('SELECT count(*) FROM (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? LIMIT 1)').pluck().get(`"${FACET.hidden}"`) === 1;
  }

  /**
   * Every post `q` lists, in the list's own order (as list() pages it), as ids and paths only: no text read, and
   * relevance ranked once. For callers that walk a whole result (exports, the workspace's mark filter), where
   * paging with OFFSET would count, rank and skip again for every page. `offset`/`limit` are ignored.
   */
  listOrder(q: ListQuery): { ids: number[]; paths: string[]; stories?: (number | undefined)[]; notice?: string } {
    return this.guard(() => {
      const { ids, notice } = this.orderIds(q);
      const pathOf = new Map<number, string>();
      const read = this.stmt('SELECT id, path FROM posts WHERE id IN (SELECT value FROM json_each(?))');
      for (let start = 0; start < ids.length; start += 10_000) {
        for (const row of read.all(JSON.stringify(ids.slice(start, start + 10_000))) as { id: number; path: string }[]) pathOf.set(row.id, row.path);
      }
      const kept = ids.filter((id) => pathOf.has(id));
      // With `collapse`: each post's story (story.ts), for callers that group the result themselves (the mark filter).
      const storyOf = q.collapse === true ? storiesOf((text) => this.stmt(text), kept) : null;
      return { ids: kept, paths: kept.map((id) => pathOf.get(id)!), ...(storyOf ? { stories: kept.map(storyOf) } : {}), ...notice };
    });
  }

  /** Every id `q` lists, in the list's order (listOrder without the paths). */
  private orderIds(q: ListQuery): { ids: number[]; notice?: { notice: string } } {
    const compiled = compileQuery(typeof q.query === 'string' ? q.query : '');
    const { expr, titleExpr, restExpr, minId, maxId } = planList(q, compiled, idSpan((text) => this.stmt(text)));
    const notice = compiled.notice !== undefined ? { notice: compiled.notice } : undefined;
    try {
      const total = this.countHits(expr, minId, maxId);
      if (total === 0) return { ids: [], notice };
      let ids: number[];
      const rankable = compiled.match === null ? 0 : Math.floor(this.rankLimit / Math.max(1, tokenCount(compiled.match)));
      if (q.sort === 'oldest') ids = this.oldestIds(expr, minId, maxId, 0, total);
      else if (titleExpr === null || restExpr === null || q.sort === 'date') ids = this.pageIds(expr, 'date', minId, maxId, 0, total);
      else if (total <= rankable) ids = this.pageIds(expr, 'rank', minId, maxId, 0, total);
      else {
        const titleHits = this.countHits(titleExpr, minId, maxId);
        ids = this.pageIds(titleExpr, titleHits <= rankable ? 'rank' : 'date', minId, maxId, 0, titleHits);
        ids.push(...this.pageIds(restExpr, 'date', minId, maxId, 0, total));
      }
      return { ids, notice };
    } catch (e) {
      if (e instanceof Error && /fts5/i.test(e.message) && !isCorruption(e)) return { ids: [], notice: { notice: `The search could not be run (${e.message}).` } };
      throw e;
    }
  }

  /**
   * The list with one row per story (ListQuery `collapse`): the whole result's ids read once in the list's order
   * (orderIds), grouped by story (story.ts collapseOrder), and a page of the groups' first posts made into items
   * with their `versions`. The grouping is kept for the next page while the index and the query stay the same.
   */
  private collapsedList(q: ListQuery): ListResult {
    return this.guard(() => {
      this.freshCounts();
      const { offset, limit } = paging(q);
      const ask: ListQuery = { ...q };
      delete ask.offset;
      delete ask.limit;
      const key = JSON.stringify(ask);
      let found = this.collapsed_?.key === key && this.collapsed_.version === this.countsVersion ? this.collapsed_ : null;
      let notice: { notice: string } | undefined;
      if (!found) {
        const order = this.orderIds(q);
        notice = order.notice;
        const storyOf = storiesOf((text) => this.stmt(text), order.ids);
        const { firsts, versions } = collapseOrder(order.ids.map(storyOf));
        found = { key, version: this.countsVersion, ids: firsts.map((i) => order.ids[i]!), versions, result: new Set(order.ids) };
        if (!notice) this.collapsed_ = found;
      }
      const compiled = compileQuery(typeof q.query === 'string' ? q.query : '');
      const { result } = found;
      // "+N" is what a click on it shows: the row's post's own versions (getSimilar, same hidden rule) in this result.
      // A visible post alone has no visible versions, so without hidden posts only a story's row needs the look-up
      // (with them, a post alone may have hidden ones: hidden posts are in no story). A story's posts that are not
      // the shown one's versions are still under its row (the story links them through others).
      const includeHidden = q.includeHidden === true;
      const direct = (id: number, others: number): number => (others === 0 && !includeHidden ? 0
        : similarIds((text) => this.stmt(text), id, includeHidden).filter((other) => result.has(other)).length);
      // One id at a time: a post gone since the order was read is left out without shifting the others' versions.
      const items = found.ids.slice(offset, offset + limit)
        .flatMap((id, i) => this.hits([id], compiled.highlight).map((hit) => ({ ...hit, versions: direct(id, found.versions[offset + i]!) })));
      return { total: found.ids.length, items, ...(notice ?? (compiled.notice !== undefined ? { notice: compiled.notice } : {})) };
    });
  }

  /** A page of listOrder's ids as list() items (snippets for `query`'s words), in this order; ids gone meanwhile are left out. */
  hitsOf(ids: readonly number[], query: string): SearchHit[] {
    return this.guard(() => this.hits([...ids], compileQuery(query).highlight));
  }

  /**
   * The posts at these paths as list() items, in this order; paths gone meanwhile are left out. Exports page
   * listOrder's paths through this, not its ids: a write between the order and a page may move a post to another
   * id (write.ts makeRoom, widenIds) and give its old id to another post.
   */
  hitsOfPaths(paths: readonly string[], query: string): SearchHit[] {
    return this.guard(() => {
      const rows = this.stmt('SELECT path, id FROM posts WHERE path IN (SELECT value FROM json_each(?))').all(JSON.stringify(paths)) as { path: string; id: number }[];
      const idOf = new Map(rows.map((r) => [r.path, r.id]));
      return this.hits(paths.flatMap((p) => (idOf.has(p) ? [idOf.get(p)!] : [])), compileQuery(query).highlight);
    });
  }

  /** The posts with these ids, in this order, each with a snippet of its text. */
  private hits(ids: number[], highlight: string[]): SearchHit[] {
    const rows = this.stmt(`SELECT ${SUMMARY} FROM posts WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as SummaryRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const text = this.stmt('SELECT text FROM post_text WHERE id = ?').pluck();
    return ids.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      const body = unpackText(text.get(id) as Buffer | undefined);
      return [{ ...toSummary(row, body), snippet: makeSnippet(body, highlight) }];
    });
  }

  private categoryRows(includeHidden: boolean): { path: string[]; count: number }[] {
    const rows = this.stmt(`SELECT category_key AS key, sum(count) AS count FROM category_counts ${includeHidden ? '' : 'WHERE hidden = 0'}
      GROUP BY category_key`).all() as { key: string; count: number }[];
    return rows.map((r) => ({ path: pathFromCategoryKey(r.key), count: r.count }));
  }

  private dateRows(includeHidden: boolean): { year: number | null; month: number | null; count: number }[] {
    const rows = this.stmt(`SELECT year, month, sum(count) AS count FROM date_counts ${includeHidden ? '' : 'WHERE hidden = 0'}
      GROUP BY year, month`).all() as { year: number; month: number; count: number }[];
    return rows.map((r) => ({ year: r.year === 0 ? null : r.year, month: r.month === 0 ? null : r.month, count: r.count }));
  }

  categories(includeHidden = false): CategoryNode[] {
    // Every post is in date_counts once: the posts not in category_counts are the uncategorised ones.
    return this.guard(() => buildCategoryTree(this.categoryRows(includeHidden), sumCounts(this.dateRows(includeHidden))));
  }

  dates(includeHidden = false): DateNode[] {
    return this.guard(() => buildDateTree(this.dateRows(includeHidden)));
  }

  /** The trees' counts for what `q` finds (facets.ts), of the posts whose paths pass `keep` when given. */
  facets(q: ListQuery, keep?: (path: string) => boolean): Facets {
    return this.guard(() => countFacets(q, {
      sql: (text) => this.stmt(text),
      plan: (query) => {
        const compiled = compileQuery(typeof query.query === 'string' ? query.query : '');
        return { plan: planList(query, compiled, idSpan((text) => this.stmt(text))), compiled };
      },
      categories: (hidden) => this.categories(hidden),
      dates: (hidden) => this.dates(hidden),
      tags: (hidden) => this.tags(hidden),
    }, keep));
  }

  /** Posts per period for what `q` finds (timeline.ts), of the posts whose paths pass `keep` when given. */
  timeline(q: ListQuery, by?: TimelineUnit, keep?: (path: string) => boolean): Timeline {
    return this.guard(() => {
      const compiled = compileQuery(typeof q.query === 'string' ? q.query : '');
      const span = idSpan((text) => this.stmt(text));
      const plan = planList(q, compiled, span);
      if (keep) return countTimelineKept(plan, span, (text) => this.stmt(text), keep, by);
      return countTimeline(plan, span, (text) => this.stmt(text), by);
    });
  }

  /** Other versions of the post at `path` (similar.ts), best first, hidden ones only with `includeHidden`; undefined when no such post is indexed. */
  similar(path: string, includeHidden = false): SimilarPost[] | undefined {
    return this.guard(() => findSimilar((text) => this.stmt(text), path, includeHidden));
  }

  /** Tags compared case-insensitively, shown as first written. */
  tags(includeHidden = false): TagCount[] {
    return this.guard(() => sortTags(this.stmt(`SELECT min(name) AS name, sum(count) AS count FROM tag_counts
      ${includeHidden ? '' : 'WHERE hidden = 0'} GROUP BY tag_norm`).all() as TagCount[], this.untaggedCount(includeHidden)));
  }

  /** Posts with no tag (the "Untagged" row: tag_counts cannot tell, a post may have many tags). */
  private untaggedCount(includeHidden: boolean): number {
    // A scan of every post (100,000: 40 ms), so kept until the index changes: the tag tree and every unnarrowed
    // getFacets ask for it.
    const counts = this.freshCounts();
    const key = `untagged ${includeHidden}`;
    let n = counts.get(key);
    if (n === undefined) {
      n = this.stmt(`SELECT count(*) FROM posts WHERE tag_keys = '[]' ${includeHidden ? '' : 'AND hidden = 0'}`).pluck().get() as number;
      counts.set(key, n);
    }
    return n;
  }

  /** Problems the scanner met outside any post (unreadable folders, symbolic links): replaced as a whole each scan. */
  setScanProblems(problems: Problem[]): void {
    this.setMeta('scan_problems', JSON.stringify(problems));
  }

  private scanProblems(): Problem[] {
    const json = this.getMeta('scan_problems');
    return json === undefined ? [] : (JSON.parse(json) as Problem[]);
  }

  /** Every problem of every file (posts, unreadable files, the scan itself), by path. */
  problems(): Problem[] {
    return this.guard(() => {
      const rows = this.stmt(`SELECT path, problems FROM posts WHERE problem_count > 0
        UNION ALL SELECT path, problems FROM file_problems ORDER BY path`).all() as { path: string; problems: string }[];
      const found = rows.flatMap((r) => (JSON.parse(r.problems) as Problem[]).map((p) => ({ ...p, path: p.path || r.path })));
      return [...found, ...this.scanProblems()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    });
  }

  counts(): { posts: number; hidden: number; problems: number } {
    return this.guard(() => {
      const c = this.stmt(`SELECT coalesce(sum(count) FILTER (WHERE hidden = 0), 0) AS posts,
        coalesce(sum(count) FILTER (WHERE hidden <> 0), 0) AS hidden FROM date_counts`).get() as { posts: number; hidden: number };
      const inPosts = this.stmt('SELECT coalesce(sum(problem_count), 0) FROM posts WHERE problem_count > 0').pluck().get() as number;
      const failed = this.stmt('SELECT problems FROM file_problems').pluck().all() as string[];
      const inFailures = failed.reduce((n, json) => n + (JSON.parse(json) as unknown[]).length, 0);
      return { posts: c.posts, hidden: c.hidden, problems: inPosts + inFailures + this.scanProblems().length };
    });
  }

  /**
   * The CLI's `stats`. Categories, tags and years count shown posts (like the trees by default): one category
   * entry per full path with the posts filed exactly there; uncategorised posts have no entry.
   */
  stats(): ArchiveStats {
    return this.guard(() => {
      const { posts, hidden } = this.counts();
      const years = new Map<number | null, number>();
      for (const r of this.dateRows(false)) years.set(r.year, (years.get(r.year) ?? 0) + r.count);
      return {
        posts,
        hidden,
        problems: this.problems().map((p) => ({ path: p.path, message: p.message })),
        categories: this.categoryRows(false).sort((a, b) => b.count - a.count || (a.path.join('/') < b.path.join('/') ? -1 : 1)),
        tags: this.tags(false).filter((t) => t.name !== ''), // the CLI's contract: named tags only
        years: buildDateTree([...years].map(([year, count]) => ({ year, month: null, count }))).map((n) => ({ year: n.year, count: n.count })),
      };
    });
  }

  getPost(path: string): StoredPost | undefined {
    return this.guard(() => {
      const row = this.stmt(`SELECT ${SUMMARY}, source, draft, problems FROM posts WHERE path = ?`).get(path) as
        (SummaryRow & { source: string | null; draft: number; problems: string }) | undefined;
      if (!row) return undefined;
      const body = unpackText(this.stmt('SELECT text FROM post_text WHERE id = ?').pluck().get(row.id) as Buffer | undefined);
      return { ...toSummary(row, body), source: row.source, draft: row.draft !== 0, problems: JSON.parse(row.problems) as Problem[] };
    });
  }
}

function sumCounts(rows: readonly { count: number }[]): number {
  return rows.reduce((n, row) => n + row.count, 0);
}
