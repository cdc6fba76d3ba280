import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { copyArchive, repoRoot, sharedCorpus, tempDir } from '../helpers/temp';
import { closedAfterEach } from '../helpers/archive-services';

const siteArchive = path.join(repoRoot, 'tests/fixtures/site-archive');
const FROM = 'emnews/_posts/2021-12-08-202112082206735975.md';
const NEXT = 'emnews/_posts/2021-12-09-202112092206999999.md';
const CUSTOM = '_posts/2021-12-10-custom.md';

describe('_config.yml and links inside the archive', () => {
  const make = closedAfterEach();
  const open = async (root = siteArchive) => {
    const service = make();
    const info = await service.open(root, { waitForIndex: true, indexFile: path.join(tempDir(), 'index.sqlite') });
    return { service, info };
  };

  it('names the archive by its title, skips excluded folders and builds canonical URLs as Jekyll does', async () => {
    const { service, info } = await open();
    expect(info.name).toBe('东财新闻存档');
    expect(info.siteUrl).toBe('https://news.example.com/archive');
    expect(info.posts).toBe(3); // vendor/ is excluded
    expect((await service.list({ includeHidden: true })).items.map((i) => i.path)).not.toContain('vendor/_posts/2021-01-01-excluded.md');
    expect((await service.getArticle(NEXT)).url).toBe('https://news.example.com/archive/emnews/202112092206999999.html');
    // defaults (scope _posts) give the pattern, front matter slug the title, the site's time zone the year.
    expect((await service.getArticle(CUSTOM)).url).toBe('https://news.example.com/archive/pages/2022/custom-page/');
  });

  it.each([
    ['/archive/emnews/202112092206999999.html', { kind: 'post', path: NEXT }],
    ['https://news.example.com/archive/emnews/202112092206999999.html', { kind: 'post', path: NEXT }],
    ['http://news.example.com/archive/emnews/202112092206999999.html#top', { kind: 'post', path: NEXT }],
    ['/2021/12/09/202112092206999999.html', { kind: 'post', path: NEXT }],
    ['2021-12-09-202112092206999999.md', { kind: 'post', path: NEXT }],
    ['/archive/pages/2022/custom-page/', { kind: 'post', path: CUSTOM }],
    ['../emnews/', { kind: 'category', path: ['emnews'] }],
    ['../', { kind: 'category', path: [] }],
    ['https://example.org/news/1.html', { kind: 'external', url: 'https://example.org/news/1.html' }],
    ['https://news.example.com/archive/nothing.html', { kind: 'external', url: 'https://news.example.com/archive/nothing.html' }],
    ['mailto:editor@example.com', null],
    ['no-such-page.html', null],
    ['#section', null],
    ['../../../../etc/passwd', null],
    ['javascript:alert(1)', null],
  ])('resolveLink %s', async (href, expected) => {
    const { service } = await open();
    expect(await service.resolveLink(FROM, href)).toEqual(expected);
  });

  it('refuses a from-path outside the archive', async () => {
    const { service } = await open();
    await expect(service.resolveLink('../x.md', '/')).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
  });

  it('a broken _config.yml is a problem at _config.yml, and the archive still opens with the defaults', async () => {
    const root = copyArchive(siteArchive);
    fs.writeFileSync(path.join(root, '_config.yml'), 'title: "unclosed\nexclude: [vendor\n');
    const { service, info } = await open(root);
    expect(info.name).toBe(path.basename(root));
    expect(info.posts).toBe(4); // nothing excluded
    expect((await service.problems()).filter((p) => p.path === '_config.yml')).toHaveLength(1);
    expect((await service.stats()).problems.map((p) => p.path)).toContain('_config.yml');
    expect((await service.getArticle(NEXT)).url).toBeNull();
    // Without a permalink setting, Jekyll's default `date` style.
    expect(await service.resolveLink(FROM, '/emnews/2021/12/09/202112092206999999.html')).toEqual({ kind: 'post', path: NEXT });
  });
});

