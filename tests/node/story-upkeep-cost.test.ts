import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { generateArchive } from '../bench/generate-archive';
import { hasSharedCorpus } from '../bench/real-paragraphs';
import { tempDir } from '../helpers/temp';

/**
 * What story upkeep (story.ts) costs a cold build where every post has many versions, counted in SQL statements (no
 * clock): the real-text corpus recombines a few dozen paragraphs, so each post is a version of a hundred others or
 * more and stories are huge. A post joining its story read each version's story row with a statement of its own:
 * the statements a post grew with the versions a post (with the archive). Now each row is read once a flush.
 */
const POSTS = 1_200;

describe('story upkeep in a cold build of near-duplicates, counted', () => {
  // Needs the shared corpora (the real-text posts): skipped in a clean clone.
  it.runIf(hasSharedCorpus())('runs a bounded number of statements a post however many versions each post has', async () => {
    const dir = tempDir('backfile-story-upkeep-');
    const archive = path.join(dir, 'archive');
    await generateArchive(archive, POSTS, 19, 'real');
    let selects = 0;
    const store = IndexStore.open(path.join(dir, 'index.sqlite'), { trace: (sql) => { if (/^\s*SELECT/i.test(sql)) selects++; } });
    try {
      selects = 0; // opening (the schema) is not the build
      const summary = await updateIndex(store, archive);
      expect(summary.updated).toBe(POSTS);
      // Many versions a post, and stories of many posts: the case this guards.
      const db = (store as unknown as { db: Database }).db;
      const biggest = db.prepare('SELECT count(*) FROM post_story GROUP BY story ORDER BY 1 DESC LIMIT 1').pluck().get() as number;
      expect(biggest).toBeGreaterThan(POSTS / 4);
    } finally {
      store.close();
    }
    // Today 9 a post (the 600 synthetic posts of index-write-cost.test.ts: 6); 70 when each version's
    // story was read on its own. Say why if it grows.
    expect(selects / POSTS).toBeLessThan(20);
  }, 120_000);
});
