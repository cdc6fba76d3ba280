/**
 * The workspace's schema, one migration per version, tracked in `PRAGMA user_version`. Unlike the index, the
 * workspace is the reader's work: a migration keeps every row, and a file from a newer Backfile is refused, never
 * rewritten (workspace-file.ts).
 */
import type { Database } from 'better-sqlite3';

/** `PRAGMA application_id` of a workspace ("BFWS"), distinct from the index's. */
export const WORKSPACE_APPLICATION_ID = 0x42465753;

type Migration = (db: Database) => void;

/**
 * Version 1: posts carry the marks (a row per marked post, attached to its path and its content hash; `missing`
 * when the file is gone), labels, highlights and saved searches.
 */
const v1: Migration = (db) => {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE posts (
      id INTEGER PRIMARY KEY,
      path TEXT NOT NULL,
      hash TEXT,
      title TEXT NOT NULL DEFAULT '',
      date TEXT,
      missing INTEGER NOT NULL DEFAULT 0,
      starred INTEGER NOT NULL DEFAULT 0,
      note TEXT NOT NULL DEFAULT '',
      updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX posts_present_path ON posts (path) WHERE missing = 0;
    CREATE INDEX posts_hash ON posts (hash);
    CREATE TABLE labels (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, color TEXT NOT NULL);
    CREATE TABLE post_labels (
      post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
      label_id INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
      PRIMARY KEY (post_id, label_id)
    ) WITHOUT ROWID;
    CREATE TABLE highlights (
      id TEXT PRIMARY KEY,
      post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
      exact TEXT NOT NULL,
      prefix TEXT NOT NULL,
      suffix TEXT NOT NULL,
      comment TEXT,
      created_at TEXT NOT NULL
    );
    CREATE INDEX highlights_post ON highlights (post_id);
    CREATE TABLE saved_searches (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, query TEXT NOT NULL, created_at TEXT NOT NULL);
  `);
};

/**
 * Version 2: a saved search remembers when it was last opened and which posts it found then, so "new since last
 * opened" can be counted. Searches saved under v1 count as never opened.
 */
const v2: Migration = (db) => {
  db.exec(`
    ALTER TABLE saved_searches ADD COLUMN last_opened_at TEXT;
    CREATE TABLE saved_seen (
      search_id INTEGER NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
      path TEXT NOT NULL,
      PRIMARY KEY (search_id, path)
    ) WITHOUT ROWID;
  `);
};

export const WORKSPACE_MIGRATIONS: readonly Migration[] = [v1, v2];
export const WORKSPACE_VERSION = WORKSPACE_MIGRATIONS.length;

/**
 * Brings a workspace to the current version, each step in its own write transaction. The version is read again
 * inside each one: another process (a second window) may have migrated the file meanwhile.
 */
export function migrateWorkspace(db: Database): void {
  for (;;) {
    const done = db.transaction(() => {
      const version = Number(db.pragma('user_version', { simple: true }));
      if (version >= WORKSPACE_VERSION) return true;
      WORKSPACE_MIGRATIONS[version]!(db);
      if (version === 0) db.pragma(`application_id = ${WORKSPACE_APPLICATION_ID}`);
      db.pragma(`user_version = ${version + 1}`);
      return false;
    }).immediate();
    if (done) return;
  }
}
