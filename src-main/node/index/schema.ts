/**
 * The index's schema, one migration function per version, tracked in `PRAGMA user_version`.
 * The index is disposable (the posts on disk are the truth): a migration may simply drop and rebuild tables,
 * and an index from a NEWER Backfile is not touched but reported unusable.
 */
import BetterSqlite from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import { buildStories } from './story';

/** Marks the file as a Backfile index (`PRAGMA application_id`), so another SQLite file is never mistaken for one. */
export const APPLICATION_ID = 0x42464958; // "BFIX"

type Migration = (db: Database) => void;

/**
 * Version 1 (a migration's SQL never changes once released: schemaMatches compares the stored SQL text; the id
 * comment below is v1's and no longer true from v3, whose ids are dense, see list.ts). Post rows stay small (the plain text lives in post_text); ids follow the date (see index-list.ts);
 * filters are facet tokens inside the contentless FTS5 table; the trees read small count tables kept in
 * step by applyBatch, never one row per post.
 */
const v1: Migration = (db) => {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

    CREATE TABLE posts (
      id INTEGER PRIMARY KEY,          -- dateKey(date) * ID_SPAN + n: id order is date order
      path TEXT NOT NULL UNIQUE,
      size INTEGER NOT NULL,
      mtime_ms REAL NOT NULL,
      hash TEXT,
      title TEXT NOT NULL,
      date TEXT,
      sort_key TEXT NOT NULL,          -- the date as written, '' when undated
      year INTEGER,
      month INTEGER,
      categories TEXT NOT NULL,        -- JSON array, as written
      category_key TEXT NOT NULL,      -- each segment followed by \x1f
      tags TEXT NOT NULL,              -- JSON array, as written
      tag_keys TEXT NOT NULL,          -- JSON array of [normalised, as written], one per distinct tag
      hidden INTEGER NOT NULL,
      draft INTEGER NOT NULL,
      excerpt TEXT NOT NULL,
      source TEXT,
      problems TEXT NOT NULL,          -- JSON array of Problem
      problem_count INTEGER NOT NULL
    );
    CREATE INDEX posts_with_problems ON posts (path, problem_count) WHERE problem_count > 0;
    -- fileStates() reads this index alone instead of every post row.
    CREATE INDEX posts_file_states ON posts (path, size, mtime_ms, hash);

    CREATE TABLE post_text (id INTEGER PRIMARY KEY, text TEXT NOT NULL);

    CREATE TABLE file_problems (
      path TEXT PRIMARY KEY,
      size INTEGER NOT NULL,
      mtime_ms REAL NOT NULL,
      hash TEXT,
      problems TEXT NOT NULL
    ) WITHOUT ROWID;

    -- Counts for the trees, per hidden flag; year and month 0 stand for "undated".
    CREATE TABLE category_counts (category_key TEXT NOT NULL, hidden INTEGER NOT NULL, count INTEGER NOT NULL,
      PRIMARY KEY (category_key, hidden)) WITHOUT ROWID;
    CREATE TABLE date_counts (year INTEGER NOT NULL, month INTEGER NOT NULL, hidden INTEGER NOT NULL, count INTEGER NOT NULL,
      PRIMARY KEY (year, month, hidden)) WITHOUT ROWID;
    CREATE TABLE tag_counts (tag_norm TEXT NOT NULL, hidden INTEGER NOT NULL, name TEXT NOT NULL, count INTEGER NOT NULL,
      PRIMARY KEY (tag_norm, hidden)) WITHOUT ROWID;

    -- Pre-tokenized text (core/tokenize.ts) and facet tokens; rowid = posts.id. unicode61 only splits at the
    -- spaces again: combining marks (M*) count as letters, as in tokenize.ts, and private-use characters (Co)
    -- mark the facets. prefix='1' lets a one-character CJK query ("铁"*) read one doclist instead of merging
    -- every bigram that starts with the character.
    CREATE VIRTUAL TABLE posts_fts USING fts5 (
      title, body, facets,
      content = '', contentless_delete = 1,
      tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'",
      prefix = '1'
    );
    -- Relevance: a title hit weighs ten body hits; facets weigh nothing.
    INSERT INTO posts_fts (posts_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0, 0.0)');
  `);
};

/**
 * Version 2: FTS5 write tuning, kept in the table's own config (measured on 10,000 synthetic posts, FTS5
 * inserts alone: 0.84 -> 0.60 ms a post). `automerge` 16 merges segments less often while writing;
 * `hashsize` 16 MiB (default 1 MiB) keeps most of a write transaction's pending terms in memory instead of
 * flushing them as many small segments (8 MiB: a 65 % larger index; 16 and 32 MiB: alike). `crisismerge` 64
 * (default 16, which equals automerge here and made every merge a whole-level merge inside one write): merges
 * stay incremental, so a small update never pays for a big merge (300 changes to 100,000 posts: 1.1-1.4 s,
 * where 16 gave the same with stalls of 4 s and more).
 */
const v2: Migration = (db) => {
  db.exec(`
    INSERT INTO posts_fts (posts_fts, rank) VALUES ('automerge', 16);
    INSERT INTO posts_fts (posts_fts, rank) VALUES ('hashsize', ${16 * 1024 * 1024});
    INSERT INTO posts_fts (posts_fts, rank) VALUES ('crisismerge', 64);
  `);
};

/**
 * Every post and everything counted from them (v4 and v5 empty the index this way, so that the next update rebuilds
 * it from the posts with progress, as a new parser version does).
 */
const EMPTY_POSTS = `
    DELETE FROM posts;
    DELETE FROM post_text;
    DELETE FROM file_problems;
    DELETE FROM category_counts;
    DELETE FROM date_counts;
    DELETE FROM tag_counts;`;

/**
 * Version 3 (Index v2, issue 16: the index was 5.3 times the archive's bytes at 20,000 posts): post_text holds
 * deflated UTF-16LE (write.ts packText), and ids are dense (a few per minute instead of a million: smaller
 * rowid deltas in every FTS5 doclist). Old ids and texts are not worth converting: every table is emptied and
 * the parser version forgotten, so the next update rebuilds the index from the posts, with progress, as a new
 * parser version does (update.ts).
 */
const v3: Migration = (db) => {
  db.exec(`
    DROP TABLE post_text;
    CREATE TABLE post_text (id INTEGER PRIMARY KEY, text BLOB NOT NULL);
    DELETE FROM posts;
    DELETE FROM file_problems;
    DELETE FROM category_counts;
    DELETE FROM date_counts;
    DELETE FROM tag_counts;
    INSERT INTO posts_fts (posts_fts) VALUES ('delete-all');
    DELETE FROM meta WHERE key IN ('parser_version', 'layout', 'parsing_now');
  `);
};

/**
 * Version 4 (issue 11 item 7: free text ignored tags, categories and the description): posts_fts gains a `meta`
 * column (tokens of the tags, category names and the `description`/`excerpt` front matter) weighted between
 * title and body, and posts keep that front matter text (`description`) so write.ts moveId can write a moved
 * post's FTS5 row again. FTS5 cannot add a column, and a dropped table loses v2's write tuning, so the table is
 * made anew with both; every table is emptied and the parser version forgotten, as in v3, so the next update
 * rebuilds the index from the posts.
 */
const v4: Migration = (db) => {
  db.exec(`
    DROP TABLE posts_fts;
    CREATE VIRTUAL TABLE posts_fts USING fts5 (
      title, meta, body, facets,
      content = '', contentless_delete = 1,
      tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'",
      prefix = '1'
    );
    -- Relevance: a title hit weighs ten body hits, a tag, category or description hit three; facets nothing.
    INSERT INTO posts_fts (posts_fts, rank) VALUES ('rank', 'bm25(10.0, 3.0, 1.0, 0.0)');
    INSERT INTO posts_fts (posts_fts, rank) VALUES ('automerge', 16);
    INSERT INTO posts_fts (posts_fts, rank) VALUES ('hashsize', ${16 * 1024 * 1024});
    INSERT INTO posts_fts (posts_fts, rank) VALUES ('crisismerge', 64);
    ALTER TABLE posts ADD COLUMN description TEXT NOT NULL DEFAULT '';
    ${EMPTY_POSTS}
    DELETE FROM meta WHERE key IN ('parser_version', 'layout', 'parsing_now');
  `);
};

/**
 * Version 5 (issue 14 part 3, other versions of a story): each post's MinHash signature (core/similarity: 64
 * 16-bit values, 128 bytes) in post_sig, and its 32 LSH band buckets in sig_buckets, so that a post's candidate
 * versions are 32 look-ups of the primary key (index/similar.ts). Both are keyed by posts.id and move with it
 * (write.ts). Posts indexed before have no signature: every table is emptied and the parser version forgotten,
 * as in v4, so the next update rebuilds the index from the posts.
 */
const v5: Migration = (db) => {
  db.exec(`
    CREATE TABLE post_sig (id INTEGER PRIMARY KEY, sig BLOB NOT NULL);
    CREATE TABLE sig_buckets (bucket INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (bucket, id)) WITHOUT ROWID;
    ${EMPTY_POSTS}
    INSERT INTO posts_fts (posts_fts) VALUES ('delete-all');
    DELETE FROM meta WHERE key IN ('parser_version', 'layout', 'parsing_now', 'id_span');
  `);
};

/**
 * Version 6 (issue 14 part 3, the list's "collapse versions"): post_story gives each post of a story of two or more
 * posts its story number (story.ts: the connected groups of posts whose signatures reach SIMILAR_THRESHOLD), with
 * an index to read a story's members; and posts gain an index on `hash`, which the workspace's reconcile looks
 * posts up by (it read every file's state). Nothing is rebuilt: the stories of the posts already indexed are
 * computed from their signatures here, one look-up a post (measured: docs/BENCHMARKS.md).
 */
const v6: Migration = (db) => {
  db.exec(`
    CREATE TABLE post_story (id INTEGER PRIMARY KEY, story INTEGER NOT NULL);
    CREATE INDEX post_story_story ON post_story (story);
    CREATE INDEX posts_hash ON posts (hash);
  `);
  const statements = new Map<string, Statement>();
  buildStories((sql) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  });
};

/**
 * Version 7 (stories over visible posts only): a hidden post (draft, unpublished) is in no story and never links two
 * posts (core/similarity/versions.ts storyEdges); v6 stories counted them. The stories are made again from the
 * signatures (a story look-up reads at most STORY_BUCKET_READ posts a bucket: measured 1.2 s CPU at 10,000 posts of
 * one template); nothing else changes.
 */
const v7: Migration = (db) => {
  const statements = new Map<string, Statement>();
  buildStories((sql) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  });
};

/**
 * Version 8 (no stored excerpts): posts.excerpt is written empty and the reader makes the excerpt from the stored
 * text (4bc31cf). Nothing to do for a v7 file (its stored excerpts are never read), but the version moves so that an
 * older Backfile, which reads posts.excerpt, refuses a file this one wrote ("made by a newer Backfile") instead of
 * showing every list row without its excerpt.
 */
const v8: Migration = () => {};

/** MIGRATIONS[n] takes a database from user_version n to n + 1. */
const MIGRATIONS: Migration[] = [v1, v2, v3, v4, v5, v6, v7, v8];
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the schema to SCHEMA_VERSION, one write transaction per step. Returns the version found. */
export function migrate(db: Database): number {
  const userVersion = (): number => db.pragma('user_version', { simple: true }) as number;
  const found = userVersion();
  for (let version = found; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      // Another connection may have migrated while this one waited for the write lock.
      if (userVersion() !== version) return;
      MIGRATIONS[version]!(db);
      db.pragma(`user_version = ${version + 1}`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
    }).immediate();
  }
  return found;
}

let expected: Map<string, string> | undefined;

/** Every table, index and trigger of the current schema with its SQL, as SQLite stores it. */
const schemaOf = (db: Database): Map<string, string> =>
  new Map((db.prepare("SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name").all() as { name: string; sql: string }[])
    .map((r) => [r.name, r.sql]));

/**
 * Does the file hold exactly the schema this version creates? Catches files left by development builds and
 * hand edits that carry the right user_version but other tables. Compared against a fresh in-memory copy.
 */
export function schemaMatches(db: Database): boolean {
  if (!expected) {
    const fresh = new BetterSqlite(':memory:');
    try {
      migrate(fresh);
      expected = schemaOf(fresh);
    } finally {
      fresh.close();
    }
  }
  const actual = schemaOf(db);
  return actual.size === expected.size && [...expected].every(([name, sql]) => actual.get(name) === sql);
}
