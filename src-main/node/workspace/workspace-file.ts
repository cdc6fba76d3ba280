/**
 * Where a workspace file lives and how it is opened. A workspace is the reader's work, not a cache: Backfile
 * creates it (absent or 0-byte path) or opens one it made (its application id in the SQLite header); anything else,
 * a damaged file or one from a newer Backfile is refused with a message and left exactly as it is. Nothing here
 * ever deletes a file.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ArchiveError } from '../../shared/archive-api';
import { dataDir } from '../data-dir';
import { describeError, isInside } from '../fs-safety';
import { WORKSPACE_APPLICATION_ID, WORKSPACE_VERSION, migrateWorkspace } from './schema';

/** One workspace per archive in the data folder, named like its index (data-dir.ts defaultIndexPath). */
export function defaultWorkspacePath(archiveRoot: string, base: string = dataDir()): string {
  const root = path.resolve(archiveRoot);
  const key = createHash('sha256').update(root).digest('hex').slice(0, 16);
  const name = (path.basename(root) || 'archive').replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 40);
  return path.join(base, 'workspaces', `${name}-${key}.sqlite`);
}

function realLocation(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    const parent = path.dirname(file);
    if (parent === file) return file;
    return path.join(realLocation(parent), path.basename(file));
  }
}

/** The workspace file of the archive at `root` (a real path): `given` (`--workspace`) or the default; never inside the archive. */
export function locateWorkspace(root: string, given?: string, base?: string): string {
  const file = realLocation(path.resolve(given ?? defaultWorkspacePath(root, base)));
  if (isInside(root, file)) throw new ArchiveError('UNSAFE_PATH', `the workspace cannot be kept inside the archive: ${file}`);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new ArchiveError('READ_ONLY', `cannot create the workspace folder ${path.dirname(file)}: ${describeError(error)}`);
  }
  return file;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** `new` (absent or empty: Backfile may create it), `ours`, or why it is not. Reads the header only. */
export function inspectWorkspaceFile(file: string): { kind: 'new' } | { kind: 'ours' } | { kind: 'refused'; reason: string } {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return { kind: 'new' };
  if (!stat.isFile()) return { kind: 'refused', reason: 'it is not a plain file' };
  if (stat.size === 0) return { kind: 'new' };
  const header = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) return { kind: 'refused', reason: 'it is not a SQLite database (damaged, or another kind of file)' };
  const appId = header.readInt32BE(68);
  if (appId !== WORKSPACE_APPLICATION_ID) return { kind: 'refused', reason: `it is not a Backfile workspace (application id ${appId})` };
  return { kind: 'ours' };
}

const keepIt = (file: string, reason: string) =>
  new ArchiveError('NOT_OURS', `the workspace ${file} cannot be used: ${reason}. Backfile leaves it as it is; restore it from a backup, or give another file with --workspace`);

/**
 * Opens (creating or migrating) the workspace at `file`: WAL, synchronous FULL (an acknowledged mark survives a
 * crash of the machine too), foreign keys, and a busy timeout so two windows can write to it in turn.
 */
export function openWorkspaceDb(file: string): Database.Database {
  const found = inspectWorkspaceFile(file);
  if (found.kind === 'refused') throw keepIt(file, found.reason);
  const nativeBinding = process.env.BACKFILE_SQLITE_BINDING || undefined;
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: found.kind === 'ours', ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (error) {
    throw keepIt(file, describeError(error));
  }
  try {
    db.pragma('busy_timeout = 10000');
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > WORKSPACE_VERSION) throw keepIt(file, `it was written by a newer Backfile (workspace version ${version}; this one reads up to ${WORKSPACE_VERSION})`);
    if (found.kind === 'ours') {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw keepIt(file, `it is damaged (${String(check)})`);
    }
    // A new file is migrated before WAL is on, so its header carries the application id from the first commit.
    if (version < WORKSPACE_VERSION) migrateWorkspace(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    if (error instanceof ArchiveError) throw error;
    throw keepIt(file, describeError(error));
  }
}
