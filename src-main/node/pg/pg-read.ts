/**
 * The PostgreSQL store's reads (issue 15): what archive-service reads from IndexStore (index/store.ts), async,
 * over the shared schema of /tmp/s19/pg-schema.md (`S.posts` with `tsv`, `facets`, `date_key`, `seq`, `body`).
 * Queries are compiled by core/pg-query.ts from the same compileQuery as the SQLite store, so totals agree by design;
 * orders are the SQLite store's: newest first = date_key DESC, seq DESC; oldest = dated ascending, undated last.
 * Relevance follows store.ts list: up to RANK_LIMIT / tokens hits are ranked (here by ts_rank_cd, title 10 : meta
 * 3 : body 1, where SQLite uses bm25, so the order within a ranked page may differ), above that the title hits come
 * first (ranked while few enough, else newest first), then the others newest first: exactly the SQLite rule.
 * (Ranked pages share about 92 % of their posts with SQLite's: RANK_NORMALIZATION.)
 * The trees count the posts table with GROUP BY (no count tables), with the same hidden rules.
 */
import pg from 'pg';
import type {
  ArchiveStats, ArticleSummary, CategoryNode, DateNode, Facets, ListQuery, ListResult, Problem, SearchHit, SimilarPost, TagCount, Timeline, TimelineUnit,
} from '../../shared/archive-api';
import { compileQuery, type CompiledQuery } from '../../core/query';
import { ftsTokenCount, pgWhere, planPgList, type PgListPlan, type PgPart, type PgPlanTools } from '../../core/pg-query';
import { makeSnippet } from '../../core/snippet';
import { buildCategoryTree, buildDateTree, sortTags } from '../../core/trees';
import { FACET, categoryKey, dateKey, pathFromCategoryKey, paging } from '../index/list';
import { bucketDays } from '../index/timeline';
import { facetQueries, narrows } from '../index/facets';
import { RANK_LIMIT, type StoredPost } from '../index/store';
import type { IndexReader } from '../index/index-reader';
import { collapseOrder } from '../../core/similarity/versions';
import { findSimilarPg, pgStoriesOf } from './pg-similar';
import { splitCount } from './pg-split-count';
import { withoutSqlState } from './pg-connection';

export const PG_TOOLS: PgPlanTools = { facet: FACET, categoryKey, dateKey };

/** ts_rank_cd's weights, {D, C, B, A}: body 1, meta (tags, categories, description) 3, title 10, as SQLite's bm25(10, 3, 1). */
export const RANK_WEIGHTS = '{0.1, 0, 0.3, 1}';
/**
 * ts_rank_cd's normalization: 2 divides by the post's length, as bm25 weighs a hit in a short post more. Measured
 * on 2,000 synthetic posts, the 27 ranked benchmark searches with more than a page: the first page shares 92 % of
 * its posts with SQLite's bm25 page (49 % without normalization, 85 % with 1 + log length).
 */
export const RANK_NORMALIZATION = 2;

/**
 * A date range (after:/before:) with words is read as a range of the order index only while the planner expects at
 * most this many posts in it; a wider one is tested on the words' hits (PgDates): each post of a range read first
 * has its tsvector read for the words, ~8 µs a post (市场 after:2021 at 100,000 posts: 66,695 of them, 318 ms of
 * CPU; tested on 市场's 24,858 hits, 38 ms), while testing a common word's hits for a narrow range costs more than
 * the range (银行 in half a year: 49 ms against 1).
 */
export const RANGE_INDEX_MAX = 5000;
/**
 * A newest-first page of a phrase walks the order index, testing each post until the page is full, when that should
 * test WALK_MARGIN times fewer posts than there are hits (each test reads a tsvector, ~8 µs), if the hits are spread
 * over the years: (offset + limit) × posts / hits posts walked. "同比增长" at 100,000 posts, 57,374 hits: ~90 posts
 * tested instead of every hit.
 */
export const WALK_MARGIN = 2;

/**
 * The settings a phrase's count runs with, so that PostgreSQL may spread it over a parallel worker (a Parallel Bitmap
 * Heap Scan: the leader reads the GIN bitmap, the worker and the leader share its pages). Each hit of a phrase has
 * its tsvector read for the positions (TOAST-ed, ~10 kB for the four-character words' hits at 100,000 posts: ~9 µs a
 * hit), which the planner costs as one operator, cpu_operator_cost (25 ns): the CPU it could share is then under 1 %
 * of the plan's cost, within add_path's fuzz, and the serial plan always won. 0.25 puts that check nearer its real
 * cost in the planner's units; the parallel costs at 0 and no minimum size let the planner take a worker when that
 * cost is worth sharing (its estimate of a phrase's hits, the product of its lexemes' frequencies, stays the gate: a
 * rare phrase is counted serially). At most one worker, and none where the server or the reader's role sets
 * max_parallel_workers_per_gather to 0 (the way to turn this off): a worker cuts a big count's wall time, not its
 * CPU, which it raises (人工智能 at 100,000 posts, measured under load: 105-111 ms of CPU serial, 131-165 with one
 * worker, 162-193 with two). Only for a count of words alone (a bitmap scan of posts_tsv in either way), reset after.
 */
export const PARALLEL_PHRASE_COUNT = ['parallel_setup_cost = 0', 'parallel_tuple_cost = 0', 'min_parallel_table_scan_size = 0', 'cpu_operator_cost = 0.25'];
/** The statement that applies PARALLEL_PHRASE_COUNT in a transaction, and at most one worker (fewer if the server says so). */
export const PARALLEL_PHRASE_SET = `${PARALLEL_PHRASE_COUNT.map((setting) => `SET LOCAL ${setting}`).join('; ')}; `
  + `SELECT set_config('max_parallel_workers_per_gather', least(current_setting('max_parallel_workers_per_gather')::int, 1)::text, true)`;
const PARALLEL_PHRASE_RESET = [...PARALLEL_PHRASE_COUNT.map((setting) => setting.split(' ')[0]), 'max_parallel_workers_per_gather']
  .map((name) => `SET LOCAL ${name} TO DEFAULT`).join('; ');

