/**
 * Backfile's search syntax → an AST → an FTS5 MATCH expression plus SQL filters.
 *
 *   words                all must match (stemmed; CJK by substring)
 *   "exact phrase"       consecutive words (“…” works too)
 *   -word, -"phrase"     exclude
 *   a OR b               either; binds tighter than the implicit AND: `x a OR b` = x AND (a OR b)
 *   title:word           in the title only (also title:"a phrase")
 *   tag:name             tagged so (case-insensitive; tag:"city hall")
 *   category:name        filed under a category of that name at any level of its path
 *   after:2020-01-01     on or after that day; after:2020 = from 2020-01-01, after:2020-06 = from June 1st
 *   before:2021-06       strictly before the START of that period: before:2021 = up to 2020-12-31,
 *                        before:2021-06 = up to May 31st, before:2021-06-15 = up to June 14th
 *   is:starred, label:name (label:"two words"), has:note, has:highlight
 *                        the reader's workspace marks (each with `-`): not the index's to answer; compiled into
 *                        `filters.marks` for the workspace (node/workspace/mark-filter.ts)
 *
 * It never throws and never hands user text to FTS5 unquoted: every token is double-quoted, so NEAR, *, ^,
 * parentheses and `body:` are plain text. What cannot be read as written is read some safe way instead,
 * and `notice` says how.
 */
import { phraseTokens } from './tokenize';

export const MAX_TERMS = 32;
export const MAX_PHRASE_TOKENS = 64;

export type QueryTerm =
  | { kind: 'text'; text: string; phrase: boolean; titleOnly: boolean }
  | { kind: 'tag' | 'category'; value: string }
  | { kind: 'date'; bound: 'after' | 'before'; day: string }
  | { kind: 'mark'; mark: MarkTest['mark']; value: string };

/** A workspace mark a post has: starred, a label of that name (compared with `normalizeName`), a note, a highlight. */
export interface MarkTest {
  mark: 'starred' | 'label' | 'note' | 'highlight';
  /** The label's name for `label`; '' otherwise. */
  value: string;
}

/** One AND-ed clause: its terms are OR alternatives. */
export interface QueryClause {
  negated: boolean;
  terms: QueryTerm[];
}

export interface QueryAst {
  clauses: QueryClause[];
  notices: string[];
}

export interface QueryFilters {
  /** Each group must hold: the post has at least one of the group's tags (normalised with `normalizeName`). */
  tags: string[][];
  excludeTags: string[];
  /** Same for category names, matched at any level of the post's category path. */
  categories: string[][];
  excludeCategories: string[];
  /** `YYYY-MM-DD`, inclusive. Undated posts never match a date bound. */
  after: string | null;
  /** `YYYY-MM-DD`, exclusive. */
  before: string | null;
  /**
   * The excluded words and phrases (`-word`): posts matching this FTS5 expression are left out. Kept apart
   * from `match` so the index can combine it with its own filters (`(match AND …) NOT (excludeMatch OR …)`).
   */
  excludeMatch: string | null;
  /** Workspace marks (absent when the query names none), each clause AND-ed (any of its tests; `negated`: none of them). The index ignores them. */
  marks?: { negated: boolean; any: MarkTest[] }[];
}

export interface CompiledQuery {
  /** FTS5 MATCH expression of the wanted words over the columns title and body; null = every post. */
  match: string | null;
  filters: QueryFilters;
  /** Words and phrases to mark, as the user typed them. */
  highlight: string[];
  notice?: string;
}

/** How tag and category names are compared: NFKC, trimmed, single spaces, lowercase. */
export const normalizeName = (name: string): string => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

const FIELDS = new Map<string, 'title' | 'tag' | 'category' | 'after' | 'before' | 'is' | 'has' | 'label'>([
  ['title', 'title'], ['tag', 'tag'], ['tags', 'tag'], ['category', 'category'], ['categories', 'category'],
  ['after', 'after'], ['before', 'before'], ['is', 'is'], ['has', 'has'], ['label', 'label'], ['labels', 'label'],
]);
const HAS: Record<string, MarkTest['mark']> = { note: 'note', notes: 'note', highlight: 'highlight', highlights: 'highlight' };

type Lexeme = { type: 'or' } | { type: 'term'; negated: boolean; field: string | null; value: string; quoted: boolean; raw: string };

