import fs from 'node:fs/promises';
import path from 'node:path';
import { ArchiveError } from '../../shared/archive-api';
import { describeError, isInside } from '../fs-safety';

export interface IndexLocation {
  /** The index file, symbolic links resolved. */
  file: string;
  /**
   * Backfile chose this path itself (its data folder, data-dir.ts defaultIndexPath): a file there that cannot
   * prove it is an index (not SQLite, header damaged) may be rebuilt. A path a person gave must prove it.
   */
  chosenByBackfile: boolean;
}

/** The real path of `file`, which need not exist yet: the nearest existing folder above it, resolved. */
async function realLocation(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    if (await fs.lstat(file).then(() => true, () => false)) {
      throw new ArchiveError('UNSAFE_PATH', `the index path ${file} is a symbolic link to nothing`);
    }
    const parent = path.dirname(file);
    if (parent === file) return file;
    return path.join(await realLocation(parent), path.basename(file));
  }
}

/**
 * Where the index of the archive at `root` (a real path) lives: `given` (a person's choice, e.g. the CLI's
 * `--index`) or `chosen(root)`. Never inside the archive (UNSAFE_PATH): the index is rewritten and deleted
 * freely, and the archive may be read-only or shared. Creates the folder it goes in.
 */
export async function locateIndex(root: string, given: string | undefined, chosen: (root: string) => string): Promise<IndexLocation> {
  const wanted = path.resolve(given ?? chosen(root));
  const file = await realLocation(wanted);
  if (isInside(root, file)) throw new ArchiveError('UNSAFE_PATH', `the index cannot be kept inside the archive it indexes: ${file}`);
  await fs.mkdir(path.dirname(file), { recursive: true }).catch((error: unknown) => {
    throw new ArchiveError('READ_ONLY', `cannot create the index folder ${path.dirname(file)}: ${describeError(error)}`);
  });
  // Backfile's own only while the resolved file is still in the folder Backfile chose: a symbolic link there to a
  // file elsewhere (a person's document) must not make that file one Backfile may delete.
  const chosenByBackfile = given === undefined && isInside(await realLocation(path.dirname(wanted)), file);
  return { file, chosenByBackfile };
}