/** The key a count is cached under (count, and titleHitsAndPage's look-up of the title part's count). */
const countKey = (where: string, params: unknown[]): string => `count ${where} ${JSON.stringify(params)}`;

/** Words and the hidden rule, nothing else (no facets, dates or excluded words). */
const wordsOnly = (plan: PgListPlan): boolean => plan.match !== null && plan.exclude === null && plan.minKey === null && plan.maxKey === null
  && plan.allFacets.length === 0 && plan.anyFacets.length === 0 && plan.noFacets.length === 1 && plan.noFacets[0] === FACET.hidden;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const MINUTES_A_DAY = 24 * 60;

/** A pool, a client or a pool's client: anything that runs a parameterised query. */
export type PgQueryable = Pick<pg.Pool, 'query'> | Pick<pg.ClientBase, 'query'>;

interface SummaryRow { path: string; title: string; date: string | null; categories: string[]; tags: string[]; excerpt: string; hidden: boolean }
const SUMMARY = 'path, title, date, categories, tags, excerpt, hidden';
const toSummary = (r: SummaryRow): ArticleSummary => ({
  path: r.path, title: r.title, date: r.date, categories: r.categories, tags: r.tags, excerpt: r.excerpt, hidden: r.hidden,
});

type Order = 'rank' | 'date' | 'oldest';
/** A hit as the pages read it: its path, and its seq (bigint, as text). */
type Hit = { path: string; seq: string };
const ORDER_BY: Record<Exclude<Order, 'rank'>, string> = {
  date: 'date_key DESC, seq DESC',
  oldest: 'date_key ASC, seq ASC',
};

/** tsquery input the server refused (a token too long for a lexeme…): a notice, as store.ts reports FTS5 errors. */
const isQueryTextError = (e: unknown): e is Error =>
  e instanceof Error && /tsquery|too long|syntax error in tsquery/i.test(e.message) && typeof (e as { code?: unknown }).code === 'string';

interface Compiled { compiled: CompiledQuery; plan: PgListPlan; notice: { notice?: string } }

/** Runs one statement in a call's session and answers its rows. */
type Run = <R extends pg.QueryResultRow>(text: string, params?: unknown[]) => Promise<R[]>;


/** The plan choices' thresholds (tests set them low to take each way on a small archive); results never depend on them. */
export interface PgReaderTuning {
  rangeIndexMax?: number;
  walkMargin?: number;
  /** false: a phrase's count is never run with PARALLEL_PHRASE_SET. */
  parallelPhrases?: boolean;
  /** false: a phrase's count is never split over the partitions and a spare connection of the pool (pg-split-count.ts). */
  splitPhrases?: boolean;
  /** false: the title hits' count and first page are two statements (titleHitsAndPage not used). */
  titleInOne?: boolean;
  /** false: an OR of words and phrases is counted in one statement (PgOrParts not used). */
  splitOr?: boolean;
  /** false: a phrase's count with excluded words subtracts them as a word's does (not one tsquery `(match) & !(exclude)`). */
  excludeInPhrase?: boolean;
  /** false: a count with excluded words is one statement with their anti-join (not the hits less those with them). */
  subtractExcluded?: boolean;
}

export class PgIndexReader {
  private readonly s: string;
  /** A single client (not a pool) runs one call's transaction at a time: calls wait their turn here. */
  private turn: Promise<unknown> = Promise.resolve();
  /**
   * The archive-wide trees (what the SQLite store reads from its count tables) and hit counts, kept while the
   * writer's generation (meta, +1 per committed batch) stays the same: counted from every post, the trees cost
   * 150 ms of server CPU at 20,000 posts, and a list's count is paid again by every page otherwise.
   */
  private trees = { generation: '', values: new Map<string, unknown>() };
  /** Each session's generation, read once: its REPEATABLE READ snapshot cannot see another (a round trip a cached value). */
  private readonly sessionGenerations = new WeakMap<Run, Promise<string> | null>();

  /** `schema`: the schema holding the tables (validated, double-quoted). `rankLimit` overrides RANK_LIMIT. */
  constructor(private readonly db: PgQueryable, schema = 'backfile', private readonly rankLimit = RANK_LIMIT, private readonly tuning: PgReaderTuning = {}) {
    if (!SCHEMA_NAME.test(schema)) throw new Error(`Not a schema name: ${JSON.stringify(schema)} (lowercase letters, digits and _; at most 63).`);
    this.s = `"${schema}"`;
  }

  /** One statement outside any session (a single read needs no snapshot). */
  private run: Run = async <R extends pg.QueryResultRow>(text: string, params: unknown[] = []) => (await this.db.query<R>(text, params)).rows;

