import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findMatches, foldText, makeSnippet, snippetWithSpans, wordStarts, type MatchSpan } from '../../src-main/core/snippet';
import { WORD_CHAR_SOURCE, irregularFormsOf, normalizeWord, segments, type Segment } from '../../src-main/core/tokenize';

/**
 * findMatches finds the words to stem with indexOf instead of running the word pattern over the whole text
 * (issue 16, stop 20: 4 of the 6 ms "iPhone 芯片"'s first page of snippets cost at 100,000 posts). The spans must be
 * exactly those of the whole-text scan, written out here as it was.
 */
const gapAt = /[^\p{L}\p{N}\p{M}]*/uy;
const wordAt = new RegExp(`${WORD_CHAR_SOURCE}+`, 'vy');

function scannedMatches(text: string, highlight: readonly string[]): MatchSpan[] {
  const matchers: { term: number; segs: Segment[] }[] = [];
  highlight.forEach((h, term) => {
    const segs = segments(h).map((s) => (s.kind === 'cjk' ? { ...s, text: foldText(s.text) } : s));
    if (segs.length > 0) matchers.push({ term, segs });
  });
  if (matchers.length === 0 || text === '') return [];
  const folded = foldText(text);
  const spans: MatchSpan[] = [];
  const rest = (segs: Segment[], pos: number): number | null => {
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
  };
  const firstLength = (seg: Segment, start: number): number => {
    if (seg.kind === 'cjk') return seg.text.length;
    wordAt.lastIndex = start;
    return wordAt.exec(folded)?.[0].length ?? 0;
  };
  const add = (m: { term: number; segs: Segment[] }, start: number): void => {
    const end = rest(m.segs.slice(1), start + firstLength(m.segs[0]!, start));
    if (end !== null && spans.length < 2000) spans.push({ start, end, term: m.term });
  };
  for (const m of matchers) {
    const first = m.segs[0]!;
    if (first.kind !== 'cjk') continue;
    for (let at = folded.indexOf(first.text); at >= 0 && spans.length < 2000; at = folded.indexOf(first.text, at + 1)) add(m, at);
  }
  const wordMatchers = matchers.filter((m) => m.segs[0]!.kind === 'word');
  if (wordMatchers.length > 0) {
    const initials = new Set<string>();
    for (const m of wordMatchers) {
      const key = m.segs[0]!.text;
      initials.add(key[0]!);
      for (const form of irregularFormsOf(key)) initials.add(form[0]!);
    }
    for (const w of folded.matchAll(new RegExp(`${WORD_CHAR_SOURCE}+`, 'gv'))) {
      if (spans.length >= 2000) break;
      if (!initials.has(w[0][0]!)) continue;
      const key = normalizeWord(w[0]);
      for (const m of wordMatchers) if (m.segs[0]!.text === key) add(m, w.index);
    }
  }
  return spans.sort((a, b) => a.start - b.start || b.end - a.end);
}

// Pieces that make word boundaries hard: astral letters (a surrogate pair), combining marks, digits, accents,
// full-width and capital letters, CJK, punctuation, lone surrogates and irregular forms.
const PIECES = ['run', 'ran', 'Runs', 'running', 'iPhone', 'phone', 'i', 'I', 'm', 'market', 'markets', 'é', 'e\u0301', 'Ｍａｒｋｅｔ',
  '𝐀', '𐐀', '𐐨run', 'a𝐀b', '\u0301', '42', '4s', ' ', '  ', '\n', '.', ',', '-', '，', '。', '市场', '芯片', '车', '𠀀', '\uD800', '\uDC00', 'went', 'go', 'ß', 'İ'];

describe('findMatches word starts', () => {
  afterEach(() => vi.restoreAllMocks());

  it('finds the same spans as a scan of every word, whatever the text and the terms', () => {
    fc.assert(fc.property(
      fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join('')),
      fc.array(fc.constantFrom('run', 'iPhone', 'market', 'go', '市场', 'i', 'm', 'e', '𐐨run', 'a𝐀b', 'ss', '42', 'phone 芯片', '芯片 run'), { minLength: 1, maxLength: 3 }),
      (text, highlight) => {
        expect(findMatches(text, highlight)).toEqual(scannedMatches(text, highlight));
      },
    ), { numRuns: 3000, seed: 16 });
  });

  it('gives the positions a scan of every word would, filtered by first unit', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((p) => p.join('')), fc.subarray(['r', 'i', 'm', 'e', 'a', '4', '\uD801', 'ß']), (text, initials) => {
      const want = [...text.matchAll(new RegExp(`${WORD_CHAR_SOURCE}+`, 'gv'))].filter((w) => initials.includes(w[0][0]!)).map((w) => w.index);
      expect(wordStarts(text, new Set(initials))).toEqual(want);
    }), { numRuns: 3000, seed: 16 });
  });

  it('does not run the word pattern over a Chinese text to find one English word', () => {
    const text = `${'市场 2023 年 42% 数据 芯片。'.repeat(100)}iPhone 芯片${'收入 15 亿元，同比 8%。'.repeat(500)}`;
    const exec = vi.spyOn(RegExp.prototype, 'exec');
    const snippet = makeSnippet(text, ['iPhone', '芯片']);
    expect(snippet).toContain('<mark>iPhone</mark> <mark>芯片</mark>');
    // The word pattern runs at the words that start with "i", not at each number and word of the 600 sentences.
    const wordRuns = exec.mock.contexts.filter((re) => (re as RegExp).source === `${WORD_CHAR_SOURCE}+`).length;
    expect(wordRuns).toBeGreaterThan(0);
    expect(wordRuns).toBeLessThan(10);
  });

  it('cuts the snippet of a lone CJK term as from all its matches, whatever the text', () => {
    const CJK_PIECES = [...PIECES, '市', '场', '市场', '市市', '车车车', 'Ａ', '　', '…', '﹐', '\u3000\u3000'];
    fc.assert(fc.property(
      fc.array(fc.constantFrom(...CJK_PIECES), { maxLength: 400 }).map((parts) => parts.join('')),
      fc.constantFrom('市', '市场', '车车', '场市', 'ａ市', '芯片', '𠀀', '市场，'),
      fc.constantFrom(160, 20, 3),
      (text, term, maxChars) => {
        expect(makeSnippet(text, [term], maxChars)).toBe(snippetWithSpans(text, findMatches(text, [term]), maxChars));
      },
    ), { numRuns: 3000, seed: 16 });
  });

  it('folds a long text only up to the snippet of a lone CJK term', () => {
    const text = `开头说明。${'今日股市'.repeat(40)}市场情绪回暖。${'其余内容，'.repeat(20_000)}`;
    const replace = vi.spyOn(String.prototype, 'replace');
    expect(makeSnippet(text, ['市场'])).toContain('<mark>市场</mark>');
    // Folding is a replace with a function over the text: only its first chunks, not all 100,000 characters.
    const folded = replace.mock.calls.reduce((n, call, i) => n + (typeof call[1] === 'function' ? String(replace.mock.contexts[i]).length : 0), 0);
    expect(folded).toBeGreaterThan(0);
    expect(folded).toBeLessThan(5_000);
  });
});
