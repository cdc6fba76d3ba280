import { describe, expect, it } from 'vitest';
import { destinationOf, freeName, isSourcePost, nameKey, numberedName, placementFor, sourceFolderName } from '../../src-main/node/import/plan';
import { locatePost } from '../../src-main/core/post-path';

describe('placementFor', () => {
  it('copies a Jekyll site as it is under imported/<name>/', () => {
    const p = placementFor('site', 'blog', 'blog', false);
    expect(p).toEqual({ postPrefix: 'imported/blog/', rootPrefix: 'imported/blog/', renamePostsFolders: false });
    expect(destinationOf('world/asia/_posts/2020-01-15-x.md', p.postPrefix, p)).toBe('imported/blog/world/asia/_posts/2020-01-15-x.md');
  });

  it('puts a flat dump and a _posts folder under imported/<name>/_posts/, where a Jekyll archive sees posts', () => {
    for (const shape of ['flat', 'posts-folder'] as const) {
      const p = placementFor(shape, 'dump', '_posts', false);
      const dest = destinationOf('2021/2021-12-08-x.md', p.postPrefix, p);
      expect(dest).toBe('imported/dump/_posts/2021/2021-12-08-x.md');
      expect(locatePost(dest, 'jekyll')).toMatchObject({ kind: 'post', folderCategories: ['imported', 'dump'] });
      // Root-relative references land beside, not under, `_posts`.
      expect(destinationOf('assets/a.png', p.rootPrefix, p)).toBe('imported/dump/assets/a.png');
    }
  });

  it('keeps drafts in a _drafts folder', () => {
    const p = placementFor('posts-folder', 'blog', '_drafts', false);
    expect(destinationOf('x.md', p.postPrefix, p)).toBe('imported/blog/_drafts/x.md');
  });

  it('puts a single file under imported/_posts/', () => {
    const p = placementFor('file', 'ignored', 'x.md', false);
    expect(destinationOf('x.md', p.postPrefix, p)).toBe('imported/_posts/x.md');
  });

  it('never creates a _posts folder in a flat archive (its own posts would stop being posts)', () => {
    const cases = [
      ['site', 'world/_posts/x.md', 'imported/s/world/posts/x.md'],
      ['flat', 'x.md', 'imported/s/x.md'],
      ['posts-folder', 'x.md', 'imported/s/x.md'],
      ['file', 'x.md', 'imported/x.md'],
    ] as const;
    for (const [shape, rel, expected] of cases) {
      const p = placementFor(shape, 's', shape === 'posts-folder' ? '_posts' : 's', true);
      const dest = destinationOf(rel, p.postPrefix, p);
      expect(dest).toBe(expected);
      expect(dest.split('/')).not.toContain('_posts');
      expect(locatePost(dest, 'flat').kind).toBe('post');
    }
  });
});

describe('isSourcePost', () => {
  it('reads posts the way the source itself is laid out', () => {
    expect(isSourcePost('_posts/2020-01-01-a.md', 'site', 'blog')).toBe(true);
    expect(isSourcePost('_drafts/a.md', 'site', 'blog')).toBe(true);
    expect(isSourcePost('about.md', 'site', 'blog')).toBe(false);
    expect(isSourcePost('assets/a.png', 'site', 'blog')).toBe(false);
    expect(isSourcePost('a.md', 'posts-folder', '_posts')).toBe(true);
    expect(isSourcePost('sub/a.html', 'posts-folder', '_posts')).toBe(true);
    expect(isSourcePost('a.md', 'flat', 'dump')).toBe(true);
    expect(isSourcePost('README.md', 'flat', 'dump')).toBe(false);
    expect(isSourcePost('a.png', 'flat', 'dump')).toBe(false);
    expect(isSourcePost('a.markdown', 'file', 'a.markdown')).toBe(true);
    expect(isSourcePost('a.txt', 'file', 'a.txt')).toBe(false);
  });
});

describe('names', () => {
  it('numbers a taken name before its extension, keeping a date prefix', () => {
    expect(numberedName('2020-01-01-post.md', 1)).toBe('2020-01-01-post.md');
    expect(numberedName('2020-01-01-post.md', 2)).toBe('2020-01-01-post-2.md');
    expect(numberedName('chart', 3)).toBe('chart-3');
  });

  it('treats names differing only in case or Unicode normalisation as the same name', () => {
    expect(nameKey('Post.md')).toBe(nameKey('post.md'));
    expect(nameKey('caf\u00e9.md')).toBe(nameKey('cafe\u0301.md'));
    expect(nameKey('a.md')).not.toBe(nameKey('b.md'));
    const taken = new Set([nameKey('Post.md'), nameKey('post-2.md')]);
    expect(freeName('POST.md', taken)).toBe('POST-3.md');
    expect(freeName('cafe\u0301.md', new Set([nameKey('caf\u00e9.md')]))).toBe('cafe\u0301-2.md');
    expect(freeName('new.md', taken)).toBe('new.md');
  });

  it('names the source folder safely after the source (a _posts folder after its parent)', () => {
    expect(sourceFolderName('/home/a/colleague-blog')).toBe('colleague-blog');
    expect(sourceFolderName('/home/a/colleague-blog/_posts')).toBe('colleague-blog');
    expect(sourceFolderName('/media/usb/_export')).toBe('export');
    expect(sourceFolderName('/media/usb/.hidden')).toBe('hidden');
    expect(sourceFolderName('C:\\Users\\x\\Desktop\\新闻 ')).toBe('新闻');
    expect(sourceFolderName('/tmp/a:b*c?')).toBe('a_b_c_');
    expect(sourceFolderName('/')).toBe('source');
    expect(sourceFolderName('/x/...')).toBe('source');
  });
});
