import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isSourcePost, nameKey, placementFor, sourceFolderName, type Placement, type SourceShape } from './plan';
import { findLocalReferences, REFERENCE_SCAN_BYTES, type LocalReference } from './references';
import { findBesideFile, isHiddenOrSystem, scanSourceFolder, type SourceFile } from './source';
import { describeError, isInside } from '../fs-safety';

export interface IncomingPost {
  file: SourceFile;
  sha256: string;
  references: LocalReference[];
}

/** One source, read and sorted: its posts (hashed, with their references) and the other files they may use. */
export interface PreparedSource {
  /** The path as given (for messages). */
  given: string;
  shape: SourceShape;
  placement: Placement;
  posts: IncomingPost[];
  /** Source files that are not posts: copied only when a post refers to them. */
  others: SourceFile[];
  /** Hidden and system entries left out. */
  hidden: number;
  problems: { path: string; message: string }[];
  /** A file a post refers to (source-relative path), or `null` when it is not in the source. */
  lookup(rel: string): Promise<SourceFile | null>;
}

export type Refusal = { path: string; message: string };

/** How every refusal of a whole source ends (callers that only see the report tell refusals by it). */
export const NOTHING_IMPORTED = 'nothing imported from it';

/** Was this source refused as a whole (not found, inside the archive, not a post…)? */
export const isRefusalOf = (source: string, problem: { path: string; message: string }): boolean =>
  problem.path === source && problem.message.endsWith(NOTHING_IMPORTED);

/**
 * Reads one dropped folder or file: refuses what must not be imported, walks the folder, tells posts from other
 * files, hashes the posts and collects what they refer to. Writes nothing.
 */
export async function prepareSource(
  given: string,
  archiveRoot: string,
  flatArchive: boolean,
  options: { signal?: AbortSignal; onFile?: () => void },
): Promise<PreparedSource | Refusal> {
  const abs = path.resolve(given);
  const real = await fs.realpath(abs).catch(() => null);
  const stat = real ? await fs.stat(real).catch(() => null) : null;
  if (!real || !stat) return { path: given, message: `not found (or not readable); ${NOTHING_IMPORTED}` };
  if (isInside(real, archiveRoot)) {
    return { path: given, message: `the archive is inside this folder: an archive cannot be imported into itself; ${NOTHING_IMPORTED}` };
  }
  if (isInside(archiveRoot, real)) return { path: given, message: `this is already inside the archive; ${NOTHING_IMPORTED}` };
  const problems: PreparedSource['problems'] = [];

  let shape: SourceShape;
  let files: SourceFile[];
  let hidden = 0;
  let lookupIn: (rel: string) => Promise<SourceFile | null>;
  const folderName = path.basename(real);
  if (stat.isDirectory()) {
    const scan = await scanSourceFolder(real, options);
    for (const problem of scan.problems) problems.push({ path: path.join(abs, problem.rel), message: problem.message });
    shape = folderName === '_posts' || folderName === '_drafts' ? 'posts-folder' : scan.sawPostsFolder ? 'site' : 'flat';
    files = scan.files;
    hidden = scan.hidden.length;
    lookupIn = folderLookup(files);
  } else if (stat.isFile()) {
    if (!isSourcePost(folderName, 'file', folderName) || isHiddenOrSystem(folderName)) {
      return { path: given, message: `not a post file (.md, .markdown or .html); ${NOTHING_IMPORTED}` };
    }
    shape = 'file';
    files = [{ rel: folderName, abs: real, size: stat.size }];
    options.onFile?.();
    const root = path.dirname(real);
    lookupIn = (rel) => findBesideFile(root, rel);
  } else {
    return { path: given, message: `not a regular file or a folder; ${NOTHING_IMPORTED}` };
  }

  const posts: IncomingPost[] = [];
  const others: SourceFile[] = [];
  for (const file of files) {
    if (!isSourcePost(file.rel, shape, folderName)) {
      others.push(file);
      continue;
    }
    options.signal?.throwIfAborted();
    try {
      const { sha256, head } = await readPost(file.abs);
      posts.push({ file, sha256, references: findLocalReferences(head, file.rel) });
    } catch (error) {
      problems.push({ path: path.join(abs, file.rel), message: `could not be read: ${describeError(error)}` });
    }
  }
  return {
    given,
    shape,
    placement: placementFor(shape, sourceFolderName(abs), folderName, flatArchive),
    posts,
    others,
    hidden,
    problems,
    lookup: lookupIn,
  };
}

/** A file in the walked folder by its relative path; a link written with other case or normalisation still finds it. */
function folderLookup(files: SourceFile[]): (rel: string) => Promise<SourceFile | null> {
  const exact = new Map(files.map((f) => [f.rel, f]));
  let folded: Map<string, SourceFile> | null = null;
  return async (rel) => {
    const found = exact.get(rel);
    if (found) return found;
    folded ??= new Map(files.map((f) => [f.rel.split('/').map(nameKey).join('/'), f]));
    return folded.get(rel.split('/').map(nameKey).join('/')) ?? null;
  };
}

/** Hashes a whole post and keeps its beginning to look for references (a huge "post" is not held in memory). */
async function readPost(file: string): Promise<{ sha256: string; head: Buffer }> {
  const hash = createHash('sha256');
  // O_NONBLOCK: a file swapped for a named pipe since it was listed must not hang the import on this open.
  const handle = await fs.open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error('not a regular file');
    if (stat.size <= REFERENCE_SCAN_BYTES) {
      const bytes = await handle.readFile();
      return { sha256: hash.update(bytes).digest('hex'), head: bytes };
    }
    const head = Buffer.alloc(REFERENCE_SCAN_BYTES);
    const buffer = Buffer.alloc(1024 * 1024);
    let kept = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      kept += buffer.copy(head, kept, 0, Math.min(bytesRead, REFERENCE_SCAN_BYTES - kept));
    }
    return { sha256: hash.digest('hex'), head: head.subarray(0, kept) };
  } finally {
    await handle.close();
  }
}
