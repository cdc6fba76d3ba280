import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedPost } from '../../src-main/core/types';
import { IndexStore, IndexUnusableError } from '../../src-main/node/index/store';
import type { IndexBatch } from '../../src-main/node/index/store';
import { unpackText } from '../../src-main/node/index/write';

/** A ParsedPost by hand (parse-post.ts is written elsewhere; this test must not depend on it). */
function post(path: string, fields: Partial<ParsedPost> = {}): ParsedPost {
  const date = fields.date === undefined ? '2020-01-15' : fields.date;
  const text = fields.text ?? '';
  return {
    path, title: path.replace(/^.*\//, '').replace(/\.\w+$/, ''), date,
    year: date ? Number(date.slice(0, 4)) : null, month: date ? Number(date.slice(5, 7)) : null,
    categories: [], tags: [], published: true, draft: false, format: 'markdown', meta: {}, body: text, html: '', text,
    hasRemoteContent: false, excerpt: text.slice(0, 60), source: null, encoding: 'utf-8', problems: [], ...fields,
  };
}

/** The jekyll-edge-cases archive, as the parser is expected to read it (see its EXPECTED.md). */
const EDGE = [
  post('_posts/2019-03-01-list-categories.md', {
    title: "City Hall: the vote that wasn't", date: '2019-03-01T09:15:00+01:00', categories: ['Politics', 'Local'],
    tags: ['election', 'city hall'], text: 'The council postponed the vote again. Running totals are in the spreadsheet. Reporters ran the numbers twice; the runner-up district runs a deficit.',
  }),
  post('world/asia/_posts/2020-01-15-folder-categories.markdown', {
    title: 'Rice exports', date: '2020-01-15', categories: ['world', 'asia', 'economy'], tags: ['trade', 'agriculture'],
    text: 'Rice exports rose sharply this year.',
  }),
  post('_posts/2018-07-04-published-false.md', { title: 'Unpublished piece', date: '2018-07-04', published: false, text: 'Secret marathon plans.' }),
  post('_drafts/undated-draft.md', { title: 'Undated draft', date: null, draft: true, text: 'A draft about the marathon.' }),
  post('_posts/2021-02-30-impossible-date.md', {
    title: 'impossible-date', date: null, text: 'The file name says February 30th.',
    problems: [{ path: '_posts/2021-02-30-impossible-date.md', message: 'The date 2021-02-30 in the file name does not exist.', severity: 'warning' }],
  }),
  post('_posts/2017-11-11-html-post.html', {
    title: '双十一销售额创新高', date: '2017-11-11T23:59:59+08:00', categories: ['商业', '电商'], tags: ['双十一', '零售'],
    format: 'html', text: '午夜战报 全天网络零售额再创新高。原文 平台 成交额 甲 1000亿',
  }),
  post('_posts/2016-05-05-liquid-tags.md', { title: 'Liquid tags', date: '2016-05-05', text: 'def hello puts "hi" end' }),
  post('_posts/2015-01-01-bom-crlf.md', { title: 'BOM and CRLF', date: '2015-01-01', categories: ['Misc'], text: 'Line endings from Windows.' }),
  post('_posts/2014-08-08-gbk-encoded.md', { title: '旧编码的文章', date: '2014-08-08', encoding: 'gb18030', text: '这篇文章用GBK编码保存。' }),
  post('_posts/2013-09-09-bad-yaml.md', {
    title: 'bad-yaml', date: '2013-09-09', text: 'The body is still readable.',
    problems: [{ path: '_posts/2013-09-09-bad-yaml.md', message: 'Invalid YAML at line 3.', severity: 'error' }],
  }),
  post('_posts/2012-12-12-js-front-matter.md', {
    title: 'js-front-matter', date: '2012-12-12', text: 'Never executed.',
    problems: [{ path: '_posts/2012-12-12-js-front-matter.md', message: 'Unsupported front matter (---js).', severity: 'error' }],
  }),
  post('_posts/2024-04-01-hostile-html.md', { title: 'Hostile HTML', date: '2024-04-01', text: 'A chart and a tracking pixel.' }),
  post('_posts/2020-12-31-timezone.md', { title: 'New Year countdown', date: '2020-12-31T23:30:00-05:00', year: 2020, month: 12, text: 'Fireworks at midnight.' }),
  post('_posts/2023-03-03-english-stemming.md', {
    title: 'Runners run the city marathon', date: '2023-03-03T07:00:00', categories: ['Sports'], tags: ['marathon', 'running'],
    text: 'Thousands of runners ran through the old town. The organisers said running the race in March was a gamble.',
  }),
];

const batch = (posts: ParsedPost[], more: Partial<IndexBatch> = {}): IndexBatch => ({
  upserts: posts.map((p) => ({ post: p, size: p.text.length, mtimeMs: 1000, hash: `h-${p.path}` })), failures: [], deletions: [], ...more,
});

let dir: string;
let file: string;
let store: IndexStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'backfile-index-'));
  file = join(dir, 'index.sqlite');
  store = IndexStore.open(file);
  store.applyBatch(batch(EDGE));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const short = (path: string): string => path.replace(/^.*\/(\d{4}-\d\d-\d\d-)?/, '').replace(/\.\w+$/, '');
