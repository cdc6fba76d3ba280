/**
 * Snippets and highlighting over the ORIGINAL plain text: find where the user's words occur (CJK by
 * substring, other words by stem, so `run` marks "running" and "ran"), cut a window around the best
 * place, escape it, and wrap the matches in <mark>.
 *
 * Matching runs on a folded copy of the text with the same length in UTF-16 units (each character
 * NFKC-ed, lowercased and stripped of accents on its own, when that keeps it one unit), so every offset
 * found there is an offset into the original.
 */
import { CJK_CHAR_SOURCE, WORD_CHAR_SOURCE, irregularFormsOf, normalizeWord, segments, stripDiacritics } from './tokenize';
import type { Segment } from './tokenize';
import { escapeHtml } from './html-escape';

export interface MatchSpan {
  start: number;
  end: number;
  /** Index of the highlight term that matched. */
  term: number;
}

const MAX_SPANS = 2000;
const foldCache = new Map<string, string>();

function foldChar(ch: string): string {
  const cached = foldCache.get(ch);
  if (cached !== undefined) return cached;
  let folded = stripDiacritics(ch.normalize('NFKC').toLowerCase());
  if (folded.length !== ch.length) {
    const lower = ch.toLowerCase();
    folded = lower.length === ch.length ? lower : ch;
  }
  if (foldCache.size > 10_000) foldCache.clear();
  foldCache.set(ch, folded);
  return folded;
}

/** Same length as `text`, character for character: ASCII lowercased, others NFKC + lowercase + no accents. */
export function foldText(text: string): string {
  // Only capitals and non-ASCII characters outside the main CJK blocks can fold to something else.
  return text.replace(/[A-Z\u0080-\u33FF\uA000-\uFFFF]/g, foldChar);
}

const wordAt = new RegExp(`${WORD_CHAR_SOURCE}+`, 'vy');
const gapAt = /[^\p{L}\p{N}\p{M}]*/uy;
const cjkChar = new RegExp(CJK_CHAR_SOURCE, 'v');

interface Matcher {
  term: number;
  segs: Segment[];
}

/** From `pos`, do the rest of the term's segments follow (punctuation and spaces between them allowed)? */
function matchRest(folded: string, segs: Segment[], pos: number): number | null {
  let end = pos;
  for (const seg of segs) {
    gapAt.lastIndex = end;
    gapAt.exec(folded);
    const at = gapAt.lastIndex;
    if (seg.kind === 'cjk') {
      if (!folded.startsWith(seg.text, at)) return null;
      end = at + seg.text.length;
    } else {
      wordAt.lastIndex = at;
      const m = wordAt.exec(folded);
      if (!m || normalizeWord(m[0]) !== seg.text) return null;
      end = at + m[0].length;
    }
  }
  return end;
}

const wordChar = new RegExp(`^${WORD_CHAR_SOURCE}$`, 'v');
const isHigh = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;
/** Whether the code point at `i` (a code point boundary) is a word character. */
const wordCharAt = (text: string, i: number): boolean => wordChar.test(String.fromCodePoint(text.codePointAt(i)!));

/**
 * Where the words (maximal runs of word characters, as `${WORD_CHAR_SOURCE}+` finds them from the start) begin
 * whose first UTF-16 unit is one of `initials`, in order. Found with indexOf: running the word pattern over a
 * whole Chinese text cost 60 ns a character (4 of the 6 ms the 50 snippets of "iPhone 芯片" took at 100,000 posts).
 */
export function wordStarts(text: string, initials: ReadonlySet<string>): number[] {
  const starts: number[] = [];
  for (const initial of initials) {
    for (let at = text.indexOf(initial); at >= 0; at = text.indexOf(initial, at + 1)) {
      if (at > 0 && isLow(text.charCodeAt(at)) && isHigh(text.charCodeAt(at - 1))) continue; // inside a pair
      if (!wordCharAt(text, at)) continue;
      if (at === 0) {
        starts.push(at);
        continue;
      }
      const before = at >= 2 && isLow(text.charCodeAt(at - 1)) && isHigh(text.charCodeAt(at - 2)) ? at - 2 : at - 1;
      if (!wordCharAt(text, before)) starts.push(at);
    }
  }
  return initials.size > 1 ? starts.sort((a, b) => a - b) : starts;
}

/** Every place a highlight term occurs in `text`, sorted by position. */
export function findMatches(text: string, highlight: readonly string[]): MatchSpan[] {
  const matchers: Matcher[] = [];
  highlight.forEach((h, term) => {
    const segs = segments(h).map((s) => (s.kind === 'cjk' ? { ...s, text: foldText(s.text) } : s));
    if (segs.length > 0) matchers.push({ term, segs });
  });
  if (matchers.length === 0 || text === '') return [];
  const folded = foldText(text);
  const spans: MatchSpan[] = [];
  const add = (m: Matcher, start: number): void => {
    const end = matchRest(folded, m.segs.slice(1), start + firstLength(folded, m.segs[0]!, start));
    if (end !== null && spans.length < MAX_SPANS) spans.push({ start, end, term: m.term });
  };

  for (const m of matchers) {
    const first = m.segs[0]!;
    if (first.kind !== 'cjk') continue;
    for (let at = folded.indexOf(first.text); at >= 0 && spans.length < MAX_SPANS; at = folded.indexOf(first.text, at + 1)) add(m, at);
  }
  const wordMatchers = matchers.filter((m) => m.segs[0]!.kind === 'word');
  if (wordMatchers.length > 0) {
    // Stemming every word of a long text is the slow part: only stem words that start like a wanted stem.
    const initials = new Set<string>();
    for (const m of wordMatchers) {
      const key = m.segs[0]!.text;
      initials.add(key[0]!);
      for (const form of irregularFormsOf(key)) initials.add(form[0]!);
    }
    for (const at of wordStarts(folded, initials)) {
      if (spans.length >= MAX_SPANS) break;
      wordAt.lastIndex = at;
      const key = normalizeWord(wordAt.exec(folded)![0]);
      for (const m of wordMatchers) if (m.segs[0]!.text === key) add(m, at);
    }
  }
  return spans.sort((a, b) => a.start - b.start || b.end - a.end);
}

