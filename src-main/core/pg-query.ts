/**
 * The compiled search (core/query.ts) and a ListQuery's tree selections → a PostgreSQL WHERE clause with numbered
 * parameters, for the PostgreSQL store (node/pg/pg-read.ts). The SQLite store's plan (node/index/list.ts planList)
 * is the model, condition for condition:
 *
 * - the words: compileAst's FTS5 expression (every token quoted, `"a b"` a phrase, `"铁" *` a prefix, `title : …`
 *   a column filter, AND/OR/NOT with parentheses) is read back and written as tsquery text with the same tokens:
 *   a phrase as `'a' <-> 'b'`, a prefix as `'铁':*`, the title column as weight A (`'a':A`). Bound as `$n::tsquery`
 *   (never to_tsquery, whose parser would split the tokens again); the stored tsvector holds the same tokens.
 * - tree selections, tag:/category: and the hidden rule: the same facet tokens as the FTS5 `facets` column, in the
 *   posts' `facets text[]`: all of them `facets @> $n::text[]`, any of a group `facets && $n::text[]`, none
 *   `NOT (facets && $n::text[])`.
 * - after:/before: as the SQLite store's rowid range, on `date_key` (dateKey of the day): `after:D` is
 *   `date_key >= dateKey(D)`, `before:D` is `date_key < dateKey(D)` and leaves the undated (key 0) out.
 *
 * Pure: the facet token names and dateKey live in node/index/list.ts, which core may not import; the caller hands
 * them in (PgPlanTools).
 */
import type { ListQuery } from '../shared/archive-api';
import type { CompiledQuery } from './query';
import { normalizeName } from './query';

/** node/index/list.ts's FACET, categoryKey and dateKey. */
export interface PgPlanTools {
  facet: {
    all: string;
    hidden: string;
    undated: string;
    uncategorised: string;
    untagged: string;
    year(year: number): string;
    month(year: number, month: number): string;
    subtree(key: string): string;
    category(name: string): string;
    tag(name: string): string;
  };
  categoryKey(path: readonly string[]): string;
  dateKey(date: string): number;
}

export interface PgListPlan {
  /** tsquery text of the wanted words; null = every post. */
  match: string | null;
  /** The same words, matched in the title only (weight A); null when `match` is. */
  titleMatch: string | null;
  /** tsquery text of the excluded words (`-word`); null when none. */
  exclude: string | null;
  /** Facet tokens the post must all have. */
  allFacets: string[];
  /** Groups of facet tokens: the post must have one of each group. */
  anyFacets: string[][];
  /** Facet tokens the post must have none of. */
  noFacets: string[];
  /** date_key bounds: inclusive lower, exclusive upper (null: none). */
  minKey: number | null;
  maxKey: number | null;
  /** How a date range is tested along with words (PgDates); unset: 'index'. */
  dates?: PgDates;
  /** `match` as two disjoint parts when it is an OR of words and phrases (splitOr); absent otherwise. */
  orParts?: PgOrParts;
}

/**
 * An OR of alternatives some of which need no positions (`plain`: words, prefixes) and some of which do (phrases,
 * title words): `plain` and `checked` = (those alternatives) AND NOT (plain) find disjoint sets whose union is the
 * OR's. Counted apart, only `checked`'s hits have their tsvectors read for positions: counted as one, every hit had
 * its tsvector read (芯片 OR 半导体 OR 集成电路 at 100,000 posts: 19,464 hits, ~110,000 buffers; apart, 芯片's 13,355 rows
 * (one buffer each, no tsvector) and 6,109 hits checked, ~46,000).
 */
export interface PgOrParts { plain: string; checked: string }

/** Which hits: all, those matching the words in the title, the others (relevance over many hits, store.ts list). */
export type PgPart = 'all' | 'title' | 'rest';

// ---- the FTS5 expression compileAst writes, read back ----

type Node =
  | { kind: 'phrase'; tokens: string[]; prefix: boolean }
  | { kind: 'title'; of: Node }
  | { kind: 'and' | 'or'; of: Node[] }
  | { kind: 'not'; left: Node; right: Node };

type Lexeme = { t: 'str'; value: string } | { t: 'op'; value: 'AND' | 'OR' | 'NOT' | '(' | ')' | '*' | ':' | 'title' };

