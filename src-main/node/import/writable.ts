import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ArchiveError } from '../../shared/archive-api';
import { describeError, isInside } from '../fs-safety';
import { errorCode, TEMP_SUFFIX } from './atomic-copy';
import { IMPORT_FOLDER } from './plan';

/** Errors that mean "this place cannot be written", whoever asks again. */
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * Makes sure an import can write into the archive before it copies anything: one clear READ_ONLY error instead
 * of a "not copied" line per file. Asks the folder the copies go to (`imported/`, or the archive itself while
 * that does not exist yet) with `access`, then really creates and removes an empty hidden file there, since
 * `access` says yes to root on a read-only folder and knows nothing of some network shares' rules. A probe left
 * by a kill is a hidden temporary file that the next import's clean-up removes.
 */
export async function ensureWritable(root: string): Promise<void> {
  const folder = await probeFolder(root);
  const probe = path.join(folder, `.backfile-probe.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  try {
    await fs.access(folder, constants.W_OK);
    const handle = await fs.open(probe, 'wx');
    await handle.close();
  } catch (error) {
    const where = folder === root ? 'the archive folder' : `${IMPORT_FOLDER}/ in the archive`;
    const code = errorCode(error);
    const message = `cannot import: ${where} cannot be written (${describeError(error)}); nothing was copied`;
    throw new ArchiveError(code && NOT_WRITABLE.has(code) ? 'READ_ONLY' : 'INTERNAL', message, { cause: error });
  }
  await fs.rm(probe, { force: true }).catch(() => undefined);
}

/** `imported/` when it is a folder inside the archive (a link leading out is refused later, by ImportTarget). */
async function probeFolder(root: string): Promise<string> {
  const imported = path.join(root, IMPORT_FOLDER);
  const real = await fs.realpath(imported).catch(() => null);
  if (!real || !isInside(root, real)) return root;
  const stat = await fs.stat(real).catch(() => null);
  return stat?.isDirectory() ? real : root;
}