function firstLength(folded: string, seg: Segment, start: number): number {
  if (seg.kind === 'cjk') return seg.text.length;
  wordAt.lastIndex = start;
  return wordAt.exec(folded)?.[0].length ?? 0;
}

/** `text[start, end)` escaped, with the spans inside it marked; overlapping spans merge into one mark. */
function render(text: string, start: number, end: number, spans: MatchSpan[], collapse: boolean): string {
  const tidy = (s: string): string => escapeHtml(collapse ? s.replace(/\s+/g, ' ') : s);
  let out = '';
  let pos = start;
  for (const span of spans) {
    const s = Math.max(span.start, pos);
    const e = Math.min(span.end, end);
    if (e <= s) continue;
    out += tidy(text.slice(pos, s)) + '<mark>' + tidy(text.slice(s, e)) + '</mark>';
    pos = e;
  }
  return out + tidy(text.slice(pos, end));
}

/** The whole text, escaped, with every match of the highlight terms marked (for article bodies). */
export function highlightTerms(text: string, highlight: readonly string[]): string {
  return render(text, 0, text.length, findMatches(text, highlight), false);
}

/** Index of the span whose window holds the most different terms (the first such, on ties). */
function bestAnchor(spans: MatchSpan[], maxChars: number): number {
  let best = 0;
  let bestCount = 0;
  for (let i = 0; i < spans.length && i < 200; i++) {
    const limit = spans[i]!.start + maxChars * 0.75;
    const terms = new Set<number>();
    for (let j = i; j < spans.length && spans[j]!.end <= limit; j++) terms.add(spans[j]!.term);
    if (terms.size > bestCount) {
      best = i;
      bestCount = terms.size;
    }
  }
  return best;
}

/** Move an offset off the second half of a surrogate pair. */
const safe = (text: string, i: number): number => (/[\uDC00-\uDFFF]/.test(text[i] ?? '') ? i - 1 : i);

/**
 * A window of about `maxChars` characters of `text` around the best match, HTML-escaped, with matches in
 * <mark>; the start of the text when nothing matches. Cut ends are shown as "…".
 */
export function makeSnippet(text: string, highlight: readonly string[], maxChars = 160): string {
  return snippetWithSpans(text, loneCjkSpans(text, highlight, maxChars) ?? findMatches(text, highlight), maxChars);
}

/** Characters folded at a time while looking for a lone CJK term's first place. */
const FOLD_CHUNK = 1024;

/**
 * The spans a snippet needs when the one highlight term is one CJK run (most Chinese searches): its anchor is the
 * term's first place (bestAnchor: every window holds the same one term), and render marks only spans that start
 * before the window's end, at most `reach` past that place. So the text is folded and searched a chunk at a time
 * up to there, not folded whole (on 1,600-character real-text posts, folding was half of a snippet's time).
 * Null for other highlights. Folding is character by character, so a folded chunk is that chunk of the folded text.
 */
function loneCjkSpans(text: string, highlight: readonly string[], reach: number): MatchSpan[] | null {
  if (highlight.length !== 1) return null;
  const segs = segments(highlight[0]!);
  if (segs.length !== 1 || segs[0]!.kind !== 'cjk') return null;
  const term = foldText(segs[0]!.text);
  let folded = '';
  let at = -1;
  while (at < 0 && folded.length < text.length) {
    const from = Math.max(0, folded.length - term.length + 1);
    folded += foldText(text.slice(folded.length, folded.length + FOLD_CHUNK));
    at = folded.indexOf(term, from);
  }
  if (at < 0) return [];
  const upTo = at + reach + term.length;
  if (folded.length < upTo) folded += foldText(text.slice(folded.length, upTo));
  const spans: MatchSpan[] = [];
  for (let p = at; p >= 0 && p < at + reach; p = folded.indexOf(term, p + 1)) spans.push({ start: p, end: p + term.length, term: 0 });
  return spans;
}

/** makeSnippet from the matches already found (every match of the highlight terms, or all those it can show). */
export function snippetWithSpans(text: string, spans: MatchSpan[], maxChars = 160): string {
  let start = 0;
  const anchor = spans[bestAnchor(spans, maxChars)];
  if (anchor) {
    // Some context before the match; for spaced languages start at a word boundary.
    const lead = Math.min(Math.floor(maxChars / 4), 40);
    start = Math.max(0, anchor.start - lead);
    if (start > 0 && !cjkChar.test(text[anchor.start] ?? '')) {
      const space = text.slice(start, anchor.start).search(/\s/);
      if (space >= 0) start += space + 1;
    }
  }
  // Skip leading whitespace so the snippet does not open with a blank.
  while (start < text.length && /\s/.test(text[start]!)) start++;
  start = safe(text, start);
  let end = Math.min(text.length, start + maxChars);
  if (end < text.length) {
    const lastSpace = text.slice(start, end).search(/\s\S*$/);
    if (lastSpace > maxChars * 0.8) end = start + lastSpace;
    end = safe(text, end);
  }
  const body = render(text, start, end, spans, true).trim();
  // An ellipsis only where text was really left out, not mere whitespace.
  const nonBlankAfter = /\S/g;
  nonBlankAfter.lastIndex = end;
  return (/\S/.test(text.slice(0, start)) ? '…' : '') + body + (nonBlankAfter.test(text) ? '…' : '');
}
