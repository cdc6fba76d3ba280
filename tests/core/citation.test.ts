import { describe, expect, it } from 'vitest';
import { citationFields, formatCitation, isoDay, personName, type CitationFields } from '../../src-main/core/citation';
import type { Article } from '../../src-main/shared/archive-api';

const article = (over: Partial<Article>): Article => ({
  path: '_posts/2021-12-08-news.md',
  title: '央行宣布降准0.5个百分点',
  date: '2021-12-08T09:15:00+08:00',
  categories: [],
  tags: [],
  excerpt: '',
  hidden: false,
  html: '',
  source: null,
  meta: { title: '央行宣布降准0.5个百分点' },
  hasRemoteContent: false,
  draft: false,
  problems: [],
  url: null,
  ...over,
});

const ACCESSED = '2026-11-29';
const withAuthor = citationFields(
  article({ meta: { title: '央行宣布降准0.5个百分点', author: '萧钰', source: 'https://news.example.cn/a/1.html' }, url: 'https://site.example/2021/12/08/news.html' }),
  '东方财富网',
  ACCESSED,
);
const noAuthor = citationFields(article({ source: 'https://news.example.cn/a/2.html' }), '东方财富网', ACCESSED);
const noUrl = citationFields(article({}), '东方财富网', ACCESSED);
const untitled = citationFields(
  article({ title: '央行今日宣布', meta: {}, path: '_posts/2021-12-08-untitled-post.md', url: 'https://site.example/2021/12/08/untitled-post.html' }),
  'Backfile Sample',
  ACCESSED,
);
const english: CitationFields = {
  title: '"City Hall" approves the "new" budget',
  untitled: false,
  site: 'The Gazette',
  author: 'Jane Doe',
  authors: ['Jane Doe'],
  date: '2021-12-08',
  url: 'https://gazette.example/budget',
  accessed: ACCESSED,
};

describe('citationFields', () => {
  it('takes front matter source before the canonical URL, and the author as written', () => {
    expect(withAuthor).toMatchObject({ author: '萧钰', url: 'https://news.example.cn/a/1.html', untitled: false });
    expect(noAuthor.author).toBeNull();
    expect(noUrl.url).toBeNull();
  });
  it('cites an untitled post by its file name', () => {
    expect(untitled).toMatchObject({ title: '2021-12-08-untitled-post.md', untitled: true, url: 'https://site.example/2021/12/08/untitled-post.html' });
  });
  it('access date is the local calendar day', () => {
    expect(isoDay(new Date(2026, 10, 29, 23, 59))).toBe('2026-11-29');
  });
});

describe('GB/T 7714-2015', () => {
  it('news on the web is [EB/OL] with the access date, as in the standard', () => {
    expect(formatCitation(withAuthor, 'gb7714')).toBe('萧钰. 央行宣布降准0.5个百分点[EB/OL]. 东方财富网, 2021-12-08[2026-11-29]. https://news.example.cn/a/1.html.');
    expect(formatCitation(noAuthor, 'gb7714')).toBe('央行宣布降准0.5个百分点[EB/OL]. 东方财富网, 2021-12-08[2026-11-29]. https://news.example.cn/a/2.html.');
    expect(formatCitation(noUrl, 'gb7714')).toBe('央行宣布降准0.5个百分点[EB/OL]. 东方财富网, 2021-12-08[2026-11-29].');
    expect(formatCitation(untitled, 'gb7714')).toBe('[无题名: 2021-12-08-untitled-post.md][EB/OL]. Backfile Sample, 2021-12-08[2026-11-29]. https://site.example/2021/12/08/untitled-post.html.');
    expect(formatCitation({ ...noUrl, date: null }, 'gb7714')).toBe('央行宣布降准0.5个百分点[EB/OL]. 东方财富网[2026-11-29].');
  });
});

describe('APA 7', () => {
  it('news website article: author, date, title, site, URL; no author: title first', () => {
    expect(formatCitation(english, 'apa')).toBe('Doe, J. (2021, December 8). "City Hall" approves the "new" budget. The Gazette. https://gazette.example/budget');
    expect(formatCitation(withAuthor, 'apa')).toBe('萧钰. (2021, December 8). 央行宣布降准0.5个百分点. 东方财富网. https://news.example.cn/a/1.html');
    expect(formatCitation(noAuthor, 'apa')).toBe('央行宣布降准0.5个百分点. (2021, December 8). 东方财富网. https://news.example.cn/a/2.html');
    expect(formatCitation(noUrl, 'apa')).toBe('央行宣布降准0.5个百分点. (2021, December 8). 东方财富网.');
    expect(formatCitation(untitled, 'apa')).toBe('[Untitled: 2021-12-08-untitled-post.md]. (2021, December 8). Backfile Sample. https://site.example/2021/12/08/untitled-post.html');
    expect(formatCitation({ ...english, date: null }, 'apa')).toBe('Doe, J. (n.d.). "City Hall" approves the "new" budget. The Gazette. https://gazette.example/budget');
  });
});