function lex(input: string, notices: Set<string>): Lexeme[] {
  // NFKC turns full-width ＂－： into plain ones; Chinese input methods type “…” for quotes.
  const s = input.normalize('NFKC').replace(/[“”„«»]/g, '"');
  const out: Lexeme[] = [];
  let i = 0;
  const readQuoted = (): string => {
    const close = s.indexOf('"', i + 1);
    const value = s.slice(i + 1, close < 0 ? s.length : close);
    if (close < 0) notices.add('A quote was not closed: the rest of the query was read as one phrase.');
    i = close < 0 ? s.length : close + 1;
    return value;
  };
  while (i < s.length) {
    if (/\s/.test(s[i]!)) { i++; continue; }
    const start = i;
    let negated = false;
    if (s[i] === '-') {
      if (i + 1 >= s.length || /\s/.test(s[i + 1]!)) { i++; continue; } // a lone "-" means nothing
      negated = true;
      i++;
    }
    if (s[i] === '"') {
      const value = readQuoted();
      out.push({ type: 'term', negated, field: null, value, quoted: true, raw: s.slice(start, i) });
      continue;
    }
    let end = i;
    while (end < s.length && !/\s/.test(s[end]!) && s[end] !== '"') end++;
    const word = s.slice(i, end);
    i = end;
    if (word === 'OR' && !negated) { out.push({ type: 'or' }); continue; }
    const field = /^([A-Za-z]+):(.*)$/s.exec(word);
    const name = field ? FIELDS.get(field[1]!.toLowerCase()) : undefined;
    if (field && name) {
      let value = field[2]!;
      let quoted = false;
      if (value === '' && s[i] === '"') { value = readQuoted(); quoted = true; }
      if (value.trim() === '') { notices.add(`"${word}" needs a value after the colon; it was ignored.`); continue; }
      out.push({ type: 'term', negated, field: name, value, quoted, raw: s.slice(start, i) });
    } else {
      out.push({ type: 'term', negated, field: null, value: word, quoted: false, raw: s.slice(start, i) });
    }
  }
  return out;
}

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` → the first day of that period, or null when it is not a real date. */
export function parseDay(value: string): string | null {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(value.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${m[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function toTerm(lx: Extract<Lexeme, { type: 'term' }>, notices: Set<string>): QueryTerm {
  switch (lx.field) {
    case 'title':
      return { kind: 'text', text: lx.value, phrase: lx.quoted, titleOnly: true };
    case 'tag':
    case 'category':
      return { kind: lx.field, value: lx.value };
    case 'after':
    case 'before': {
      const day = parseDay(lx.value);
      if (day) return { kind: 'date', bound: lx.field, day };
      notices.add(`"${lx.raw}" is not a date (use YYYY, YYYY-MM or YYYY-MM-DD); it was searched as text.`);
      return { kind: 'text', text: `${lx.field} ${lx.value}`, phrase: true, titleOnly: false };
    }
    case 'label':
      return { kind: 'mark', mark: 'label', value: lx.value };
    case 'is':
    case 'has': {
      const value = lx.value.toLowerCase();
      const mark = lx.field === 'is' ? (value === 'starred' ? 'starred' : undefined) : Object.hasOwn(HAS, value) ? HAS[value] : undefined;
      if (mark) return { kind: 'mark', mark, value: '' };
      notices.add(`"${lx.raw}" is not a mark (is:starred, has:note, has:highlight); it was searched as text.`);
      return { kind: 'text', text: `${lx.field} ${lx.value}`, phrase: true, titleOnly: false };
    }
    default:
      return { kind: 'text', text: lx.value, phrase: lx.quoted, titleOnly: false };
  }
}

/** Can these alternatives be OR-ed? Words and phrases with each other, tags with tags, categories with categories. */
function orable(terms: QueryTerm[]): boolean {
  const kinds = new Set(terms.map((t) => t.kind));
  return kinds.size === 1 && !kinds.has('date');
}

export function parseQuery(input: string): QueryAst {
  const notices = new Set<string>();
  const clauses: QueryClause[] = [];
  let pendingOr = false;
  let termCount = 0;
  for (const lx of lex(typeof input === 'string' ? input : '', notices)) {
    if (lx.type === 'or') {
      const last = clauses[clauses.length - 1];
      if (!last) notices.add('"OR" needs a term on both sides; it was ignored.');
      else if (last.negated) notices.add('"OR" cannot join an excluded term; it was ignored.');
      else pendingOr = true;
      continue;
    }
    if (termCount >= MAX_TERMS) {
      notices.add(`Only the first ${MAX_TERMS} terms of the query were used.`);
      break;
    }
    termCount++;
    const term = toTerm(lx, notices);
    const last = clauses[clauses.length - 1];
    if (pendingOr && last && lx.negated) notices.add('"OR" cannot join an excluded term; it was ignored.');
    if (pendingOr && last && !lx.negated) last.terms.push(term);
    else clauses.push({ negated: lx.negated, terms: [term] });
    pendingOr = false;
  }
  if (pendingOr) notices.add('"OR" needs a term on both sides; it was ignored.');
  // OR between different kinds of terms (a word OR a tag) cannot be expressed: read it as AND.
  const result: QueryClause[] = [];
  for (const clause of clauses) {
    if (clause.terms.length > 1 && !orable(clause.terms)) {
      notices.add('"OR" works between words, between tags, between categories or between marks; other terms were combined with AND.');
      for (const term of clause.terms) result.push({ negated: clause.negated, terms: [term] });
    } else result.push(clause);
  }
  return { clauses: result, notices: [...notices] };
}

/** One word or phrase as an FTS5 phrase: every token double-quoted; a trailing one-character CJK run as a prefix. */
function textToFts(term: Extract<QueryTerm, { kind: 'text' }>, notices: string[]): string | null {
  let { tokens, prefix } = phraseTokens(term.text);
  if (tokens.length === 0) return null;
  if (tokens.length > MAX_PHRASE_TOKENS) {
    tokens = tokens.slice(0, MAX_PHRASE_TOKENS);
    prefix = false;
    notices.push(`A very long phrase was shortened to its first ${MAX_PHRASE_TOKENS} words.`);
  }
  const phrase = `"${tokens.map((t) => t.replace(/"/g, '""')).join(' ')}"${prefix ? ' *' : ''}`;
  return term.titleOnly ? `title : ${phrase}` : phrase;
}

