import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_TERMS, compileQuery, normalizeName, parseDay, parseQuery } from '../../src-main/core/query';

const noFilters = {
  tags: [], excludeTags: [], categories: [], excludeCategories: [], after: null, before: null, excludeMatch: null,
};

describe('compileQuery: words, phrases, exclusion, OR', () => {
  it('an empty query matches everything and marks nothing', () => {
    for (const q of ['', '   ', undefined, null]) {
      expect(compileQuery(q)).toEqual({ match: null, filters: noFilters, highlight: [] });
    }
  });

  it('ANDs words, each token double-quoted and stemmed', () => {
    expect(compileQuery('Running marathons')).toMatchObject({ match: '"run" AND "marathon"', highlight: ['Running', 'marathons'] });
  });

  it('reads a quoted phrase as consecutive tokens', () => {
    expect(compileQuery('"city hall"').match).toBe('"citi hall"');
    expect(compileQuery('“城市 管理”').match).toBe('"城市 市 管理"');
  });

  it('compiles Chinese by length: 1 → prefix, 2 → bigram, 3+ → phrase of bigrams', () => {
    expect(compileQuery('铁').match).toBe('"铁" *');
    expect(compileQuery('钢铁').match).toBe('"钢铁"');
    expect(compileQuery('零售额').match).toBe('"零售 售额"');
    expect(compileQuery('中国钢铁').match).toBe('"中国 国钢 钢铁"');
    expect(compileQuery('中国 钢铁').match).toBe('"中国" AND "钢铁"');
  });

  it('keeps -word and -"phrase" apart from the wanted words, for the index to NOT them', () => {
    const c = compileQuery('news -sports -"city hall"');
    expect(c).toMatchObject({ match: '"new"', highlight: ['news'] });
    expect(c.filters.excludeMatch).toBe('"sport" OR "citi hall"');
  });

  it('only exclusions: match everything, leave the excluded out', () => {
    const c = compileQuery('-sports -铁');
    expect(c.match).toBeNull();
    expect(c.filters.excludeMatch).toBe('"sport" OR "铁" *');
    expect(c.highlight).toEqual([]);
  });

  it('OR binds tighter than the implicit AND', () => {
    expect(compileQuery('a b OR c d').match).toBe('"a" AND ("b" OR "c") AND "d"');
    expect(compileQuery('a OR b OR c').match).toBe('("a" OR "b" OR "c")');
    expect(parseQuery('a b OR c d').clauses.map((c) => c.terms.length)).toEqual([1, 2, 1]);
  });

  it('title: restricts to the title column, for words and phrases', () => {
    expect(compileQuery('title:run').match).toBe('title : "run"');
    const c = compileQuery('title:"city hall" -title:vote');
    expect([c.match, c.filters.excludeMatch]).toEqual(['title : "citi hall"', 'title : "vote"']);
    expect(compileQuery('title:铁 OR 钢').match).toBe('(title : "铁" * OR "钢" *)');
  });
});