function lexFts(expr: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === ' ') { i++; continue; }
    if (c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= expr.length) throw new Error('pg-query: unclosed string in the FTS5 expression');
        if (expr[i] === '"') {
          if (expr[i + 1] === '"') { value += '"'; i += 2; continue; }
          i++;
          break;
        }
        value += expr[i];
        i++;
      }
      out.push({ t: 'str', value });
      continue;
    }
    if (c === '(' || c === ')' || c === '*' || c === ':') { out.push({ t: 'op', value: c }); i++; continue; }
    const word = /^[A-Za-z]+/.exec(expr.slice(i))?.[0];
    if (word === 'AND' || word === 'OR' || word === 'NOT' || word === 'title') { out.push({ t: 'op', value: word }); i += word.length; continue; }
    throw new Error(`pg-query: unexpected "${expr.slice(i, i + 10)}" in the FTS5 expression`);
  }
  return out;
}

/** FTS5 precedence, tightest first: NOT, AND, OR. */
function parseFts(expr: string): Node {
  const lx = lexFts(expr);
  let i = 0;
  const isOp = (value: string): boolean => lx[i]?.t === 'op' && lx[i]!.value === value;
  const expect = (value: string): void => {
    if (!isOp(value)) throw new Error(`pg-query: expected "${value}" in the FTS5 expression`);
    i++;
  };
  const primary = (): Node => {
    const l = lx[i];
    if (l?.t === 'str') {
      i++;
      const prefix = isOp('*');
      if (prefix) i++;
      return { kind: 'phrase', tokens: l.value.split(' ').filter((t) => t !== ''), prefix };
    }
    if (isOp('(')) {
      i++;
      const inner = or();
      expect(')');
      return inner;
    }
    if (isOp('title')) {
      i++;
      expect(':');
      return { kind: 'title', of: primary() };
    }
    throw new Error('pg-query: expected a phrase in the FTS5 expression');
  };
  const not = (): Node => {
    let left = primary();
    while (isOp('NOT')) {
      i++;
      left = { kind: 'not', left, right: primary() };
    }
    return left;
  };
  const and = (): Node => {
    const of = [not()];
    while (isOp('AND')) {
      i++;
      of.push(not());
    }
    return of.length === 1 ? of[0]! : { kind: 'and', of };
  };
  const or = (): Node => {
    const of = [and()];
    while (isOp('OR')) {
      i++;
      of.push(and());
    }
    return of.length === 1 ? of[0]! : { kind: 'or', of };
  };
  const node = or();
  if (i !== lx.length) throw new Error('pg-query: trailing text in the FTS5 expression');
  return node;
}

/**
 * PostgreSQL's longest lexeme, in UTF-8 bytes: a tsvector cannot hold a longer token, so the writer leaves such
 * tokens out, and a query token this long matches nothing (NO_MATCH).
 */
export const MAX_LEXEME_BYTES = 2047;
/** A lexeme no post holds: core/tokenize.ts never emits a private-use character (facet tokens live in `facets`). */
export const NO_MATCH = '\uE001';
const encoder = new TextEncoder();