  /**
   * One call's reads in one REPEATABLE READ, READ ONLY transaction on one connection, so that its count and its page
   * (or its three trees) see the same index while the indexer commits. `words`: the call searches words, so the
   * planner is kept off sequential scans: a word in a quarter of the posts would otherwise make it read every
   * post's tsvector (measured at 20,000 posts: 149 ms of server CPU, 8 ms through the GIN index).
   */
  private async session<T>(words: boolean, work: (run: Run) => Promise<T>): Promise<T> {
    // JIT off: the trees' statements (and any plan with a seq scan under enable_seqscan = off, costed 1e10) cross
    // jit_above_cost, and compiling costs more than running them: the tag names at 20,000 posts 300 ms, 145-185 without.
    // Partitionwise joins: an excluded word's anti-join of posts with itself (pg-query.ts) is then made partition by
    // partition, where on the partitioned parent (v8) the planner took it for one row and hashed every hit (-市场
    // category:finance at 100,000 posts: 44 -> 781 ms of CPU without it, 1 ms with it).
    const start = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off; SET LOCAL enable_partitionwise_join = on${words ? '; SET LOCAL enable_seqscan = off' : ''}`;
    const inSession = async (client: Pick<pg.ClientBase, 'query'>): Promise<T> => {
      await client.query(start);
      try {
        const run: Run = async <R extends pg.QueryResultRow>(text: string, params: unknown[] = []) => (await client.query<R>(text, params)).rows;
        this.sessionGenerations.set(run, null);
        const result = await work(run);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    };
    if (this.db instanceof pg.Pool) {
      const client = await this.db.connect();
      let broken: Error | undefined;
      try {
        return await inSession(client);
      } catch (error) {
        // A connection that failed mid-call is not given back to the pool.
        if (withoutSqlState(error)) broken = error;
        throw error;
      } finally {
        client.release(broken);
      }
    }
    const mine = this.turn.then(() => inSession(this.db));
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  private compile(q: ListQuery): Compiled {
    const compiled = compileQuery(typeof q.query === 'string' ? q.query : '');
    const notice = compiled.notice !== undefined ? { notice: compiled.notice } : {};
    return { compiled, plan: planPgList(q, compiled, PG_TOOLS), notice };
  }

  /**
   * The planner's count of posts (pg_class.reltuples, set by VACUUM and ANALYZE): enough to judge a phrase's density.
   * Summed over the partitions (v8): autovacuum keeps theirs, never the partitioned parent's.
   */
  private postsEstimate(run: Run): Promise<number> {
    return this.cached(run, 'posts estimate', async () => {
      const [row] = await run<{ n: number }>(`SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::float8 AS n
        FROM pg_partition_tree($1::regclass) t JOIN pg_class c ON c.oid = t.relid WHERE t.isleaf`, [`${this.s}.posts`]);
      return Number(row?.n ?? 0);
    });
  }

  /** How many posts are hidden (from the facets' GIN index), kept per generation. */
  private hiddenPosts(run: Run): Promise<number> {
    return this.cached(run, 'hidden posts', async () => {
      const [row] = await run<{ n: string }>(`SELECT count(*) AS n FROM ${this.s}.posts WHERE facets @> $1::text[]`, [[FACET.hidden]]);
      return Number(row!.n);
    });
  }

  /** Sets how the plan's date range is tested with its words (RANGE_INDEX_MAX), from the planner's estimate of the range. */
  private async chooseDates(run: Run, plan: PgListPlan): Promise<void> {
    if (plan.match === null || (plan.minKey === null && plan.maxKey === null)) return;
    const params: unknown[] = [];
    const range: string[] = [];
    if (plan.minKey !== null) range.push(`date_key >= $${params.push(plan.minKey)}`);
    if (plan.maxKey !== null) range.push(`date_key < $${params.push(plan.maxKey)}`);
    const [row] = await run<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
      `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${this.s}.posts WHERE ${range.join(' AND ')}`, params);
    const rows = row?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0;
    plan.dates = rows > (this.tuning.rangeIndexMax ?? RANGE_INDEX_MAX) ? 'filter' : 'index';
  }

  /** Hits of a part of the plan (`dated`: those with a date only), kept per generation as the trees are: paging recounts nothing. */
  private async count(run: Run, plan: PgListPlan, part: PgPart = 'all', dated = false): Promise<number> {
    const params: unknown[] = [];
    const where = pgWhere(plan, params, part, '', `${this.s}.posts`) + (dated ? ' AND date_key > 0' : '');
    return this.cached(run, countKey(where, params), async () => {
      // Excluded words: the hits without them less those with them, each counted from the GIN indexes (a bitmap AND
      // for the second), where the anti-join of a page (pgWhere) planned as a nested loop reads each candidate's row and
      // tsvector through the primary key (-市场 category:finance at 100,000 posts: 9,428 candidates, ~81,000 buffers).
      if (plan.exclude !== null && part === 'all' && (this.tuning.subtractExcluded ?? true)) {
        // A phrase with excluded words: one tsquery, `(match) & !(exclude)`, the same test of each row as the anti-join
        // (tsv @@ match AND NOT tsv @@ exclude), but the GIN scan leaves out the posts holding an excluded word before
        // any tsvector is read for the phrase's positions, where the subtraction read them for every hit twice (the
        // hits, then the hits with the excluded words): 新能源 -汽车 at 100,000 real-text posts, 38,683 hits all with
        // 汽车: ~38,700 tsvectors read against 0.
        // (Not for words all in the title, which pgWhere reads from the title's lexemes alone.)
        if (plan.match !== null && plan.match !== plan.titleMatch && plan.match.includes(' <-> ') && (this.tuning.excludeInPhrase ?? true)) {
          const within: PgListPlan = { ...plan, match: `(${plan.match}) & !(${plan.exclude})`, titleMatch: null, exclude: null };
          delete within.orParts;
          return await this.count(run, within, 'all', dated);
        }
        const kept: PgListPlan = { ...plan, exclude: null };
        const both: PgListPlan = { ...kept, match: plan.match === null ? plan.exclude : `(${plan.match} & ${plan.exclude})`, titleMatch: null };
        delete both.orParts;
        return await this.count(run, kept, 'all', dated) - await this.count(run, both, 'all', dated);
      }
      // An OR of words and phrases: its two disjoint parts counted apart (PgOrParts), each as words alone.
      const { orParts, ...single } = plan;
      if (orParts && part === 'all' && !dated && wordsOnly(plan) && (this.tuning.splitOr ?? true)) {
        return await this.count(run, { ...single, match: orParts.plain }) + await this.count(run, { ...single, match: orParts.checked });
      }
      const countIn = async (from: string): Promise<string> => await this.countSql(run, plan, part, dated, from) ?? `SELECT count(*) AS n FROM ${from} WHERE ${where}`;
      const phrase = part === 'all' && !dated && wordsOnly(plan) && plan.match!.includes(' <-> ');
      if (phrase && (this.tuning.splitPhrases ?? true) && this.db instanceof pg.Pool) {
        // A partition a session (pg-split-count.ts): the statement is the same on each partition, the sum the same count.
        const prepare = async () => {
          const statement = await countIn('PARTITION');
          return (partition: string) => statement.replace('FROM PARTITION WHERE', `FROM ${partition} WHERE`);
        };
        const split = await splitCount(run, this.db, `${this.s}.posts`, prepare, params);
        if (split !== undefined) return split;
      }
      const statement = await countIn(`${this.s}.posts`);
      const parallel = (this.tuning.parallelPhrases ?? true) && phrase;
      // Reset after the count only: a failed count aborts the transaction, which takes the settings with it (a reset
      // there would fail too, and hide the count's own error).
      if (parallel) await run(PARALLEL_PHRASE_SET);
      const [row] = await run<{ n: string }>(statement, params);
      if (parallel) await run(PARALLEL_PHRASE_RESET);
      return Number(row!.n);
    });
  }

  /**
   * Words alone, hidden posts left out: all the words' hits less the hidden ones (the schema's posts_tsv_hidden
   * indexes those), each from its GIN index. With the hidden rule as a condition on the row, every hit's row was
   * tested (市 at 100,000 posts, 74,920 hits, 83 → 47 ms). (PostgreSQL 15.18 reads each hit's heap page even when
   * the page is all-visible and nothing is to be checked: no bitmap scan skips them there; docs/BENCHMARKS.md, stop 21.)
   * The statement takes the same parameters as pgWhere gives `plan` with `part`; undefined when the plan has other
   * conditions.
   */
  private async countSql(run: Run, plan: PgListPlan, part: PgPart, dated: boolean, from = `${this.s}.posts`): Promise<string | undefined> {
    if (part !== 'all' || dated || !wordsOnly(plan)) return undefined;
    // The same numbering as pgWhere(plan): the words are its first parameter; the hidden token ($2) is left unused.
    const where = pgWhere({ ...plan, noFacets: [] }, [], 'all', '', `${this.s}.posts`);
    // No hidden post (most archives): nothing to take away, and no second scan to leave to the planner.
    if (await this.hiddenPosts(run) === 0) return `SELECT count(*) AS n FROM ${from} WHERE ${where} AND $2::text[] IS NOT NULL`;
    // A phrase's hits are read anyway (their positions): a second scan for the hidden ones would gain nothing, and the
    // planner, expecting a phrase in one post, may take posts_tsv for it rather than posts_tsv_hidden.
    if (plan.match!.includes(' <-> ')) return undefined;
    return `SELECT (SELECT count(*) FROM ${this.s}.posts WHERE ${where}) - (SELECT count(*) FROM ${this.s}.posts WHERE ${where} AND hidden AND facets && $2::text[]) AS n`;
  }

  /**
   * Oldest first as the SQLite store pages it (store.ts oldestIds): the dated hits ascending, then the undated ones,
   * each an ordered walk of the (date_key, seq) index.
   */
  private async oldestPaths(run: Run, plan: PgListPlan, offset: number, limit: number | null): Promise<Hit[]> {
    const dated = await this.count(run, plan, 'all', true);
    const paths = offset < dated ? await this.pagePaths(run, plan, 'all', 'oldest', offset, limit === null ? null : Math.min(limit, dated - offset), 'date_key > 0') : [];
    if (limit === null || paths.length < limit) {
      paths.push(...await this.pagePaths(run, plan, 'all', 'oldest', Math.max(0, offset - dated), limit === null ? null : limit - paths.length, 'date_key = 0'));
    }
    return paths;
  }

  /** A part of the plan's hits (and `extra`, an SQL condition) in an order, a page of them (limit null: all). */
  private async pagePaths(run: Run, plan: PgListPlan, part: PgPart, order: Order, offset: number, limit: number | null, extra?: string, hits?: number, walking = false): Promise<Hit[]> {
    if (limit !== null && limit <= 0) return [];
    if (order === 'date' && limit !== null && hits !== undefined && plan.match !== null && plan.match.includes(' <-> ')
      && (this.tuning.walkMargin ?? WALK_MARGIN) * (offset + limit) * (await this.postsEstimate(run)) <= hits * hits) {
      // A phrase in many posts: newest first along the order index, each post tested until the page is full, instead
      // of testing every candidate's tsvector (the planner, which expects a phrase in one post, reads them all).
      // Every condition is then tested on the walked rows (no anti-join: its subquery needs a bitmap scan of its own).
      await run('SET LOCAL enable_bitmapscan = off');
      try {
        return await this.pagePaths(run, plan, part, order, offset, limit, extra, undefined, true);
      } finally {
        await run('SET LOCAL enable_bitmapscan = on');
      }
    }
    const params: unknown[] = [];
    const where = pgWhere(plan, params, part, '', walking ? undefined : `${this.s}.posts`) + (extra ? ` AND ${extra}` : '');
    let orderBy: string;
    if (order === 'rank') {
      params.push(plan.match);
      orderBy = `ts_rank_cd('${RANK_WEIGHTS}'::float4[], tsv, $${params.length}::tsquery, ${RANK_NORMALIZATION}) DESC, date_key DESC, seq DESC`;
    } else orderBy = ORDER_BY[order];
    params.push(offset);
    const offsetParam = `$${params.length}`;
    let limitSql = '';
    if (limit !== null) {
      params.push(limit);
      limitSql = ` LIMIT $${params.length}`;
    }
    return run<Hit>(`SELECT path, seq FROM ${this.s}.posts WHERE ${where} ORDER BY ${orderBy}${limitSql} OFFSET ${offsetParam}`, params);
  }

  /**
   * The paths of the hits from `offset`, at most `limit` (null: all), in the list's order (store.ts list and
   * listOrder): date or oldest as asked; relevance ranked up to the budget, else title hits first, then the rest.
   */
  private async ordered(run: Run, q: ListQuery, c: Compiled, total: number, offset: number, limit: number | null): Promise<Hit[]> {
    const { plan } = c;
    if (q.sort === 'oldest') return this.oldestPaths(run, plan, offset, limit);
    if (plan.match === null || c.compiled.match === null || q.sort === 'date') return this.pagePaths(run, plan, 'all', 'date', offset, limit, undefined, total);
    const rankable = Math.floor(this.rankLimit / Math.max(1, ftsTokenCount(c.compiled.match)));
    if (total <= rankable) return this.pagePaths(run, plan, 'all', 'rank', offset, limit);
    const first = limit === null ? undefined : await this.titleHitsAndPage(run, plan, rankable, offset, limit);
    const titleHits = first?.titleHits ?? await this.count(run, plan, 'title');
    const paths = first?.paths ?? (offset < titleHits
      ? await this.pagePaths(run, plan, 'title', titleHits <= rankable ? 'rank' : 'date', offset, limit === null ? null : Math.min(limit, titleHits - offset))
      : []);
    if (limit === null || paths.length < limit) {
      paths.push(...await this.pagePaths(run, plan, 'rest', 'date', Math.max(0, offset - titleHits), limit === null ? null : limit - paths.length, undefined, total - titleHits));
    }
    return paths;
  }

  /**
   * The title hits' count and their page in one statement, when the count is not known yet: the hits read once into
   * a CTE, counted, and paged ranked when they are at most `rankable`, else newest first (the order of pagePaths'
   * 'rank' and 'date' for the title part), where the count and then the page each read them: a phrase's title
   * candidates have their tsvector read for the positions ("同比增长" at 100,000 posts: 3,726 title hits, ~50 ms
   * a reading). Undefined when the count is cached (or tuning.titleInOne is false): the page alone is read then.
   */
  private async titleHitsAndPage(run: Run, plan: PgListPlan, rankable: number, offset: number, limit: number): Promise<{ titleHits: number; paths: Hit[] } | undefined> {
    if (!(this.tuning.titleInOne ?? true)) return undefined;
    const params: unknown[] = [];
    const where = pgWhere(plan, params, 'title', '', `${this.s}.posts`);
    const key = countKey(where, params);
    if (await this.peek<number>(run, key) !== undefined) return undefined;
    const p = (value: unknown): string => `$${params.push(value)}`;
    const rank = `ts_rank_cd('${RANK_WEIGHTS}'::float4[], t.tsv, ${p(plan.match)}::tsquery, ${RANK_NORMALIZATION})`;
    const rows = await run<{ n: string; path: string | null; seq: string | null }>(`WITH t AS MATERIALIZED (SELECT path, seq, date_key, tsv FROM ${this.s}.posts WHERE ${where}),
        n AS (SELECT count(*) AS n FROM t)
      SELECT n.n, page.path, page.seq FROM n LEFT JOIN LATERAL (SELECT t.path, t.seq FROM t
        ORDER BY CASE WHEN n.n <= ${p(rankable)} THEN ${rank} END DESC, t.date_key DESC, t.seq DESC LIMIT ${p(limit)} OFFSET ${p(offset)}) AS page ON true`, params);
    const titleHits = Number(rows[0]!.n);
    await this.cached(run, key, async () => titleHits);
    return { titleHits, paths: rows.flatMap((r) => (r.path === null ? [] : [{ path: r.path, seq: r.seq! }])) };
  }

  /** The article list (store.ts list): counted and paged in PostgreSQL; only the page's posts are read, with snippets. */
  async list(q: ListQuery): Promise<ListResult> {
    const c = this.compile(q);
    const { offset, limit } = paging(q);
    try {
      return await this.session(c.plan.match !== null, async (run) => {
        await this.chooseDates(run, c.plan);
        const total = await this.count(run, c.plan);
        if (q.collapse === true) return this.collapsedList(run, q, c, total, offset, limit);
        if (total === 0 || offset >= total) return { total, items: [], ...c.notice };
        const page = await this.ordered(run, q, c, total, offset, limit);
        const items = await this.hits(run, page.map((h) => h.path), c.compiled.highlight);
        return { total, items, ...c.notice };
      });
    } catch (e) {
      if (isQueryTextError(e)) return { total: 0, items: [], notice: `The search could not be run (${e.message}).` };
      throw e;
    }
  }

  /**
   * One row per story (store.ts collapsedList): the whole result's paths in the list's order, grouped by their
   * stories (pg-similar.ts, collapseOrder), a page of the groups' first posts as items with their `versions`.
   */
  private async collapsedList(run: Run, q: ListQuery, c: Compiled, total: number, offset: number, limit: number): Promise<ListResult> {
    if (total === 0) return { total: 0, items: [], ...c.notice };
    const all = await this.ordered(run, q, c, total, 0, null);
    const paths = all.map((h) => h.path);
    const { firsts, versions } = collapseOrder(await pgStoriesOf(run, this.s, paths));
    const page = firsts.slice(offset, offset + limit);
    const items = await this.hits(run, page.map((i) => paths[i]!), c.compiled.highlight);
    const storyVersions = new Map(page.map((i, k) => [paths[i]!, versions[offset + k]!]));
    // "+N" is what a click on it shows (store.ts collapsedList): the row's post's own versions (similar, same hidden
    // rule) in this result; without hidden posts a row of a story alone needs no look-up (with them, a post alone may
    // have hidden versions: hidden posts are in no story).
    const result = new Set(paths);
    const includeHidden = q.includeHidden === true;
    const direct = async (path: string): Promise<number> => ((storyVersions.get(path) ?? 0) === 0 && !includeHidden ? 0
      : ((await findSimilarPg(run, this.s, path, includeHidden)) ?? []).filter((v) => result.has(v.path)).length);
    const counted: SearchHit[] = [];
    for (const hit of items) counted.push({ ...hit, versions: await direct(hit.path) });
    return { total: firsts.length, items: counted, ...c.notice };
  }

  /**
   * Every post `q` lists, in the list's order, as paths (store.ts listOrder). `ids` are the posts' `seq` values
   * (hitsOf reads them back); prefer paths, which stay valid across writes.
   */
  async listOrder(q: ListQuery): Promise<{ ids: number[]; paths: string[]; stories?: (number | undefined)[]; notice?: string }> {
    const c = this.compile(q);
    try {
      return await this.session(c.plan.match !== null, async (run) => {
        await this.chooseDates(run, c.plan);
        const total = await this.count(run, c.plan);
        if (total === 0) return { ids: [], paths: [], ...c.notice };
        const all = await this.ordered(run, q, c, total, 0, null);
        const paths = all.map((h) => h.path);
        // With `collapse`: each post's story, for callers that group the result themselves (the mark filter).
        const stories = q.collapse === true ? { stories: await pgStoriesOf(run, this.s, paths) } : {};
        return { ids: all.map((h) => Number(h.seq)), paths, ...stories, ...c.notice };
      });
    } catch (e) {
      if (isQueryTextError(e)) return { ids: [], paths: [], notice: `The search could not be run (${e.message}).` };
      throw e;
    }
  }

  /** listOrder's ids (posts' seq values) as list items, in this order; those gone meanwhile are left out. */
  async hitsOf(ids: readonly number[], query: string): Promise<SearchHit[]> {
    const rows = await this.run<{ path: string; seq: string }>(`SELECT path, seq FROM ${this.s}.posts WHERE seq = ANY($1::bigint[])`, [ids.map(String)]);
    const pathOf = new Map(rows.map((r) => [Number(r.seq), r.path]));
    return this.hits(this.run, ids.flatMap((id) => (pathOf.has(id) ? [pathOf.get(id)!] : [])), compileQuery(query).highlight);
  }

  /** The posts at these paths as list items (snippets for `query`'s words), in this order; paths gone are left out. */
  async hitsOfPaths(paths: readonly string[], query: string): Promise<SearchHit[]> {
    return this.hits(this.run, [...paths], compileQuery(query).highlight);
  }

  private async hits(run: Run, paths: string[], highlight: string[]): Promise<SearchHit[]> {
    if (paths.length === 0) return [];
    const rows = await run<SummaryRow & { body: string }>(`SELECT ${SUMMARY}, body FROM ${this.s}.posts WHERE path = ANY($1::text[])`, [paths]);
    const byPath = new Map(rows.map((r) => [r.path, r]));
    return paths.flatMap((p) => {
      const row = byPath.get(p);
      return row ? [{ ...toSummary(row), snippet: makeSnippet(row.body, highlight) }] : [];
    });
  }

  // ---- trees ----

  private async categoryRows(run: Run, includeHidden: boolean): Promise<{ path: string[]; count: number }[]> {
    const rows = await run<{ key: string; n: string }>(`SELECT category_key AS key, count(*) AS n FROM ${this.s}.posts
      WHERE category_key <> '' ${includeHidden ? '' : 'AND NOT hidden'} GROUP BY category_key`);
    return rows.map((r) => ({ path: pathFromCategoryKey(r.key), count: Number(r.n) }));
  }

  private async dateRows(run: Run, includeHidden: boolean): Promise<{ year: number | null; month: number | null; count: number }[]> {
    const rows = await run<{ year: number | null; month: number | null; n: string }>(`SELECT year, month, count(*) AS n FROM ${this.s}.posts
      ${includeHidden ? '' : 'WHERE NOT hidden'} GROUP BY year, month`);
    return rows.map((r) => ({ year: r.year || null, month: r.month || null, count: Number(r.n) }));
  }

  /** A whole-archive tree from the cache, or counted (in `run`'s snapshot, whose generation it is kept under). */
  private async cached<T>(run: Run, key: string, count: () => Promise<T>): Promise<T> {
    const generation = await this.generationIn(run);
    if (generation !== this.trees.generation || this.trees.values.size > 500) this.trees = { generation, values: new Map() };
    const trees = this.trees;
    if (trees.values.has(key)) return structuredClone(trees.values.get(key) as T);
    const value = await count();
    trees.values.set(key, value);
    return structuredClone(value);
  }

  /** The generation `run` sees: its session's, read once, or read now (a statement outside a session). */
  private async generationIn(run: Run): Promise<string> {
    const read = async (): Promise<string> => (await run<{ value: string }>(`SELECT value FROM ${this.s}.meta WHERE key = 'generation'`))[0]?.value ?? '';
    if (!this.sessionGenerations.has(run)) return read();
    let generation = this.sessionGenerations.get(run);
    if (!generation) this.sessionGenerations.set(run, generation = read());
    return generation;
  }

  /** A value cached under `key` for `run`'s generation, or undefined. */
  private async peek<T>(run: Run, key: string): Promise<T | undefined> {
    const generation = await this.generationIn(run);
    return generation === this.trees.generation && this.trees.values.has(key) ? structuredClone(this.trees.values.get(key) as T) : undefined;
  }

  private categoryTree(run: Run, includeHidden: boolean): Promise<CategoryNode[]> {
    return this.cached(run, `categories ${includeHidden}`, async () => {
      const rows = await this.categoryRows(run, includeHidden);
      const dates = await this.dateRows(run, includeHidden);
      return buildCategoryTree(rows, dates.reduce((n, r) => n + r.count, 0));
    });
  }

  private dateTree(run: Run, includeHidden: boolean): Promise<DateNode[]> {
    return this.cached(run, `dates ${includeHidden}`, async () => buildDateTree(await this.dateRows(run, includeHidden)));
  }

  async categories(includeHidden = false): Promise<CategoryNode[]> {
    return this.session(false, (run) => this.categoryTree(run, includeHidden));
  }

  async dates(includeHidden = false): Promise<DateNode[]> {
    return this.session(false, (run) => this.dateTree(run, includeHidden));
  }

  /**
   * Each tag's shown spelling, as the SQLite store's tag_counts keeps it: the first spelling written for the
   * (tag, hidden) pair (here: of the post written first, lowest seq), and the smaller of the two with the hidden ones.
   * (SQLite keeps a spelling while any post has the tag, even once the post that wrote it is gone: then they differ.)
   */
  private async tagNames(run: Run, includeHidden: boolean): Promise<Map<string, string>> {
    // The lowest seq's spelling as one hashed aggregate (seq zero-padded before the name, compared in "C"), not a
    // sort of every (tag, post) pair: 145-185 -> 85-90 ms at 20,000 posts, the same names.
    const rows = await run<{ norm: string; name: string }>(`SELECT norm, min(name) AS name FROM (
        SELECT t->>0 AS norm, substr(min(lpad(p.seq::text, 20, '0') || (t->>1) COLLATE "C"), 21) AS name
        FROM ${this.s}.posts p, jsonb_array_elements(p.tag_keys) AS t ${includeHidden ? '' : 'WHERE NOT p.hidden'}
        GROUP BY t->>0, p.hidden) AS first GROUP BY norm`);
    return new Map(rows.map((r) => [r.norm, r.name]));
  }

  /** Tag names by normalised tag, cached as the trees are. */
  private names(run: Run, includeHidden: boolean): Promise<Map<string, string>> {
    return this.cached(run, `names ${includeHidden}`, () => this.tagNames(run, includeHidden));
  }

  /** Posts per tag of the plan's hits (all posts: null), and the untagged ones. */
  private async tagCounts(run: Run, plan: PgListPlan | null, includeHidden: boolean): Promise<{ counts: Map<string, number>; untagged: number }> {
    const params: unknown[] = [];
    const where = plan ? pgWhere(plan, params, 'all', 'p') : includeHidden ? 'TRUE' : 'NOT p.hidden';
    // One row per tag, and a null tag for the posts without any.
    const rows = await run<{ norm: string | null; n: string }>(`SELECT t->>0 AS norm, count(*) AS n FROM ${this.s}.posts p
      LEFT JOIN LATERAL jsonb_array_elements(p.tag_keys) AS t ON true WHERE ${where} GROUP BY 1`, params);
    const counts = new Map<string, number>();
    let untagged = 0;
    for (const r of rows) {
      if (r.norm === null) untagged = Number(r.n);
      else counts.set(r.norm, Number(r.n));
    }
    return { counts, untagged };
  }

  private tagList(run: Run, includeHidden: boolean): Promise<TagCount[]> {
    return this.cached(run, `tags ${includeHidden}`, async () => {
      const names = await this.names(run, includeHidden);
      const { counts, untagged } = await this.tagCounts(run, null, includeHidden);
      return sortTags([...counts].map(([norm, count]) => ({ name: names.get(norm) ?? norm, count })), untagged);
    });
  }

  async tags(includeHidden = false): Promise<TagCount[]> {
    return this.session(false, (run) => this.tagList(run, includeHidden));
  }

  /** The trees' counts for what `q` finds (index/facets.ts countFacets), of the posts whose paths pass `keep` when given. */
  async facets(q: ListQuery, keep?: (path: string) => boolean): Promise<Facets> {
    const { base, withoutCategory, withoutDate, hidden } = facetQueries(q);
    const plans = { categories: this.compile(withoutCategory), dates: this.compile(withoutDate), tags: this.compile(base) };

    type Row = { year: number | null; month: number | null; category_key: string; tag_keys: [string, string][]; path: string };
    return this.session(plans.tags.plan.match !== null, async (run) => {
      // With `keep`: one read of the matching posts per distinct plan, tested here (the three trees share one when
      // no category or date is chosen). Without: each tree counted by PostgreSQL.
      const read = new Map<string, Row[]>();
      const rowsOf = async (plan: PgListPlan): Promise<Row[]> => {
        const params: unknown[] = [];
        const where = pgWhere(plan, params);
        const key = JSON.stringify([where, params]);
        let rows = read.get(key);
        if (!rows) {
          const all = await run<Row>(`SELECT year, month, category_key, tag_keys, path FROM ${this.s}.posts WHERE ${where}`, params);
          rows = keep ? all.filter((r) => keep(r.path)) : all;
          read.set(key, rows);
        }
        return rows;
      };
      const grouped = async <R extends pg.QueryResultRow>(plan: PgListPlan, columns: string): Promise<(R & { n: string })[]> => {
        const params: unknown[] = [];
        const where = pgWhere(plan, params);
        return run<R & { n: string }>(`SELECT ${columns}, count(*) AS n FROM ${this.s}.posts WHERE ${where} GROUP BY ${columns}`, params);
      };

      let categories: CategoryNode[];
      if (!keep && !narrows(withoutCategory, plans.categories.compiled)) categories = await this.categoryTree(run, hidden);
      else {
        const counts = new Map<string, number>();
        if (keep) for (const row of await rowsOf(plans.categories.plan)) counts.set(row.category_key, (counts.get(row.category_key) ?? 0) + 1);
        else for (const r of await grouped<{ category_key: string }>(plans.categories.plan, 'category_key')) counts.set(r.category_key, Number(r.n));
        categories = buildCategoryTree([...counts].map(([key, count]) => ({ path: pathFromCategoryKey(key), count })));
      }

      let dates: DateNode[];
      if (!keep && !narrows(withoutDate, plans.dates.compiled)) dates = await this.dateTree(run, hidden);
      else {
        const counts = new Map<string, { year: number | null; month: number | null; count: number }>();
        const add = (year: number | null, month: number | null, n: number): void => {
          const key = `${year ?? 0} ${month ?? 0}`;
          const entry = counts.get(key);
          if (entry) entry.count += n;
          else counts.set(key, { year: year || null, month: month || null, count: n });
        };
        if (keep) for (const { year, month } of await rowsOf(plans.dates.plan)) add(year, month, 1);
        else for (const r of await grouped<{ year: number | null; month: number | null }>(plans.dates.plan, 'year, month')) add(r.year, r.month, Number(r.n));
        dates = buildDateTree([...counts.values()]);
      }

      let tags: TagCount[];
      if (!keep && !narrows(base, plans.tags.compiled)) tags = await this.tagList(run, hidden);
      else {
        const names = await this.names(run, hidden);
        let counts = new Map<string, number>();
        let untagged = 0;
        const written = new Map<string, string>();
        if (keep) {
          for (const row of await rowsOf(plans.tags.plan)) {
            if (row.tag_keys.length === 0) untagged += 1;
            for (const [norm, spelt] of row.tag_keys) {
              counts.set(norm, (counts.get(norm) ?? 0) + 1);
              if (!written.has(norm)) written.set(norm, spelt);
            }
          }
        } else ({ counts, untagged } = await this.tagCounts(run, plans.tags.plan, hidden));
        tags = sortTags([...counts].map(([norm, count]) => ({ name: names.get(norm) ?? written.get(norm) ?? norm, count })), untagged);
      }
      return { categories, dates, tags };
    });
  }

  /** Posts per period for what `q` finds (index/timeline.ts), of the posts whose paths pass `keep` when given. */
  async timeline(q: ListQuery, by?: TimelineUnit, keep?: (path: string) => boolean): Promise<Timeline> {
    const { plan } = this.compile(q);
    const params: unknown[] = [];
    const where = pgWhere(plan, params);
    // A dated post's day in dateKey's calendar (31 days a month, 12 months a year), as timeline.ts reads it from the rowid.
    const day = `CASE WHEN date_key = 0 THEN -1 ELSE (date_key - 1) / ${MINUTES_A_DAY} END`;
    return this.session(plan.match !== null, async (run) => {
      if (keep) {
        const rows = await run<{ day: string; path: string }>(`SELECT ${day} AS day, path FROM ${this.s}.posts WHERE ${where}`, params);
        const days = new Map<number, number>();
        let undated = 0;
        for (const r of rows) {
          if (!keep(r.path)) continue;
          const d = Number(r.day);
          if (d < 0) undated += 1;
          else days.set(d, (days.get(d) ?? 0) + 1);
        }
        return bucketDays([...days].map(([d, count]) => ({ day: d, count })), undated, by);
      }
      const rows = await run<{ day: string; n: string }>(`SELECT ${day} AS day, count(*) AS n FROM ${this.s}.posts WHERE ${where} GROUP BY 1`, params);
      const undated = Number(rows.find((r) => Number(r.day) < 0)?.n ?? 0);
      return bucketDays(rows.filter((r) => Number(r.day) >= 0).map((r) => ({ day: Number(r.day), count: Number(r.n) })), undated, by);
    });
  }

  /** Other versions of the post at `path` (pg-similar.ts), best first; hidden ones only with `includeHidden`; undefined: no such post. */
  async similar(path: string, includeHidden = false): Promise<SimilarPost[] | undefined> {
    return findSimilarPg(this.run, this.s, path, includeHidden);
  }

  // ---- the rest ----

  private async scanProblems(run: Run): Promise<Problem[]> {
    const rows = await run<{ problems: Problem[] }>(`SELECT problems FROM ${this.s}.scan_problems`);
    return rows.flatMap((r) => r.problems);
  }

  private async problemList(run: Run): Promise<Problem[]> {
    const rows = await run<{ path: string; problems: Problem[] }>(`SELECT path, problems FROM (SELECT path, problems FROM ${this.s}.posts WHERE problem_count > 0
        UNION ALL SELECT path, problems FROM ${this.s}.file_problems) AS p ORDER BY path COLLATE "C"`);
    const found = rows.flatMap((r) => r.problems.map((p) => ({ ...p, path: p.path || r.path })));
    return [...found, ...await this.scanProblems(run)].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Every problem of every file (posts, unreadable files, the scan itself), by path (code-point order, as SQLite's). */
  async problems(): Promise<Problem[]> {
    return this.session(false, (run) => this.problemList(run));
  }

  private async countsWith(run: Run): Promise<{ posts: number; hidden: number; problems: number }> {
    const [c] = await run<{ posts: string; hidden: string }>(`SELECT count(*) FILTER (WHERE NOT hidden) AS posts, count(*) FILTER (WHERE hidden) AS hidden FROM ${this.s}.posts`);
    const [inPosts] = await run<{ n: string }>(`SELECT coalesce(sum(problem_count), 0) AS n FROM ${this.s}.posts WHERE problem_count > 0`);
    const [inFailures] = await run<{ n: string }>(`SELECT coalesce(sum(jsonb_array_length(problems)), 0) AS n FROM ${this.s}.file_problems`);
    const scan = await this.scanProblems(run);
    return { posts: Number(c!.posts), hidden: Number(c!.hidden), problems: Number(inPosts!.n) + Number(inFailures!.n) + scan.length };
  }

  async counts(): Promise<{ posts: number; hidden: number; problems: number }> {
    return this.session(false, (run) => this.countsWith(run));
  }

  /** The CLI's `stats` (store.ts stats). */
  async stats(): Promise<ArchiveStats> {
    return this.session(false, async (run) => {
      const { posts, hidden } = await this.countsWith(run);
      const years = new Map<number | null, number>();
      for (const r of await this.dateRows(run, false)) years.set(r.year, (years.get(r.year) ?? 0) + r.count);
      const problems = await this.problemList(run);
      const categories = await this.categoryRows(run, false);
      const tags = await this.tagList(run, false);
      return {
        posts,
        hidden,
        problems: problems.map((p) => ({ path: p.path, message: p.message })),
        categories: categories.sort((a, b) => b.count - a.count || (a.path.join('/') < b.path.join('/') ? -1 : 1)),
        tags: tags.filter((t) => t.name !== ''),
        years: buildDateTree([...years].map(([year, count]) => ({ year, month: null, count }))).map((n) => ({ year: n.year, count: n.count })),
      };
    });
  }

  async getPost(path: string): Promise<StoredPost | undefined> {
    const [row] = await this.run<SummaryRow & { source: string | null; draft: boolean; problems: Problem[] }>(
      `SELECT ${SUMMARY}, source, draft, problems FROM ${this.s}.posts WHERE path = $1`, [path]);
    if (!row) return undefined;
    return { ...toSummary(row), source: row.source, draft: row.draft, problems: row.problems };
  }

  async getMeta(key: string): Promise<string | undefined> {
    const [row] = await this.run<{ value: string }>(`SELECT value FROM ${this.s}.meta WHERE key = $1`, [key]);
    return row?.value;
  }

  /** The writer's batch counter (meta 'generation'): readers poll it to see that the index changed. */
  async generation(): Promise<string> {
    return (await this.getMeta('generation')) ?? '0';
  }
}

// The services read the team index through the same interface as the SQLite store (a method renamed there does not compile here).
const _pgIsReader = (reader: PgIndexReader): IndexReader => reader;
void _pgIsReader;