const find = (query: string, extra: object = {}): string[] => store.list({ query, limit: 500, ...extra }).items.map((i) => short(i.path));

describe('listing and sorting', () => {
  it('lists the 12 shown posts by date, newest first, undated last; hidden ones on request', () => {
    const all = store.list({});
    expect(all.total).toBe(12);
    expect(all.items.map((i) => short(i.path))).toEqual([
      'hostile-html', 'english-stemming', 'timezone', 'folder-categories', 'list-categories', 'html-post', 'liquid-tags',
      'bom-crlf', 'gbk-encoded', 'bad-yaml', 'js-front-matter', 'impossible-date',
    ]);
    const withHidden = store.list({ includeHidden: true });
    expect(withHidden.total).toBe(14);
    expect(withHidden.items.slice(-2).map((i) => short(i.path)).sort()).toEqual(['impossible-date', 'undated-draft']);
    expect(withHidden.items.find((i) => short(i.path) === 'published-false')!.hidden).toBe(true);
  });

  it('pages without gaps or repeats, with the total of all matches', () => {
    const pages = [0, 5, 10].map((offset) => store.list({ offset, limit: 5 }));
    expect(pages.map((p) => p.total)).toEqual([12, 12, 12]);
    expect(pages.map((p) => p.items.length)).toEqual([5, 5, 2]);
    const paths = pages.flatMap((p) => p.items.map((i) => i.path));
    expect(new Set(paths).size).toBe(12);
    expect(paths).toEqual(store.list({}).items.map((i) => i.path));
    expect(store.list({ offset: 50 }).items).toEqual([]);
  });

  it('clamps untrusted paging values', () => {
    expect(store.list({ limit: 0 }).items).toHaveLength(1);
    expect(store.list({ limit: -3, offset: -10 }).items).toHaveLength(1);
    expect(store.list({ limit: Number.NaN }).items).toHaveLength(12);
    expect(store.list({ limit: 1e9 }).items).toHaveLength(12);
  });

  it('sorts by relevance (title hits weigh more) or by date', () => {
    expect(find('marathon')).toEqual(['english-stemming']);
    expect(find('run', { sort: 'relevance' })[0]).toBe('english-stemming');
    expect(find('run', { sort: 'date' })).toEqual(['english-stemming', 'list-categories']);
    // "vote" is in the title and body of list-categories only.
    store.applyBatch(batch([post('_posts/2025-01-01-vote.md', { title: 'Weather', date: '2025-01-01', text: 'A vote on umbrellas.' })]));
    expect(find('vote', { sort: 'relevance' })).toEqual(['list-categories', 'vote']);
    expect(find('vote', { sort: 'date' })).toEqual(['vote', 'list-categories']);
  });

  it('sorts oldest first: dated posts ascending, undated still last, paged without gaps or repeats', () => {
    const newest = store.list({ limit: 500, includeHidden: true }).items.map((i) => short(i.path));
    const oldest = find('', { sort: 'oldest', includeHidden: true });
    const dated = newest.filter((p) => !['impossible-date', 'undated-draft'].includes(p));
    expect(oldest.slice(0, dated.length)).toEqual([...dated].reverse());
    expect(oldest.slice(dated.length).sort()).toEqual(['impossible-date', 'undated-draft']);
    // Pages of 3 across the dated/undated boundary give the same order.
    const paged: string[] = [];
    for (let offset = 0; offset < oldest.length; offset += 3) {
      paged.push(...store.list({ sort: 'oldest', includeHidden: true, offset, limit: 3 }).items.map((i) => short(i.path)));
    }
    expect(paged).toEqual(oldest);
    expect(find('run', { sort: 'oldest' })).toEqual(['list-categories', 'english-stemming']);
    expect(find('after:2020 before:2021', { sort: 'oldest' })).toEqual(['folder-categories', 'timezone']);
  });

  it('above the rank limit, puts title matches first (ranked while few enough), then the rest newest first', () => {
    store.applyBatch(batch([
      post('_posts/a.md', { title: 'Gamma', date: '2010-01-01', text: 'river river river' }),
      post('_posts/b.md', { title: 'River', date: '2011-01-01', text: 'plain' }),
      post('_posts/c.md', { title: 'River river river', date: '2009-01-01', text: 'plain' }),
      post('_posts/d.md', { title: 'Delta', date: '2012-01-01', text: 'a river' }),
      post('_posts/e.md', { title: 'Hidden river', date: '2013-01-01', text: 'x', published: false }),
    ]));
    const all = find('river', { sort: 'relevance' });
    expect(all.slice(0, 2).sort()).toEqual(['b', 'c']);
    expect(all.slice(2)).toEqual(['a', 'd']); // bm25: three body hits in a short text beat one
    store.close();
    for (const rankLimit of [2, 1]) {
      store = IndexStore.open(file, { rankLimit });
      // Title hits: ranked with limit 2 (c has "river" three times), newest first with limit 1.
      expect(find('river')).toEqual(rankLimit === 2 ? ['c', 'b', 'd', 'a'] : ['b', 'c', 'd', 'a']);
      expect(store.list({ query: 'river' }).total).toBe(4);
      // Paging across the two tiers.
      const pages = [0, 1, 2, 3, 4].map((offset) => store.list({ query: 'river', offset, limit: 1 }).items.map((i) => short(i.path)));
      expect(pages.flat()).toEqual(find('river'));
      expect(store.list({ query: 'river', offset: 1, limit: 2 }).items.map((i) => short(i.path))).toEqual(find('river').slice(1, 3));
      // Three title hits are more than either limit: newest first.
      expect(find('river -gamma', { includeHidden: true })).toEqual(['e', 'b', 'c', 'd']);
      store.close();
    }
    store = IndexStore.open(file);
  });

  it('returns summaries with snippets marking the matches', () => {
    const [hit] = store.list({ query: 'run' }).items;
    expect(hit).toMatchObject({
      path: '_posts/2023-03-03-english-stemming.md', title: 'Runners run the city marathon', date: '2023-03-03T07:00:00',
      categories: ['Sports'], tags: ['marathon', 'running'], hidden: false,
    });
    expect(hit!.snippet).toContain('<mark>ran</mark>');
    expect(hit!.snippet).toContain('<mark>running</mark>');
    expect(store.list({ query: '零售' }).items[0]!.snippet).toBe('午夜战报 全天网络<mark>零售</mark>额再创新高。原文 平台 成交额 甲 1000亿');
  });
});

