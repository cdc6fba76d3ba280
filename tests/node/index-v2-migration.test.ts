import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IndexProgress } from '../../src-main/shared/archive-api';
import { SCHEMA_VERSION } from '../../src-main/node/index/schema';
import { IndexStore } from '../../src-main/node/index/store';
import { PARSER_VERSION, updateIndex } from '../../src-main/node/index/update';
import { copyArchive, edgeArchive, repoRoot, tempDir } from '../helpers/temp';

/**
 * An index made by the Backfile before Index v2 (schema 2: plain-text post_text, ids a million a minute;
 * tests/fixtures/index-v2/edge-archive-schema2.sqlite, built from tests/fixtures/edge-archive) is rebuilt from
 * the posts by the next update, with progress, although every file on disk looks unchanged to it.
 */
describe('an index of schema 2', () => {
  it('is emptied by the migration and rebuilt by the next update, with progress', async () => {
    const archive = copyArchive(edgeArchive);
    const file = path.join(tempDir('backfile-v2-'), 'index.sqlite');
    fs.copyFileSync(path.join(repoRoot, 'tests/fixtures/index-v2/edge-archive-schema2.sqlite'), file);
    // Make the old index current in every other way: this parser version, and each file's size and time as recorded.
    const old = new Database(file);
    expect(old.pragma('user_version', { simple: true })).toBe(2);
    old.prepare("UPDATE meta SET value = ? WHERE key = 'parser_version'").run(PARSER_VERSION);
    const states = old.prepare('SELECT path, mtime_ms FROM posts UNION ALL SELECT path, mtime_ms FROM file_problems').all() as { path: string; mtime_ms: number }[];
    const oldIds = old.prepare('SELECT id FROM posts').pluck().all() as number[];
    old.close();
    for (const s of states) fs.utimesSync(path.join(archive, s.path), new Date(s.mtime_ms), new Date(s.mtime_ms));
    expect(states.length).toBe(14);
    expect(Math.max(...oldIds)).toBeGreaterThan(1e15);

    const store = IndexStore.open(file);
    try {
      const progress: IndexProgress[] = [];
      const summary = await updateIndex(store, archive, { onProgress: (p) => progress.push(p) });
      expect(summary).toMatchObject({ scanned: 14, updated: 14, unchanged: 0 });
      expect(progress.some((p) => p.phase === 'indexing' && p.toIndex === 14)).toBe(true);
      const hit = store.list({ query: 'swim' }).items;
      expect(hit.map((h) => h.path)).toEqual(['_posts/2022-09-09-swimmers-swim.md']);
      expect(hit[0]!.snippet).toContain('<mark>');
      // Schema 4: free text also matches tags (this phrase is only a tag of the post).
      expect(store.list({ query: '"town hall"' }).items.map((h) => h.path)).toEqual(['_posts/2019-06-14-budget-vote.md']);
    } finally {
      store.close();
    }
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT DISTINCT typeof(text) FROM post_text').pluck().all()).toEqual(['blob']);
    expect(Math.max(...(db.prepare('SELECT id FROM posts').pluck().all() as number[]))).toBeLessThan(1e12);
    db.close();
  });
});
