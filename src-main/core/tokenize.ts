/**
 * The one tokenizer, used for indexing and for queries alike, so both sides always agree.
 *
 * SQLite's FTS5 only sees our output (space-separated tokens, `unicode61` splits them on the spaces),
 * so everything language-specific happens here:
 * - CJK runs (Han incl. Extension A and compatibility ideographs, kana, hangul) have no spaces between words:
 *   they become overlapping bigrams plus the run's last character ("中国钢铁" → 中国 国钢 钢铁 铁).
 *   Every character of the run then starts some token, so a one-character query is the prefix query `铁*`;
 *   a two-character query is one token; a longer one is the phrase of its bigrams (consecutive positions =
 *   substring). The trailing unigram also keeps two runs apart: "…中国。国钢…" gives 中国 国 国钢, so the
 *   phrase "中国 国钢" does not match across the punctuation.
 * - Other words: NFKC (full-width Ｆ → F), lowercase, diacritics stripped, Porter-stemmed with a few
 *   irregular forms (ran → run), so `run` finds runs, ran and running. Numbers stay as they are.
 */
import { stemmer } from 'stemmer';

/** Bump when the tokens for the same text change: an index built with another version must be rebuilt. */
export const TOKENIZER_VERSION = 1;

/** Characters that form CJK runs: letters and numbers of the Han, kana and hangul scripts, plus ー. */
const CJK_CLASS = '[[\\p{sc=Han}\\p{sc=Hira}\\p{sc=Kana}\\p{sc=Hang}\\u30FC\\u3400-\\u4DBF\\uF900-\\uFAFF]&&[\\p{L}\\p{N}]]';
/** Characters of other words (Latin, digits, Cyrillic, …); combining marks stay attached to their letter. */
const WORD_CLASS = `[[\\p{L}\\p{N}\\p{M}]--${CJK_CLASS}]`;

/** Matches one CJK run (group 1) or one other word (group 2). The `v` flag allows class set operations. */
export const SEGMENT_SOURCE = `(${CJK_CLASS}+)|(${WORD_CLASS}+)`;
export const CJK_CHAR_SOURCE = CJK_CLASS;
export const WORD_CHAR_SOURCE = WORD_CLASS;
/**
 * Each character's class: 1 starts or continues a CJK run, 2 another word, 0 neither. A run is the longest stretch of
 * characters of one class, exactly what the pattern `(CJK_CLASS+)|(WORD_CLASS+)` (`v` flag, code points) matches.
 * Reading a character at a time from a table is several times faster than that regular expression (whose
 * classes hold surrogate pairs, so V8 cannot optimise its loops, and which kept a backtracking entry a character:
 * a 500,000-character run exhausted its stack). Code units of the BMP are classified on first sight, by the same
 * classes as regular expressions, and remembered; astral code points in a Map.
 */
const CJK_CHAR = new RegExp(`^${CJK_CLASS}$`, 'v');
const WORD_CHAR = new RegExp(`^${WORD_CLASS}$`, 'v');
const UNKNOWN = 3;
const bmpClass = new Uint8Array(0x10000).fill(UNKNOWN);
const astralClass = new Map<number, number>();
const classify = (ch: string): number => (CJK_CHAR.test(ch) ? 1 : WORD_CHAR.test(ch) ? 2 : 0);

function bmpClassOf(code: number): number {
  let cls = bmpClass[code]!;
  if (cls === UNKNOWN) {
    // A lone surrogate is a code point of its own (category Cs): in neither class.
    cls = code >= 0xd800 && code <= 0xdfff ? 0 : classify(String.fromCharCode(code));
    bmpClass[code] = cls;
  }
  return cls;
}

function astralClassOf(codePoint: number): number {
  let cls = astralClass.get(codePoint);
  if (cls === undefined) {
    cls = classify(String.fromCodePoint(codePoint));
    astralClass.set(codePoint, cls);
  }
  return cls;
}

/** The Combining Diacritical Marks blocks (Latin, Greek and Cyrillic accents), as code point ranges. */
const DIACRITIC_RANGES: [number, number][] = [[0x300, 0x36f], [0x1ab0, 0x1aff], [0x1dc0, 0x1dff], [0x20d0, 0x20ff], [0xfe20, 0xfe2f]];
const isDiacritic = (c: number): boolean => DIACRITIC_RANGES.some(([lo, hi]) => c >= lo && c <= hi);

/** Accents off (café → cafe); other scripts' marks (Devanagari vowel signs, kana voicing) stay. */
export function stripDiacritics(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFD')) if (!isDiacritic(ch.codePointAt(0)!)) out += ch;
  return out.normalize('NFC');
}

/** Irregular English forms Porter cannot reach, mapped to the form whose stem they should share. */
const IRREGULAR = new Map<string, string>(Object.entries({
  ran: 'run', went: 'go', gone: 'go', did: 'do', done: 'do', ate: 'eat', eaten: 'eat',
  saw: 'see', seen: 'see', took: 'take', taken: 'take', gave: 'give', given: 'give',
  wrote: 'write', written: 'write', spoke: 'speak', spoken: 'speak', bought: 'buy',
  brought: 'bring', thought: 'think', taught: 'teach', caught: 'catch', fought: 'fight',
  sold: 'sell', told: 'tell', made: 'make', said: 'say', paid: 'pay', won: 'win',
  grew: 'grow', grown: 'grow', began: 'begin', begun: 'begin', chose: 'choose', chosen: 'choose',
  drove: 'drive', driven: 'drive', flew: 'fly', flown: 'fly', knew: 'know', known: 'know',
  children: 'child', men: 'man', women: 'woman', mice: 'mouse', feet: 'foot', teeth: 'tooth', geese: 'goose',
}));

