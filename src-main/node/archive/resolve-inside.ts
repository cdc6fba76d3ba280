import fs from 'node:fs/promises';
import path from 'node:path';
import { ArchiveError } from '../../shared/archive-api';
import { isInside } from '../fs-safety';

/**
 * Checks the shape of an archive-relative path (`_posts/x.md`), without touching the disk: refuses `..` that
 * leaves the archive, absolute paths, drive letters, NUL bytes and backslashes. Answers it normalised.
 */
export function checkRelativePath(relPath: unknown): string {
  if (typeof relPath !== 'string' || relPath.length === 0 || relPath.length > 4096) throw new ArchiveError('INVALID_ARGUMENT', 'invalid path');
  if (relPath.includes('\0') || relPath.includes('\\') || path.posix.isAbsolute(relPath) || /^[a-zA-Z]:/.test(relPath)) {
    throw new ArchiveError('UNSAFE_PATH', `path refused: ${JSON.stringify(relPath.slice(0, 200))}`);
  }
  const normal = path.posix.normalize(relPath);
  if (normal.startsWith('../') || normal === '..') throw new ArchiveError('UNSAFE_PATH', `path outside the archive refused: ${relPath}`);
  return normal;
}

/**
 * An archive-relative path as the real file inside the archive `root` (a real path): refuses what
 * checkRelativePath refuses and symbolic links that lead outside (UNSAFE_PATH); a missing file is NOT_FOUND.
 */
export async function resolveInside(root: string, relPath: string): Promise<string> {
  const normal = checkRelativePath(relPath);
  const real = await fs.realpath(path.join(root, ...normal.split('/'))).catch(() => null);
  if (!real) throw new ArchiveError('NOT_FOUND', `no such file in the archive: ${relPath}`);
  if (!isInside(root, real)) throw new ArchiveError('UNSAFE_PATH', `path outside the archive refused: ${relPath}`);
  return real;
}
