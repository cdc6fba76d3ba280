/**
 * Is a file at an index path one that Backfile made? Backfile deletes and rebuilds only its own files: an index
 * carries APPLICATION_ID in its SQLite header and a `meta` table, both written by the first migration in one
 * transaction (store.ts migrates a new file before it turns WAL on, so a crash never leaves half of the marks).
 * Another program's file is read, never written: only its first bytes; SQLite (read-only) opens only a file
 * whose header carries Backfile's application id.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { APPLICATION_ID } from './schema';

export type Ownership =
  /** Nothing there: Backfile may create its index. */
  | { kind: 'absent' }
  /** A 0-byte file: SQLite starts a new database in it, losing nothing. */
  | { kind: 'empty' }
  /** Backfile's own index (it may still be damaged further in). */
  | { kind: 'ours' }
  /** Cannot say whose: not SQLite, a damaged header or schema, or a SQLite file without Backfile's marks and tables. */
  | { kind: 'unproven'; reason: string }
  /** Another program's: a SQLite file with its own application id or its own tables, or not a plain file. */
  | { kind: 'foreign'; reason: string };

/** The files SQLite keeps beside a database. */
export const INDEX_SUFFIXES = ['', '-wal', '-shm', '-journal'] as const;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Reads the SQLite file header and the start of page 1 without opening the file as a database. */
function readHeader(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(112);
    const read = fs.readSync(fd, header, 0, 112, 0);
    return header.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

export function inspectIndexFile(file: string): Ownership {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return { kind: 'absent' };
  if (!stat.isFile()) return { kind: 'foreign', reason: 'it is not a plain file' };
  if (stat.size === 0) return { kind: 'empty' };
  let header: Buffer;
  try {
    header = readHeader(file);
  } catch (error) {
    return { kind: 'unproven', reason: `it cannot be read (${(error as Error).message})` };
  }
  if (header.length < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) return { kind: 'unproven', reason: 'it is not a SQLite database' };
  const headerAppId = header.readInt32BE(68);
  if (headerAppId !== APPLICATION_ID) {
    // Never opened with SQLite, which would write the -shm (and may replay a -wal) of another program's database.
    if (headerAppId !== 0) return { kind: 'foreign', reason: `it is another program's SQLite database (application id ${headerAppId})` };
    // Page 1 holds the schema; its b-tree header (after the 100-byte file header) counts the tables and indexes.
    const schemaEntries = header.length >= 105 ? header.readUInt16BE(103) : 0;
    if (schemaEntries > 0 || header[100] === 0x05) return { kind: 'foreign', reason: "it is another program's SQLite database (it has its own tables)" };
    return { kind: 'unproven', reason: 'it is a SQLite database without the marks of a Backfile index' };
  }
  // The header says Backfile's: confirm with SQLite (read-only) that the meta table is there.
  let db: Database.Database | undefined;
  try {
    const nativeBinding = process.env.BACKFILE_SQLITE_BINDING || undefined;
    db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    const hasMeta = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").pluck().get() === 1;
    return hasMeta ? { kind: 'ours' } : { kind: 'unproven', reason: 'it lacks the tables of a Backfile index' };
  } catch (error) {
    return { kind: 'unproven', reason: `its SQLite schema is damaged (${(error as Error).message})` };
  } finally {
    db?.close();
  }
}

/** Device and inode: the same file even when its contents are damaged. */
export interface FileIdentity { dev: number; ino: number }

export function identityOf(file: string): FileIdentity | null {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? { dev: stat.dev, ino: stat.ino } : null;
}

export const sameFile = (a: FileIdentity | null, b: FileIdentity | null): boolean =>
  a !== null && b !== null && a.dev === b.dev && a.ino === b.ino;

/**
 * Deletes the index and the files SQLite keeps beside it. The caller has proved the index is Backfile's
 * (inspectIndexFile said `ours`, or it is the very file Backfile opened); nothing else calls this.
 */
export function removeOwnIndexFiles(file: string): void {
  for (const suffix of INDEX_SUFFIXES) fs.rmSync(file + suffix, { force: true });
}