describe('_config.yml: defaults, show_drafts and future change what is read and hidden', () => {
  const make = closedAfterEach();

  const write = (root: string, rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };

  it('applies front-matter defaults by path, shows drafts with show_drafts, hides future posts with future: false', async () => {
    const root = tempDir();
    write(root, '_config.yml', [
      'show_drafts: true',
      'future: false',
      'defaults:',
      '  - scope: { path: "news" }',
      '    values: { tags: [默认标签], author: 编辑部 }',
    ].join('\n'));
    write(root, 'news/_posts/2021-01-01-a.md', '---\ntitle: A\n---\nbody\n');
    write(root, 'news/_posts/2021-01-02-b.md', '---\ntitle: B\ntags: [own]\n---\nbody\n');
    write(root, '_drafts/draft.md', '---\ntitle: Draft\n---\nbody\n');
    write(root, '_posts/2999-01-01-future.md', '---\ntitle: Future\n---\nbody\n');
    const service = make();
    const info = await service.open(root, { waitForIndex: true, indexFile: path.join(tempDir(), 'index.sqlite') });
    expect({ posts: info.posts, hidden: info.hidden }).toEqual({ posts: 3, hidden: 1 });
    const visible = (await service.list({})).items.map((i) => i.title).sort();
    expect(visible).toEqual(['A', 'B', 'Draft']);
    expect((await service.tags()).map((t) => t.name)).toEqual(expect.arrayContaining(['默认标签', 'own']));
    expect((await service.list({ tag: 'own' })).items.map((i) => i.title)).toEqual(['B']); // its own tags win
    const a = await service.getArticle('news/_posts/2021-01-01-a.md');
    expect(a.meta.author).toBe('编辑部');
    expect((await service.getArticle('_posts/2999-01-01-future.md')).hidden).toBe(true);
  });
});

describe('_config.yml changed between runs: what it puts into each post is read again', () => {
  it('a new default tag reaches posts indexed before the change (a full re-read, as for a new parser version)', async () => {
    const root = tempDir();
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write('_config.yml', 'title: Site\n');
    write('_posts/2021-01-01-a.md', '---\ntitle: A\n---\nbody\n');
    const indexFile = path.join(tempDir(), 'index.sqlite');
    const first = new ArchiveService();
    await first.open(root, { waitForIndex: true, indexFile });
    expect((await first.tags()).filter((t) => t.name !== '')).toEqual([]); // '' is the Untagged row
    await first.close();
    write('_config.yml', 'title: Site\ndefaults:\n  - scope: { path: "" }\n    values: { tags: [后加标签] }\n');
    const second = new ArchiveService();
    try {
      await second.open(root, { waitForIndex: true, indexFile });
      expect((await second.list({ tag: '后加标签' })).items.map((i) => i.title)).toEqual(['A']);
      expect(second.lastSummary()?.updated).toBe(1);
    } finally {
      await second.close();
    }
  });
});

describe('resolveLink at the process boundary', () => {
  it('takes two strings and nothing else', async () => {
    const { validateArgs } = await import('../../src-main/node/validate-args');
    expect(validateArgs('resolveLink', ['_posts/a.md', '../emnews/'])).toEqual(['_posts/a.md', '../emnews/']);
    expect(() => validateArgs('resolveLink', ['_posts/a.md'])).toThrow(/argument 2 must be a string/);
    expect(() => validateArgs('resolveLink', ['_posts/a.md', { href: 'x' }])).toThrow(/must be a string/);
    expect(() => validateArgs('resolveLink', ['_posts/a.md', 'x'.repeat(8193)])).toThrow(/at most 8192/);
  });
});

describe.skipIf(!fs.existsSync(path.join(sharedCorpus, 'finews-sample')))('links of the real finews sample (no _config.yml)', () => {
  it('"返回东财滚动新闻" (../emnews/) selects the category, "返回首页" (../) everything', async () => {
    const service = new ArchiveService();
    try {
      await service.open(path.join(sharedCorpus, 'finews-sample'), { waitForIndex: true, indexFile: path.join(tempDir(), 'index.sqlite') });
      const from = '2021-12-08-202112082206735975.md';
      expect(await service.resolveLink(from, '../emnews/')).toEqual({ kind: 'category', path: ['emnews'] });
      expect(await service.resolveLink(from, '../')).toEqual({ kind: 'category', path: [] });
      expect(await service.resolveLink(from, 'http://finance.eastmoney.com/news/1355,202112082206735975.html')).toEqual({
        kind: 'external', url: 'http://finance.eastmoney.com/news/1355,202112082206735975.html',
      });
    } finally {
      await service.close();
    }
  });
});

describe('_config.yml changed while the archive is open', () => {
  it('is read again: the name, the canonical URLs and exclude follow it', async () => {
    const root = copyArchive(siteArchive);
    const service = new ArchiveService({ watch: true });
    try {
      const info = await service.open(root, { waitForIndex: true, indexFile: path.join(tempDir(), 'index.sqlite') });
      expect(info.posts).toBe(3);
      const changed = new Promise<void>((resolve) => {
        const off = service.on('archiveChanged', (next) => {
          if (next.name === '新名字' && next.posts === 4) {
            off();
            resolve();
          }
        });
      });
      fs.writeFileSync(path.join(root, '_config.yml'), 'title: 新名字\nurl: https://other.example.org\n');
      await changed;
      expect((await service.getArticle(NEXT)).url).toBe('https://other.example.org/emnews/2021/12/09/202112092206999999.html');
      expect(await service.resolveLink(FROM, 'https://other.example.org/emnews/2021/12/09/202112092206999999.html')).toEqual({ kind: 'post', path: NEXT });
    } finally {
      await service.close();
    }
  });
});