/** Irregular forms grouped by the stem they produce (for snippets: which raw words can match a stem). */
export const irregularFormsOf = (stem: string): string[] =>
  [...IRREGULAR.keys()].filter((form) => normalizeWord(form) === stem);

export interface Segment {
  kind: 'cjk' | 'word';
  /** Normalised (NFKC) text of the run; for words, the final token (lowercase, stemmed). */
  text: string;
}

/** NFKC, so that full-width letters, digits and compatibility ideographs index like their plain forms. */
export const normalizeText = (text: string): string => text.normalize('NFKC');

/** A non-CJK word as a token: lowercase, no diacritics, stemmed when it is purely Latin letters. */
export function normalizeWord(word: string): string {
  // Final sigma folds to σ, as FTS5's unicode61 would fold it anyway.
  let w = word.normalize('NFKC').toLowerCase().replace(/ς/g, 'σ');
  if (/[\u0080-\uFFFF]/.test(w)) w = stripDiacritics(w);
  const irregular = IRREGULAR.get(w);
  if (irregular !== undefined) w = irregular;
  return /^[a-z]+$/.test(w) ? stemmer(w) : w;
}

/** The text as a sequence of CJK runs and words, punctuation and spaces dropped. */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  const normalized = normalizeText(text);
  const n = normalized.length;
  // The run being read, [start, i), of class `kind` (0: none).
  let kind = 0;
  let start = 0;
  const flush = (end: number): void => {
    if (kind === 1) out.push({ kind: 'cjk', text: normalized.slice(start, end) });
    else if (kind === 2) {
      const token = normalizeWord(normalized.slice(start, end));
      if (token !== '') out.push({ kind: 'word', text: token });
    }
  };
  for (let i = 0; i < n;) {
    const code = normalized.charCodeAt(i);
    let cls: number;
    let width = 1;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < n) {
      const low = normalized.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cls = astralClassOf((code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000);
        width = 2;
      } else cls = 0;
    } else cls = bmpClassOf(code);
    if (cls !== kind) {
      flush(i);
      kind = cls;
      start = i;
    }
    i += width;
  }
  flush(n);
  return out;
}

/** Code units of the character at `i` (Extension B and other astral characters are two). */
const charLength = (text: string, i: number): number => (text.codePointAt(i)! > 0xffff ? 2 : 1);

/**
 * A CJK run's bigrams, without the final unigram, appended to `out` one by one (a long run has millions: never
 * spread them into a call). Pairs of code points, not of code units.
 */
function pushBigrams(out: string[], run: string): void {
  let i = 0;
  let first = charLength(run, 0);
  while (i + first < run.length) {
    const second = charLength(run, i + first);
    out.push(run.slice(i, i + first + second));
    i += first;
    first = second;
  }
}

/** The run's last character (a whole surrogate pair for an astral one). */
function lastChar(run: string): string {
  const low = run.charCodeAt(run.length - 1);
  return run.length >= 2 && low >= 0xdc00 && low <= 0xdfff && charLength(run, run.length - 2) === 2 ? run.slice(-2) : run.slice(-1);
}

function pushSegmentTokens(out: string[], segment: Segment): void {
  if (segment.kind === 'word') {
    out.push(segment.text);
    return;
  }
  pushBigrams(out, segment.text);
  out.push(lastChar(segment.text));
}

/** Tokens of a text, in order: what is indexed, and what queries are built from. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const segment of segments(text)) pushSegmentTokens(out, segment);
  return out;
}

/** Tokens as the text FTS5 stores (its `unicode61` tokenizer splits them on the spaces again). */
export const tokensToFts = (tokens: readonly string[]): string => tokens.join(' ');

const isOneChar = (run: string): boolean => run.length === charLength(run, 0);

/**
 * The tokens of a query phrase (a word or a quoted phrase as the user typed it), as consecutive positions.
 * A trailing CJK run is open-ended: its final unigram is dropped (the text's run may go on), and a
 * one-character run becomes a prefix token (`prefix: true`, applies to the last token).
 */
export function phraseTokens(text: string): { tokens: string[]; prefix: boolean } {
  const segs = segments(text);
  const tokens: string[] = [];
  segs.forEach((segment, i) => {
    const last = i === segs.length - 1;
    if (!last || segment.kind === 'word') pushSegmentTokens(tokens, segment);
    else if (isOneChar(segment.text)) tokens.push(segment.text);
    else pushBigrams(tokens, segment.text);
  });
  const lastSeg = segs[segs.length - 1];
  const prefix = lastSeg !== undefined && lastSeg.kind === 'cjk' && isOneChar(lastSeg.text);
  return { tokens, prefix };
}
