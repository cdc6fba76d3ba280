import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src-main/core/query';
import { NO_MATCH, ftsToTsquery, ftsTokenCount, pgWhere, planPgList, tsLexeme, type PgPlanTools } from '../../src-main/core/pg-query';
import { FACET, categoryKey, dateKey } from '../../src-main/node/index/list';

const tools: PgPlanTools = { facet: FACET, categoryKey, dateKey };
const plan = (query: string, q: Parameters<typeof planPgList>[0] = {}) => planPgList({ ...q, query }, compileQuery(query), tools);
const where = (query: string, q: Parameters<typeof planPgList>[0] = {}, part: 'all' | 'title' | 'rest' = 'all') => {
  const params: unknown[] = [];
  return { sql: pgWhere(plan(query, q), params, part), params };
};
const words = (query: string): string | null => plan(query).match;

describe('pg-query: the words as tsquery text', () => {
  it('ANDs words and writes every token as a quoted lexeme', () => {
    expect(words('Running marathons')).toBe("('run' & 'marathon')");
    expect(words('钢铁')).toBe("'钢铁'");
  });

  it('a phrase is its tokens at consecutive positions; a longer CJK word is the phrase of its bigrams', () => {
    expect(words('"city hall"')).toBe("('citi' <-> 'hall')");
    expect(words('钢材价格')).toBe("('钢材' <-> '材价' <-> '价格')");
  });

  it('a one-character CJK word is a prefix query, also at the end of a phrase', () => {
    expect(words('铁')).toBe("'铁':*");
    expect(words('"中国 铁"')).toBe("('中国' <-> '国' <-> '铁':*)");
  });

  it('OR groups, exclusions apart from the words, title: as weight A', () => {
    expect(words('钢铁 OR 煤炭 市场')).toBe("(('钢铁' | '煤炭') & '市场')");
    expect(words('title:央行')).toBe("'央行':A");
    expect(words('title:"city hall"')).toBe("('citi':A <-> 'hall':A)");
    expect(words('title:铁')).toBe("'铁':*A");
    const p = plan('市场 -股票 -"city hall"');
    expect(p.match).toBe("'市场'");
    expect(p.exclude).toBe("('股票' | ('citi' <-> 'hall'))");
  });

  it('titleMatch puts every word of the match in the title', () => {
    expect(plan('钢铁 OR 煤炭 铁').titleMatch).toBe("(('钢铁':A | '煤炭':A) & '铁':*A)");
  });

  it('quotes and backslashes in tokens are escaped; FTS5 operators typed by the user stay plain text', () => {
    expect(tsLexeme("o'brien\\x")).toBe("'o''brien\\\\x'");
    expect(ftsToTsquery('"a""b"')).toBe("'a\"b'");
    // Longer than a lexeme may be: no post holds it (the writer leaves such tokens out).
    expect(words('x'.repeat(2048))).toBe(`'${NO_MATCH}'`);
    expect(words('x'.repeat(2047))).toBe(`'${'x'.repeat(2047)}'`);
    expect(words('NEAR body: x* ^y')).toBe("('near' & 'bodi' & 'x' & 'y')");
  });

  it('reads FTS5 precedence (NOT, then AND, then OR) when translating an expression', () => {
    expect(ftsToTsquery('"a" OR "b" AND "c" NOT "d"')).toBe("('a' | ('b' & ('c' & !'d')))");
    expect(() => ftsToTsquery('"a" AND')).toThrow();
    expect(() => ftsToTsquery('a')).toThrow();
  });

  it('no words: no match', () => {
    expect(plan('').match).toBeNull();
    expect(plan('tag:x').titleMatch).toBeNull();
    expect(plan('"!!"').match).toBeNull();
  });

  it('counts tokens as store.ts does', () => {
    expect(ftsTokenCount(compileQuery('钢材价格 OR 铁').match!)).toBe(4);
  });
});