export function compileAst(ast: QueryAst): CompiledQuery {
  const notices = [...ast.notices];
  const filters: QueryFilters = {
    tags: [], excludeTags: [], categories: [], excludeCategories: [], after: null, before: null, excludeMatch: null,
  };
  const positives: string[] = [];
  const negatives: string[] = [];
  const highlight = new Set<string>();
  for (const clause of ast.clauses) {
    const first = clause.terms[0];
    if (!first) continue;
    if (first.kind === 'text') {
      const texts = clause.terms.filter((t) => t.kind === 'text');
      const parts = texts.map((t) => ({ t, fts: textToFts(t, notices) })).filter((p) => p.fts !== null);
      if (parts.length < texts.length) notices.push('Terms with nothing searchable in them (only punctuation) were ignored.');
      if (parts.length === 0) continue;
      const expr = parts.length === 1 ? parts[0]!.fts! : `(${parts.map((p) => p.fts).join(' OR ')})`;
      (clause.negated ? negatives : positives).push(expr);
      if (!clause.negated) for (const p of parts) highlight.add(p.t.text.trim());
    } else if (first.kind === 'tag' || first.kind === 'category') {
      const names = clause.terms.flatMap((t) => (t.kind === first.kind ? [normalizeName(t.value)] : [])).filter(Boolean);
      if (names.length === 0) continue;
      const [all, none] = first.kind === 'tag' ? [filters.tags, filters.excludeTags] : [filters.categories, filters.excludeCategories];
      if (clause.negated) none.push(...names);
      else all.push(names);
    } else if (first.kind === 'mark') {
      const any = clause.terms.flatMap((t) => (t.kind === 'mark' ? [{ mark: t.mark, value: t.mark === 'label' ? normalizeName(t.value) : '' }] : []));
      (filters.marks ??= []).push({ negated: clause.negated, any });
    } else if (first.kind === 'date') {
      // NOT after:X is before:X and vice versa (for dated posts, which are the only ones a date bound can match).
      const bound = clause.negated ? (first.bound === 'after' ? 'before' : 'after') : first.bound;
      if (bound === 'after') filters.after = filters.after === null || first.day > filters.after ? first.day : filters.after;
      else filters.before = filters.before === null || first.day < filters.before ? first.day : filters.before;
    }
  }
  const match = positives.length > 0 ? positives.join(' AND ') : null;
  if (negatives.length > 0) filters.excludeMatch = negatives.join(' OR ');
  const notice = [...new Set(notices)].join(' ');
  return { match, filters, highlight: [...highlight].filter(Boolean), ...(notice ? { notice } : {}) };
}

/** The user's query, compiled. Never throws. */
export function compileQuery(input: string | undefined | null): CompiledQuery {
  return compileAst(parseQuery(input ?? ''));
}
