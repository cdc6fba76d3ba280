/**
 * What other versions of a story cost a cold build's writer, counted (no clock; docs/BENCHMARKS.md "Other versions
 * of a story: what they cost", stop 20): the bucket rows written (BUCKET_ROWS_A_STATEMENT a statement, not one a
 * row) and the buckets a story look-up reads back (only those an earlier batch wrote: similar.ts BucketFilter).
 * Both were a statement or a read for each of a post's 32 buckets; together a third of what other versions cost.
 * And the filter is dropped when another connection wrote the index: its story look-ups must see that connection's posts.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BANDS } from '../../src-main/core/similarity/bands';
import { VersionLookup } from '../../src-main/node/index/similar';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { readAndParseOneSync, type ReadOutcome } from '../../src-main/node/index/read-post';
import { scanArchive } from '../../src-main/node/index/scan';
import { generateArchive } from '../bench/generate-archive';
import { syntheticPost } from '../bench/synthetic-post';
import { tempDir } from '../helpers/temp';

const POSTS = 600;

describe('other versions in a cold build, counted', () => {
  it('writes bucket rows many a statement and reads back only the buckets earlier batches wrote', async () => {
    const dir = tempDir('backfile-similar-write-cost-');
    const archive = path.join(dir, 'archive');
    await generateArchive(archive, POSTS, 19);
    let bucketInserts = 0;
    const readBefore = VersionLookup.bucketsRead;
    const trace = (sql: string): void => {
      if (/^\s*INSERT OR IGNORE INTO sig_buckets/.test(sql)) bucketInserts++;
    };
    const store = IndexStore.open(path.join(dir, 'index.sqlite'), { trace });
    try {
      const summary = await updateIndex(store, archive, {});
      expect(summary.updated).toBe(POSTS);
    } finally {
      store.close();
    }
    const bucketsRead = VersionLookup.bucketsRead - readBefore;
    const signed = (() => {
      const db = new Database(path.join(dir, 'index.sqlite'), { readonly: true });
      try {
        return db.prepare('SELECT count(*) FROM post_sig').pluck().get() as number;
      } finally {
        db.close();
      }
    })();
    expect(signed).toBeGreaterThan(POSTS * 0.9);
    // One statement a bucket row was BANDS (32) a post.
    expect(bucketInserts / signed).toBeLessThan(1);
    // Every bucket of every new post was read back (BANDS a post); now those shared with an earlier batch's posts.
    expect(bucketsRead / (signed * BANDS)).toBeLessThan(0.25);
  }, 60_000);
});

/** Paragraphs of synthetic post bodies: texts that are versions of each other when they share most of them. */
const paragraphs = Array.from({ length: 40 }, (_, i) => syntheticPost(7, 500 + i).content.replace(/^---\n[\s\S]*?\n---\n/, ''))
  .flatMap((body) => body.split('\n').filter((line) => line.trim().length > 40 && !line.includes('<')));
const text = (from: number, to: number): string => paragraphs.slice(from, to).join('\n\n');
const post = (title: string, date: string, body: string): string => `---\ntitle: ${JSON.stringify(title)}\ndate: ${date}\n---\n${body}\n`;

describe('the bucket filter and another connection', () => {
  it('a story look-up sees the posts another connection wrote between two batches', async () => {
    const root = tempDir('backfile-similar-filter-');
    const file = path.join(root, '.index.sqlite');
    fs.writeFileSync(path.join(root, 'a.md'), post('A', '2024-01-01', text(0, 12)));
    fs.writeFileSync(path.join(root, 'b.md'), post('B', '2024-01-02', text(20, 32)));
    fs.writeFileSync(path.join(root, 'c.md'), post('C 转载', '2024-01-03', `${text(20, 31)}\n\n${text(35, 36)}`));
    const parsed = new Map(((await scanArchive(root)).files.map(readAndParseOneSync)
      .filter((o): o is Extract<ReadOutcome, { kind: 'post' }> => o.kind === 'post')).map((o) => [o.post.path, o]));
    const batch = (p: string) => ({ upserts: [parsed.get(p)!], failures: [], deletions: [] });
    const writer = IndexStore.open(file);
    try {
      writer.applyBatch(batch('a.md')); // a cold build: the writer's filter starts here
      const other = IndexStore.open(file);
      try {
        other.applyBatch(batch('b.md'));
      } finally {
        other.close();
      }
      writer.applyBatch(batch('c.md'));
      expect(writer.similar('c.md')?.map((s) => s.path)).toEqual(['b.md']);
    } finally {
      writer.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const stories = db.prepare('SELECT p.path, s.story FROM post_story s JOIN posts p ON p.id = s.id ORDER BY p.path').raw().all() as [string, number][];
      expect(stories.map(([p]) => p)).toEqual(['b.md', 'c.md']);
      expect(stories[0]![1]).toBe(stories[1]![1]);
    } finally {
      db.close();
    }
  });
});
