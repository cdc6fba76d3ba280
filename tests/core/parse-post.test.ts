import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dateInstant } from '../../src-main/core/dates';
import { parsePost } from '../../src-main/core/parse-post';
import { locatePost } from '../../src-main/core/post-path';
import { renderBody } from '../../src-main/core/render';
import type { ParsedPost } from '../../src-main/core/types';

const archive = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/edge-archive');

interface ExpectedPost {
  kind: 'post' | 'draft';
  title: string;
  date: string | null;
  instant: string | null;
  year: number | null;
  month: number | null;
  categories: string[];
  tags: string[];
  meta?: Record<string, unknown>;
  published: boolean;
  draft: boolean;
  hidden: boolean;
  format: 'markdown' | 'html';
  encoding: string;
  problem: { severity: 'error' | 'warning'; contains: string } | null;
  search: string[];
  text?: { includes?: string[]; excludes?: string[] };
  html?: { includes?: string[]; excludes?: string[] };
}
interface Expected {
  shown: number;
  hidden: number;
  notPosts: string[];
  posts: Record<string, ExpectedPost>;
}

const expected = JSON.parse(readFileSync(path.join(archive, 'EXPECTED.json'), 'utf8')) as Expected;

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

const parse = (relPath: string, bytes: Uint8Array | string, layout: 'jekyll' | 'flat' = 'jekyll', maxBodyBytes?: number) =>
  parsePost(relPath, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes, locatePost(relPath, layout), { maxBodyBytes });

describe('the edge-case archive (tests/fixtures/edge-archive) matches EXPECTED.json', () => {
  const jsMarker = path.join(os.tmpdir(), 'backfile-edge-archive-js-executed');
  rmSync(jsMarker, { force: true });
  const files = listFiles(archive).sort();
  const parsed = new Map<string, ParsedPost>();
  for (const file of files) {
    const location = locatePost(file, 'jekyll');
    if (location.kind !== 'other') parsed.set(file, parsePost(file, readFileSync(path.join(archive, file)), location));
  }

  it('finds exactly the expected posts, and nothing else', () => {
    expect([...parsed.keys()].sort()).toEqual(Object.keys(expected.posts).sort());
    expect(files.filter((file) => !parsed.has(file)).sort()).toEqual([...expected.notPosts].sort());
    const hidden = [...parsed.values()].filter((post) => !post.published || post.draft).length;
    expect({ shown: parsed.size - hidden, hidden }).toEqual({ shown: expected.shown, hidden: expected.hidden });
  });

  it('never executes the ---js front matter', () => {
    expect(existsSync(jsMarker)).toBe(false);
  });

  for (const [file, want] of Object.entries(expected.posts)) {
    it(file, () => {
      const post = parsed.get(file);
      expect(post, `${file} was not read as a post`).toBeDefined();
      if (!post) return;
      expect(locatePost(file, 'jekyll').kind).toBe(want.kind);
      expect({
        title: post.title,
        date: post.date,
        instant: dateInstant(post.date),
        year: post.year,
        month: post.month,
        categories: post.categories,
        tags: post.tags,
        published: post.published,
        draft: post.draft,
        hidden: !post.published || post.draft,
        format: post.format,
        encoding: post.encoding,
      }).toEqual({
        title: want.title,
        date: want.date,
        instant: want.instant,
        year: want.year,
        month: want.month,
        categories: want.categories,
        tags: want.tags,
        published: want.published,
        draft: want.draft,
        hidden: want.hidden,
        format: want.format,
        encoding: want.encoding,
      });
      if (want.meta) expect(post.meta).toMatchObject(want.meta);
      if (want.problem === null) {
        expect(post.problems).toEqual([]);
      } else {
        expect(post.problems).toHaveLength(1);
        expect(post.problems[0]).toMatchObject({ path: file, severity: want.problem.severity });
        expect(post.problems[0]?.message).toContain(want.problem.contains);
      }
      const searchable = `${post.title}\n${post.text}`.toLowerCase();
      for (const word of want.search) expect(searchable).toContain(word.toLowerCase());
      expect(post.text).not.toMatch(/[\uFFFD\uE000-\uF8FF]/);
      for (const piece of want.text?.includes ?? []) expect(post.text).toContain(piece);
      for (const piece of want.text?.excludes ?? []) expect(post.text).not.toContain(piece);
      const html = renderBody(post.body, post.format, { postPath: file }).html;
      for (const piece of want.html?.includes ?? []) expect(html).toContain(piece);
      for (const piece of want.html?.excludes ?? []) expect(html).not.toContain(piece);
    });
  }
});

