/**
 * Is this team index the index of that archive folder? A team index holds archive-relative paths and, in meta,
 * `archive_root` (the folder the indexer last indexed). Reading another archive's index would show posts that do not
 * open; indexing another archive into it would delete every post not in that folder. So both ask first:
 *
 * - the app's connect (and serve --store): the index's posts are checked by a sample of at most 20 paths spread over
 *   the whole list (ordered by path); when fewer than half of them exist under the open archive, STORE_UNAVAILABLE
 *   "this team index is of another archive". An empty index, or the same `archive_root`, passes.
 * - the CLI indexer (`cli index ARCHIVE --store URL`): refuses only when BOTH the recorded `archive_root` differs
 *   from ARCHIVE AND most of the sample is absent from ARCHIVE (a moved or re-mounted copy of the same archive keeps
 *   its paths and passes; a first index into an empty schema passes); `--replace` overrides.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { ArchiveError } from '../../shared/archive-api';
import { quoteSchema, type PgConnection } from '../pg/pg-connection';
import { checkSchemaIsOurs } from '../pg/pg-schema-check';

export const SAMPLE_SIZE = 20;

export interface ArchiveMatch {
  /** The folder the index was last built from (meta archive_root), if recorded. */
  indexedRoot: string | null;
  /** The sampled paths (archive-relative) and those of them not found under the archive. */
  sampled: string[];
  missing: string[];
}

/** At most `size` paths of the index, spread evenly over all of them in path order (the first and the last included). */
export async function samplePaths(pool: pg.Pool, schema: string, size = SAMPLE_SIZE): Promise<string[]> {
  const s = quoteSchema(schema);
  const { rows } = await pool.query<{ path: string }>(
    `WITH numbered AS (SELECT path, row_number() OVER (ORDER BY path) - 1 AS i, count(*) OVER () AS n FROM ${s}.posts)
     SELECT path FROM numbered
      WHERE n <= $1 OR i IN (SELECT floor(k * (n - 1)::numeric / ($1 - 1)) FROM generate_series(0, $1 - 1) AS k)
      ORDER BY path`,
    [size],
  );
  return rows.map((r) => r.path);
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** The index's recorded root and which of a sample of its paths are missing under `root`. */
export async function matchArchive(pool: pg.Pool, schema: string, root: string): Promise<ArchiveMatch> {
  // Another app's tables (NOT_OURS) or a newer Backfile's index are refused before any query assumes our columns.
  await checkSchemaIsOurs(pool, schema);
  const s = quoteSchema(schema);
  const meta = await pool.query<{ value: string }>(`SELECT value FROM ${s}.meta WHERE key = 'archive_root'`).catch((error: { code?: string }) => {
    if (error.code === '42P01' || error.code === '3F000') return null; // no index there yet: nothing to compare
    throw error;
  });
  if (!meta) return { indexedRoot: null, sampled: [], missing: [] };
  const sampled = await samplePaths(pool, schema);
  const missing: string[] = [];
  for (const rel of sampled) {
    // Archive-relative paths with `/`; anything escaping the folder counts as missing.
    const file = path.resolve(root, ...rel.split('/'));
    if (!file.startsWith(path.resolve(root) + path.sep) || !(await exists(file))) missing.push(rel);
  }
  return { indexedRoot: meta.rows[0]?.value ?? null, sampled, missing };
}

/** Most of the sample (more than half) is not under the archive. */
export const mostlyAbsent = (m: ArchiveMatch): boolean => m.sampled.length > 0 && m.missing.length * 2 > m.sampled.length;

const sameRoot = (m: ArchiveMatch, root: string): boolean => m.indexedRoot !== null && path.resolve(m.indexedRoot) === path.resolve(root);

/** For the app: the reason this index is not the open archive's, or null when it is (or cannot be told apart). */
export function otherArchiveReason(m: ArchiveMatch, root: string): string | null {
  if (sameRoot(m, root) || !mostlyAbsent(m)) return null;
  const from = m.indexedRoot ? `indexed from ${m.indexedRoot}; ` : '';
  return `this team index is of another archive (${from}${m.missing.length} of ${m.sampled.length} sampled posts, e.g. ${m.missing[0]}, are not in ${root})`;
}

/** For the CLI indexer: the reason to refuse updating this index from `root` without --replace, or null. */
export function replaceNeededReason(m: ArchiveMatch, root: string): string | null {
  if (m.indexedRoot === null || sameRoot(m, root) || !mostlyAbsent(m)) return null;
  return (
    `this team index was built from another archive (${m.indexedRoot}; ${m.missing.length} of ${m.sampled.length} sampled posts are not in ${root}). ` +
    'Indexing would remove every post not in this folder; add --replace to do that on purpose.'
  );
}

/** The app's connect: STORE_UNAVAILABLE when the team index is of another archive than the open `root`. */
export async function checkTeamIndexOf(connection: PgConnection, root: string): Promise<void> {
  const match = await connection.call(() => matchArchive(connection.pool, connection.schema, root));
  const reason = otherArchiveReason(match, root);
  if (reason) throw new ArchiveError('STORE_UNAVAILABLE', `The team index at ${connection.target.shown} schema ${connection.schema} cannot be used: ${reason}.`);
}
