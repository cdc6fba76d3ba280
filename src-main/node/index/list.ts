/**
 * How list() asks FTS5 everything at once, so that counting and paging never touch the posts table:
 *
 * - Row ids follow the date: a post's id is at least idBase(dateKey(date)) and below the next day's first id,
 *   and id order is date order (write.ts allocateId; `span` ids a minute, ID_SPAN unless a day outgrew it). FTS5 reads its doclists in rowid order, so "newest first"
 *   is `ORDER BY rowid DESC LIMIT …` with no sorting, and after:/before: (days) are rowid ranges. Undated posts
 *   have key 0 and ids below DATED_BASE: they come last. Ids are dense (a few per minute): FTS5 stores each
 *   doclist entry's rowid as a varint of its distance from the previous one, so small gaps make a smaller index.
 * - Free text matches every column but `facets`' tokens can never be typed: title, meta (tags, category names,
 *   description) and body. Filters are facet tokens in the last FTS column (`facets`): every post has ALL, hidden ones HIDDEN, plus
 *   tokens for year, month, undated, each category-path prefix, each category name and each tag. A tree
 *   selection or `tag:` is then one more AND-ed phrase, and the hidden filter a NOT, inside the same MATCH.
 *   Facet tokens start with a private-use character, which core/tokenize.ts never emits, so no search text
 *   can produce or meet one.
 */
import type { ListQuery } from '../../shared/archive-api';
import type { CompiledQuery } from '../../core/query';
import { normalizeName } from '../../core/query';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
/**
 * Ids per date key (one minute), in a new index. More posts in one minute take the next minutes' ids (never past
 * their day), so a day holds span * 1440 posts; a day that needs more widens the whole index's span (write.ts
 * widenIds: every dated id times 4, kept in meta `id_span`), so normal archives keep 16. Measured on 20,000
 * synthetic posts (docs/BENCHMARKS.md, Index v2): FTS5 data 169 MB with 1,000,000 ids a minute, 132 MB with 16.
 */
export const ID_SPAN = 16;
/** The widest span: the last minute of year 9999 (date key about 5.4e9) times it stays below 2^53. */
export const MAX_ID_SPAN = 2 ** 20;
/** Undated posts have ids below this one; dated posts at or above it. */
export const DATED_BASE = 2 ** 32;
const MINUTES_A_DAY = 24 * 60;

/** The lowest id a post with this date key may have, with `span` ids a minute. */
export const idBase = (key: number, span = ID_SPAN): number => (key === 0 ? 0 : DATED_BASE + key * span);

/** The first id of the day of this date key (of the undated ids for key 0). */
export const dayStart = (key: number, span = ID_SPAN): number =>
  key === 0 ? 0 : idBase(Math.floor((key - 1) / MINUTES_A_DAY) * MINUTES_A_DAY + 1, span);

/** The first id past the day of this date key (past the undated ids for key 0): no post of the day reaches it. */
export const dayEnd = (key: number, span = ID_SPAN): number =>
  key === 0 ? DATED_BASE : idBase((Math.floor((key - 1) / MINUTES_A_DAY) + 1) * MINUTES_A_DAY + 1, span);

const MARK = '\uE000';
const encoder = new TextEncoder();
const hex = (s: string): string => Array.from(encoder.encode(s), (b) => b.toString(16).padStart(2, '0')).join('');

export const FACET = {
  all: `${MARK}a`,
  hidden: `${MARK}h`,
  undated: `${MARK}u`,
  /** Filed under no category; carrying no tag. */
  uncategorised: `${MARK}nc`,
  untagged: `${MARK}nt`,
  year: (year: number) => `${MARK}y${year}`,
  month: (year: number, month: number) => `${MARK}m${year}x${month}`,
  /** A category subtree: the key of the path down to this node. */
  subtree: (key: string) => `${MARK}p${hex(key)}`,
  /** A category name at any level (normalised). */
  category: (name: string) => `${MARK}c${hex(name)}`,
  tag: (name: string) => `${MARK}t${hex(name)}`,
};