describe('search', () => {
  it('stems English: run finds runners/ran/running, in either post', () => {
    expect(find('run').sort()).toEqual(['english-stemming', 'list-categories']);
    expect(find('ran').sort()).toEqual(['english-stemming', 'list-categories']);
    expect(find('Running')).toHaveLength(2);
    // "runner-up" in list-categories gives the token "runner" too.
    expect(find('runners').sort()).toEqual(['english-stemming', 'list-categories']);
    expect(find('thousands')).toEqual(['english-stemming']);
  });

  it('finds Chinese by 1, 2, 3 and 4 characters', () => {
    expect(find('零')).toEqual(['html-post']);
    expect(find('售')).toEqual(['html-post']); // inside a run, not at its start
    expect(find('高')).toEqual(['html-post']); // the last character of a run
    expect(find('零售')).toEqual(['html-post']);
    expect(find('双十一')).toEqual(['html-post']);
    expect(find('零售额再')).toEqual(['html-post']);
    expect(find('编码')).toEqual(['gbk-encoded']);
    expect(find('售零')).toEqual([]);
    expect(find('额创新高')).toEqual(['html-post']); // title
    expect(find('额再新高')).toEqual([]);
  });

  it('does not match a Chinese phrase across punctuation', () => {
    store.applyBatch(batch([post('_posts/p.md', { text: '中国。钢铁' })]));
    expect(find('国钢')).toEqual([]);
    expect(find('中国钢铁')).toEqual([]);
    expect(find('"中国 钢铁"')).toEqual(['p']);
  });

  it('tells a phrase from words', () => {
    expect(find('"the race"')).toEqual(['english-stemming']);
    expect(find('"race the"')).toEqual([]);
    expect(find('race the')).toEqual(['english-stemming']);
  });

  it('excludes with -word and -"phrase", also when only exclusions are given', () => {
    expect(find('run -marathon')).toEqual(['list-categories']);
    expect(find('run -"old town"')).toEqual(['list-categories']);
    const notRun = find('-run');
    expect(notRun).toHaveLength(10);
    expect(notRun).not.toContain('english-stemming');
  });

  it('ORs alternatives inside an AND', () => {
    expect(find('rice OR fireworks').sort()).toEqual(['folder-categories', 'timezone']);
    expect(find('exports rice OR fireworks')).toEqual(['folder-categories']);
  });

  it('restricts to titles with title:', () => {
    expect(find('title:run')).toEqual(['english-stemming']);
    expect(find('title:vote')).toEqual(['list-categories']);
    expect(find('title:postponed')).toEqual([]);
    expect(find('title:"city marathon"')).toEqual(['english-stemming']);
  });

  it('filters by tag: and category: (any level, case-insensitive)', () => {
    expect(find('tag:"City Hall"')).toEqual(['list-categories']);
    expect(find('tag:trade OR tag:election').sort()).toEqual(['folder-categories', 'list-categories']);
    expect(find('category:ASIA')).toEqual(['folder-categories']);
    expect(find('category:economy')).toEqual(['folder-categories']);
    expect(find('category:电商')).toEqual(['html-post']);
    expect(find('-category:politics -category:world')).toHaveLength(10);
    expect(find('-tag:marathon run')).toEqual(['list-categories']);
  });

  it('filters by dates: after inclusive, before exclusive of the period start, undated never', () => {
    expect(find('after:2023', { sort: 'date' })).toEqual(['hostile-html', 'english-stemming']);
    expect(find('after:2024-04-01')).toEqual(['hostile-html']);
    expect(find('after:2024-04-02')).toEqual([]);
    expect(find('before:2013', { sort: 'date' })).toEqual(['js-front-matter']);
    expect(find('before:2012-12-12')).toEqual([]);
    expect(find('before:2012-12-13')).toEqual(['js-front-matter']);
    expect(find('after:2020 before:2021', { sort: 'date' })).toEqual(['timezone', 'folder-categories']);
    expect(find('after:2020-12 before:2021-01')).toEqual(['timezone']); // the written day, not UTC
  });

  it('combines the query with tree selections', () => {
    expect(find('', { category: ['world'] })).toEqual(['folder-categories']);
    expect(find('', { category: ['world', 'asia'] })).toEqual(['folder-categories']);
    expect(find('', { category: ['wor'] })).toEqual([]);
    expect(find('', { category: ['asia'] })).toEqual([]); // a tree path starts at the root
    expect(find('', { year: 2020 })).toEqual(['timezone', 'folder-categories']);
    expect(find('', { year: 2020, month: 12 })).toEqual(['timezone']);
    expect(find('', { year: null })).toEqual(['impossible-date']);
    expect(find('', { year: null, includeHidden: true }).sort()).toEqual(['impossible-date', 'undated-draft']);
    expect(find('', { tag: 'MARATHON' })).toEqual(['english-stemming']);
    expect(find('marathon', { includeHidden: true }).sort()).toEqual(['english-stemming', 'published-false', 'undated-draft']);
    expect(find('run', { category: ['Politics'] })).toEqual(['list-categories']);
  });

  it('survives hostile queries and reports how it read them', () => {
    for (const query of ['NEAR(run marathon)', 'run*', '^run', 'body:run', '(run', 'run)', '"run', 'OR', '-', 'OR run OR', '"', '{title}: run', 'x'.repeat(10_000), '中'.repeat(10_000), 'a '.repeat(5_000)]) {
      const result = store.list({ query });
      expect(result.notice ?? '').not.toMatch(/could not be run/);
    }
    expect(store.list({ query: '"run' }).notice).toMatch(/not closed/);
    expect(find('run*')).toHaveLength(2);
    expect(store.list({ query: 'a '.repeat(5_000) }).notice).toMatch(/first 32 terms/);
  });

  it('never fails on random queries', () => {
    const unit = fc.constantFrom('run', ' ', '"', '-', ':', '*', '(', ')', '^', 'OR', 'NOT', 'tag:', 'title:', 'after:', '中', '售', '“', '.', '{', '}', 'NEAR');
    fc.assert(fc.property(fc.string({ unit, maxLength: 25 }), fc.constantFrom('relevance', 'date') as fc.Arbitrary<'relevance' | 'date'>, (query, sort) => {
      const result = store.list({ query, sort });
      expect(result.notice ?? '').not.toMatch(/could not be run/);
      expect(result.items.length).toBeLessThanOrEqual(result.total);
    }), { numRuns: 300 });
  });
});