describe('pg-query: filters and the WHERE clause', () => {
  it('a bare listing leaves the hidden posts out and nothing else', () => {
    expect(where('')).toEqual({ sql: 'NOT (facets && $1::text[])', params: [[FACET.hidden]] });
    expect(where('', { includeHidden: true })).toEqual({ sql: 'TRUE', params: [] });
  });

  it('tree selections, tags (all and any), tag:/category: groups and their exclusions become facet tests', () => {
    const { sql, params } = where('钢铁 tag:A OR tag:b category:news -tag:c -category:d', {
      category: ['Finance', 'Steel'], year: 2020, month: 3, tags: ['X', 'y'], tagMode: 'any', includeHidden: false,
    });
    expect(sql).toBe("tsv @@ $1::tsquery AND facets @> $2::text[] AND facets && $3::text[] AND facets && $4::text[] AND NOT (facets && $5::text[])");
    expect(params).toEqual([
      "'钢铁'",
      [FACET.subtree(categoryKey(['Finance', 'Steel'])), FACET.month(2020, 3), FACET.category('news')],
      [FACET.tag('x'), FACET.tag('y')],
      [FACET.tag('a'), FACET.tag('b')],
      [FACET.hidden, FACET.tag('c'), FACET.category('d')],
    ]);
  });

  it('null selections pick the uncategorised, untagged and undated posts; tags default to all', () => {
    const { params } = where('', { category: null, tag: null, year: null, includeHidden: true });
    expect(params).toEqual([[FACET.uncategorised, FACET.untagged, FACET.undated]]);
    expect(where('', { tags: ['a', 'B', 'a'], includeHidden: true }).params).toEqual([[FACET.tag('a'), FACET.tag('b')]]);
    expect(where('', { year: 2021, includeHidden: true }).params).toEqual([[FACET.year(2021)]]);
  });

  it('after:/before: are the date keys of the SQLite store\'s rowid range: undated never qualifies', () => {
    expect(where('after:2020-06', { includeHidden: true })).toEqual({ sql: 'date_key >= $1', params: [dateKey('2020-06-01')] });
    expect(where('before:2021', { includeHidden: true })).toEqual({ sql: 'date_key >= $1 AND date_key < $2', params: [1, dateKey('2021-01-01')] });
    expect(where('after:2020 before:2020-03-02', { includeHidden: true }).params).toEqual([dateKey('2020-01-01'), dateKey('2020-03-02')]);
    // A post late on the day before `before:` is in; one at 00:00 on that day is not.
    const before = dateKey('2021-01-01');
    expect(dateKey('2020-12-31 23:59')).toBeLessThan(before);
    expect(dateKey('2021-01-01 00:00')).toBe(before);
  });

  it('excluded words are a NOT over the tsvector; the title and rest parts split the hits for relevance', () => {
    expect(where('钢铁 -股票', { includeHidden: true })).toEqual({
      sql: 'tsv @@ $1::tsquery AND NOT (tsv @@ $2::tsquery)', params: ["'钢铁'", "'股票'"],
    });
    expect(where('钢铁', { includeHidden: true }, 'title')).toEqual({ sql: "ts_filter(tsv, '{a}') @@ $1::tsquery", params: ["'钢铁'"] });
    expect(where('钢铁', { includeHidden: true }, 'rest')).toEqual({
      sql: "tsv @@ $1::tsquery AND NOT (ts_filter(tsv, '{a}') @@ $2::tsquery)", params: ["'钢铁'", "'钢铁'"],
    });
    expect(() => where('', {}, 'title')).toThrow();
  });

  it('numbers its parameters after those already given and prefixes the columns with an alias', () => {
    const params: unknown[] = ['x'];
    expect(pgWhere(plan('钢铁', { includeHidden: true }), params, 'all', 'p')).toBe('p.tsv @@ $2::tsquery');
    expect(params).toEqual(['x', "'钢铁'"]);
  });

  it('every query of the search tests compiles without throwing', () => {
    for (const q of ['钢铁 市场', '"钢材价格"', '"city hall"', '市场 -股票', '钢铁 OR 煤炭', 'title:央行', 'tag:东财滚动新闻',
      'tag:"city hall"', 'category:emnews', '-category:x', 'after:2020-01-01', 'before:2021-06', 'is:starred 钢铁', 'label:"two words"',
      '-"exact phrase"', 'OR a OR', '" unclosed', '(a OR b)', 'x -', 'after:2020-13', 'title:', '铁 OR 钢 -中 title:"a b" OR title:c']) {
      expect(() => plan(q)).not.toThrow();
    }
  });
});
