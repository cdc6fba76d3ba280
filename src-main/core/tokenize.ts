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
const segmentPattern = (): RegExp => new RegExp(SEGMENT_SOURCE, 'gv');

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
  for (const m of normalizeText(text).matchAll(segmentPattern())) {
    if (m[1] !== undefined) out.push({ kind: 'cjk', text: m[1] });
    else if (m[2] !== undefined) {
      const token = normalizeWord(m[2]);
      if (token !== '') out.push({ kind: 'word', text: token });
    }
  }
  return out;
}

/** A CJK run's bigrams, without the final unigram. `chars` are code points (Extension B is two code units). */
function bigrams(chars: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

function pushSegmentTokens(out: string[], segment: Segment): void {
  if (segment.kind === 'word') {
    out.push(segment.text);
    return;
  }
  const chars = Array.from(segment.text);
  out.push(...bigrams(chars), chars[chars.length - 1]!);
}

/** Tokens of a text, in order: what is indexed, and what queries are built from. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const segment of segments(text)) pushSegmentTokens(out, segment);
  return out;
}

/** Tokens as the text FTS5 stores (its `unicode61` tokenizer splits them on the spaces again). */
export const tokensToFts = (tokens: readonly string[]): string => tokens.join(' ');

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
    else {
      const chars = Array.from(segment.text);
      tokens.push(...(chars.length === 1 ? chars : bigrams(chars)));
    }
  });
  const lastSeg = segs[segs.length - 1];
  const prefix = lastSeg !== undefined && lastSeg.kind === 'cjk' && Array.from(lastSeg.text).length === 1;
  return { tokens, prefix };
}