describe('trees, stats and problems', () => {
  it('builds the category tree from shown posts', () => {
    const tree = store.categories();
    const posts = store.counts().posts;
    expect(tree.map((n) => [n.name, n.count, n.total])).toEqual([
      ['Misc', 1, 1], ['Politics', 0, 1], ['Sports', 1, 1], ['world', 0, 1], ['商业', 0, 1], ['', posts - 5, posts - 5],
    ]);
    expect(tree.find((n) => n.name === 'world')!.children[0]!.children[0]).toEqual({
      name: 'economy', path: ['world', 'asia', 'economy'], count: 1, total: 1, children: [],
    });
  });

  it('has "Uncategorised" and "Untagged" rows, so every tree adds up to the archive, and each filters the list (issue 11, item 8)', () => {
    for (const includeHidden of [false, true]) {
      const c = store.counts();
      const posts = includeHidden ? c.posts + c.hidden : c.posts;
      const categories = store.categories(includeHidden);
      const dates = store.dates(includeHidden);
      const tags = store.tags(includeHidden);
      expect(categories.reduce((n, node) => n + node.total, 0)).toBe(posts);
      expect(dates.reduce((n, node) => n + node.count, 0)).toBe(posts);
      const uncategorised = categories.find((n) => n.path.length === 0);
      const untagged = tags.find((t) => t.name === '');
      expect(uncategorised).toMatchObject({ name: '', count: store.list({ category: null, includeHidden, limit: 1 }).total });
      expect(uncategorised!.count).toBeGreaterThan(0);
      expect(untagged?.count).toBe(store.list({ tag: null, includeHidden, limit: 1 }).total);
      expect(untagged!.count).toBeGreaterThan(0);
      // Filed under nothing, carrying nothing: each listed post really is.
      for (const hit of store.list({ category: null, includeHidden, limit: 500 }).items) expect(hit.categories).toEqual([]);
      for (const hit of store.list({ tag: null, includeHidden, limit: 500 }).items) expect(hit.tags).toEqual([]);
      // Tagged posts and untagged ones are the whole archive.
      const tagged = store.list({ query: '', includeHidden, limit: 500 }).items.filter((h) => h.tags.length > 0).length;
      expect(tagged + untagged!.count).toBe(posts);
    }
  });

  it('builds the date tree by the written day, undated last', () => {
    const dates = store.dates();
    expect(dates[0]).toEqual({ year: 2024, count: 1, months: [{ month: 4, count: 1 }] });
    expect(dates.find((d) => d.year === 2020)).toEqual({ year: 2020, count: 2, months: [{ month: 12, count: 1 }, { month: 1, count: 1 }] });
    expect(dates[dates.length - 1]).toEqual({ year: null, count: 1, months: [] });
    expect(store.dates(true).at(-1)).toEqual({ year: null, count: 2, months: [] });
  });

  it('lists tags by count, case-insensitively merged, as first written', () => {
    store.applyBatch(batch([post('_posts/t.md', { tags: ['Marathon', 'MARATHON', 'zzz'] })]));
    expect(store.tags().slice(0, 2)).toEqual([{ name: 'marathon', count: 2 }, { name: 'agriculture', count: 1 }]);
    expect(store.tags().map((t) => t.name)).not.toContain('Marathon');
    expect(find('tag:MARATHON').sort()).toEqual(['english-stemming', 't']);
    // Counts go down again when posts go.
    store.applyBatch(batch([], { deletions: ['_posts/t.md', '_posts/2023-03-03-english-stemming.md'] }));
    expect(store.tags().map((t) => t.name)).not.toContain('marathon');
    expect(store.tags(true).find((t) => t.name === 'zzz')).toBeUndefined();
  });

  it('stats follows the CLI contract', () => {
    store.applyBatch(batch([], { failures: [{ path: '_posts/broken.md', size: 3, mtimeMs: 1, hash: null, problems: [{ path: '_posts/broken.md', message: 'Cannot tell the encoding.', severity: 'error' }] }] }));
    const stats = store.stats();
    expect(stats.posts).toBe(12);
    expect(stats.hidden).toBe(2);
    expect(stats.problems).toEqual([
      { path: '_posts/2012-12-12-js-front-matter.md', message: 'Unsupported front matter (---js).' },
      { path: '_posts/2013-09-09-bad-yaml.md', message: 'Invalid YAML at line 3.' },
      { path: '_posts/2021-02-30-impossible-date.md', message: 'The date 2021-02-30 in the file name does not exist.' },
      { path: '_posts/broken.md', message: 'Cannot tell the encoding.' },
    ]);
    expect(stats.categories).toEqual([
      { path: ['Misc'], count: 1 }, { path: ['Politics', 'Local'], count: 1 }, { path: ['Sports'], count: 1 },
      { path: ['world', 'asia', 'economy'], count: 1 }, { path: ['商业', '电商'], count: 1 },
    ]);
    expect(stats.tags).toHaveLength(8);
    expect(stats.years[0]).toEqual({ year: 2024, count: 1 });
    expect(stats.years.at(-1)).toEqual({ year: null, count: 1 });
    expect(stats.years.reduce((n, y) => n + y.count, 0)).toBe(12);
    expect(store.counts()).toEqual({ posts: 12, hidden: 2, problems: 4 });
    expect(store.problems().map((p) => p.severity)).toEqual(['error', 'error', 'warning', 'error']);
  });

  it('scan problems are replaced as a whole and reported with the rest', () => {
    const scan = { path: 'private', message: 'folder could not be read: EACCES', severity: 'error' as const };
    store.setScanProblems([scan]);
    expect(store.problems()).toContainEqual(scan);
    expect(store.counts().problems).toBe(4);
    expect(store.stats().problems).toContainEqual({ path: 'private', message: 'folder could not be read: EACCES' });
    store.setScanProblems([]);
    expect(store.problems()).not.toContainEqual(scan);
    expect(store.counts().problems).toBe(3);
  });

  it('getPost returns the summary with source, draft and problems', () => {
    expect(store.getPost('_drafts/undated-draft.md')).toMatchObject({ title: 'Undated draft', date: null, draft: true, hidden: true, source: null, problems: [] });
    expect(store.getPost('_posts/2013-09-09-bad-yaml.md')!.problems).toHaveLength(1);
    expect(store.getPost('nope.md')).toBeUndefined();
  });
});

