import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BANDS, bandBuckets } from '../../src-main/core/similarity/bands';
import { SIGNATURE_SIZE, estimateJaccard, minHash, shingleHashes } from '../../src-main/core/similarity/minhash';
import { foldLine, isBoilerplateLine, normaliseForSimilarity } from '../../src-main/core/similarity/normalise';
import { packSignature, signatureOf, unpackSignature } from '../../src-main/core/similarity/signature';
import { mulberry32 } from '../bench/prng';

const STORY = [
  '国家统计局今天发布数据显示，一季度国内生产总值同比增长百分之五点三，比上年四季度加快零点一个百分点。',
  '分行业看，工业增加值增长较快，服务业保持恢复态势，消费对经济增长的贡献率继续提高。',
  '专家认为，随着一系列稳增长政策落地见效，二季度经济有望延续回升向好势头，全年目标有望顺利实现。',
].join('\n');

describe('normalising a post for its signature', () => {
  it('folds case, full-width forms, whitespace and punctuation', () => {
    expect(foldLine('ＡＢＣ １２３，Hello World！')).toBe('abc123helloworld');
  });

  // (Not for combining marks written apart, nor a capital sigma, which whole-string lower-casing makes final: rare in news.)
  it('folds as NFKC, lower case and a letters-and-digits filter would, for the characters of news text', () => {
    const reference = (line: string) => line.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
    const alphabet = [...'国家统计局今天发布数据显示同比增长百分之，。！？、“”（）《》【】：；ABCxyz019 \t-_.,!?()ＡＢＣｘｙｚ０１９＠＃　①②㈱ｶﾀｶﾅテスト한국어ÉéÜüßσДд©®™𠀀𠀁😀'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }), (chars) => {
      const line = chars.join('');
      expect(foldLine(line)).toBe(reference(line));
    }), { seed: 14, numRuns: 500 });
  });

  it('leaves out boilerplate and short lines, keeps the story', () => {
    for (const line of ['本文转载自东方财富网，版权归原作者所有。', '（文章来源：新华社）', '[返回首页](../)', '责任编辑：王明',
      'Copyright © 2021 Example.com All Rights Reserved.', '免责声明：本文仅代表作者个人观点，与本网无关。', '关注我们的微信公众号，获取更多资讯。']) {
      expect(isBoilerplateLine(line), line).toBe(true);
    }
    expect(isBoilerplateLine(STORY.split('\n')[0]!)).toBe(false);
    const withBoilerplate = `本文转载自东方财富网，版权归原作者所有，如有侵权请联系删除。\n图片\n${STORY}\n（文章来源：新华社）\n返回首页`;
    expect(normaliseForSimilarity(withBoilerplate)).toBe(normaliseForSimilarity(STORY));
    expect(signatureOf(withBoilerplate)).toEqual(signatureOf(STORY));
  });

  it('gives a post of boilerplate and short lines only no signature', () => {
    expect(signatureOf('本文转载自东方财富网，版权归原作者所有，如有侵权请联系删除。\n快讯\n返回首页')).toBeNull();
    expect(signatureOf('')).toBeNull();
  });
});

describe('MinHash', () => {
  it('is seeded: the same text gives the same signature every run (fixed values)', () => {
    const s = signatureOf(STORY)!;
    expect(s).toHaveLength(SIGNATURE_SIZE);
    expect(unpackSignature(packSignature(s))).toEqual(s);
    // Pinned: a changed hash would silently mismatch every index built before it.
    expect(Array.from(s.slice(0, 8))).toEqual([7962, 59922, 22399, 44904, 15973, 41204, 49335, 48966]);
    expect(packSignature(s)).toHaveLength(2 * SIGNATURE_SIZE);
  });

  it('estimates the Jaccard similarity of shingle sets within a few standard errors', () => {
    const rng = mulberry32(7);
    const universe = Uint32Array.from({ length: 4000 }, () => Math.floor(rng() * 2 ** 32) >>> 0);
    for (const [shared, own] of [[1000, 0], [600, 400], [300, 700], [50, 950], [0, 1000]] as const) {
      const a = universe.slice(0, shared + own);
      const b = Uint32Array.from([...universe.slice(0, shared), ...universe.slice(2000, 2000 + own)]);
      const exact = shared / (shared + 2 * own);
      const estimate = estimateJaccard(minHash(a), minHash(b));
      const error = Math.sqrt((exact * (1 - exact)) / SIGNATURE_SIZE);
      expect(Math.abs(estimate - exact), `J=${exact}`).toBeLessThanOrEqual(Math.max(4 * error, 2 / SIGNATURE_SIZE));
    }
  });

  it('shingles every SHINGLE_CHARS units, repeats included, and repeats change no signature', () => {
    expect(shingleHashes('abcdeabcdeabcde')).toHaveLength(11);
    expect(new Set(shingleHashes('abcdeabcdeabcde')).size).toBe(5);
    expect(shingleHashes('abcd')).toHaveLength(0);
    const once = shingleHashes('一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥');
    expect(minHash(Uint32Array.from([...once, ...once]))).toEqual(minHash(once));
  });

  it('fills the bins a short text leaves empty, the same way for the same text', () => {
    const short = shingleHashes('国家统计局今天发布数据显示一季度国内生产总值同比增长');
    expect(short.length).toBeLessThan(SIGNATURE_SIZE);
    expect(minHash(short)).toEqual(minHash(Uint32Array.from(short)));
    expect(new Set(minHash(short)).size).toBeGreaterThan(short.length / 2);
  });
});

describe('LSH bands', () => {
  it('one bucket per band, in its own range, the same for equal bands', () => {
    const s = signatureOf(STORY)!;
    const buckets = bandBuckets(s);
    expect(buckets).toHaveLength(BANDS);
    buckets.forEach((b, i) => {
      expect(Math.floor(b / 2 ** 26)).toBe(i);
      expect(b).toBeLessThan(2 ** 31);
    });
    const other = Uint16Array.from(s);
    other[0] = other[0]! ^ 1; // band 0 differs, every other band is the same
    const changed = bandBuckets(other);
    expect(changed[0]).not.toBe(buckets[0]);
    expect(changed.slice(1)).toEqual(buckets.slice(1));
  });
});
