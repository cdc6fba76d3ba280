import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateArgs } from '../../src-main/node/validate-args';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

let site: string;
let bare: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  const tmp = tempDir('backfile-cli-cite-');
  site = path.join(tmp, 'site');
  fs.mkdirSync(path.join(site, '_posts'), { recursive: true });
  fs.writeFileSync(path.join(site, '_config.yml'), 'title: 东方财富网\nurl: https://news.example.cn\npermalink: /:year/:month/:day/:title.html\n');
  fs.writeFileSync(
    path.join(site, '_posts/2021-12-08-rrr.md'),
    '---\ntitle: "央行宣布降准0.5个百分点"\nauthor: 萧钰\nsource: https://finance.example.cn/a/1.html\n---\n正文\n',
  );
  fs.writeFileSync(path.join(site, '_posts/2021-12-09-plain.md'), '---\ntitle: 市场综述\n---\n正文\n');
  fs.writeFileSync(path.join(site, '_posts/2021-12-10-no-title.md'), '---\ndate: 2021-12-10\n---\n今日无题\n');
  bare = path.join(tmp, 'bare-archive');
  fs.mkdirSync(path.join(bare, '_posts'), { recursive: true });
  fs.writeFileSync(path.join(bare, '_posts/2020-01-01-a.md'), '---\ntitle: Dashes\n---\nbody\n');
  env = { BACKFILE_DATA_DIR: path.join(tmp, 'data') };
});

const cite = (archive: string, post: string, ...options: string[]) => {
  const { status, stdout, stderr } = runCli(['cite', archive, post, '--accessed', '2026-11-29', ...options], env);
  expect(stderr).toBe('');
  expect(status).toBe(0);
  return stdout;
};

describe('cli cite', () => {
  it('prints one line per style, with the site title from _config.yml, the author and the front matter source', () => {
    const post = '_posts/2021-12-08-rrr.md';
    expect(cite(site, post, '--style', 'gb7714')).toBe('萧钰. 央行宣布降准0.5个百分点[EB/OL]. 东方财富网, 2021-12-08[2026-11-29]. https://finance.example.cn/a/1.html.\n');
    expect(cite(site, post)).toBe(cite(site, post, '--style', 'gb7714'));
    expect(cite(site, post, '--style', 'apa')).toBe('萧钰. (2021, December 8). 央行宣布降准0.5个百分点. 东方财富网. https://finance.example.cn/a/1.html\n');
    expect(cite(site, post, '--style', 'chicago')).toBe('萧钰. “央行宣布降准0.5个百分点.” 东方财富网, December 8, 2021. https://finance.example.cn/a/1.html.\n');
    expect(cite(site, post, '--style', 'markdown')).toBe('[央行宣布降准0.5个百分点](https://finance.example.cn/a/1.html)\n');
  });

  it('uses the canonical URL from _config.yml when the post names none, and cites an untitled post by its file name', () => {
    expect(cite(site, '_posts/2021-12-09-plain.md', '--style', 'apa')).toBe('市场综述. (2021, December 9). 东方财富网. https://news.example.cn/2021/12/09/plain.html\n');
    expect(cite(site, '_posts/2021-12-10-no-title.md', '--style', 'gb7714')).toBe(
      '[无题名: 2021-12-10-no-title.md][EB/OL]. 东方财富网, 2021-12-10[2026-11-29]. https://news.example.cn/2021/12/10/no-title.html.\n',
    );
  });

  it('without _config.yml: the folder name as the site, no URL', () => {
    expect(cite(bare, '_posts/2020-01-01-a.md', '--style', 'chicago')).toBe('“Dashes.” bare-archive, January 1, 2020.\n');
    expect(cite(bare, '_posts/2020-01-01-a.md', '--style', 'markdown')).toBe('Dashes (bare-archive, 2020-01-01)\n');
  });

  it('refuses an unknown style or access date in one line (exit 2), and a missing post (exit 1)', () => {
    for (const args of [['--style', 'mla'], ['--accessed', '2026-02-30']]) {
      const { status, stderr } = runCli(['cite', bare, '_posts/2020-01-01-a.md', ...args], env);
      expect(status).toBe(2);
      expect(stderr).toMatch(/^backfile: [^\n]+\n$/);
    }
    expect(runCli(['cite', bare, '_posts/nope.md'], env).status).toBe(1);
  });

  it('the contract refuses a style it does not know', () => {
    expect(() => validateArgs('citeArticle', ['_posts/a.md', 'mla'])).toThrow(/"gb7714", "apa", "chicago", "markdown"/);
    expect(validateArgs('citeArticle', ['_posts/a.md', 'apa'])).toEqual(['_posts/a.md', 'apa']);
  });
});