describe('writing', () => {
  it('re-upserting a path replaces the post everywhere, FTS included', () => {
    const path = '_posts/2023-03-03-english-stemming.md';
    store.applyBatch(batch([post(path, { title: 'Swimming gala', date: '2023-03-04', tags: ['swim'], categories: ['Water'], text: 'Lengths of the pool.' })]));
    expect(find('marathon')).toEqual([]);
    expect(find('thousands')).toEqual([]);
    expect(find('title:run')).toEqual([]);
    expect(find('swim')).toEqual(['english-stemming']);
    expect(find('pool')).toEqual(['english-stemming']);
    expect(find('tag:marathon')).toEqual([]);
    expect(find('tag:swim')).toEqual(['english-stemming']);
    expect(store.categories().map((n) => n.name)).toContain('Water');
    expect(store.categories().map((n) => n.name)).not.toContain('Sports');
    expect(store.list({}).total).toBe(12);
  });

  it('sees what another connection (the indexing worker) wrote, counts included', () => {
    expect(store.list({ query: 'marathon' }).total).toBe(1);
    const worker = IndexStore.open(file);
    worker.applyBatch(batch([post('_posts/2025-05-05-more.md', { title: 'Another marathon', date: '2025-05-05' })]));
    worker.close();
    expect(store.list({ query: 'marathon' }).total).toBe(2);
    expect(find('marathon', { sort: 'date' })).toEqual(['more', 'english-stemming']);
    expect(store.counts().posts).toBe(13);
  });

  it('deletions remove posts and failures, with their FTS rows', () => {
    store.applyBatch(batch([], {
      deletions: ['_posts/2023-03-03-english-stemming.md', '_posts/2017-11-11-html-post.html'],
      failures: [{ path: '_posts/x.md', size: 1, mtimeMs: 1, hash: null, problems: [] }],
    }));
    expect(find('marathon')).toEqual([]);
    expect(find('零售')).toEqual([]);
    expect(store.list({}).total).toBe(10);
    expect(store.fileStates().has('_posts/x.md')).toBe(true);
    store.applyBatch(batch([], { deletions: ['_posts/x.md'] }));
    expect(store.fileStates().has('_posts/x.md')).toBe(false);
    // The FTS table holds exactly one row per post.
    store.close();
    const db = new Database(file, { readonly: true });
    const rows = db.prepare("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH '\"the\"'").pluck().get();
    const texts = (db.prepare('SELECT text FROM post_text').pluck().all() as Buffer[]).map(unpackText);
    expect(rows).toBe(texts.filter((t) => /(^|[^a-z])the /i.test(t)).length);
    db.close();
    store = IndexStore.open(file);
  });

  it('a failure replaces a post at the same path, and a later upsert clears the failure', () => {
    const path = '_posts/2023-03-03-english-stemming.md';
    const problem = { path, message: 'Cannot tell the encoding.', severity: 'error' as const };
    store.applyBatch(batch([], { failures: [{ path, size: 5, mtimeMs: 2, hash: 'x', problems: [problem] }] }));
    expect(find('marathon')).toEqual([]);
    expect(store.problems()).toContainEqual(problem);
    expect(store.fileStates().get(path)).toEqual({ size: 5, mtimeMs: 2, hash: 'x' });
    store.applyBatch(batch([EDGE.at(-1)!]));
    expect(find('marathon')).toEqual(['english-stemming']);
    expect(store.problems()).not.toContainEqual(problem);
  });

  it('keeps the tree counts equal to a recount of the posts, whatever batches of upserts, moves and deletions come', () => {
    // applyBatch sums count changes in memory and writes them once per transaction (index-write.ts WriteContext).
    const recount = (db: Database.Database) => {
      const rows = db.prepare('SELECT hidden, year, month, category_key, tag_keys FROM posts').all() as
        { hidden: number; year: number | null; month: number | null; category_key: string; tag_keys: string }[];
      const cats = new Map<string, number>();
      const dates = new Map<string, number>();
      const tags = new Map<string, number>();
      const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
      for (const r of rows) {
        if (r.category_key !== '') bump(cats, `${r.hidden}|${r.category_key}`);
        bump(dates, `${r.hidden}|${r.year ?? 0}|${r.month ?? 0}`);
        for (const [norm] of JSON.parse(r.tag_keys) as [string, string][]) bump(tags, `${r.hidden}|${norm}`);
      }
      return { cats, dates, tags };
    };
    const stored = (db: Database.Database) => ({
      cats: new Map((db.prepare('SELECT hidden, category_key, count FROM category_counts').all() as { hidden: number; category_key: string; count: number }[])
        .map((r) => [`${r.hidden}|${r.category_key}`, r.count])),
      dates: new Map((db.prepare('SELECT hidden, year, month, count FROM date_counts').all() as { hidden: number; year: number; month: number; count: number }[])
        .map((r) => [`${r.hidden}|${r.year}|${r.month}`, r.count])),
      tags: new Map((db.prepare('SELECT hidden, tag_norm, count FROM tag_counts').all() as { hidden: number; tag_norm: string; count: number }[])
        .map((r) => [`${r.hidden}|${r.tag_norm}`, r.count])),
    });
    const paths = ['_posts/a.md', '_posts/b.md', '_posts/c.md', 'x/_posts/d.md', '_drafts/e.md'];
    const arbPost = fc.record({
      path: fc.constantFrom(...paths),
      date: fc.constantFrom('2020-01-15', '2020-01-15T10:00', '2021-06-01', null),
      categories: fc.subarray(['News', 'news', 'World', 'Asia']),
      tags: fc.subarray(['AI', 'ai', 'trade', '经济']),
      published: fc.boolean(),
    });
    const arbBatch = fc.record({ upserts: fc.array(arbPost, { maxLength: 6 }), deletions: fc.subarray(paths) });
    fc.assert(fc.property(fc.array(arbBatch, { minLength: 1, maxLength: 5 }), (batches) => {
      store.close();
      rmSync(file, { force: true });
      rmSync(`${file}-wal`, { force: true });
      rmSync(`${file}-shm`, { force: true });
      store = IndexStore.open(file);
      for (const b of batches) {
        store.applyBatch(batch(b.upserts.map((u) => post(u.path, { ...u, text: 'text' })), { deletions: b.deletions }));
      }
      const db = new Database(file, { readonly: true });
      try {
        expect(stored(db)).toEqual(recount(db));
      } finally {
        db.close();
      }
    }), { numRuns: 60 });
  });

  it('records file states for the scanner', () => {
    const states = store.fileStates();
    expect(states.size).toBe(14);
    expect(states.get('_drafts/undated-draft.md')).toEqual({ size: 27, mtimeMs: 1000, hash: 'h-_drafts/undated-draft.md' });
  });

  it('writes the rest of a batch when one post cannot be written, and reports that post', () => {
    const bad = post('_posts/bad.md', { tags: null as unknown as string[] });
    expect(() => store.applyBatch(batch([post('_posts/new.md', { text: 'brand new' }), bad]))).not.toThrow();
    expect(find('brand')).toEqual(['new']);
    const problem = store.problems().find((p) => p.path === '_posts/bad.md');
    expect(problem?.message).toMatch(/could not be indexed/);
    expect(problem?.severity).toBe('error');
  });

  it('a full disk in the middle of a batch rolls the whole batch back (never half a batch, never a post marked unindexable)', () => {
    const before = { list: store.list({ limit: 500 }).total, problems: store.problems().length, categories: JSON.stringify(store.categories()) };
    // The database may not grow: the first post that needs a new page fails with SQLITE_FULL, and SQLite rolls
    // back the whole transaction, not only that post's savepoint.
    const db = (store as unknown as { db: Database.Database }).db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const big = (i: number) => post(`_posts/2024-01-0${i}-full-${i}.md`, { text: `disk full ${i} `.repeat(20_000), categories: ['Full'] });
    expect(() => store.applyBatch(batch([big(1), big(2), big(3)]))).toThrow(/full/i);
    db.pragma('max_page_count = 4294967294');
    expect(store.list({ limit: 500 }).total).toBe(before.list);
    expect(store.problems().length).toBe(before.problems);
    expect(JSON.stringify(store.categories())).toBe(before.categories);
    expect(store.fileStatesOf(['_posts/2024-01-01-full-1.md', '_posts/2024-01-02-full-2.md']).size).toBe(0);
  });

  it('keeps meta values and data across reopen', () => {
    store.setMeta('root', '/archive');
    store.setMeta('root', '/archive2');
    store.close();
    store = IndexStore.open(file);
    expect(store.getMeta('root')).toBe('/archive2');
    expect(store.getMeta('missing')).toBeUndefined();
    expect(find('marathon')).toEqual(['english-stemming']);
    const ro = IndexStore.open(file, { readonly: true });
    expect(ro.list({ query: '零售' }).total).toBe(1);
    ro.close();
  });
});

