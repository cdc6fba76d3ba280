/**
 * What the SQLite store and the PostgreSQL store hold for the same archive, in the same shape, so that a test can
 * compare them with one toEqual: posts in list order (SQLite: id; PostgreSQL: date_key, seq), each with what the
 * stores must agree on, the files that could not be indexed, and the scan's problems.
 */
import Database from 'better-sqlite3';
import type pg from 'pg';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { dateKey, postFacets } from '../../src-main/node/index/list';
import { ftsText, unpackText } from '../../src-main/node/index/write';
import { splitTokens } from '../../src-main/node/pg/pg-tsvector';
import { excerptOf } from '../../src-main/core/parse-post';

export interface StoredPostShape {
  path: string; title: string; date: string | null; dateKey: number; year: number | null; month: number | null;
  categories: string[]; categoryKey: string; tags: string[]; tagKeys: [string, string][]; hidden: boolean; draft: boolean;
  excerpt: string; description: string; source: string | null; problems: unknown[]; size: number; mtimeMs: number;
  hash: string | null; body: string; facets: string[]; lexemes: string[];
}

export interface StoreShape {
  posts: StoredPostShape[];
  fileProblems: { path: string; size: number; mtimeMs: number; hash: string | null; problems: unknown[] }[];
  scanProblems: unknown[];
}

/** The lexemes a post's tokens make (what its FTS5 row holds), sorted. */
const lexemesOf = (p: { title: string; body: string; tags: string[]; categories: string[]; description: string }): string[] => {
  const fts = ftsText({ title: p.title, text: p.body, tags: p.tags, categories: p.categories, description: p.description });
  return [...new Set([...splitTokens(fts.title), ...splitTokens(fts.meta), ...splitTokens(fts.body)])].sort();
};

/** Builds a SQLite index of `archive` into `file` with the app's update loop; returns its summary. */
export async function buildSqlite(archive: string, file: string) {
  const store = IndexStore.open(file);
  try {
    return await updateIndex(store, archive);
  } finally {
    store.close();
  }
}

interface SqliteRow {
  id: number; path: string; title: string; date: string | null; year: number | null; month: number | null; categories: string;
  category_key: string; tags: string; tag_keys: string; hidden: number; draft: number; description: string;
  source: string | null; problems: string; size: number; mtime_ms: number; hash: string | null; text: Buffer | null;
}

export function sqliteShape(file: string): StoreShape {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare(`SELECT p.*, t.text FROM posts p LEFT JOIN post_text t ON t.id = p.id ORDER BY p.id`).all() as SqliteRow[];
    const posts = rows.map((r): StoredPostShape => {
      const categories = JSON.parse(r.categories) as string[];
      const tags = JSON.parse(r.tags) as string[];
      const tagKeys = JSON.parse(r.tag_keys) as [string, string][];
      const body = unpackText(r.text);
      return {
        path: r.path, title: r.title, date: r.date, dateKey: dateKey(r.date), year: r.year, month: r.month, categories,
        categoryKey: r.category_key, tags, tagKeys, hidden: r.hidden !== 0, draft: r.draft !== 0, excerpt: excerptOf(body),
        description: r.description, source: r.source, problems: JSON.parse(r.problems) as unknown[], size: r.size,
        mtimeMs: r.mtime_ms, hash: r.hash, body,
        facets: postFacets({ hidden: r.hidden !== 0, year: r.year, month: r.month, categories, tagKeys: tagKeys.map(([n]) => n) }).split(' ').sort(),
        lexemes: lexemesOf({ title: r.title, body, tags, categories, description: r.description }),
      };
    });
    const fileProblems = (db.prepare('SELECT path, size, mtime_ms, hash, problems FROM file_problems ORDER BY path').all() as
      { path: string; size: number; mtime_ms: number; hash: string | null; problems: string }[])
      .map((r) => ({ path: r.path, size: r.size, mtimeMs: r.mtime_ms, hash: r.hash, problems: JSON.parse(r.problems) as unknown[] }));
    const scan = db.prepare("SELECT value FROM meta WHERE key = 'scan_problems'").pluck().get() as string | undefined;
    return { posts, fileProblems, scanProblems: scan === undefined ? [] : (JSON.parse(scan) as unknown[]) };
  } finally {
    db.close();
  }
}

export async function pgShape(db: pg.Pool | pg.ClientBase, schema: string): Promise<StoreShape> {
  const { rows } = await db.query(`SELECT path, title, date, date_key::float8 AS date_key, year, month, categories, category_key, tags,
      tag_keys, hidden, draft, excerpt, description, source, problems, problem_count, size::float8 AS size, mtime_ms, hash, body, facets,
      array(SELECT unnest(tsvector_to_array(tsv)) ORDER BY 1) AS lexemes
    FROM "${schema}".posts ORDER BY date_key, seq`);
  const posts = rows.map((r: Record<string, unknown>): StoredPostShape => ({
    path: r.path as string, title: r.title as string, date: r.date as string | null, dateKey: r.date_key as number,
    year: r.year as number | null, month: r.month as number | null, categories: r.categories as string[], categoryKey: r.category_key as string,
    tags: r.tags as string[], tagKeys: r.tag_keys as [string, string][], hidden: r.hidden as boolean, draft: r.draft as boolean,
    excerpt: r.excerpt as string, description: r.description as string, source: r.source as string | null, problems: r.problems as unknown[],
    size: r.size as number, mtimeMs: r.mtime_ms as number, hash: r.hash as string | null, body: r.body as string,
    facets: [...(r.facets as string[])].sort(), lexemes: [...(r.lexemes as string[])].sort(),
  }));
  const fileProblems = (await db.query(`SELECT path, size::float8 AS size, mtime_ms, hash, problems FROM "${schema}".file_problems ORDER BY path`)).rows
    .map((r: Record<string, unknown>) => ({ path: r.path as string, size: r.size as number, mtimeMs: r.mtime_ms as number, hash: r.hash as string | null, problems: r.problems as unknown[] }));
  const scan = (await db.query(`SELECT problems FROM "${schema}".scan_problems`)).rows[0] as { problems: unknown[] } | undefined;
  return { posts, fileProblems, scanProblems: scan?.problems ?? [] };
}
