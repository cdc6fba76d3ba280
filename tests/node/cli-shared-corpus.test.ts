import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArchiveStats } from '../../src-main/shared/archive-api';
import { runCliJson } from '../helpers/cli';
import { sharedCorpus, tempDir } from '../helpers/temp';

/** The CLI contract over the real shared corpora (present in CI next to the clone). */
const present = fs.existsSync(sharedCorpus);
if (!present) console.log(`Shared-corpus CLI suite skipped: ${sharedCorpus} does not exist.`);

interface SearchJson {
  total: number;
  hits: { path: string; title: string; date: string | null; categories: string[]; tags: string[]; snippet: string }[];
}
interface ShowJson {
  path: string;
  title: string;
  date: string | null;
  categories: string[];
  tags: string[];
  source: string | null;
  html: string;
}

describe.skipIf(!present)('CLI on ../shared/corpus', () => {
  const edge = path.join(sharedCorpus, 'jekyll-edge-cases');
  const finews = path.join(sharedCorpus, 'finews-sample');
  const indexDir = tempDir();
  const edgeIndex = ['--index', path.join(indexDir, 'edge.sqlite')];
  const finewsIndex = ['--index', path.join(indexDir, 'finews.sqlite')];
  // The path the corpus's JS front matter writes (literally /tmp, whatever this test file's TMPDIR is).
  const marker = '/tmp/front-matter-was-executed';

  it('stats: 12 shown, 2 hidden, problems for the broken files, and no code executed', () => {
    fs.rmSync(marker, { force: true });
    const stats = runCliJson<ArchiveStats>(['stats', edge, ...edgeIndex]);
    expect(fs.existsSync(marker)).toBe(false);
    expect(stats.posts).toBe(12);
    expect(stats.hidden).toBe(2);
    const problemPaths = stats.problems.map((p) => p.path);
    expect(problemPaths).toEqual(expect.arrayContaining([
      '_posts/2013-09-09-bad-yaml.md',
      '_posts/2012-12-12-js-front-matter.md',
      '_posts/2021-02-30-impossible-date.md',
    ]));
    expect(stats.problems.find((p) => p.path.endsWith('bad-yaml.md'))?.message).toMatch(/line \d+/);
    expect(stats.categories).toEqual(expect.arrayContaining([
      { path: ['Politics', 'Local'], count: 1 },
      { path: ['world', 'asia', 'economy'], count: 1 },
      { path: ['商业', '电商'], count: 1 },
    ]));
    expect(stats.tags).toEqual(expect.arrayContaining([{ name: 'city hall', count: 1 }, { name: 'trade', count: 1 }, { name: 'agriculture', count: 1 }]));
    expect(stats.years).toEqual(expect.arrayContaining([{ year: 2020, count: 2 }]));
    expect(stats.years.find((y) => y.year === 2021)).toBeUndefined(); // the 2021-02-30 post is undated, the NYE post is 2020
    expect(stats.years.find((y) => y.year === null)?.count).toBeGreaterThanOrEqual(1);
  });

  it('search: Chinese words in an HTML post, GBK text, English stems', () => {
    for (const [query, file] of [
      ['双十一', '2017-11-11-html-post.html'],
      ['零售', '2017-11-11-html-post.html'],
      ['编码', '2014-08-08-gbk-encoded.md'],
      ['run', '2023-03-03-english-stemming.md'],
      ['marathon', '2023-03-03-english-stemming.md'],
    ] as const) {
      const result = runCliJson<SearchJson>(['search', edge, query, ...edgeIndex]);
      expect(result.hits.map((h) => path.basename(h.path)), query).toContain(file);
    }
    const liquid = runCliJson<SearchJson>(['search', edge, 'baseurl OR endhighlight OR include', ...edgeIndex]);
    expect(liquid.total).toBe(0);
  });

  it('show: the hostile post is sanitised and its local image resolves inside the archive', () => {
    const article = runCliJson<ShowJson>(['show', edge, '_posts/2024-04-01-hostile-html.md', ...edgeIndex]);
    expect(article.html).not.toMatch(/<script|onerror|javascript:|<iframe|<form|<style/i);
    expect(article.html).toContain('assets/images/chart.png');
    expect(article.html).not.toContain('etc/passwd');
    expect(article.html).not.toMatch(/\ssrc="https?:/); // the tracking pixel waits in data-remote-src
    expect(article.html).toContain('data-remote-src="https://tracker.example.com/pixel.gif"');
  });

  it('show: the New York post stays in 2020 with its instant', () => {
    const article = runCliJson<ShowJson>(['show', edge, '_posts/2020-12-31-timezone.md', ...edgeIndex]);
    expect(article.date).toBe('2020-12-31T23:30:00-05:00');
  });

  it('finews: flat folder of real posts, blank line before front matter, empty title, undated post, source URLs', () => {
    const stats = runCliJson<ArchiveStats>(['stats', finews, ...finewsIndex]);
    expect(stats.posts).toBe(7);
    expect(stats.categories).toEqual(expect.arrayContaining([{ path: ['emnews'], count: 5 }, { path: ['sitenews'], count: 1 }]));
    expect(stats.years.find((y) => y.year === null)?.count).toBe(1);
    const blank = runCliJson<ShowJson>(['show', finews, '2021-12-08-202112082206703990.md', ...finewsIndex]);
    expect(blank.title).toBe('FF：有充足的现金支持到FF 91完成投产');
    expect(blank.source).toBe('http://stock.eastmoney.com/news/1611,202112082206703990.html');
    const untitled = runCliJson<ShowJson>(['show', finews, './-202205262391921712.md', ...finewsIndex]);
    expect(untitled.title.length).toBeGreaterThan(0);
    expect(untitled.title).not.toBe('""');
    expect(untitled.date).toBeNull();
    expect(untitled.html).not.toMatch(/<img[^>]*\ssrc="https?:/);
    const hits = runCliJson<SearchJson>(['search', finews, '钢铁', ...finewsIndex]);
    expect(hits.hits[0]?.path).toBe('2021-12-08-202112082206891114.md');
    expect(hits.hits[0]?.snippet).toContain('<mark>钢铁</mark>');
  });
});
