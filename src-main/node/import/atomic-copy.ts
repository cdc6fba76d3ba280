import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Copies that are whole or absent. A file is written under a temporary name in its destination folder, flushed
 * to disk, then given its final name with `link` (which, unlike `rename`, never replaces an existing file).
 * A crash, a kill or a full disk leaves at most a `*.backfile-tmp` file, which no reader takes for a post
 * (the name does not end in `.md` or `.html`) and which the next import removes.
 */
export const TEMP_SUFFIX = '.backfile-tmp';
const TEMP_NAME = /\.[0-9a-f]{12}\.backfile-tmp$/;
const CHUNK = 1024 * 1024;

export interface CopyResult {
  /** `false`: a file of that name already exists; nothing was written. */
  written: boolean;
  /** sha256 of the bytes read from the source (and written, when written). */
  sha256: string;
}

/** Errors after which every further write would fail as well (the import should stop). */
export const FATAL_WRITE_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);
/** `link` is refused by file systems without hard links (FAT, exFAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV']);

export const errorCode = (error: unknown): string | undefined =>
  error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : undefined;

/**
 * Copies `src` to `dest` without ever replacing `dest` and without a moment where `dest` holds part of the
 * file. Symbolic links are not followed at `src` itself (the caller passes a resolved path). Honours `signal`
 * between chunks: an aborted copy removes its temporary file and throws the signal's reason.
 */
export async function copyFileAtomic(src: string, dest: string, options: { signal?: AbortSignal } = {}): Promise<CopyResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  const temp = `${dest}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
  const hash = createHash('sha256');
  // O_NONBLOCK: a source swapped for a named pipe since it was listed must not hang the import here.
  const input = await fs.open(src, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  let output: fs.FileHandle | null = null;
  try {
    const stat = await input.stat();
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    output = await fs.open(temp, 'wx');
    const buffer = Buffer.alloc(CHUNK);
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await input.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      let offset = 0;
      while (offset < bytesRead) offset += (await output.write(chunk, offset, bytesRead - offset)).bytesWritten;
    }
    // Keep the file's own dates: for a journalist the modification time of a received file is evidence.
    await output.utimes(stat.atime, stat.mtime);
    await output.sync();
    await output.close();
    output = null;
    signal?.throwIfAborted();
    const written = await commitTemp(temp, dest);
    return { written, sha256: hash.digest('hex') };
  } catch (error) {
    await output?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    await input.close().catch(() => undefined);
  }
}

/** Gives the finished temporary file its final name unless that name exists. Returns whether it did. */
async function commitTemp(temp: string, dest: string): Promise<boolean> {
  try {
    await fs.link(temp, dest);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') {
      await fs.rm(temp, { force: true });
      return false;
    }
    if (!code || !NO_HARD_LINKS.has(code)) throw error;
    // No hard links here: check, then rename. Only a writer racing us between the two steps could be replaced.
    if (await fs.lstat(dest).then(() => true, () => false)) {
      await fs.rm(temp, { force: true });
      return false;
    }
    await fs.rename(temp, dest);
    await syncFolder(path.dirname(dest));
    return true;
  }
  await fs.rm(temp, { force: true });
  await syncFolder(path.dirname(dest));
  return true;
}

/** Makes the new name itself durable. Not possible on Windows (folders cannot be opened); best effort elsewhere. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(folder, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
}

/** sha256 of a file, read in chunks (a huge file does not fill the memory). */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await fs.open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  try {
    if (!(await handle.stat()).isFile()) throw new Error('not a regular file');
    const buffer = Buffer.alloc(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/**
 * Removes the temporary files interrupted imports left under `folder` (links are not followed).
 * Returns their paths relative to `folder`, `/`-separated.
 */
export async function cleanStrayTemps(folder: string): Promise<string[]> {
  const removed: string[] = [];
  // Only a real folder: an `imported` that is a link elsewhere is not ours to clean.
  if (!(await fs.lstat(folder).catch(() => null))?.isDirectory()) return removed;
  const walk = async (abs: string, rel: string): Promise<void> => {
    const entries = await fs.readdir(abs, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const childAbs = path.join(abs, entry.name);
      if (entry.isDirectory()) await walk(childAbs, childRel);
      else if (entry.isFile() && TEMP_NAME.test(entry.name)) {
        if (await fs.rm(childAbs).then(() => true, () => false)) removed.push(childRel);
      }
    }
  };
  await walk(folder, '');
  return removed;
}