describe('unusable index files', () => {
  it('garbage bytes raise IndexUnusableError', () => {
    const bad = join(dir, 'garbage.sqlite');
    writeFileSync(bad, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 256)));
    expect(() => IndexStore.open(bad)).toThrow(IndexUnusableError);
    expect(() => IndexStore.open(bad)).toThrow(/garbage\.sqlite cannot be used/);
  });

  it('another SQLite database is not taken for an index', () => {
    const other = join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE notes (x)');
    db.close();
    expect(() => IndexStore.open(other)).toThrow(/not a Backfile index/);
  });

  it('an index whose tables differ from this version\'s is refused', () => {
    store.close();
    const db = new Database(file);
    db.exec('DROP TABLE tag_counts');
    db.close();
    expect(() => IndexStore.open(file)).toThrow(/tables are not the ones/);
    store = IndexStore.open(join(dir, 'fresh.sqlite'));
  });

  it('an index from a newer schema is refused', () => {
    store.close();
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => IndexStore.open(file)).toThrow(IndexUnusableError);
    store = IndexStore.open(join(dir, 'fresh.sqlite'));
  });

  it('a damaged file is reported when it is read, or at open with verify', () => {
    const damagedFile = join(dir, 'damaged.sqlite');
    const big = IndexStore.open(damagedFile);
    big.applyBatch(batch(Array.from({ length: 50 }, (_, i) => post(`_posts/p${i}.md`, { title: `marathon ${i}`, text: '中国钢铁 marathon '.repeat(200) }))));
    big.close();
    // The first half (header, schema, small tables) stays intact; the second half becomes garbage.
    const bytes = readFileSync(damagedFile);
    for (let i = Math.floor(bytes.length / 2); i < bytes.length; i++) bytes[i] = (i * 31) % 251;
    writeFileSync(damagedFile, bytes);

    const damaged = IndexStore.open(damagedFile);
    try {
      expect(() => damaged.list({ query: 'marathon' })).toThrow(IndexUnusableError);
    } finally {
      damaged.close();
    }
    expect(() => IndexStore.open(damagedFile, { verify: true })).toThrow(/damaged/);
  });
});
