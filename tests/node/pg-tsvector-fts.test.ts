/**
 * pg-tsvector-fts.ts makes the writer's binary tsvectors straight from FtsText's space-separated columns: the bytes
 * must be tsvectorBinary's of the split tokens (whose stored values pg-tsvector-binary.test.ts checks against the
 * literals on a real server), byte for byte, on real and synthetic posts and at every limit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ftsText } from '../../src-main/node/index/write';
import { BODY_LAST, splitTokens, tsvectorBinary } from '../../src-main/node/pg/pg-tsvector';
import { shortLexemeProbes, tsvectorOfFts } from '../../src-main/node/pg/pg-tsvector-fts';
import { mulberry32 } from '../bench/prng';
import { syntheticPost } from '../bench/synthetic-post';
import { edgeArchive, sharedCorpus } from '../helpers/temp';

type Columns = [string, string, string];

const columnsOf = (name: string, text: string): Columns => {
  const fts = ftsText({ title: name, text, tags: ['Tag', '标签'], categories: ['news'], description: text.slice(0, 80) });
  return [fts.title, fts.meta, fts.body];
};
const expected = (columns: Columns): Buffer | undefined => tsvectorBinary(...(columns.map(splitTokens) as [string[], string[], string[]]))?.value;
const filesUnder = (dir: string): string[] => (fs.existsSync(dir)
  ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(md|markdown|html)$/.test(f)).map((f) => path.join(dir, f)).sort()
  : []);

describe('binary tsvectors from the tokens\' text', () => {
  it('are tsvectorBinary\'s bytes on real and synthetic posts', () => {
    const files = [...filesUnder(path.join(sharedCorpus, 'finews-sample')), ...filesUnder(path.join(sharedCorpus, 'jekyll-edge-cases')), ...filesUnder(edgeArchive)];
    const cases: [string, Columns][] = files.map((f) => [f, columnsOf(path.basename(f), fs.readFileSync(f, 'utf8'))]);
    for (let i = 0; i < 300; i++) cases.push([`synthetic ${i}`, columnsOf(`s${i}`, syntheticPost(42, i).content)]);
    const differ = cases.filter(([, columns]) => !tsvectorOfFts(...columns)!.equals(expected(columns)!)).map(([name]) => name);
    expect(cases.length).toBeGreaterThan(300);
    expect(differ).toEqual([]);
  });

  it('are tsvectorBinary\'s bytes at the limits, with stray spaces and any characters', () => {
    const many = Array.from({ length: BODY_LAST + 40 }, (_, i) => (i % 3 === 0 ? 'x' : `w${i % 5000}`)).join(' ');
    const cases: [string, Columns][] = [
      ['quotes and backslashes', ["it's a\\b ''", '\\', "中国 it's"]],
      ['past U+FFFF and lone surrogates', ['𠀀 \uE000 𠀁𠀀 z \uD800 a\uDC00b \uDBFF', '😀 é ß', '\uFFFF 𠀀 a \uD83D']],
      ['overflow and 256 positions', ['标题', '', many]],
      ['overflow in the title and meta', [many, many, '中国 x']],
      ['a long token', ['t', '', `${'x'.repeat(3000)} y ${'中'.repeat(700)} ${'中'.repeat(682)} z`]],
      ['over 1 MB', ['标题', '', Array.from({ length: 150_000 }, (_, i) => `word${i}`).join(' ')]],
      ['stray spaces', ['  a  b ', ' ', 'a   a b  ']],
      // More one- and two-unit lexemes than the table first holds (it grows), repeated, then posts after it.
      ['12,000 short lexemes', ['中 国', '', Array.from({ length: 24_000 }, (_, i) => String.fromCharCode(0x4e00 + (i % 6000), ...(i % 12_000 < 6000 ? [] : [0x4e01 + (i % 7)]))).join(' ')]],
      ['empty', ['', '', '']],
    ];
    // Random tokens over an alphabet of every UTF-8 length, shared prefixes and repeats (seeded).
    const rng = mulberry32(22);
    const alphabet = ['a', 'b', '0', 'é', 'ж', '中', '国', '\uFFFF', '𠀀', '😀', "'", '\\'];
    for (let round = 0; round < 200; round++) {
      const fields = [0, 1, 2].map(() => Array.from({ length: Math.floor(rng() * 400) }, () => {
        let token = '';
        const length = 1 + Math.floor(rng() * (rng() < 0.8 ? 2 : 6));
        for (let i = 0; i < length; i++) token += alphabet[Math.floor(rng() * alphabet.length)];
        return token;
      }).join(' '));
      cases.push([`random ${round}`, fields as Columns]);
    }
    const differ = cases.filter(([, columns]) => !tsvectorOfFts(...columns)!.equals(expected(columns)!)).map(([name]) => name);
    expect(differ).toEqual([]);
    // Posts in a row reuse the arrays: a second run over the same cases gives the same bytes.
    expect(cases.every(([, columns]) => tsvectorOfFts(...columns)!.equals(expected(columns)!))).toBe(true);
  });

  it('have no binary form where a token holds U+0000, as tsvectorBinary', () => {
    expect(tsvectorOfFts('a\0b', '', '')).toBeUndefined();
    expect(tsvectorOfFts('a', '', 'b c\0')).toBeUndefined();
  });

  it('look up a long post\'s many short lexemes in few probes (the table hashes by its top bits as it grows)', () => {
    // 70,000 distinct bigrams and 2,000 unigrams: the table grows past 65,536 slots (a 16-bit hash made 233 million probes).
    const tokens = Array.from({ length: 70_000 }, (_, i) => String.fromCharCode(0x4e00 + Math.floor(i / 300), 0x4e00 + (i % 300)));
    for (let i = 0; i < 2000; i++) tokens.push(String.fromCharCode(0x4e00 + i));
    const columns: Columns = ['t', '', tokens.join(' ')];
    expect(tsvectorOfFts(...columns)!.equals(expected(columns)!)).toBe(true);
    expect(shortLexemeProbes()).toBeLessThan(8 * 72_000);
  });
});