describe('compileQuery: fields', () => {
  it('tag: and category: become normalised filters; quoted values keep their spaces', () => {
    const c = compileQuery('tag:"City  Hall" category:Politics tag:a OR tag:B -tag:x -category:Sports');
    expect(c.match).toBeNull();
    expect(c.filters).toEqual({
      ...noFilters, tags: [['city hall'], ['a', 'b']], categories: [['politics']], excludeTags: ['x'], excludeCategories: ['sports'],
    });
  });

  it('after: is inclusive from the first day of the period, before: exclusive of the period start', () => {
    expect(compileQuery('after:2020').filters).toMatchObject({ after: '2020-01-01', before: null });
    expect(compileQuery('after:2020-6').filters.after).toBe('2020-06-01');
    expect(compileQuery('before:2021-06').filters.before).toBe('2021-06-01');
    expect(compileQuery('before:2021-06-15').filters.before).toBe('2021-06-15');
    // Several bounds: the narrowest range wins.
    expect(compileQuery('after:2019 after:2020-03 before:2022 before:2021').filters).toMatchObject({ after: '2020-03-01', before: '2021-01-01' });
    // Excluding a range is the other bound.
    expect(compileQuery('-after:2020').filters).toMatchObject({ after: null, before: '2020-01-01' });
  });

  it('a bad date is searched as text, with a notice', () => {
    const c = compileQuery('after:2021-02-30');
    expect(c.filters.after).toBeNull();
    expect(c.match).toBe('"after 2021 02 30"');
    expect(c.notice).toMatch(/not a date/);
  });

  it('parseDay accepts YYYY, YYYY-MM and YYYY-MM-DD and refuses impossible dates', () => {
    expect(parseDay('2024')).toBe('2024-01-01');
    expect(parseDay('2024-2-29')).toBe('2024-02-29');
    expect(parseDay('2023-02-29')).toBeNull();
    expect(parseDay('2023-13')).toBeNull();
    expect(parseDay('2023-00-10')).toBeNull();
    expect(parseDay('23-01-01')).toBeNull();
    expect(parseDay('yesterday')).toBeNull();
  });

  it('field names are case-insensitive; unknown fields are plain text', () => {
    expect(compileQuery('Title:run TAG:x').match).toBe('title : "run"');
    expect(compileQuery('body:foo').match).toBe('"bodi foo"');
    expect(compileQuery('constructor:x').match).toBe('"constructor x"');
  });

  it('a field with no value is ignored with a notice', () => {
    const c = compileQuery('tag: run');
    expect(c.match).toBe('"run"');
    expect(c.filters.tags).toEqual([]);
    expect(c.notice).toMatch(/needs a value/);
  });

  it('OR between different kinds is read as AND, with a notice', () => {
    const c = compileQuery('run OR tag:sport');
    expect(c.match).toBe('"run"');
    expect(c.filters.tags).toEqual([['sport']]);
    expect(c.notice).toMatch(/combined with AND/);
  });

  it('normalizeName folds width, case and spacing', () => {
    expect(normalizeName('  Ｃity   HALL ')).toBe('city hall');
  });
});

describe('compileQuery: hostile input', () => {
  it('treats FTS5 syntax typed by the user as plain text', () => {
    const c = compileQuery('NEAR(a b, 3) run* ^start col:x (x OR y) AND NOT z {title}: "a" + "b"');
    // Every token is inside double quotes; nothing the user typed is an operator except OR.
    expect(c.match).toBe('"near a" AND "b" AND "3" AND "run" AND "start" AND "col x" AND ("x" OR "y") AND "and" AND "not" AND "z" AND "titl" AND "a" AND "b"');
  });

  it('an unbalanced quote reads the rest as a phrase, with a notice', () => {
    const c = compileQuery('vote "city hall');
    expect(c.match).toBe('"vote" AND "citi hall"');
    expect(c.notice).toMatch(/not closed/);
  });

  it('a lone "-" and OR at the ends are ignored', () => {
    expect(compileQuery('- run').match).toBe('"run"');
    const c = compileQuery('OR run OR');
    expect(c.match).toBe('"run"');
    expect(c.notice).toMatch(/OR/);
    expect(compileQuery('OR').match).toBeNull();
    const c2 = compileQuery('-run OR walk');
    expect([c2.match, c2.filters.excludeMatch]).toEqual(['"walk"', '"run"']);
  });

  it('punctuation-only terms are ignored with a notice', () => {
    const c = compileQuery('*** () ^');
    expect(c.match).toBeNull();
    expect(c.notice).toMatch(/nothing searchable/);
  });

  it('caps the number of terms and long phrases', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' ');
    const c = compileQuery(words);
    expect(c.match!.split(' AND ')).toHaveLength(MAX_TERMS);
    expect(c.notice).toMatch(/first 32 terms/);
    const long = compileQuery('中'.repeat(10_000));
    expect(long.match!.split(' ')).toHaveLength(64);
    expect(long.notice).toMatch(/shortened/);
  });

  it('never throws, and never leaves a double quote unpaired or user text outside quotes', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '"', '-', ':', '*', '(', ')', '^', 'OR', 'tag', 'title', '中', '国', '“', '”', '\u3000', '\\', "'") , maxLength: 60 }), (q) => {
        const c = compileQuery(q);
        for (const expr of [c.match, c.filters.excludeMatch]) {
          if (expr === null) continue;
          // Remove the quoted strings: what remains may only be our own operators, parentheses, * and column filters.
          const outside = expr.replace(/"(?:[^"]|"")*"/g, '');
          expect(outside).toMatch(/^(?:\s|\(|\)|\*|AND|OR|NOT|title :)*$/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
