import { describe, expect, it } from 'vitest';
import { defaultsFor, isExcluded, parseSiteConfig } from '../../src-main/core/site-config';

describe('parseSiteConfig', () => {
  it('reads the fields a reader needs', () => {
    const { config, problems } = parseSiteConfig(
      [
        'title: 东财新闻',
        'url: "https://news.example.com/"',
        'baseurl: /archive/',
        'permalink: pretty',
        'timezone: Asia/Shanghai',
        'exclude: [vendor, "*.bak.md"]',
        'include: [vendor/keep]',
        'show_drafts: true',
        'future: false',
        'defaults:',
        '  - scope: { path: "emnews", type: posts }',
        '    values: { categories: [em] }',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      title: '东财新闻', url: 'https://news.example.com', baseurl: '/archive', permalink: 'pretty', timezone: 'Asia/Shanghai',
      exclude: ['vendor', '*.bak.md'], include: ['vendor/keep'], showDrafts: true, future: false,
    });
    expect(defaultsFor(config, 'emnews/_posts/2021-01-01-a.md', 'post')).toEqual({ categories: ['em'] });
    expect(defaultsFor(config, 'other/_posts/2021-01-01-a.md', 'post')).toEqual({});
    expect(isExcluded(config, 'vendor/_posts/a.md')).toBe(true);
    expect(isExcluded(config, 'vendor/keep/_posts/a.md')).toBe(false);
    expect(isExcluded(config, '_posts/x.bak.md')).toBe(true);
  });

  it('name stands in for title; a leading --- is allowed', () => {
    expect(parseSiteConfig('---\nname: My Site\n').config.title).toBe('My Site');
  });

  it('broken YAML is a problem and the defaults are used', () => {
    const { config, problems } = parseSiteConfig('title: "unclosed\nurl: [');
    expect(config.title).toBeNull();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/_config\.yml/);
  });

  it('keeps the front matter limits: an alias bomb is refused', () => {
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', ...Array.from({ length: 30 }, (_, i) => `b${i}: &b${i} [*${i === 0 ? 'a' : `b${i - 1}`},*${i === 0 ? 'a' : `b${i - 1}`}]`)].join('\n');
    expect(parseSiteConfig(bomb).problems.length).toBeGreaterThan(0);
  });

  it('a url that is not http(s) and an unknown time zone are reported and ignored', () => {
    const { config, problems } = parseSiteConfig('url: javascript:alert(1)\ntimezone: Mars/Olympus');
    expect(config.url).toBeNull();
    expect(config.timezone).toBeNull();
    expect(problems).toHaveLength(2);
  });
});
