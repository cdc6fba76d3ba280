/**
 * Packs a folder into one .zip, streaming: yazl reads one file at a time (opened only when its turn comes) and the
 * zip is written through a pipeline with back-pressure, so memory stays bounded whatever the folder's size.
 * Browser mode uses it to deliver a dossier (a folder) as one download.
 */
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { ExportProgress, ExportResult } from '../../shared/archive-api';
import { exportFileError } from './write-export';

export interface ZipFolderOptions {
  /** The one folder every entry sits under inside the zip (`posts-dossier/index.html`), so unpacking spills nothing. */
  root: string;
  signal?: AbortSignal;
  /** Files packed so far (counted as each one starts) of the files to pack. */
  onProgress?: (packed: number, total: number) => void;
}

export interface ZipFolderResult {
  /** Bytes of the zip (0 when cancelled). */
  bytes: number;
  /** Cancelled through `signal`: no zip is left. */
  cancelled: boolean;
}

/** Every regular file under `folder`, as `/`-separated relative paths, sorted (links and other kinds are skipped). */
async function filesIn(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** A name safe to put in a zip: relative, no empty, `.` or `..` part, no backslash or drive (yazl refuses the rest). */
function entryName(root: string, relative: string): string {
  const name = `${root}/${relative}`;
  if (name.split('/').some((part) => part === '' || part === '.' || part === '..') || /[\\:]/.test(name)) {
    throw new Error(`not a safe name inside a zip: ${name}`);
  }
  return name;
}

/** Writes `folder` as the zip `zipFile` (which must not exist); a cancelled or failed run removes the zip. */
export async function zipFolder(folder: string, zipFile: string, options: ZipFolderOptions): Promise<ZipFolderResult> {
  const { signal, onProgress } = options;
  if (signal?.aborted) return { bytes: 0, cancelled: true };
  const files = await filesIn(folder);
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  let reading: ReadStream | null = null;
  const stop = () => reading?.destroy();
  let handle: fs.FileHandle | null = null; // a file already there (`wx` refuses it) is not ours to remove
  try {
    // Inside the try: an unsafe entry name throws here, and the finally must still take the listener off the signal.
    signal?.addEventListener('abort', stop);
    zip.on('error', (error: Error) => output.destroy(error));
    onProgress?.(0, files.length);
    for (const [i, relative] of files.entries()) {
      const name = entryName(options.root, relative);
      const file = path.join(folder, ...relative.split('/'));
      zip.addReadStreamLazy(name, (callback) => {
        if (signal?.aborted) return callback(new Error('cancelled'), null as unknown as ReadStream);
        onProgress?.(i, files.length);
        reading = createReadStream(file);
        callback(null, reading);
      });
    }
    zip.end();
    handle = await fs.open(zipFile, 'wx');
    const target = createWriteStream('', { fd: handle }); // the stream closes the handle
    await (signal ? pipeline(output, target, { signal }) : pipeline(output, target));
  } catch (error) {
    output.destroy();
    if (handle) await fs.rm(zipFile, { force: true });
    if (signal?.aborted) return { bytes: 0, cancelled: true };
    throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  onProgress?.(files.length, files.length);
  return { bytes: (await fs.stat(zipFile)).size, cancelled: false };
}

/**
 * Browser mode's dossier, written as a folder in its download slot: packed into `<folder>.zip` beside it (progress
 * as `packing`, then `done`), the folder removed either way. Answers the export's result with the zip's path and bytes.
 */
export async function packDossier(written: ExportResult, signal: AbortSignal, emit: (progress: ExportProgress) => void): Promise<ExportResult> {
  const zipFile = `${written.path}.zip`;
  try {
    const onProgress = (packed: number, total: number) => emit({ phase: 'packing', written: packed, total });
    const packed = await zipFolder(written.path, zipFile, { root: path.basename(written.path), signal, onProgress });
    if (packed.cancelled) {
      emit({ phase: 'cancelled', written: 0, total: written.count });
      return { path: zipFile, count: 0, bytes: 0, cancelled: true };
    }
    emit({ phase: 'done', written: written.count, total: written.count });
    return { path: zipFile, count: written.count, bytes: packed.bytes, cancelled: false };
  } catch (caught) {
    const error = exportFileError(caught, zipFile);
    emit({ phase: 'error', written: 0, total: written.count, message: error.message });
    throw error;
  } finally {
    await fs.rm(written.path, { recursive: true, force: true });
  }
}
