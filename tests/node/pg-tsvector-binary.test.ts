/**
 * The writer binds each post's tsvector in PostgreSQL's binary form (pg-tsvector.ts tsvectorBinary), where it bound a
 * literal for the server to parse: the stored tsvector must be the literal's, lexeme for lexeme, position for
 * position and weight for weight, on real posts (the shared corpora, the edge fixture, synthetic posts) and at the
 * limits (overflow positions, 256 positions a lexeme, 1 MB, long tokens, quotes, backslashes, characters past U+FFFF).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePost } from '../../src-main/core/parse-post';
import { ftsText } from '../../src-main/node/index/write';
import { TSV_COLUMN, postRow } from '../../src-main/node/pg/pg-write';
import { BODY_LAST, inCodeUnitOrder, splitTokens, tsvectorBinary, tsvectorLiteral } from '../../src-main/node/pg/pg-tsvector';
import { mulberry32 } from '../bench/prng';
import { syntheticPost } from '../bench/synthetic-post';
import { pgAvailableOrLog, usePgPool } from '../helpers/pg-store';
import { edgeArchive, sharedCorpus } from '../helpers/temp';

const available = pgAvailableOrLog('skip pg-tsvector-binary');

type Fields = [string[], string[], string[]];

/** A file's text as the writer tokenises a post (title, meta, body), without parsing it: tokens are tokens. */
const fieldsOf = (name: string, text: string): Fields => {
  const fts = ftsText({ title: name, text, tags: ['Tag', '标签'], categories: ['news'], description: text.slice(0, 80) });
  return [splitTokens(fts.title), splitTokens(fts.meta), splitTokens(fts.body)];
};

const filesUnder = (dir: string): string[] => (fs.existsSync(dir)
  ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(md|markdown|html)$/.test(f)).map((f) => path.join(dir, f)).sort()
  : []);

describe('the lexemes\' order', () => {
  it('is sort()\'s, for one- and two-character lexemes, longer words sharing their start, and characters past U+FFFF', () => {
    const rng = mulberry32(21);
    const alphabet = ['a', 'b', 'z', '中', '国', '市', '场', '\uE000', '\uFFFF', '𠀀', '😀', '0', "'"];
    for (let round = 0; round < 200; round++) {
      const words = new Set<string>();
      const count = 1 + Math.floor(rng() * 300);
      while (words.size < count) {
        let word = '';
        const length = 1 + Math.floor(rng() * (rng() < 0.8 ? 2 : 8));
        for (let i = 0; i < length; i++) word += alphabet[Math.floor(rng() * alphabet.length)];
        words.add(word);
      }
      expect(inCodeUnitOrder([...words])).toEqual([...words].sort());
    }
  });
});

describe.runIf(available.ok)('binary tsvectors', () => {
  const { pool } = usePgPool({ max: 2 });

  /** The server's text of the binary value and of the literal, for each case that has a binary value. */
  async function compare(cases: [string, Fields][]): Promise<{ binary: number; differ: string[] }> {
    const differ: string[] = [];
    let binary = 0;
    for (const [name, fields] of cases) {
      const value = tsvectorBinary(...fields)?.value;
      if (!value) continue;
      binary++;
      const { rows } = await pool.query<{ same: boolean }>('SELECT $1::tsvector::text = $2::tsvector::text AS same', [value, tsvectorLiteral(...fields).literal]);
      if (!rows[0]!.same) differ.push(name);
    }
    return { binary, differ };
  }

  it('store what the literals store, on real and synthetic posts', async () => {
    const files = [...filesUnder(path.join(sharedCorpus, 'finews-sample')).slice(0, 300), ...filesUnder(path.join(sharedCorpus, 'jekyll-edge-cases')), ...filesUnder(edgeArchive)];
    const cases: [string, Fields][] = files.map((f) => [f, fieldsOf(path.basename(f), fs.readFileSync(f, 'utf8'))]);
    for (let i = 0; i < 100; i++) cases.push([`synthetic ${i}`, fieldsOf(`s${i}`, syntheticPost(42, i).content)]);
    const { binary, differ } = await compare(cases);
    expect(binary).toBeGreaterThan(100);
    expect(differ).toEqual([]);
  });

  it('store what the literals store at the limits', async () => {
    const many = Array.from({ length: BODY_LAST + 40 }, (_, i) => (i % 3 === 0 ? 'x' : `w${i % 5000}`));
    const cases: [string, Fields][] = [
      ['quotes and backslashes', [["it's", 'a\\b', "''"], ['\\'], ['中国', "it's"]]],
      ['past U+FFFF', [['𠀀', '\uE000', '𠀁𠀀', 'z'], ['😀'], ['\uFFFF', '𠀀', 'a']]],
      ['overflow and 256 positions', [['标题'], [], many]],
      ['a long token', [['t'], [], ['x'.repeat(3000), 'y']]],
      ['over 1 MB', [['标题'], [], Array.from({ length: 150_000 }, (_, i) => `word${i}`)]],
      ['empty', [[], [], []]],
    ];
    const { binary, differ } = await compare(cases);
    expect(binary).toBe(cases.length);
    expect(differ).toEqual([]);
    // A token holding U+0000 has no binary form: the writer binds the literal, which leaves the character out.
    expect(tsvectorBinary(['a\0b'], [], [])).toBeUndefined();
  });

  it('are what the writer binds: a Buffer, which node-postgres sends in binary', () => {
    const location = { kind: 'post' as const, folderCategories: [], fileDate: '2024-01-02', fileDateInvalid: null, slug: 'a', format: 'markdown' as const };
    const tsv = (text: string) => postRow(parsePost('_posts/2024-01-02-a.md', Buffer.from(`---\ntitle: 市场\n---\n${text}\n`), location), 10, 0, null)[TSV_COLUMN];
    expect(Buffer.isBuffer(tsv('中国经济增长 and more words'))).toBe(true);
  });
});
