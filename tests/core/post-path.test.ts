import { describe, expect, it } from 'vitest';
import { locatePost } from '../../src-main/core/post-path';

describe('locatePost, Jekyll layout', () => {
  it('reads a dated post under _posts', () => {
    expect(locatePost('_posts/2019-03-01-list-categories.md', 'jekyll')).toEqual({
      kind: 'post',
      folderCategories: [],
      fileDate: '2019-03-01',
      fileDateInvalid: null,
      slug: 'list-categories',
      format: 'markdown',
    });
  });

  it('takes the folders above _posts as categories, not those below', () => {
    const location = locatePost('world/asia/_posts/2020-01-15-folder-categories.markdown', 'jekyll');
    expect(location).toMatchObject({ kind: 'post', folderCategories: ['world', 'asia'], slug: 'folder-categories' });
    expect(locatePost('_posts/2020/01/2020-01-15-nested.md', 'jekyll')).toMatchObject({ kind: 'post', folderCategories: [] });
    expect(locatePost('news/_posts/archive/2020-01-15-x.md', 'jekyll').folderCategories).toEqual(['news']);
  });

  it('reads drafts under _drafts, with their folder categories', () => {
    expect(locatePost('_drafts/undated-draft.md', 'jekyll')).toMatchObject({
      kind: 'draft',
      folderCategories: [],
      fileDate: null,
      slug: 'undated-draft',
    });
    expect(locatePost('sport/_drafts/2020-05-05-match.md', 'jekyll')).toMatchObject({
      kind: 'draft',
      folderCategories: ['sport'],
      fileDate: '2020-05-05',
    });
  });

  it('knows the post extensions, in any case, and the HTML ones', () => {
    expect(locatePost('_posts/2017-11-11-html-post.html', 'jekyll')).toMatchObject({ kind: 'post', format: 'html' });
    expect(locatePost('_posts/2017-11-11-old.HTM', 'jekyll')).toMatchObject({ kind: 'post', format: 'html' });
    expect(locatePost('_posts/2017-11-11-shout.MD', 'jekyll')).toMatchObject({ kind: 'post', format: 'markdown' });
    expect(locatePost('_posts/2017-11-11-x.mkd', 'jekyll').kind).toBe('post');
    for (const other of ['_posts/2017-11-11-data.json', '_posts/notes.txt', '_posts/2017-11-11-img.png', '_posts/Makefile']) {
      expect(locatePost(other, 'jekyll').kind).toBe('other');
    }
  });

  it('treats everything outside _posts/_drafts as other', () => {
    for (const other of ['EXPECTED.md', 'README.md', 'about.md', 'blog/index.html', 'assets/images/chart.png']) {
      expect(locatePost(other, 'jekyll').kind).toBe('other');
    }
  });

  it('skips hidden and special names, as Jekyll does', () => {
    for (const other of [
      '_site/_posts/2020-01-01-copy.md',
      '.git/_posts/2020-01-01-x.md',
      '_posts/.2020-01-01-hidden.md',
      '_posts/_2020-01-01-partial.md',
      '_posts/.cache/2020-01-01-x.md',
      '_posts/#2020-01-01-autosave.md#',
      '_posts/2020-01-01-backup.md~',
      'news/_includes/_posts/2020-01-01-x.md',
    ]) {
      expect(locatePost(other, 'jekyll').kind, other).toBe('other');
    }
  });

  it('keeps an impossible file-name date as written, and never rolls it over', () => {
    expect(locatePost('_posts/2021-02-30-impossible-date.md', 'jekyll')).toMatchObject({
      kind: 'post',
      fileDate: null,
      fileDateInvalid: '2021-02-30',
      slug: 'impossible-date',
    });
    expect(locatePost('_posts/2021-13-01-month.md', 'jekyll').fileDateInvalid).toBe('2021-13-01');
    expect(locatePost('_posts/2020-2-9-short.md', 'jekyll')).toMatchObject({ fileDate: '2020-02-09', slug: 'short' });
  });

  it('keeps a post without a date in its name (undated) and a name that is only a date', () => {
    expect(locatePost('_posts/notes.md', 'jekyll')).toMatchObject({ kind: 'post', fileDate: null, slug: 'notes' });
    expect(locatePost('_posts/2021-12-01.md', 'jekyll')).toMatchObject({ fileDate: '2021-12-01', slug: '2021-12-01' });
  });
});

describe('locatePost, flat layout', () => {
  it('takes every post file in a plain folder, without folder categories', () => {
    expect(locatePost('2021-12-08-202112082206672930.md', 'flat')).toEqual({
      kind: 'post',
      folderCategories: [],
      fileDate: '2021-12-08',
      fileDateInvalid: null,
      slug: '202112082206672930',
      format: 'markdown',
    });
    expect(locatePost('2022/05/2022-05-15-x.md', 'flat')).toMatchObject({ kind: 'post', folderCategories: [] });
  });

  it('reads a date-less scraped name that starts with a dash', () => {
    expect(locatePost('-202205262391921712.md', 'flat')).toMatchObject({
      kind: 'post',
      fileDate: null,
      fileDateInvalid: null,
      slug: '202205262391921712',
    });
  });

  it('leaves README, LICENSE and hidden files alone at any level', () => {
    for (const other of ['README.md', 'docs/readme.markdown', 'LICENSE.md', '.hidden.md', '_layouts/post.html', '.git/x.md', 'x.txt']) {
      expect(locatePost(other, 'flat').kind, other).toBe('other');
    }
  });
});
