import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliJson } from '../helpers/cli';
import { repoRoot, sampleArchive, tempDir } from '../helpers/temp';

const siteArchive = path.join(repoRoot, 'tests/fixtures/site-archive');

describe('CLI: _config.yml in show --json and stats --json', () => {
  const env = { BACKFILE_DATA_DIR: tempDir() };

  it('show --json gives the canonical URL; stats --json the site title and URL', () => {
    const shown = runCliJson<{ url: string | null }>(['show', siteArchive, 'emnews/_posts/2021-12-09-202112092206999999.md'], env);
    expect(shown.url).toBe('https://news.example.com/archive/emnews/202112092206999999.html');
    const stats = runCliJson<{ site: unknown; problems: unknown[] }>(['stats', siteArchive], env);
    expect(stats.site).toEqual({ title: '东财新闻存档', url: 'https://news.example.com/archive' });
  });

  it('without _config.yml: url null, site title and url null', () => {
    const stats = runCliJson<{ site: unknown }>(['stats', sampleArchive], env);
    expect(stats.site).toEqual({ title: null, url: null });
  });
});
