/**
 * What the reader's workspace reads of a team index (workspace/index-view.ts): the posts' identities, a post's path,
 * content hash (the indexer's SHA-1 of the file's bytes, as in the local index), title and date, by path and by hash.
 * Marks follow the team index's posts with these as they follow the local index's (workspace/reconcile.ts). A few
 * hundred values a statement (one array parameter each), so that a workspace of thousands of marks is a few reads.
 */
import { COLD_MARK } from './pg-cold';
import { quoteSchema } from './pg-connection';
import type { PgQueryable } from './pg-read';

/**
 * The meta key the indexer sets while a cold build of the team index is under way (pg-cold.ts): the posts table holds
 * only part of the archive meanwhile, so the workspace does not let marks follow it (they would look deleted), as it
 * waits for the local index's update to end.
 */
export const COLD_BUILD_META = COLD_MARK;

export interface PgPostIdentity {
  path: string;
  hash: string | null;
  title: string;
  date: string | null;
}

const CHUNK = 500;

async function chunked(db: PgQueryable, values: readonly string[], sql: string): Promise<PgPostIdentity[]> {
  const unique = [...new Set(values)];
  const found: PgPostIdentity[] = [];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const { rows } = await db.query<PgPostIdentity>(sql, [unique.slice(i, i + CHUNK)]);
    found.push(...rows);
  }
  return found;
}

/** The indexed posts at these paths (paths the index does not hold are left out). */
export function pgPostsAt(db: PgQueryable, schema: string, paths: readonly string[]): Promise<PgPostIdentity[]> {
  return chunked(db, paths, `SELECT path, hash, title, date FROM ${quoteSchema(schema)}.posts WHERE path = ANY($1::text[])`);
}

/** Every indexed post with one of these content hashes (posts_hash), by path. */
export function pgPostsWithHashes(db: PgQueryable, schema: string, hashes: readonly string[]): Promise<PgPostIdentity[]> {
  return chunked(db, hashes, `SELECT path, hash, title, date FROM ${quoteSchema(schema)}.posts WHERE hash = ANY($1::text[]) ORDER BY path COLLATE "C"`);
}