describe('parsePost: fields', () => {
  it('takes the front matter date over the file name, and reports a bad one before falling back', () => {
    expect(parse('_posts/2020-01-01-x.md', '---\ndate: 2020-02-02 10:00:00 +0800\n---\n').date).toBe('2020-02-02T10:00:00+08:00');
    const bad = parse('_posts/2020-01-01-x.md', '---\ndate: 2020-02-30\n---\nBody');
    expect(bad.date).toBe('2020-01-01');
    expect(bad.problems).toEqual([
      { path: '_posts/2020-01-01-x.md', severity: 'warning', message: "date '2020-02-30' does not exist; using the date in the file name (2020-01-01)" },
    ]);
    const noDay = parse('-202205262391921712.md', '---\ndate:  +0800\n---\nBody', 'flat');
    expect(noDay).toMatchObject({ date: null, year: null, month: null });
    expect(noDay.problems[0]).toMatchObject({ severity: 'warning', message: "date '+0800' has no day, only a time zone; shown as undated" });
  });

  it('reads categories and tags as lists, space-separated strings, numbers; trimmed and de-duplicated in order', () => {
    const post = parse(
      'news/local/_posts/2020-01-01-x.md',
      '---\ncategories: local  Politics local\ncategory: Hong Kong\ntags: 2019\ntag: [" city hall ", "", 2019, true]\n---\n',
    );
    expect(post.categories).toEqual(['news', 'local', 'Politics', 'Hong Kong']);
    expect(post.tags).toEqual(['2019', 'city hall', 'true']);
    expect(parse('_posts/x.md', '---\ntags: trade agriculture\n---\n').tags).toEqual(['trade', 'agriculture']);
    expect(parse('_posts/x.md', '---\ntags: [election, "city hall"]\ncategories: [[a, b], c]\n---\n')).toMatchObject({
      tags: ['election', 'city hall'],
      categories: ['a', 'b', 'c'],
    });
    expect(parse('_posts/x.md', '---\ntags: {a: 1}\ncategories: null\n---\n')).toMatchObject({ tags: [], categories: [] });
  });

  it('hides published: false in the spellings Jekyll reads as false', () => {
    for (const value of ['false', '"false"', 'no', 'off', 'NO']) {
      expect(parse('_posts/x.md', `---\npublished: ${value}\n---\n`).published, value).toBe(false);
    }
    for (const value of ['true', 'yes', '"draft"', '~']) {
      expect(parse('_posts/x.md', `---\npublished: ${value}\n---\n`).published, value).toBe(true);
    }
  });

  it('falls back from an empty title to the first line of the text, then to the file name', () => {
    expect(parse('_posts/2020-01-01-slug-name.md', '---\ntitle: ""\n---\n\n> **First** line\n\nSecond').title).toBe('First line');
    expect(parse('_posts/2020-01-01-slug-name.md', '---\ntitle: 2019\n---\n').title).toBe('2019');
    expect(parse('_posts/2020-01-01-slug-name.md', '---\ntitle: "  spaced\n  out  "\n---\n').title).toBe('spaced out');
    expect(parse('_posts/2020-01-01-slug-name.md', '---\nlayout: post\n---\n').title).toBe('slug name');
    const long = parse('_posts/x.md', `---\ntitle:\n---\n${'长'.repeat(100)}`).title;
    expect(Array.from(long)).toHaveLength(30); // one line: 29 CJK characters and the ellipsis
    expect(long.endsWith('…')).toBe(true);
  });

  it('gives an untitled post its first sentence, cut to one line and marked with "…", never a paragraph (issue 11, item 10)', () => {
    const paragraph =
      '记者从省商务厅获悉，今年一季度山东实现网络零售额294.1亿元，同比增长12.2%。其中实物商品网络零售额占社会消费品零售总额的比重继续提高，' +
      '农村网络零售额增长较快，跨境电商进出口保持较快增长，平台企业带动作用明显，消费新业态新模式持续涌现。';
    const cjk = parse('_posts/2022-05-15-202205152379572893.md', `---
tags: [a]
---
${paragraph}

第二段`).title;
    expect(cjk).toBe('记者从省商务厅获悉，今年一季度山东实现网络零售额294.1亿元…');
    const english = parse('_posts/x.md', 'The council met on Tuesday. It postponed the vote on the budget until next month.').title;
    expect(english).toBe('The council met on Tuesday…');
    const longSentence = parse('_posts/x.md', `${'word '.repeat(40)}end.`).title;
    expect(longSentence.length).toBeLessThanOrEqual(60);
    expect(longSentence.endsWith('…')).toBe(true);
    // A short first line of one sentence is taken as the heading it is.
    expect(parse('_posts/x.md', '美联储宣布加息25个基点\n\n正文').title).toBe('美联储宣布加息25个基点');
  });

  it('takes the title from the file name when the front matter is broken, not from the body', () => {
    const post = parse('_posts/2013-09-09-bad-yaml.md', '---\ntitle: [x\n---\nA body line that is not a title.');
    expect(post.title).toBe('bad yaml');
    expect(post.date).toBe('2013-09-09');
    expect(post.text).toContain('A body line that is not a title.');
    expect(post.problems[0]?.severity).toBe('error');
  });

  it('makes a short plain excerpt and passes the source link through', () => {
    const post = parse('_posts/x.md', `---\ntitle: t\n---\n# Head\n\n${'word '.repeat(100)}\n\n<http://example.com/news/1.html>\n`);
    expect(Array.from(post.excerpt).length).toBeLessThanOrEqual(160);
    expect(post.excerpt.startsWith('Head word word')).toBe(true);
    expect(post.excerpt).not.toMatch(/\s{2}|\n/);
    expect(post.source).toBe('http://example.com/news/1.html');
  });

  it('reads the finews blank-line-before-front-matter file', () => {
    const post = parse('2021-12-08-1.md', '\n---\nlayout: post\ntitle: "FF：有充足的现金"\ndate: 2021-12-08 10:18:31\ncategories: emnews\n---\n\n正文', 'flat');
    expect(post).toMatchObject({ title: 'FF：有充足的现金', date: '2021-12-08T10:18:31', categories: ['emnews'], problems: [] });
  });
});

