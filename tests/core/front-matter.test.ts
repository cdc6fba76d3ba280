import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import matter from 'gray-matter';
import { parseFrontMatter } from '../../src-main/core/front-matter';
import { cpuTime } from '../helpers/cpu-time';

const markers: string[] = [];
afterEach(() => {
  for (const marker of markers.splice(0)) rmSync(marker, { force: true });
});

let fixtures = 0;

/** A `---<language>` post whose front matter, if evaluated as JavaScript, creates a file no one else uses. */
function executableFixture(language: string): { text: string; marker: string } {
  const marker = path.join(os.tmpdir(), `backfile-fm-${process.pid}-${Date.now()}-${(fixtures += 1)}`);
  markers.push(marker);
  const text = [
    `---${language}`,
    '{',
    '  title: "Executable front matter",',
    `  date: require('fs').writeFileSync(${JSON.stringify(marker)}, 'yes') || '2012-12-12'`,
    '}',
    '---',
    'Body after the script.',
    '',
  ].join('\n');
  return { text, marker };
}

describe('parseFrontMatter: reading', () => {
  it('reads YAML fields and the body after the closing line', () => {
    const result = parseFrontMatter('---\ntitle: "City Hall: a vote"\ncategories: [Politics, Local]\nauthor: Staff\n---\nBody\n');
    expect(result).toEqual({
      data: { title: 'City Hall: a vote', categories: ['Politics', 'Local'], author: 'Staff' },
      body: 'Body\n',
      hasFrontMatter: true,
    });
  });

  it('keeps dates and numbers in text fields as written (YAML 1.2 core schema)', () => {
    const { data } = parseFrontMatter('---\ndate: 2019-03-01 09:15:00 +0100\nday: 2020-01-15\ntitle: 2019\ntags: [1.10, 007]\nweight: 3\n---\n');
    expect(data).toEqual({ date: '2019-03-01 09:15:00 +0100', day: '2020-01-15', title: '2019', tags: ['1.10', '007'], weight: 3 });
    expect(parseFrontMatter('---\ndate:  +0800\n---\n').data.date).toBe('+0800');
  });

  it('accepts a UTF-8 BOM, blank lines before the opening line, and CRLF line endings', () => {
    const crlf = '\uFEFF---\r\ntitle: BOM and CRLF\r\ncategories: [Tech]\r\n---\r\nWindows body.\r\n';
    expect(parseFrontMatter(crlf)).toEqual({ data: { title: 'BOM and CRLF', categories: ['Tech'] }, body: 'Windows body.\r\n', hasFrontMatter: true });
    const blank = '\n  \n---\ntitle: "after a blank line"\n---\n\nBody';
    expect(parseFrontMatter(blank)).toMatchObject({ data: { title: 'after a blank line' }, body: '\nBody', hasFrontMatter: true });
  });

  it('treats text without an opening line as all body', () => {
    expect(parseFrontMatter('Just a body\n---\nwith a rule')).toEqual({ data: {}, body: 'Just a body\n---\nwith a rule', hasFrontMatter: false });
    expect(parseFrontMatter('----\nA rule, not front matter\n---\n')).toMatchObject({ hasFrontMatter: false, data: {} });
    expect(parseFrontMatter('')).toEqual({ data: {}, body: '', hasFrontMatter: false });
  });

  it('reads an empty front matter block as no fields', () => {
    expect(parseFrontMatter('---\n---\nBody')).toEqual({ data: {}, body: 'Body', hasFrontMatter: true });
    expect(parseFrontMatter('---\n# only a comment\n---\nBody')).toEqual({ data: {}, body: 'Body', hasFrontMatter: true });
  });

  it('reads an unclosed opening line as no front matter, with a warning', () => {
    const text = '---\ntitle: never closed\nBody text';
    expect(parseFrontMatter(text)).toEqual({
      data: {},
      body: text,
      hasFrontMatter: false,
      problem: expect.stringMatching(/never closed/),
      problemSeverity: 'warning',
    });
  });

  it('lets the last of duplicate keys win, as Jekyll does', () => {
    expect(parseFrontMatter('---\ntitle: first\ntitle: second\n---\n').data).toEqual({ title: 'second' });
  });

  it('allows JSON front matter through JSON.parse', () => {
    expect(parseFrontMatter('---json\n{"title": "From JSON", "tags": ["a"]}\n---\nBody')).toEqual({
      data: { title: 'From JSON', tags: ['a'] },
      body: 'Body',
      hasFrontMatter: true,
    });
    expect(parseFrontMatter('---json\n{title: nope}\n---\nBody')).toMatchObject({ data: {}, body: 'Body', problemSeverity: 'error' });
  });

  it('does not let a __proto__ key change object prototypes', () => {
    const { data } = parseFrontMatter('---\n__proto__: {polluted: yes}\ntitle: x\n---\n');
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseFrontMatter: broken front matter', () => {
  it('reports invalid YAML with the message and the line in the file, and keeps the body', () => {
    const text = '---\ntitle: "An unterminated quote\ndate: 2013-09-09\ncategories: [broken\n---\nStill readable.\n';
    expect(parseFrontMatter(text)).toEqual({
      data: {},
      body: 'Still readable.\n',
      hasFrontMatter: true,
      problem: 'invalid YAML front matter at line 2: Missing closing "quote',
      problemSeverity: 'error',
    });
  });

  it('counts blank lines before the opening line in the reported line number', () => {
    const result = parseFrontMatter('\n\n---\ntitle: ok\nnested: a: b\n---\nBody');
    expect(result.problem).toBe('invalid YAML front matter at line 5: Nested mappings are not allowed in compact mappings');
    expect(result.body).toBe('Body');
  });

  it('reports a scalar or a list instead of fields', () => {
    expect(parseFrontMatter('---\njust some words\n---\nBody')).toMatchObject({ data: {}, body: 'Body', problem: expect.stringMatching(/single value/) });
    expect(parseFrontMatter('---\n- a\n- b\n---\nBody')).toMatchObject({ data: {}, body: 'Body', problem: expect.stringMatching(/a list/) });
  });

  it('reports the same malformed text every time it is parsed (no cached result)', () => {
    const text = '---\ntitle: [unclosed\n---\nBody';
    const first = parseFrontMatter(text);
    const second = parseFrontMatter(text);
    expect(first.problem).toMatch(/^invalid YAML front matter at line 2/);
    expect(second).toEqual(first);
    // And gray-matter's own cache (filled by calls without options) does not leak into ours.
    expect(() => matter('---\ntitle: ok\n---\nfresh')).not.toThrow();
    expect(parseFrontMatter('---\ntitle: ok\n---\nfresh').data).toEqual({ title: 'ok' });
  });
});

describe('parseFrontMatter: security', () => {
  it('the executable fixture really runs under gray-matter defaults (so the tests below can fail)', () => {
    const { text, marker } = executableFixture('js');
    matter(text, {});
    expect(existsSync(marker)).toBe(true);
  });

  it.each(['js', 'javascript', 'JS', 'JavaScript', ' js'])('never executes ---%s front matter, and reports it', (language) => {
    const { text, marker } = executableFixture(language);
    const result = parseFrontMatter(text);
    expect(existsSync(marker)).toBe(false);
    expect(result).toEqual({
      data: {},
      body: 'Body after the script.\n',
      hasFrontMatter: true,
      problem: `unsupported front matter language '${language.trim()}' (not executed)`,
      problemSeverity: 'error',
    });
  });

  it.each(['coffee', 'coffeescript', 'cson', 'toml', 'constructor', '__proto__', 'toString', 'eval'])(
    'reports ---%s as an unsupported language for this file only',
    (language) => {
      const { text, marker } = executableFixture(language);
      const result = parseFrontMatter(text);
      expect(existsSync(marker)).toBe(false);
      expect(result.problem).toBe(`unsupported front matter language '${language}' (not executed)`);
      expect(result.body).toBe('Body after the script.\n');
    },
  );

  it('rejects a billion-laughs alias bomb quickly', () => {
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    const names = 'abcdefghij';
    for (let i = 1; i < names.length; i++) {
      bomb += `${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]\n`;
    }
    // CPU time, not wall time (a busy machine must not fail it): about 10 ms; expanding the aliases would take far more.
    const { result, ms } = cpuTime(() => parseFrontMatter(`---\n${bomb}---\nBody`));
    expect(ms).toBeLessThan(500);
    expect(result).toMatchObject({ data: {}, body: 'Body', problemSeverity: 'error', problem: expect.stringMatching(/too many aliases/) });
  });

  it('still allows a few ordinary aliases', () => {
    expect(parseFrontMatter('---\nbase: &b [x, y]\ntags: *b\n---\n').data).toEqual({ base: ['x', 'y'], tags: ['x', 'y'] });
  });

  it.each([
    ['flow', `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    ['flow maps', `a: ${'{b: '.repeat(5000)}1${'}'.repeat(5000)}\n`],
    ['compact sequences', `${'- '.repeat(5000)}x\n`],
    ['block indentation', Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + '\n'],
  ])('rejects deep %s nesting (5,000 levels, or as deep as 64 KiB allows) quickly', (_name, yaml) => {
    // CPU time, not wall time: about a millisecond when the depth limit stops the parser early.
    const { result, ms } = cpuTime(() => parseFrontMatter(`---\n${yaml}---\nBody`));
    expect(ms).toBeLessThan(500);
    expect(result).toMatchObject({ data: {}, body: 'Body', problemSeverity: 'error', problem: expect.stringMatching(/nested more than 50 levels/) });
  });

  it('accepts ordinary nesting a few levels deep', () => {
    const { data, problem } = parseFrontMatter('---\nseo:\n  og:\n    image: {url: x, size: [1, 2]}\n---\n');
    expect(problem).toBeUndefined();
    expect(data).toEqual({ seo: { og: { image: { url: 'x', size: [1, 2] } } } });
  });

  it('rejects front matter over 64 KiB', () => {
    const result = parseFrontMatter(`---\ntitle: x\nfiller: "${'x'.repeat(70_000)}"\n---\nBody`);
    expect(result).toMatchObject({ data: {}, body: 'Body', problem: 'front matter is larger than 64 KiB; not read' });
  });

  it('never throws, and the body is always the end of the text', () => {
    const piece = fc.constantFrom('---', '---js', '---\r\n', '\n', 'title: x', ': ', '[', ']', '{', '"', "'", '&a ', '*a', '- ', '  ', '#', '\uFEFF', 'é', '中');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }).map((parts) => parts.join('')), (text) => {
        const result = parseFrontMatter(text);
        expect(text.replace(/^\uFEFF/, '').endsWith(result.body)).toBe(true);
        expect(typeof result.data).toBe('object');
        if (result.problem) expect(result.problemSeverity).toMatch(/^(error|warning)$/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the simple front matter fast path', () => {
  /** Both paths on one text: the fast path (default) must give exactly what the full YAML parser gives. */
  const same = (text: string) => {
    const fast = parseFrontMatter(text);
    const full = parseFrontMatter(text, { fast: false });
    expect(fast).toEqual(full);
    // toEqual ignores a prototype: a `__proto__` key must stay data, never become the object's prototype.
    expect(Object.getPrototypeOf(fast.data)).toBe(Object.prototype);
  };

  it('reads the front matter of real archives as the YAML parser does', () => {
    same('---\nlayout: post\ntitle: "上海：市场同比增长 3.5%"\ndate: 2021-12-08 22:06:00 +0800\ncategories: emnews\ntags: [财经快讯, 宏观新闻]\n---\nBody');
    same("---\ntitle: 'It''s here'\ndate: 2021-12-08\ncategories: [world, asia]\ntags: 股票\npublished: false\n---\n");
    same('---\r\ntitle: CRLF post\r\ndate: 2020-01-01 10:00\r\n---\r\nBody');
    same('---\n# a comment line\ntitle: x\n\nempty:\ntags: []\n---\n');
  });

  it('leaves to the full parser what is not simple: numbers, booleans, nulls, escapes, nesting, comments after values', () => {
    for (const value of ['12', '-3', '1.5', '1e3', '.inf', '0x1f', '0o17', 'true', 'False', 'null', '~', '"a\\"b"', '"a\\u0041"', '&anchor x',
      '*alias', '!tag x', '|', '>', 'a: b', 'x # comment', 'x:', '[a, [b]]', '[a, "b"]', '[1, 2]', '{a: 1}', '- a', '%x', '@x', '`x`']) {
      same(`---\ntitle: ${value}\n---\n`);
    }
    same('---\ntitle: x\n  continued\n---\n');
    same('---\nseo:\n  image: x\n---\n');
    same('---\n__proto__: x\ntitle: y\n---\n');
    same('---\ntrue: x\n---\n');
    same('---\ntitle:\tx\n---\n');
    same('---\ntitle: a\rb\n---\n');
    same('---\ntitle: 😀\n---\n');
    same('---\ntitle: x\ntitle: y\n---\n');
  });

  it('agrees with the full parser on many generated front matters', () => {
    const key = fc.constantFrom('title', 'date', 'tags', 'categories', 'category', 'layout', 'published', 'x_y', 'a-b', 'T1', 'null', 'True', '__proto__', '_k');
    const piece = fc.constantFrom(
      'a', '中文', ' ', '  ', ':', ': ', '#', ' #', '"', "'", "''", '[', ']', ',', ', ', '{', '}', '-', '?', '&', '*', '!', '|', '>', '%', '@', '`',
      '0', '1', '12', '.', '.5', 'e3', '+', 'x', 'true', 'null', '~', '\\', '\t', '\r', '2021-12-08', ' 22:06:00', ' +0800', 'é', '\u00a0', '\u2028', '😀',
    );
    const value = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
    const line = fc.oneof(
      { weight: 8, arbitrary: fc.tuple(key, value).map(([k, v]) => `${k}:${v === '' ? '' : ` ${v}`}`) },
      { weight: 1, arbitrary: fc.constantFrom('', '# note', '  indented: x', '- item', 'no colon', 'k:v') },
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.boolean(), (lines, crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        same(`---${eol}${lines.join(eol)}${eol}---${eol}Body`);
      }),
      { numRuns: 3000 },
    );
  });
});
