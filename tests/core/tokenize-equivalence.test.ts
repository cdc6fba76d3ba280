/**
 * The tokenizer against a copy of itself as it was before long runs were read in bounded pieces (the copy below,
 * unchanged but for its names and exports): for any text the old one could read, the tokens must be the same, or every
 * index built before would disagree with the queries made now. Seeded and bounded; BACKFILE_FUZZ_RUNS runs longer.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { phraseTokens, segments, tokenize } from '../../src-main/core/tokenize';

const RUNS = Number(process.env.BACKFILE_FUZZ_RUNS) || 300;

/* ---- The tokenizer of TOKENIZER_VERSION 1 as first written (src-main/core/tokenize.ts before the fix). ---- */
import { stemmer } from 'stemmer';

/** Characters that form CJK runs: letters and numbers of the Han, kana and hangul scripts, plus ー. */
const CJK_CLASS = '[[\\p{sc=Han}\\p{sc=Hira}\\p{sc=Kana}\\p{sc=Hang}\\u30FC\\u3400-\\u4DBF\\uF900-\\uFAFF]&&[\\p{L}\\p{N}]]';
/** Characters of other words (Latin, digits, Cyrillic, …); combining marks stay attached to their letter. */
const WORD_CLASS = `[[\\p{L}\\p{N}\\p{M}]--${CJK_CLASS}]`;

/** Matches one CJK run (group 1) or one other word (group 2). The `v` flag allows class set operations. */
const SEGMENT_SOURCE = `(${CJK_CLASS}+)|(${WORD_CLASS}+)`;
const segmentPattern = (): RegExp => new RegExp(SEGMENT_SOURCE, 'gv');

/** The Combining Diacritical Marks blocks (Latin, Greek and Cyrillic accents), as code point ranges. */
const DIACRITIC_RANGES: [number, number][] = [[0x300, 0x36f], [0x1ab0, 0x1aff], [0x1dc0, 0x1dff], [0x20d0, 0x20ff], [0xfe20, 0xfe2f]];
const isDiacritic = (c: number): boolean => DIACRITIC_RANGES.some(([lo, hi]) => c >= lo && c <= hi);