/** Category path → key: each segment followed by \x1f (control characters in names become spaces). */
export function categoryKey(path: readonly string[]): string {
  return path
    .map((s) => String(s).replace(/\p{Cc}/gu, ' ').trim())
    .filter((s) => s !== '')
    .map((s) => s + '\x1f')
    .join('');
}

export const pathFromCategoryKey = (key: string): string[] => key.split('\x1f').slice(0, -1);

/** Minutes since year 0 of the date as written (wall clock), + 1; 0 when undated or unreadable. Order-preserving. */
export function dateKey(date: string | null | undefined): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(date ?? '');
  if (!m) return 0;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0'].map(Number) as [number, number, number, number, number];
  return (((y * 12 + (mo - 1)) * 31 + (d - 1)) * 24 + h) * 60 + mi + 1;
}

/** The facet tokens of one post, space-separated, for the `facets` column. */
export function postFacets(p: { hidden: boolean; year: number | null; month: number | null; categories: readonly string[]; tagKeys: readonly string[] }): string {
  const out = [FACET.all];
  if (p.hidden) out.push(FACET.hidden);
  if (p.year === null) out.push(FACET.undated);
  else {
    out.push(FACET.year(p.year));
    if (p.month !== null) out.push(FACET.month(p.year, p.month));
  }
  const path = pathFromCategoryKey(categoryKey(p.categories));
  path.forEach((name, i) => out.push(FACET.subtree(categoryKey(path.slice(0, i + 1))), FACET.category(normalizeName(name))));
  if (path.length === 0) out.push(FACET.uncategorised);
  for (const tag of p.tagKeys) out.push(FACET.tag(tag));
  if (p.tagKeys.length === 0) out.push(FACET.untagged);
  return [...new Set(out)].join(' ');
}

const phrase = (token: string): string => `"${token}"`;
const anyOf = (tokens: string[]): string => (tokens.length === 1 ? phrase(tokens[0]!) : `(${tokens.map(phrase).join(' OR ')})`);

export interface ListPlan {
  /** The whole FTS5 MATCH expression: text, tree selections, field filters, exclusions. */
  expr: string;
  /** For relevance over many hits (null for a pure listing): the hits matching in the title, and the others. */
  titleExpr: string | null;
  restExpr: string | null;
  /** Rowid bounds from after:/before: (inclusive lower, exclusive upper). */
  minId: number;
  maxId: number;
}

/**
 * A ListQuery (tree selections, untrusted) and a compiled user query → FTS5 expressions and a rowid range.
 * `span`: the index's ids a minute (write.ts idSpan); `hiddenPosts`: whether the index may hold hidden posts.
 */
