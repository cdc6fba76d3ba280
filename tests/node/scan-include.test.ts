import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanArchive, scanPaths } from '../../src-main/node/index/scan';
import { locateInSite, parseSiteConfig } from '../../src-main/core/site-config';
import { tempDir } from '../helpers/temp';

const post = (title: string) => `---\ntitle: ${title}\n---\ntext\n`;

function makeArchive(config: string): string {
  const root = path.join(tempDir('backfile-scan-include-'), 'archive');
  const files: Record<string, string> = {
    '_config.yml': config,
    '_posts/2020-01-01-plain.md': post('Plain'),
    '_posts/_2020-01-02-underscored.md': post('Underscored file'),
    '_notes/_posts/2020-01-03-note.md': post('In _notes'),
    '_other/_posts/2020-01-04-other.md': post('In _other (never included)'),
    'news/_archive/_posts/2020-01-05-deep.md': post('In news/_archive'),
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const paths = async (root: string) =>
  (await scanArchive(root)).files.map((f) => [f.relPath, f.location.kind, f.location.folderCategories.join('/')]).sort();

describe('_config.yml include brings back _-prefixed folders and files, as Jekyll does', () => {
  it('without include, _-prefixed entries are skipped', async () => {
    expect(await paths(makeArchive('title: x\n'))).toEqual([['_posts/2020-01-01-plain.md', 'post', '']]);
  });

  it('include names a folder, a nested path or a file (or a glob), and only those come back', async () => {
    const root = makeArchive('include: [_notes, news/_archive, "_2020-*.md"]\n');
    expect(await paths(root)).toEqual([
      ['_notes/_posts/2020-01-03-note.md', 'post', '_notes'],
      ['_posts/2020-01-01-plain.md', 'post', ''],
      ['_posts/_2020-01-02-underscored.md', 'post', ''],
      ['news/_archive/_posts/2020-01-05-deep.md', 'post', 'news/_archive'],
    ]);
    // The watcher's path-by-path scan agrees.
    const seen = await scanPaths(root, ['_notes/_posts/2020-01-03-note.md', '_other/_posts/2020-01-04-other.md'], 'jekyll');
    expect(seen?.files.map((f) => f.relPath)).toEqual(['_notes/_posts/2020-01-03-note.md']);
    expect(seen?.gone).toEqual(['_other/_posts/2020-01-04-other.md']);
  });

  it('in a flat archive too', () => {
    const { config } = parseSiteConfig('include: [_kept]\n');
    expect(locateInSite(config, '_kept/a.md', 'flat', new Date()).kind).toBe('post');
    expect(locateInSite(config, '_dropped/a.md', 'flat', new Date()).kind).toBe('other');
  });
});
