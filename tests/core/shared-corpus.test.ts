/**
 * The shared read-only corpora (../shared/corpus beside the repo): the behaviours of jekyll-edge-cases/EXPECTED.md
 * and finews-sample/README.md that belong to reading a post (titles, dates, categories, tags, problems).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dateInstant } from '../../src-main/core/dates';
import { parsePost } from '../../src-main/core/parse-post';
import { locatePost } from '../../src-main/core/post-path';
import type { ParsedPost } from '../../src-main/core/types';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const edgeRoot = path.join(corpus, 'jekyll-edge-cases');
const finewsRoot = path.join(corpus, 'finews-sample');
const JS_MARKER = '/tmp/front-matter-was-executed';

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

function readArchive(root: string, layout: 'jekyll' | 'flat'): { posts: Map<string, ParsedPost>; others: string[] } {
  const posts = new Map<string, ParsedPost>();
  const others: string[] = [];
  for (const file of listFiles(root).sort()) {
    const location = locatePost(file, layout);
    if (location.kind === 'other') others.push(file);
    else posts.set(file, parsePost(file, readFileSync(path.join(root, file)), location));
  }
  return { posts, others };
}

if (!existsSync(edgeRoot) || !existsSync(finewsRoot)) {
  describe('shared corpus', () => {
    it.skip(`skipped: the shared corpus was not found at ${corpus}`, () => {});
  });
} else {
  describe('shared corpus: jekyll-edge-cases', () => {
    const markerBefore = existsSync(JS_MARKER) ? statSync(JS_MARKER).mtimeMs : null;
    const { posts, others } = readArchive(edgeRoot, 'jekyll');
    const post = (file: string): ParsedPost => {
      const found = posts.get(file);
      if (!found) throw new Error(`${file} was not read as a post`);
      return found;
    };

    it('shows 12 posts and hides 2 (the unpublished one and the draft); the rest are not posts', () => {
      const hidden = [...posts.values()].filter((p) => !p.published || p.draft).map((p) => p.path);
      expect(posts.size - hidden.length).toBe(12);
      expect(hidden.sort()).toEqual(['_drafts/undated-draft.md', '_posts/2018-07-04-published-false.md']);
      expect(others.sort()).toEqual(['EXPECTED.md', 'assets/images/chart.png']);
    });

    it('list-categories: ordered categories, a tag with a space, the date at +01:00, author kept', () => {
      expect(post('_posts/2019-03-01-list-categories.md')).toMatchObject({
        title: "City Hall: the vote that wasn't",
        categories: ['Politics', 'Local'],
        tags: ['election', 'city hall'],
        date: '2019-03-01T09:15:00+01:00',
        meta: { author: 'Staff reporter' },
        problems: [],
      });
    });

    it('folder-categories: folders above _posts, then the category; tags from a space-separated string', () => {
      expect(post('world/asia/_posts/2020-01-15-folder-categories.markdown')).toMatchObject({
        categories: ['world', 'asia', 'economy'],
        tags: ['trade', 'agriculture'],
        date: '2020-01-15',
        format: 'markdown',
      });
    });

    it('published-false and the undated draft are hidden; the draft is undated, not 1970', () => {
      expect(post('_posts/2018-07-04-published-false.md')).toMatchObject({ published: false, draft: false, problems: [] });
      expect(post('_drafts/undated-draft.md')).toMatchObject({ draft: true, date: null, year: null, month: null, problems: [] });
    });

    it('impossible-date: shown, undated, with a warning naming the date', () => {
      const p = post('_posts/2021-02-30-impossible-date.md');
      expect(p).toMatchObject({ date: null, year: null, month: null, published: true, draft: false });
      expect(p.problems).toEqual([
        { path: '_posts/2021-02-30-impossible-date.md', severity: 'warning', message: 'file name date 2021-02-30 does not exist; shown as undated' },
      ]);
    });

    it('html-post: an HTML body with Chinese categories, searchable by 双十一 and 零售', () => {
      const p = post('_posts/2017-11-11-html-post.html');
      expect(p).toMatchObject({ format: 'html', categories: ['商业', '电商'], title: '双十一销售额创新高', problems: [] });
      // 双十一 is in the title and tags, 零售 in the body and tags: what the index holds.
      const indexed = [p.title, ...p.tags, p.text].join('\n');
      expect(indexed).toContain('双十一');
      expect(p.text).toContain('零售');
    });

    it('liquid-tags: no Liquid in the text, the highlighted code kept', () => {
      const p = post('_posts/2016-05-05-liquid-tags.md');
      expect(p.text).toContain('const answer = 42;');
      expect(p.text).not.toMatch(/\{%|%\}|\{\{|\}\}|endhighlight|site\.baseurl/);
    });

    it('bom-crlf: front matter read normally', () => {
      expect(post('_posts/2015-01-01-bom-crlf.md')).toMatchObject({
        title: 'BOM and CRLF line endings',
        date: '2015-01-01T08:00:00',
        categories: ['Tech'],
        tags: ['encoding'],
        problems: [],
      });
    });

    it('gbk-encoded: decoded, searchable by 编码, never mojibake', () => {
      const p = post('_posts/2014-08-08-gbk-encoded.md');
      expect(p).toMatchObject({ title: '旧编码的文章', encoding: 'gb18030', categories: ['档案'], tags: ['编码'], problems: [] });
      expect(p.text).toContain('编码');
    });

    it('bad-yaml: an error with the YAML message and line; title from the file name; body readable', () => {
      const p = post('_posts/2013-09-09-bad-yaml.md');
      expect(p).toMatchObject({ title: 'bad yaml', date: '2013-09-09' });
      expect(p.problems).toEqual([
        { path: '_posts/2013-09-09-bad-yaml.md', severity: 'error', message: 'invalid YAML front matter at line 2: Missing closing "quote' },
      ]);
      expect(p.text).toContain('The body is still worth reading.');
    });

    it('js-front-matter: never executed, reported, shown with the file name title and date', () => {
      const after = existsSync(JS_MARKER) ? statSync(JS_MARKER).mtimeMs : null;
      expect(after).toBe(markerBefore);
      const p = post('_posts/2012-12-12-js-front-matter.md');
      expect(p).toMatchObject({ title: 'js front matter', date: '2012-12-12', meta: {} });
      expect(p.problems).toEqual([
        { path: '_posts/2012-12-12-js-front-matter.md', severity: 'error', message: "unsupported front matter language 'js' (not executed)" },
      ]);
    });

    it('hostile-html: read without problems (sanitising is the renderer’s job)', () => {
      expect(post('_posts/2024-04-01-hostile-html.md')).toMatchObject({ title: 'Hostile markup and a local image', problems: [] });
    });

    it('timezone: filed under 2020 › December as written, the instant kept', () => {
      const p = post('_posts/2020-12-31-timezone.md');
      expect(p).toMatchObject({ date: '2020-12-31T23:30:00-05:00', year: 2020, month: 12 });
      expect(dateInstant(p.date)).toBe('2021-01-01T04:30:00Z');
    });

    it('english-stemming: the words to stem are in the text', () => {
      const p = post('_posts/2023-03-03-english-stemming.md');
      expect(p.title).toBe('Runners run the city marathon');
      expect(p.text).toMatch(/runners ran .* running/);
    });
  });

  describe('shared corpus: finews-sample', () => {
    const { posts, others } = readArchive(finewsRoot, 'flat');
    const post = (file: string): ParsedPost => {
      const found = posts.get(file);
      if (!found) throw new Error(`${file} was not read as a post`);
      return found;
    };

    it('reads the seven posts; the README is not a post', () => {
      expect(posts.size).toBe(7);
      expect(others).toEqual(['README.md']);
    });

    it('a blank line before the opening --- is still front matter', () => {
      expect(post('2021-12-08-202112082206703990.md')).toMatchObject({
        title: 'FF：有充足的现金支持到FF 91完成投产',
        date: '2021-12-08T10:18:31',
        categories: ['emnews'],
        tags: ['东财滚动新闻'],
        problems: [],
      });
    });

    it('title: "" falls back to the first line of the body; date: +0800 is undated with a warning', () => {
      const p = post('-202205262391921712.md');
      expect(p.title.startsWith('据霍尼韦尔官网消息，5月24日')).toBe(true);
      expect(Array.from(p.title).length).toBeLessThanOrEqual(80);
      expect(p).toMatchObject({ date: null, year: null, categories: ['emnews'], tags: ['东财滚动新闻'] });
      expect(p.problems).toEqual([
        { path: '-202205262391921712.md', severity: 'warning', message: "date '+0800' has no day, only a time zone; shown as undated" },
      ]);
    });

    it('every other post has its quoted title, its date, one category, one tag and no problems', () => {
      for (const [file, p] of posts) {
        if (file.startsWith('-')) continue;
        expect(p.title, file).not.toBe('');
        expect(p.date?.slice(0, 10), file).toBe(file.slice(0, 10));
        expect(p.categories, file).toHaveLength(1);
        expect(p.tags, file).toHaveLength(1);
        expect(p.problems, file).toEqual([]);
        expect(p.text.length, file).toBeGreaterThan(0);
      }
      expect(post('2021-12-01-init.md')).toMatchObject({ title: '开站大吉', categories: ['sitenews'], tags: ['站长消息'] });
    });

    it('raw HTML inside Markdown: text read, date at +08:00, source link kept', () => {
      const p = post('2022-05-15-202205152379572893.md');
      expect(p).toMatchObject({
        date: '2022-05-15T20:59:18+08:00',
        categories: ['dazhongwang'],
        source: 'http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202205152379572893',
      });
      expect(p.text).toContain('第四届双品网购节');
    });
  });
}