export function planList(q: ListQuery, compiled: CompiledQuery, span = ID_SPAN, hiddenPosts = true): ListPlan {
  const f = compiled.filters;
  const facets: string[] = [];
  const negatives: string[] = [];
  // `hiddenPosts` false: the index holds none (read in the same transaction), so NOT-ing them out is work for nothing.
  if (q.includeHidden !== true && hiddenPosts) negatives.push(phrase(FACET.hidden));
  if (Array.isArray(q.category) && q.category.length > 0) {
    const key = categoryKey(q.category);
    if (key !== '') facets.push(phrase(FACET.subtree(key)));
  }
  if (q.category === null) facets.push(phrase(FACET.uncategorised));
  if (q.tag === null) facets.push(phrase(FACET.untagged));
  if (q.year === null) facets.push(phrase(FACET.undated));
  else if (typeof q.year === 'number' && Number.isInteger(q.year)) {
    facets.push(phrase(typeof q.month === 'number' && Number.isInteger(q.month) ? FACET.month(q.year, q.month) : FACET.year(q.year)));
  }
  if (typeof q.tag === 'string' && q.tag.trim() !== '') facets.push(phrase(FACET.tag(normalizeName(q.tag))));
  const tags = [...new Set((Array.isArray(q.tags) ? q.tags : []).filter((t) => typeof t === 'string' && t.trim() !== '').map((t) => FACET.tag(normalizeName(t))))];
  if (tags.length > 0) {
    if (q.tagMode === 'any') facets.push(anyOf(tags));
    else facets.push(...tags.map(phrase));
  }
  for (const group of f.tags) facets.push(anyOf(group.map(FACET.tag)));
  for (const group of f.categories) facets.push(anyOf(group.map(FACET.category)));
  negatives.push(...f.excludeTags.map((t) => phrase(FACET.tag(t))), ...f.excludeCategories.map((c) => phrase(FACET.category(c))));
  if (f.excludeMatch !== null) negatives.push(`(${f.excludeMatch})`);

  const build = (first: string | null, not: string[]): string =>
    (first === null ? facets : [first, ...facets]).join(' AND ') + (not.length > 0 ? ` NOT (${not.join(' OR ')})` : '');
  const text = compiled.match;
  const inTitle = text === null ? null : `title : (${text})`;
  // Without words, the list is every post the facets and dates allow: ALL (every post's token, a doclist the size
  // of the archive) only when nothing else narrows it.
  const listing = coveringDates(f.after, f.before) ?? (facets.length > 0 ? null : phrase(FACET.all));
  // after: and before: are days; dateKey of a day is its first minute. Undated posts (key 0) never qualify.
  return {
    expr: build(text === null ? listing : `(${text})`, negatives),
    // The wanted words are positive only, so matching them in the title implies matching them at all.
    titleExpr: inTitle === null ? null : build(inTitle, negatives),
    restExpr: inTitle === null ? null : build(`(${text})`, [...negatives, inTitle]),
    minId: f.after !== null ? idBase(dateKey(f.after), span) : f.before !== null ? DATED_BASE : 0,
    maxId: f.before !== null ? idBase(dateKey(f.before), span) : Number.MAX_SAFE_INTEGER,
  };
}

/** Months (or years) a range may span and still be read as their facets. */
const MAX_COVERING_MONTHS = 24;
const MAX_COVERING_YEARS = 40;

/**
 * A bounded after:/before: range (days, `YYYY-MM-DD`) as the OR of the month facets it touches (the year facets
 * when it spans more than MAX_COVERING_MONTHS): every post dated in the range carries one of them (its year and
 * month are its date's, as its id's date key is: write.ts), and the rowid range still cuts the days at both ends.
 * A listing by dates then reads those facets' doclists instead of walking ALL's, whose rowid range FTS5 does not
 * seek well (a year of 100,000 posts: 4.2 ms to count through ALL, 0.6 through the year's facet). Null when a
 * bound is missing or the range is too wide or empty.
 */
export function coveringDates(after: string | null, before: string | null): string | null {
  const day = (d: string | null): [number, number, number] | null => {
    const m = d === null ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
  };
  const from = day(after);
  const to = day(before);
  if (from === null || to === null) return null;
  const first = from[0] * 12 + from[1] - 1;
  // before: is exclusive: a range ending on the 1st ends in the month before.
  const last = to[0] * 12 + to[1] - 1 - (to[2] === 1 ? 1 : 0);
  if (last < first) return null;
  if (last - first < MAX_COVERING_MONTHS) {
    const months: string[] = [];
    for (let m = first; m <= last; m++) months.push(FACET.month(Math.floor(m / 12), (m % 12) + 1));
    return anyOf(months);
  }
  const [fromYear, toYear] = [Math.floor(first / 12), Math.floor(last / 12)];
  if (toYear - fromYear >= MAX_COVERING_YEARS) return null;
  const years: string[] = [];
  for (let y = fromYear; y <= toYear; y++) years.push(FACET.year(y));
  return anyOf(years);
}

/** Offset and limit from untrusted input: whole numbers, limit within 1..MAX_LIMIT. */
export function paging(q: ListQuery): { offset: number; limit: number } {
  const int = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : fallback);
  return {
    offset: Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, int(q.offset, 0))),
    limit: Math.min(MAX_LIMIT, Math.max(1, int(q.limit, DEFAULT_LIMIT))),
  };
}
