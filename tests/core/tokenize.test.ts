import { describe, expect, it } from 'vitest';
import { normalizeWord, phraseTokens, segments, stripDiacritics, tokenize, tokensToFts } from '../../src-main/core/tokenize';

describe('tokenize: CJK runs', () => {
  it('turns a run into overlapping bigrams plus its last character', () => {
    expect(tokenize('中国钢铁')).toEqual(['中国', '国钢', '钢铁', '铁']);
  });

  it('keeps a one-character run as a unigram', () => {
    expect(tokenize('铁')).toEqual(['铁']);
  });

  it('breaks runs at punctuation, spaces and other words, each run ending in its unigram', () => {
    expect(tokenize('中国，钢铁')).toEqual(['中国', '国', '钢铁', '铁']);
    expect(tokenize('中国 钢铁')).toEqual(['中国', '国', '钢铁', '铁']);
    expect(tokenize('2021年增长')).toEqual(['2021', '年增', '增长', '长']);
  });

  it('covers kana, hangul, Extension A, Extension B and compatibility ideographs', () => {
    expect(tokenize('カタカナ')).toEqual(['カタ', 'タカ', 'カナ', 'ナ']);
    expect(tokenize('ひらがな')).toEqual(['ひら', 'らが', 'がな', 'な']);
    expect(tokenize('한국어')).toEqual(['한국', '국어', '어']);
    expect(tokenize('ラーメン')).toEqual(['ラー', 'ーメ', 'メン', 'ン']);
    expect(tokenize('㐀㐁')).toEqual(['㐀㐁', '㐁']);
    // Extension B characters are surrogate pairs: one character each, never split in half.
    expect(tokenize('𠀀𠀁𠀂')).toEqual(['𠀀𠀁', '𠀁𠀂', '𠀂']);
    // U+F900 is a compatibility ideograph: NFKC makes it the unified 豈 (U+8C48), so both spellings meet.
    expect(tokenize('\uF900')).toEqual(['\u8C48']);
    expect(tokenize('\u8C48')).toEqual(['\u8C48']);
  });

  it('keeps CJK punctuation out of runs', () => {
    expect(tokenize('“好品山东”、《报告》')).toEqual(['好品', '品山', '山东', '东', '报告', '告']);
  });
});

describe('tokenize: other words', () => {
  it('normalises full-width forms, case and diacritics', () => {
    expect(tokenize('ＦＵＬＬ Width １２３')).toEqual(['full', 'width', '123']);
    expect(tokenize('Café NAÏVE Ångström')).toEqual(['cafe', 'naiv', 'angstrom']);
  });

  it('stems English, including irregular forms', () => {
    expect(tokenize('run runs running ran')).toEqual(['run', 'run', 'run', 'run']);
    expect(tokenize('marathon marathons')).toEqual(['marathon', 'marathon']);
    expect(tokenize('went gone go')).toEqual(['go', 'go', 'go']);
    expect(tokenize('Elections election')).toEqual(['elect', 'elect']);
  });

  it('keeps numbers as tokens, split at the decimal point', () => {
    expect(tokenize('294.1亿元')).toEqual(['294', '1', '亿元', '元']);
    expect(tokenize('COVID-19 mp3')).toEqual(['covid', '19', 'mp3']);
  });

  it('mixes words and runs in order', () => {
    expect(tokenize('iPhone手机壳')).toEqual(['iphon', '手机', '机壳', '壳']);
  });

  it('drops punctuation and markup-like noise, and never trips over object property names', () => {
    expect(tokenize('*** (NEAR) ^ "" -- {}')).toEqual(['near']);
    expect(tokenize('constructor __proto__ toString')).toEqual(['constructor', 'proto', 'tostr']);
    expect(tokenize('')).toEqual([]);
  });

  it('normalizeWord and stripDiacritics are the building blocks used by snippets', () => {
    expect(normalizeWord('Running')).toBe('run');
    expect(normalizeWord('Ran')).toBe('run');
    expect(stripDiacritics('crème brûlée')).toBe('creme brulee');
  });
});

describe('tokensToFts and phraseTokens', () => {
  it('joins tokens with spaces', () => {
    expect(tokensToFts(['中国', '国钢', 'run'])).toBe('中国 国钢 run');
  });

  it('reads one CJK character as a prefix token, two as one bigram, more as consecutive bigrams', () => {
    expect(phraseTokens('铁')).toEqual({ tokens: ['铁'], prefix: true });
    expect(phraseTokens('钢铁')).toEqual({ tokens: ['钢铁'], prefix: false });
    expect(phraseTokens('中国钢')).toEqual({ tokens: ['中国', '国钢'], prefix: false });
    expect(phraseTokens('中国钢铁')).toEqual({ tokens: ['中国', '国钢', '钢铁'], prefix: false });
  });

  it('keeps the unigram of a run that is followed by more of the phrase', () => {
    expect(phraseTokens('手机iPhone')).toEqual({ tokens: ['手机', '机', 'iphon'], prefix: false });
    expect(phraseTokens('iPhone手')).toEqual({ tokens: ['iphon', '手'], prefix: true });
    expect(phraseTokens('the race')).toEqual({ tokens: ['the', 'race'], prefix: false });
    expect(phraseTokens('!!!')).toEqual({ tokens: [], prefix: false });
  });

  it('segments tells runs from words', () => {
    expect(segments('Ｎews 新闻!')).toEqual([{ kind: 'word', text: 'new' }, { kind: 'cjk', text: '新闻' }]);
  });
});
