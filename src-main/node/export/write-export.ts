/**
 * Writes one export file: under a temporary name in the target's folder, renamed into place only when complete,
 * so a reader never sees half a file and a cancelled or failed export leaves nothing behind. Never inside the
 * archive folder (UNSAFE_PATH); an existing file is replaced only with `overwrite` (a save dialog's consent or
 * the CLI's --force).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { FILE_FORMATS } from '../../core/export/formats';
import { ArchiveError, type ExportProgress, type ExportRequest, type ExportResult } from '../../shared/archive-api';
import type { ArchiveService } from '../archive/archive-service';
import { describeError, isInside } from '../fs-safety';
import { exportDossier } from './dossier/export-dossier';
import { exportSource, type PathFilter } from './export-records';

export interface WriteExportOptions {
  /** Replace an existing file at the target. */
  overwrite?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
  /** The access date of the records (default: today). */
  today?: Date;
  /** What the app adds to the index's answer for `request.query` (the workspace's mark words; default: nothing). */
  filter?: PathFilter;
}

/** The real path of `target`'s folder (it must exist) joined with its name; refuses a place inside the archive. */
export async function checkExportTarget(archiveRoot: string, target: string): Promise<string> {
  const absolute = path.resolve(target);
  const name = path.basename(absolute);
  if (!name || name === '.' || name === '..') throw new ArchiveError('INVALID_ARGUMENT', `not a file name: ${target}`);
  let folder: string;
  try {
    folder = await fs.realpath(path.dirname(absolute));
  } catch (error) {
    throw new ArchiveError('NOT_FOUND', `the folder of ${target} cannot be used: ${describeError(error)}`);
  }
  const resolved = path.join(folder, name);
  const root = await fs.realpath(archiveRoot);
  if (isInside(root, resolved)) throw new ArchiveError('UNSAFE_PATH', `Backfile does not write into the archive folder; choose a place outside ${root}`);
  return resolved;
}

const exists = async (p: string): Promise<boolean> =>
  fs.lstat(p).then(
    () => true,
    () => false,
  );

/** Moves the finished temporary file into place: never over an existing file unless allowed (link fails if it exists). */
async function putInPlace(temp: string, target: string, overwrite: boolean): Promise<void> {
  if (overwrite) return fs.rename(temp, target);
  try {
    await fs.link(temp, target);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') throw new ArchiveError('NOT_OURS', `${target} exists; Backfile does not replace it without your consent`);
    // A file system without hard links: check, then rename (a small race, never a silent replace of a known file).
    if (await exists(target)) throw new ArchiveError('NOT_OURS', `${target} exists; Backfile does not replace it without your consent`);
    return fs.rename(temp, target);
  }
  await fs.unlink(temp);
}

const isFolder = async (p: string): Promise<boolean> =>
  fs.stat(p).then(
    (stat) => stat.isDirectory(),
    () => false,
  );

/**
 * A file system's error while writing `target` as a contract error with a message a person can act on (never
 * Node's raw text as INTERNAL): no permission or a read-only disk is READ_ONLY, a folder in the way
 * INVALID_ARGUMENT, a full disk TOO_LARGE (the export is larger than the room left). Contract errors pass as they are.
 */
export function exportFileError(error: unknown, target: string): Error {
  if (error instanceof ArchiveError) return error;
  const code = error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : '';
  const folder = path.dirname(target);
  const why = describeError(error);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new ArchiveError('READ_ONLY', `cannot write the export in ${folder} (${why}); choose a folder you can write to`);
    case 'EISDIR':
    case 'ENOTEMPTY':
      return new ArchiveError('INVALID_ARGUMENT', `${target} is a folder; an export is a file: choose another name`);
    case 'ENOTDIR':
    case 'ENOENT':
      return new ArchiveError('NOT_FOUND', `the folder of ${target} cannot be used (${why}); choose another place`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new ArchiveError('TOO_LARGE', `the disk holding ${folder} is full; nothing was written: free some space or choose another place`);
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}

export async function writeExport(service: ArchiveService, request: ExportRequest, target: string, options: WriteExportOptions = {}): Promise<ExportResult> {
  const root = service.root;
  if (root === null) throw new ArchiveError('NO_ARCHIVE', 'no archive is open');
  if (request.format === 'dossier') return exportDossier(service, request, target, options);
  const format = FILE_FORMATS[request.format];
  const resolved = await checkExportTarget(root, target);
  if (!options.overwrite && (await exists(resolved))) throw new ArchiveError('NOT_OURS', `${resolved} exists; Backfile does not replace it without your consent`);

  const source = await exportSource(service, request, options.today ?? new Date(), options.filter);
  const report = (phase: ExportProgress['phase'], written: number, message?: string) =>
    options.onProgress?.({ phase, written, total: source.total, ...(message ? { message } : {}) });
  const temp = path.join(path.dirname(resolved), `.${path.basename(resolved)}.${randomUUID().slice(0, 8)}.part`);
  let handle: fs.FileHandle | null = null;
  let count = 0;
  let bytes = 0;
  const write = async (text: string) => {
    if (!text || !handle) return;
    const buffer = Buffer.from(text, 'utf8');
    await handle.write(buffer);
    bytes += buffer.length;
  };
  try {
    report('writing', 0);
    if (options.overwrite && (await isFolder(resolved))) throw new ArchiveError('INVALID_ARGUMENT', `${resolved} is a folder; an export is a file: choose another name`);
    handle = await fs.open(temp, 'wx');
    await write(format.head());
    for await (const page of source.pages) {
      if (options.signal?.aborted) break;
      await write(page.map((record, i) => format.item(record, count + i)).join(''));
      count += page.length;
      report('writing', count);
    }
    if (options.signal?.aborted) {
      await handle.close();
      await fs.rm(temp, { force: true });
      report('cancelled', count);
      return { path: resolved, count: 0, bytes: 0, cancelled: true };
    }
    await write(format.tail(count));
    await handle.sync();
    await handle.close();
    await putInPlace(temp, resolved, options.overwrite ?? false);
  } catch (caught) {
    const error = exportFileError(caught, resolved);
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    report('error', count, error.message);
    throw error;
  }
  report('done', count);
  return { path: resolved, count, bytes, cancelled: false };
}
