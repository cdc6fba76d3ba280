import fs from 'node:fs/promises';
import path from 'node:path';
import { ArchiveError } from '../shared/archive-api';

/** Is `candidate` the folder `root` or somewhere below it? (Both absolute, both already resolved.) */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export function describeError(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = String((error as { code: unknown }).code);
    const known: Record<string, string> = {
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      ENOENT: 'no such file or folder',
      EISDIR: 'is a folder',
      ENOTDIR: 'not a folder',
      ENOSPC: 'the disk is full',
      EROFS: 'the disk is read-only',
      EMFILE: 'too many open files',
    };
    return known[code] ?? `${code}: ${error instanceof Error ? error.message : ''}`.trim();
  }
  return error instanceof Error ? error.message : String(error);
}

/** An archive folder as given by a person: it must exist and be a folder; answers its real path. */
export async function resolveArchiveRoot(rootPath: string): Promise<string> {
  if (typeof rootPath !== 'string' || rootPath.trim() === '') throw new ArchiveError('INVALID_ARGUMENT', 'no archive folder given');
  let stat;
  try {
    stat = await fs.stat(rootPath);
  } catch (error) {
    throw new ArchiveError('NOT_FOUND', `archive folder not found: ${rootPath} (${describeError(error)})`);
  }
  if (!stat.isDirectory()) throw new ArchiveError('INVALID_ARGUMENT', `not a folder: ${rootPath} (an archive is a folder of posts)`);
  return fs.realpath(rootPath);
}