describe('Chicago notes-bibliography', () => {
  it('bibliography entry for a news website; quotes inside the title become single, never doubled', () => {
    expect(formatCitation(english, 'chicago')).toBe('Doe, Jane. “‘City Hall’ approves the ‘new’ budget.” The Gazette, December 8, 2021. https://gazette.example/budget.');
    expect(formatCitation({ ...english, title: '“Is the budget too big?”' }, 'chicago')).toBe('Doe, Jane. “Is the budget too big?” The Gazette, December 8, 2021. https://gazette.example/budget.');
    expect(formatCitation(noAuthor, 'chicago')).toBe('“央行宣布降准0.5个百分点.” 东方财富网, December 8, 2021. https://news.example.cn/a/2.html.');
    expect(formatCitation(noUrl, 'chicago')).toBe('“央行宣布降准0.5个百分点.” 东方财富网, December 8, 2021.');
    expect(formatCitation(untitled, 'chicago')).toBe('[Untitled: 2021-12-08-untitled-post.md]. Backfile Sample, December 8, 2021. https://site.example/2021/12/08/untitled-post.html.');
    expect(formatCitation({ ...english, date: null }, 'chicago')).toBe('Doe, Jane. “‘City Hall’ approves the ‘new’ budget.” The Gazette. Accessed November 29, 2026. https://gazette.example/budget.');
  });
});

describe('bylines', () => {
  it('inverts only plain personal names in Latin letters; Chinese names, single words and organisations stay as written', () => {
    expect(personName('Jane Doe')).toEqual({ family: 'Doe', given: 'Jane' });
    expect(personName('Ludwig van Beethoven')).toEqual({ family: 'van Beethoven', given: 'Ludwig' });
    expect(personName('Doe, Jane')).toEqual({ family: 'Doe', given: 'Jane' });
    expect(personName('Jean-Paul M. Sartre')).toEqual({ family: 'Sartre', given: 'Jean-Paul M.' });
    for (const name of ['萧钰', '新华社记者 王磊', 'Reuters', 'Reuters Staff', 'Xinhua News Agency', 'the editors', 'jane doe', 'A B C D E', 'Doe, Jane, Jr']) {
      expect(personName(name), name).toBeNull();
    }
  });
  it('each style writes a byline its own way, several names too', () => {
    const two = { ...english, author: 'Jane Doe, Jean-Paul Sartre', authors: ['Jane Doe', 'Jean-Paul Sartre'] };
    expect(formatCitation(two, 'apa')).toMatch(/^Doe, J., & Sartre, J\.-P\. \(2021, December 8\)\. /);
    expect(formatCitation(two, 'chicago')).toMatch(/^Doe, Jane, and Jean-Paul Sartre\. “/);
    expect(formatCitation(two, 'gb7714')).toMatch(/^DOE J, SARTRE J-P\. "City Hall"/);
    const four = { ...withAuthor, authors: ['萧钰', '王磊', '李娜', '张伟'] };
    expect(formatCitation(four, 'gb7714')).toMatch(/^萧钰, 王磊, 李娜, 等\. 央行/);
    const three = { ...english, authors: ['Jane Doe', 'Reuters Staff', 'Kim Lee'] };
    expect(formatCitation(three, 'apa')).toMatch(/^Doe, J., Reuters Staff, & Lee, K\. \(/);
    expect(formatCitation(three, 'chicago')).toMatch(/^Doe, Jane, Reuters Staff, and Kim Lee\. “/);
  });
  it('a list of authors in front matter is read name by name', () => {
    const listed = citationFields(article({ meta: { title: 'T', author: ['Jane Doe', { name: 'Kim Lee' }, 3] } }), 'S', ACCESSED);
    expect(listed).toMatchObject({ author: 'Jane Doe, Kim Lee', authors: ['Jane Doe', 'Kim Lee'] });
  });
});

describe('Markdown link', () => {
  it('[title](url), brackets escaped; without a URL the title with site and day', () => {
    expect(formatCitation(withAuthor, 'markdown')).toBe('[央行宣布降准0.5个百分点](https://news.example.cn/a/1.html)');
    expect(formatCitation({ ...english, title: '[Live] budget', url: 'https://x.example/a_(b) c' }, 'markdown')).toBe('[\\[Live\\] budget](https://x.example/a_%28b%29%20c)');
    expect(formatCitation(noUrl, 'markdown')).toBe('央行宣布降准0.5个百分点 (东方财富网, 2021-12-08)');
    expect(formatCitation(untitled, 'markdown')).toBe('[\\[Untitled: 2021-12-08-untitled-post.md\\]](https://site.example/2021/12/08/untitled-post.html)');
  });
});
