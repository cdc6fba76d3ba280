import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { locatePost } from '../../src-main/core/post-path';
import { bandBuckets } from '../../src-main/core/similarity/bands';
import { unpackSignature } from '../../src-main/core/similarity/signature';
import { ParsePool } from '../../src-main/node/index/parse-pool';
import { syntheticPost } from '../bench/synthetic-post';
import { indexedFolder } from '../helpers/indexed-folder';
import { tempDir } from '../helpers/temp';

/** The body of synthetic post `i` (front matter cut off), as a story to copy. */
const story = (i: number): string => syntheticPost(5, i).content.replace(/^---\n[\s\S]*?\n---\n/, '');
const post = (title: string, date: string, body: string): string => `---\ntitle: ${JSON.stringify(title)}\ndate: ${date}\n---\n${body}`;

/** Every stored signature has exactly its buckets, and no bucket row or signature outlives its post. */
function checkSignatureRows(file: string): { signatures: number } {
  const db = new Database(file, { readonly: true });
  try {
    const posts = new Set(db.prepare('SELECT id FROM posts').pluck().all() as number[]);
    const sigs = db.prepare('SELECT id, sig FROM post_sig').all() as { id: number; sig: Buffer }[];
    const expected = sigs.flatMap((s) => [...new Set(bandBuckets(unpackSignature(s.sig)))].map((b) => `${b}:${s.id}`)).sort();
    const actual = (db.prepare('SELECT bucket, id FROM sig_buckets').raw().all() as [number, number][]).map(([b, id]) => `${b}:${id}`).sort();
    expect(sigs.every((s) => posts.has(s.id))).toBe(true);
    expect(actual).toEqual(expected);
    return { signatures: sigs.length };
  } finally {
    db.close();
  }
}

describe('signatures in the index follow the posts', () => {
  const { root, file, write, update, withStore } = indexedFolder('backfile-similar-index-');
  const similarOf = (p: string) => withStore((store) => store.similar(p)?.map((s) => s.path));

  it('a reprint is found, and loses its rows when deleted or rewritten', async () => {
    write('_posts/2021-01-01-a.md', post('A', '2021-01-01', story(1)));
    write('_posts/2021-01-02-b.md', post('B 转载', '2021-01-02', `本文转载自新华网，版权归原作者所有。\n\n${story(1)}\n\n返回首页\n`));
    write('_posts/2021-01-03-c.md', post('C', '2021-01-03', story(2)));
    await update();
    expect(similarOf('_posts/2021-01-01-a.md')).toEqual(['_posts/2021-01-02-b.md']);
    expect(similarOf('_posts/2021-01-03-c.md')).toEqual([]);
    expect(similarOf('_posts/nope.md')).toBeUndefined();
    expect(checkSignatureRows(file).signatures).toBe(3);

    // C rewritten into a copy of A: found; rewritten back: gone, with no row left behind.
    write('_posts/2021-01-03-c.md', post('C', '2021-01-03', story(1)));
    await update(['_posts/2021-01-03-c.md']);
    expect(similarOf('_posts/2021-01-01-a.md')).toEqual(['_posts/2021-01-02-b.md', '_posts/2021-01-03-c.md']);
    write('_posts/2021-01-03-c.md', post('C', '2021-01-03', `${story(3)}\n`));
    await update(['_posts/2021-01-03-c.md']);
    expect(similarOf('_posts/2021-01-01-a.md')).toEqual(['_posts/2021-01-02-b.md']);

    fs.rmSync(path.join(root, '_posts/2021-01-02-b.md'));
    await update();
    expect(similarOf('_posts/2021-01-01-a.md')).toEqual([]);
    expect(checkSignatureRows(file).signatures).toBe(2);
  });

  it('signatures and buckets move with posts whose ids move (a crowded minute)', async () => {
    // 40 posts in the last minute of a day (16 ids a minute): the build moves ids to make room, and so does
    // an update that adds posts a minute earlier. Posts 2k and 2k+1 are versions of one story.
    for (let i = 0; i < 40; i++) write(`_posts/crowd/2021-03-03-p${i}.md`, post(`P${i}`, '2021-03-03 23:59:00', story(100 + Math.floor(i / 2))));
    await update();
    for (let i = 0; i < 20; i++) write(`_posts/crowd/2021-03-03-q${i}.md`, post(`Q${i}`, '2021-03-03 23:58:00', story(200 + i)));
    await update();
    expect(checkSignatureRows(file).signatures).toBe(62);
    for (let i = 0; i < 40; i++) expect(similarOf(`_posts/crowd/2021-03-03-p${i}.md`), `p${i}`).toEqual([`_posts/crowd/2021-03-03-p${i ^ 1}.md`]);
  });
});

describe('signatures are computed on the parse threads', () => {
  const pools: ParsePool[] = [];
  afterAll(async () => {
    for (const pool of pools) await pool.close();
  });

  it('the outcome a thread sends carries the packed signature with the tokens', async () => {
    const root = tempDir('backfile-similar-thread-');
    fs.writeFileSync(path.join(root, 'a.md'), post('A', '2021-01-01', story(1)));
    const absPath = path.join(root, 'a.md');
    const stat = fs.statSync(absPath);
    const pool = new ParsePool(1);
    pools.push(pool);
    const [outcome] = await pool.parseFiles([{ relPath: 'a.md', absPath, size: stat.size, mtimeMs: Math.trunc(stat.mtimeMs), location: locatePost('a.md', 'jekyll') }]);
    expect(pool.stats.onThreads).toBe(1);
    expect(outcome?.kind === 'post' ? outcome.fts.signature : undefined).toHaveLength(128);
  });
});