describe('parsePost: hostile and damaged files', () => {
  const gbk = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
  const ascii = (text: string) => Uint8Array.from(Buffer.from(text, 'latin1'));
  const join = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

  it('reads a GBK post with and without the GB18030 byte-order mark', () => {
    // 'title: 旧闻\n---\n中文新闻' in GBK
    const body = join(ascii('---\ntitle: '), gbk('bec9cec5'), ascii('\ncategories: ['), gbk('b5b5b0b8'), ascii(']\n---\n'), gbk('d6d0cec4d0c2cec5'));
    for (const bytes of [body, join(gbk('84319533'), body)]) {
      const post = parse('_posts/2014-08-08-gbk.md', bytes);
      expect(post).toMatchObject({ title: '旧闻', categories: ['档案'], text: '中文新闻', encoding: 'gb18030', problems: [] });
    }
  });

  it('reads UTF-16 posts in both byte orders', () => {
    const text = '---\ntitle: 双字节\ntags: [a]\n---\n正文';
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const [bytes, encoding] of [[le, 'utf-16le'], [be, 'utf-16be'], [Buffer.concat([Buffer.from([0xff, 0xfe]), le]), 'utf-16le']] as const) {
      expect(parse('_posts/x.md', Uint8Array.from(bytes))).toMatchObject({ title: '双字节', tags: ['a'], text: '正文', encoding, problems: [] });
    }
  });

  it('keeps an implausible GB18030 guess out of titles, trees and the index, with an error', () => {
    // Big5 bytes of a traditional-Chinese sentence, as the title and the body.
    const big5 = gbk('a4a4b5d8a5c1b0eaaabab8eaaec6ae77b8cca6b3b35ca668c2c2b3f8afc8bb50c2f8bb78c0c9aed7a143');
    const post = parse('old/_posts/2010-01-01-big5-post.md', join(ascii('---\ntitle: '), big5, ascii('\ntags: ['), big5, ascii(']\n---\n'), big5));
    expect(post).toMatchObject({ title: 'big5 post', categories: ['old'], tags: [], text: '', excerpt: '', date: '2010-01-01' });
    expect(post.problems).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/^encoding uncertain/) })]);
  });

  it('reports binary content named .md, without text', () => {
    const png = readFileSync(path.join(archive, 'assets/images/chart.png'));
    const post = parse('_posts/2020-01-01-picture.md', png);
    expect(post).toMatchObject({ title: 'picture', text: '', body: '', date: '2020-01-01' });
    expect(post.problems).toEqual([{ path: '_posts/2020-01-01-picture.md', severity: 'error', message: 'binary file, not a post' }]);
  });

  it('keeps a 0-byte file as an empty post with a warning', () => {
    const post = parse('_posts/2020-01-01-nothing.md', new Uint8Array());
    expect(post).toMatchObject({ title: 'nothing', text: '', excerpt: '', date: '2020-01-01', published: true });
    expect(post.problems).toEqual([{ path: '_posts/2020-01-01-nothing.md', severity: 'warning', message: 'empty file' }]);
  });

  it('cuts a huge one-line body, on a character boundary, with a warning', () => {
    const small = parse('_posts/x.md', `---\ntitle: Big\n---\n${'中文'.repeat(50_000)}`, 'jekyll', 1000);
    expect(small.body).toBe('中文'.repeat(166) + '中'); // 333 characters of 3 bytes = 999 bytes
    expect(small.problems).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/larger than 1000 bytes/) })]);

    const huge = parse('_posts/x.md', `---\ntitle: Huge\n---\n${'word '.repeat(1_000_000)}`);
    expect(huge.title).toBe('Huge');
    expect(huge.body.length).toBe(4 * 1024 * 1024);
    expect(huge.problems).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/larger than 4 MiB/) })]);
  });

  it('reports a malformed file each time it is read', () => {
    const bytes = new TextEncoder().encode('---\ntitle: [x\n---\nBody');
    expect(parse('_posts/a.md', bytes).problems).toHaveLength(1);
    expect(parse('_posts/a.md', bytes).problems).toHaveLength(1);
  });

  it('never throws, whatever the bytes and the location', () => {
    const piece = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.constantFrom('---\n', '---js\n', 'title: x\n', 'date: 2021-02-30\n', 'tags: [a, b\n', '\uFEFF', '{% x %}', '<script>', '\r\n').map((s) => new TextEncoder().encode(s)),
    );
    const relPath = fc.constantFrom('_posts/2020-01-01-a.md', '_drafts/b.html', 'c/_posts/2021-02-30-c.markdown', '-1.md');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), relPath, (parts, file) => {
        const post = parse(file, Uint8Array.from(parts.flatMap((part) => [...part])), file === '-1.md' ? 'flat' : 'jekyll');
        expect(typeof post.title).toBe('string');
        expect(post.title.length).toBeGreaterThan(0);
        for (const problem of post.problems) expect(problem.path).toBe(file);
      }),
      { numRuns: 300 },
    );
  });
});
