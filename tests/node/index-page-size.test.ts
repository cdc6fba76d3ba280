import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { IndexStore } from '../../src-main/node/index/store';
import { tempDir } from '../helpers/temp';

/**
 * A new index file is made with 8 KiB pages (post_text's rows of about 1.2 kB left a fifth of 4 KiB pages empty:
 * issue 16's bytes); a file made before keeps its own page size and opens as before.
 */
describe('index page size', () => {
  const dir = tempDir('backfile-page-size-');

  it('a new index file has 8 KiB pages', () => {
    const file = path.join(dir, 'new.sqlite');
    IndexStore.open(file).close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('page_size', { simple: true })).toBe(8192);
    } finally {
      db.close();
    }
  });

  it('an index made with 4 KiB pages keeps them and stays usable', () => {
    const file = path.join(dir, 'old.sqlite');
    IndexStore.open(file).close();
    // As older builds made it: the same schema at 4 KiB pages (VACUUM keeps application_id and user_version).
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    db.pragma('page_size = 4096');
    db.exec('VACUUM');
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    db.close();
    const store = IndexStore.open(file);
    try {
      expect(store.list({ query: '', limit: 10 }).total).toBe(0);
    } finally {
      store.close();
    }
    const after = new Database(file, { readonly: true });
    try {
      expect(after.pragma('page_size', { simple: true })).toBe(4096);
    } finally {
      after.close();
    }
  });
});