/** One token as a tsquery lexeme: single-quoted, quotes doubled and backslashes escaped; NO_MATCH when too long. */
export const tsLexeme = (token: string): string =>
  encoder.encode(token).length > MAX_LEXEME_BYTES ? `'${NO_MATCH}'` : `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

function toTsquery(node: Node, titleOnly: boolean): string {
  switch (node.kind) {
    case 'phrase': {
      if (node.tokens.length === 0) throw new Error('pg-query: an empty phrase in the FTS5 expression');
      const last = node.tokens.length - 1;
      const parts = node.tokens.map((t, i) => {
        const label = `${node.prefix && i === last ? '*' : ''}${titleOnly ? 'A' : ''}`;
        return tsLexeme(t) + (label ? `:${label}` : '');
      });
      return parts.length === 1 ? parts[0]! : `(${parts.join(' <-> ')})`;
    }
    case 'title':
      return toTsquery(node.of, true);
    case 'and':
    case 'or':
      return `(${node.of.map((n) => toTsquery(n, titleOnly)).join(node.kind === 'and' ? ' & ' : ' | ')})`;
    case 'not':
      return `(${toTsquery(node.left, titleOnly)} & !${toTsquery(node.right, titleOnly)})`;
  }
}

/**
 * An FTS5 expression as compileAst writes it (`match`, `filters.excludeMatch`) → tsquery text with the same tokens.
 * `titleOnly`: every lexeme in the title (the FTS5 `title : (…)` of planList's titleExpr). Throws on what compileAst
 * never writes.
 */
export function ftsToTsquery(expr: string, titleOnly = false): string {
  return toTsquery(parseFts(expr), titleOnly);
}

/** Does a node need a hit's positions or weights to be decided (a phrase of two tokens or more, the title)? */
const needsPositions = (node: Node): boolean => {
  switch (node.kind) {
    case 'phrase': return node.tokens.length > 1;
    case 'title': return true;
    case 'and':
    case 'or': return node.of.some(needsPositions);
    case 'not': return needsPositions(node.left) || needsPositions(node.right);
  }
};

/** An FTS5 expression that is an OR of alternatives with and without positions to check → its PgOrParts, else undefined. */
export function splitOr(expr: string): PgOrParts | undefined {
  const node = parseFts(expr);
  if (node.kind !== 'or') return undefined;
  const checked = node.of.filter(needsPositions);
  const plain = node.of.filter((n) => !needsPositions(n));
  if (checked.length === 0 || plain.length === 0) return undefined;
  const either = (of: Node[]): string => (of.length === 1 ? toTsquery(of[0]!, false) : `(${of.map((n) => toTsquery(n, false)).join(' | ')})`);
  return { plain: either(plain), checked: `(${either(checked)} & !${either(plain)})` };
}

// ---- the plan ----

/** As planList: a ListQuery (tree selections, untrusted) and a compiled user query → the conditions. */
export function planPgList(q: ListQuery, compiled: CompiledQuery, tools: PgPlanTools): PgListPlan {
  const { facet } = tools;
  const f = compiled.filters;
  const all: string[] = [];
  const any: string[][] = [];
  const none: string[] = [];
  const group = (tokens: string[]): void => {
    if (tokens.length === 1) all.push(tokens[0]!);
    else if (tokens.length > 1) any.push(tokens);
  };
  if (q.includeHidden !== true) none.push(facet.hidden);
  if (Array.isArray(q.category) && q.category.length > 0) {
    const key = tools.categoryKey(q.category);
    if (key !== '') all.push(facet.subtree(key));
  }
  if (q.category === null) all.push(facet.uncategorised);
  if (q.tag === null) all.push(facet.untagged);
  if (q.year === null) all.push(facet.undated);
  else if (typeof q.year === 'number' && Number.isInteger(q.year)) {
    all.push(typeof q.month === 'number' && Number.isInteger(q.month) ? facet.month(q.year, q.month) : facet.year(q.year));
  }
  if (typeof q.tag === 'string' && q.tag.trim() !== '') all.push(facet.tag(normalizeName(q.tag)));
  const tags = [...new Set((Array.isArray(q.tags) ? q.tags : []).filter((t) => typeof t === 'string' && t.trim() !== '').map((t) => facet.tag(normalizeName(t))))];
  if (tags.length > 0) {
    if (q.tagMode === 'any') group(tags);
    else all.push(...tags);
  }
  for (const names of f.tags) group(names.map(facet.tag));
  for (const names of f.categories) group(names.map(facet.category));
  none.push(...f.excludeTags.map(facet.tag), ...f.excludeCategories.map(facet.category));
  const match = compiled.match === null ? null : ftsToTsquery(compiled.match);
  const orParts = compiled.match === null ? undefined : splitOr(compiled.match);
  return {
    match,
    titleMatch: compiled.match === null ? null : ftsToTsquery(compiled.match, true),
    exclude: f.excludeMatch === null ? null : ftsToTsquery(f.excludeMatch),
    allFacets: [...new Set(all)],
    anyFacets: any,
    noFacets: [...new Set(none)],
    // after: and before: are days; dateKey of a day is its first minute. Undated posts (key 0) never qualify.
    minKey: f.after !== null ? tools.dateKey(f.after) : f.before !== null ? 1 : null,
    maxKey: f.before !== null ? tools.dateKey(f.before) : null,
    ...(orParts ? { orParts } : {}),
  };
}

/**
 * How a date range (after:/before:) is tested when there are words too. 'index': as a range of the (date_key, seq)
 * index, which the planner may read alone and test every post of the range for the words (reading each one's
 * tsvector: 市场 after:2021 at 100,000 posts, 66,695 tsvectors, over a second); good for a narrow range. 'filter':
 * the words' GIN hits are tested for the date (each hit's row, not its tsvector): for a wide range (pg-read.ts
 * chooses by the range's estimated size). Without words: always the index.
 */
export type PgDates = 'index' | 'filter';

/** The title's lexemes of a tsvector (weight A): the expression the schema's posts_title GIN index holds. */
export const TITLE_TSV = (tsv: string): string => `ts_filter(${tsv}, '{a}')`;

/**
 * The plan's WHERE condition over the columns `tsv`, `facets` and `date_key` (prefixed with `alias.` when given),
 * its values appended to `params` and numbered after those already there. `part` as PgPart ('title' and 'rest'
 * need words). `table`: the posts table as the FROM names it (schema-qualified), for the excluded words' anti-join
 * (without: each candidate's tsvector is tested). Never empty: `TRUE` when nothing narrows.
 */
export function pgWhere(plan: PgListPlan, params: unknown[], part: PgPart = 'all', alias = '', table?: string): string {
  const col = (name: string): string => (alias ? `${alias}.${name}` : name);
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const out: string[] = [];
  if ((part === 'title' || part === 'rest') && plan.match === null) throw new Error(`pg-query: the ${part} part needs words`);
  // The title part reads the title's lexemes alone (TITLE_TSV, which the schema indexes): the same posts as
  // `tsv @@ titleMatch`, without reading each post's whole tsvector to check its weights.
  // Words all in the title (`title:…` alone: match and titleMatch are the same text) read the title's lexemes too:
  // through the tsv GIN, a common word's every candidate tsvector would be read to check its weights (title:市场 at
  // 100,000 posts: 207 ms of CPU for no hit).
  const titleOnly = plan.match !== null && plan.match === plan.titleMatch;
  if (part === 'title' || (part === 'all' && titleOnly)) out.push(`${TITLE_TSV(col('tsv'))} @@ ${p(plan.match)}::tsquery`);
  else if (plan.match !== null) out.push(`${col('tsv')} @@ ${p(plan.match)}::tsquery`);
  // The rest (not in the title): with `table`, not among the title's own GIN hits, read once into a hashed set (NOT IN
  // on the primary key: never null), so that no candidate's tsvector is read again to take its title lexemes (投资 at
  // 100,000 posts: the page of the rest read 7,929 tsvectors, 116 ms of CPU). Not NOT EXISTS: with the planner's
  // estimate of a phrase (one row) that became a nested loop reading each candidate's tsvector again.
  if (part === 'rest' && table !== undefined) {
    out.push(`${col('path')} NOT IN (SELECT titled.path FROM ${table} AS titled WHERE ${TITLE_TSV('titled.tsv')} @@ ${p(plan.match)}::tsquery)`);
  } else if (part === 'rest') out.push(`NOT (${TITLE_TSV(col('tsv'))} @@ ${p(plan.match)}::tsquery)`);
  if (plan.allFacets.length > 0) out.push(`${col('facets')} @> ${p(plan.allFacets)}::text[]`);
  for (const group of plan.anyFacets) out.push(`${col('facets')} && ${p(group)}::text[]`);
  if (plan.noFacets.length > 0) out.push(`NOT (${col('facets')} && ${p(plan.noFacets)}::text[])`);
  // Excluded words: with `table` (the posts table, schema-qualified), an anti-join on the GIN hits of the excluded
  // words, so that no candidate's tsvector is read to test them (市场 -投资 at 20,000 posts: ~105 -> ~23 ms).
  if (plan.exclude !== null && table !== undefined) {
    out.push(`NOT EXISTS (SELECT 1 FROM ${table} AS excluded WHERE excluded.path = ${alias || 'posts'}.path AND excluded.tsv @@ ${p(plan.exclude)}::tsquery)`);
  } else if (plan.exclude !== null) out.push(`NOT (${col('tsv')} @@ ${p(plan.exclude)}::tsquery)`);
  // `date_key + 0` is the same value, but no index can serve it: the words' GIN hits are then tested for the date.
  const dateKey = plan.match !== null && plan.dates === 'filter' ? `${col('date_key')} + 0` : col('date_key');
  if (plan.minKey !== null) out.push(`${dateKey} >= ${p(plan.minKey)}`);
  if (plan.maxKey !== null) out.push(`${dateKey} < ${p(plan.maxKey)}`);
  return out.length > 0 ? out.join(' AND ') : 'TRUE';
}

/** How many tokens an FTS5 expression holds (store.ts tokenCount: the relevance budget is RANK_LIMIT / tokens). */
export const ftsTokenCount = (expr: string): number =>
  (expr.match(/"(?:[^"]|"")*"/g) ?? []).reduce((n, quoted) => n + quoted.split(' ').length, 0);
