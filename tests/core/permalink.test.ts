import { describe, expect, it } from 'vitest';
import { buildPermalink, canonicalUrl, slugify } from '../../src-main/core/permalink';

// Jekyll's documented examples (jekyllrb.com/docs/permalinks): the post _posts/2009-04-29-slap-chop.md.
const slapChop = { fileSlug: 'slap-chop', categories: [], date: '2009-04-29' };

describe('buildPermalink: Jekyll documented examples', () => {
  it.each([
    ['date', '/2009/04/29/slap-chop.html'],
    [undefined, '/2009/04/29/slap-chop.html'],
    ['pretty', '/2009/04/29/slap-chop/'],
    ['ordinal', '/2009/119/slap-chop.html'],
    ['weekdate', '/2009/W18/Wed/slap-chop.html'],
    ['none', '/slap-chop.html'],
    ['/:categories/:year/:month/:day/:title:output_ext', '/2009/04/29/slap-chop.html'],
    ['/:month-:day-:year/:title:output_ext', '/04-29-2009/slap-chop.html'],
    ['/blog/:year/:month/:day/:title/', '/blog/2009/04/29/slap-chop/'],
    ['/:year/:month/:title', '/2009/04/slap-chop'],
    ['/:short_year/:i_month/:i_day/:slug.html', '/09/4/29/slap-chop.html'],
  ])('permalink %s', (style, expected) => {
    expect(buildPermalink(slapChop, style === undefined ? {} : { permalink: style })).toBe(expected);
  });

  it('categories are lower-cased, joined by /, and an empty list leaves no empty segment', () => {
    expect(buildPermalink({ ...slapChop, categories: ['News', 'Local'] })).toBe('/news/local/2009/04/29/slap-chop.html');
    expect(buildPermalink({ ...slapChop, categories: ['News', 'news'] }, { permalink: 'none' })).toBe('/news/slap-chop.html');
  });

  it('hour, minute, second come from the written clock', () => {
    expect(buildPermalink({ ...slapChop, date: '2009-04-29T07:05:09' }, { permalink: '/:year/:hour:minute:second/:title/' })).toBe('/2009/070509/slap-chop/');
  });

  it('front matter permalink replaces the pattern (placeholders still apply); front matter slug replaces the title', () => {
    expect(buildPermalink({ ...slapChop, meta: { permalink: '/about/:year/' } }, { permalink: 'pretty' })).toBe('/about/2009/');
    expect(buildPermalink({ ...slapChop, meta: { slug: 'Chop Chop' } })).toBe('/2009/04/29/Chop-Chop.html');
    expect(buildPermalink({ ...slapChop, meta: { slug: 'Chop Chop' } }, { permalink: '/:slug/' })).toBe('/chop-chop/');
  });

  it('Chinese slugs and categories are percent-encoded as UTF-8', () => {
    expect(buildPermalink({ fileSlug: '新闻', categories: ['财经'], date: '2021-12-08' })).toBe(
      `/${encodeURIComponent('财经')}/2021/12/08/${encodeURIComponent('新闻')}.html`,
    );
  });

  it('a date written with an offset is shown in the site time zone; one without keeps its clock', () => {
    const late = { ...slapChop, date: '2009-04-29T23:30:00-05:00' };
    expect(buildPermalink(late)).toBe('/2009/04/29/slap-chop.html');
    expect(buildPermalink(late, { timezone: 'Asia/Shanghai' })).toBe('/2009/04/30/slap-chop.html');
    expect(buildPermalink({ ...slapChop, date: '2009-04-29T23:30:00' }, { timezone: 'Asia/Shanghai' })).toBe('/2009/04/29/slap-chop.html');
  });

  it('canonical URL joins url, baseurl and the path; none without url', () => {
    expect(canonicalUrl('https://example.com', '/blog', '/a.html')).toBe('https://example.com/blog/a.html');
    expect(canonicalUrl(null, '', '/a.html')).toBeNull();
  });

  it('slugify modes as in Jekyll', () => {
    expect(slugify('The _config.yml file', 'default', false)).toBe('the-config-yml-file');
    expect(slugify('The _config.yml file', 'pretty', false)).toBe('the-_config.yml-file');
    expect(slugify('The _config.yml file', 'pretty', true)).toBe('The-_config.yml-file');
  });
});

describe('escapePath', () => {
  it("keeps Jekyll's safe set, encodes the rest as UTF-8, and never throws", async () => {
    const { escapePath } = await import('../../src-main/core/permalink');
    expect(escapePath("a-z_0.9~!$&'()*+,;=:@/")).toBe("a-z_0.9~!$&'()*+,;=:@/");
    expect(escapePath('a b%?#')).toBe('a%20b%25%3F%23');
    expect(escapePath('新闻😀')).toBe('%E6%96%B0%E9%97%BB%F0%9F%98%80');
    expect(escapePath('x\ud800y')).toBe('x%EF%BF%BDy');
  });
});
