/**
 * The benchmark's real-text corpus (tests/bench/real-text-post.ts, `npm run bench -- --corpus real`): the same
 * seed gives the same bytes, and every post it writes is one Backfile reads without a problem.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePost } from '../../src-main/core/parse-post';
import { scanArchive } from '../../src-main/node/index/scan';
import { generateArchive } from '../bench/generate-archive';
import { hasSharedCorpus, loadRealText } from '../bench/real-paragraphs';
import { sharedCorpus, tempDir } from '../helpers/temp';

const present = hasSharedCorpus(sharedCorpus);
if (!present) console.log(`bench-corpus.test.ts skipped: ${sharedCorpus} is absent`);

/** Every file of a folder, by relative path. */
function contents(dir: string): Map<string, Buffer> {
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(files.map((e) => [path.relative(dir, path.join(e.parentPath, e.name)), fs.readFileSync(path.join(e.parentPath, e.name))]));
}

describe.skipIf(!present)('real-text benchmark corpus', () => {
  const dir = present ? tempDir('backfile-bench-corpus-') : '';
  const POSTS = 400;

  it('finds real paragraphs, titles and source links in the shared corpora', () => {
    const text = loadRealText(sharedCorpus);
    expect(text.paragraphs.length).toBeGreaterThan(10);
    expect(text.otherParagraphs.length).toBeGreaterThan(5);
    expect(text.titles.length).toBeGreaterThan(5);
    expect(text.sources.length).toBeGreaterThan(0);
  });

  it('writes the same bytes for the same seed, and other bytes for another seed', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((name) => path.join(dir, name)) as [string, string, string];
    const first = await generateArchive(a, POSTS, 9, 'real');
    const again = await generateArchive(b, POSTS, 9, 'real');
    await generateArchive(c, POSTS, 10, 'real');
    expect(again).toEqual(first);
    const [filesA, filesB, filesC] = [contents(a), contents(b), contents(c)];
    expect(filesA.size).toBe(POSTS);
    expect([...filesB.keys()].sort()).toEqual([...filesA.keys()].sort());
    for (const [rel, bytes] of filesA) expect(filesB.get(rel)?.equals(bytes), rel).toBe(true);
    expect([...filesC.keys()].sort()).not.toEqual([...filesA.keys()].sort());
  });

  it('writes posts Backfile reads without problems: dated, titled, filed, with text', async () => {
    const archive = path.join(dir, 'a');
    if (!fs.existsSync(archive)) await generateArchive(archive, POSTS, 9, 'real');
    const scan = await scanArchive(archive);
    expect(scan.problems).toEqual([]);
    expect(scan.files).toHaveLength(POSTS);
    const years = new Set<number>();
    for (const entry of scan.files) {
      const post = parsePost(entry.relPath, fs.readFileSync(entry.absPath), entry.location);
      expect(post.problems, entry.relPath).toEqual([]);
      expect(post.date, entry.relPath).not.toBeNull();
      expect(post.title.trim(), entry.relPath).not.toBe('');
      expect(post.categories.length, entry.relPath).toBeGreaterThan(0);
      expect(post.tags.length, entry.relPath).toBeGreaterThan(0);
      expect(post.text.trim(), entry.relPath).not.toBe('');
      expect(post.published && !post.draft, entry.relPath).toBe(true);
      if (post.year !== null) years.add(post.year);
    }
    expect(years.size).toBeGreaterThanOrEqual(10);
  });
});
