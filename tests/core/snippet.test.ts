import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findMatches, foldText, highlightTerms, makeSnippet } from '../../src-main/core/snippet';

const english = 'Thousands of runners ran through the old town. The organisers said running the race in March was a gamble.';
const chinese = '记者从省商务厅获悉，为期15天的“第四届双品网购节”活动于5月12日落下帷幕，阿里巴巴、京东、美团等平台积极参与，'
  + '山东实现网络零售额294.1亿元，同比增长12.2%。其中，实物网络零售额264.4亿元，同比增长18.4%。';

const marked = (html: string): string[] => [...html.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1]!);

describe('findMatches', () => {
  it('matches English by stem, case-insensitively, including irregular forms', () => {
    const spans = findMatches(english, ['RUN']);
    expect(spans.map((s) => english.slice(s.start, s.end))).toEqual(['ran', 'running']);
  });

  it('matches Chinese by substring, overlapping occurrences included', () => {
    expect(findMatches('零售额零售额', ['零售']).map((s) => s.start)).toEqual([0, 3]);
    expect(findMatches('哈哈哈', ['哈哈']).map((s) => [s.start, s.end])).toEqual([[0, 2], [1, 3]]);
  });

  it('matches phrases word by word across spaces and punctuation', () => {
    const spans = findMatches(english, ['the race', 'old town']);
    expect(spans.map((s) => english.slice(s.start, s.end))).toEqual(['old town', 'the race']);
    expect(findMatches('the cities, halls', ['city hall'])).toEqual([{ start: 4, end: 17, term: 0 }]);
  });

  it('matches mixed words and runs, and numbers with decimals', () => {
    expect(findMatches(chinese, ['294.1亿元']).map((s) => chinese.slice(s.start, s.end))).toEqual(['294.1亿元']);
    const text = '新款iPhone手机壳';
    expect(findMatches(text, ['iPhone手机']).map((s) => text.slice(s.start, s.end))).toEqual(['iPhone手机']);
  });

  it('folds full-width letters and accents without shifting offsets', () => {
    const text = 'Ｒｕｎｎｉｎｇ café';
    expect(foldText(text)).toHaveLength(text.length);
    expect(findMatches(text, ['run', 'CAFE']).map((s) => text.slice(s.start, s.end))).toEqual(['Ｒｕｎｎｉｎｇ', 'café']);
  });

  it('finds nothing for terms without letters, or in empty text', () => {
    expect(findMatches(english, ['***', ''])).toEqual([]);
    expect(findMatches('', ['run'])).toEqual([]);
  });
});

describe('makeSnippet', () => {
  it('marks the matches in a window of the original text', () => {
    const s = makeSnippet(english, ['run']);
    expect(marked(s)).toEqual(['ran', 'running']);
    expect(s.startsWith('Thousands of runners')).toBe(true);
  });

  it('opens the window near the match, with an ellipsis where the text was cut', () => {
    const s = makeSnippet(chinese, ['同比增长18.4'], 40);
    expect(marked(s)).toEqual(['同比增长18.4']);
    expect(s.startsWith('…')).toBe(true);
    expect(s.replace(/<\/?mark>|…/g, '').length).toBeLessThanOrEqual(40);
  });

  it('prefers the window with the most different terms', () => {
    const text = `${'京东 filler. '.repeat(20)}阿里巴巴 and 京东 together`;
    const s = makeSnippet(text, ['京东', '阿里巴巴'], 60);
    expect(marked(s)).toEqual(expect.arrayContaining(['阿里巴巴', '京东']));
  });

  it('marks English words at word boundaries and starts the window at a word', () => {
    const text = `${'lorem ipsum dolor '.repeat(30)}the marathon runners`;
    const s = makeSnippet(text, ['marathon'], 80);
    expect(marked(s)).toEqual(['marathon']);
    expect(s).toMatch(/^…(lorem|ipsum|dolor) /);
  });

  it('escapes HTML in the text and in the marked part', () => {
    const s = makeSnippet('<b>Tom & "Jerry"</b> run <script>', ['run', 'tom']);
    expect(s).toBe('&lt;b&gt;<mark>Tom</mark> &amp; &quot;Jerry&quot;&lt;/b&gt; <mark>run</mark> &lt;script&gt;');
  });

  it('shows the start of the text when nothing matches, and collapses whitespace', () => {
    expect(makeSnippet('  line one\n\n  line two  ', ['absent'])).toBe('line one line two');
    expect(makeSnippet('a'.repeat(300), [], 100)).toBe(`${'a'.repeat(100)}…`);
    expect(makeSnippet('', ['run'])).toBe('');
  });

  it('never splits a surrogate pair', () => {
    const text = '𠀀'.repeat(100);
    const s = makeSnippet(text, ['𠀀'], 31);
    expect(s).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('always returns escaped text whatever the input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), (text, terms) => {
      const s = makeSnippet(text, terms, 50).replace(/<\/?mark>/g, '');
      expect(s).not.toMatch(/[<>"]/);
    }), { numRuns: 300 });
  });
});

describe('highlightTerms', () => {
  it('marks every match in the whole text, escaping the rest', () => {
    expect(highlightTerms('钢铁 & 铁路', ['铁'])).toBe('钢<mark>铁</mark> &amp; <mark>铁</mark>路');
  });
});