/** Accents off (café → cafe); other scripts' marks (Devanagari vowel signs, kana voicing) stay. */
function stripDiacritics(text: string): string {
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

interface Segment {
  kind: 'cjk' | 'word';
  /** Normalised (NFKC) text of the run; for words, the final token (lowercase, stemmed). */
  text: string;
}

/** NFKC, so that full-width letters, digits and compatibility ideographs index like their plain forms. */
const normalizeText = (text: string): string => text.normalize('NFKC');

/** A non-CJK word as a token: lowercase, no diacritics, stemmed when it is purely Latin letters. */
function normalizeWord(word: string): string {
  // Final sigma folds to σ, as FTS5's unicode61 would fold it anyway.
  let w = word.normalize('NFKC').toLowerCase().replace(/ς/g, 'σ');
  if (/[\u0080-\uFFFF]/.test(w)) w = stripDiacritics(w);
  const irregular = IRREGULAR.get(w);
  if (irregular !== undefined) w = irregular;
  return /^[a-z]+$/.test(w) ? stemmer(w) : w;
}

/** The text as a sequence of CJK runs and words, punctuation and spaces dropped. */
function oldSegments(text: string): Segment[] {
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
function oldTokenize(text: string): string[] {
  const out: string[] = [];
  for (const segment of oldSegments(text)) pushSegmentTokens(out, segment);
  return out;
}

/**
 * The tokens of a query phrase (a word or a quoted phrase as the user typed it), as consecutive positions.
 * A trailing CJK run is open-ended: its final unigram is dropped (the text's run may go on), and a
 * one-character run becomes a prefix token (`prefix: true`, applies to the last token).
 */
function oldPhraseTokens(text: string): { tokens: string[]; prefix: boolean } {
  const segs = oldSegments(text);
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
/* ---- end of the old copy ---- */

/** Characters that have mattered to the tokenizer: every class boundary, astral and compatibility forms. */
const CHARS = [
  '中', '国', '钢', '铁', '亿', '元', '㐀', '\uF900', '豈', '𠀀', '𠀁', '𪜀', 'カ', 'タ', 'ナ', 'ー', 'ひ', 'が', '한', '국',
  'a', 'B', 'z', 'e', 'r', 'u', 'n', 's', 'é', 'Å', 'ς', 'Σ', 'ж', 'ß', 'ﬁ', 'Ｆ', '１', '9', '0', '\u0301', '\u0308', '\u093F',
  '\u3099', ' ', '\n', '\t', '.', ',', '-', '_', '，', '。', '“', '《', '!', '*', '\u00A0', '\u200B', '\0', '\uD800', '\uDC00',
];
const piece = fc.oneof(
  fc.constantFrom(...CHARS),
  fc.constantFrom('running', 'ran', 'Elections', 'constructor', '__proto__', 'iPhone', 'COVID-19', '294.1亿元', '中国钢铁'),
  fc.string({ unit: 'binary', maxLength: 3 }),
);
/** Mixed text, plus long runs of one class that cross the tokenizer's bound on one match (1,024 characters). */
const text = fc.oneof(
  fc.array(piece, { maxLength: 60 }).map((parts) => parts.join('')),
  fc.tuple(fc.array(fc.constantFrom('中', '国', '𠀀', 'カ', '한', 'ー', '\uF900'), { minLength: 1, maxLength: 6 }), fc.integer({ min: 150, max: 800 }), fc.array(piece, { maxLength: 8 }))
    .map(([run, times, around]) => around.slice(0, 4).join('') + run.join('').repeat(times) + around.slice(4).join('')),
  fc.tuple(fc.array(fc.constantFrom('a', 'e', 'é', 'ς', '1', '\u0301', 'Ｆ'), { minLength: 1, maxLength: 5 }), fc.integer({ min: 200, max: 1200 }))
    .map(([word, times]) => `x ${word.join('').repeat(times)}s 中`),
);

describe('tokenize: the same tokens as before long runs were read in pieces', () => {
  it('for mixed text and long runs of one class', () => {
    fc.assert(fc.property(text, (t) => {
      expect(tokenize(t)).toEqual(oldTokenize(t));
      expect(segments(t)).toEqual(oldSegments(t));
      expect(phraseTokens(t)).toEqual(oldPhraseTokens(t));
    }), { seed: 20240611, numRuns: RUNS });
  });

  it('at exact multiples of the bound, where one piece ends and the next begins', () => {
    for (const n of [1023, 1024, 1025, 2048, 2049]) {
      for (const ch of ['中', '𠀀', 'a', 'é']) {
        const t = `${ch.repeat(n)}。${ch.repeat(n + 1)}`;
        expect(tokenize(t)).toEqual(oldTokenize(t));
      }
    }
  });
});

describe('tokenize: text no post could be indexed with before', () => {
  it('reads a CJK run of two million characters (the old tokenizer overflowed the stack)', () => {
    const run = '中国钢铁工业'.repeat(350_000);
    const tokens = tokenize(`开始 ${run} end`);
    expect(tokens.length).toBe(2 + run.length + 1);
    expect(tokens.slice(2, 5)).toEqual(['中国', '国钢', '钢铁']);
    expect(tokens.slice(-2)).toEqual(['业', 'end']);
  });

  it('reads a six-million-character word as one token, and a long run of astral characters', () => {
    expect(tokenize(`a ${'b'.repeat(6_000_000)} c`).map((t) => t.length)).toEqual([1, 6_000_000, 1]);
    const astral = tokenize('𠀀𠀁'.repeat(300_000));
    expect(astral.length).toBe(600_000);
    expect(astral.at(-1)).toBe('𠀁');
    expect(phraseTokens('中'.repeat(700_000)).tokens.length).toBe(699_999);
  });
});
