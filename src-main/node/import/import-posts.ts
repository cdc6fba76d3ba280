import fs from 'node:fs/promises';
import path from 'node:path';
import type { ImportProgress, ImportReport } from '../../shared/archive-api';
import { cleanStrayTemps, errorCode, FATAL_WRITE_ERRORS, hashFile } from './atomic-copy';
import { destinationOf, hasPostExtension, IMPORT_FOLDER } from './plan';
import { prepareSource, type IncomingPost, type PreparedSource } from './prepare';
import { ImportTarget } from './target';
import { ensureWritable } from './writable';
import { describeError, resolveArchiveRoot } from '../fs-safety';
import { scanArchive, type ScannedFile } from '../index/scan';

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Stops the import between files (or mid-file: that copy is dropped whole). */
  signal?: AbortSignal;
  /** Least time between two progress reports with the same phase (default 100 ms; the window need not see every file). */
  progressIntervalMs?: number;
}

export interface ImportResult extends ImportReport {
  /** Sources that could be read at all (0: nothing could be done). */
  sourcesRead: number;
}

/** Stop after these: every further write would fail the same way. */
class StopImport extends Error {}

/**
 * Copies posts (and the files they refer to) from folders or files into `archiveRoot/imported/…`. Sources are
 * only read. Posts already in the archive (same bytes) are skipped, clashing names get a number, nothing is
 * ever replaced, and every file appears whole or not at all. The index is not touched: the caller runs the
 * ordinary index update afterwards, which finds the new files. Throws ArchiveError READ_ONLY, before copying
 * anything, when the archive cannot be written.
 */
export async function importPosts(sources: string[], archiveRoot: string, options: ImportOptions = {}): Promise<ImportResult> {
  const root = await resolveArchiveRoot(archiveRoot);
  const { signal } = options;
  const report: ImportResult = { added: 0, duplicates: 0, renamed: 0, skipped: 0, problems: [], addedPaths: [], duplicateFiles: [], cancelled: false, sourcesRead: 0 };
  const counts: ImportProgress = { phase: 'scanning', scanned: 0, copied: 0, indexed: 0 };
  const progress = throttle(options.onProgress, counts, options.progressIntervalMs ?? 100);
  const target = new ImportTarget(root, signal);
  try {
    // Before anything is read or written: a read-only archive is one READ_ONLY error, not a failure per file.
    await ensureWritable(root);
    for (const rel of await cleanStrayTemps(path.join(root, IMPORT_FOLDER))) {
      report.problems.push({ path: `${IMPORT_FOLDER}/${rel}`, message: 'unfinished copy left by an interrupted import; removed' });
    }
    progress('scanning', true);
    const archive = await scanArchive(root);
    // A plain folder of posts stays one (see placementFor); an empty archive gets the Jekyll layout.
    const flatArchive = archive.layout === 'flat' && archive.files.length > 0;
    const prepared: PreparedSource[] = [];
    for (const source of sources) {
      const result = await prepareSource(source, root, flatArchive, { signal, onFile: () => progress('scanning', false, 'scanned') });
      if ('lookup' in result) {
        prepared.push(result);
        report.problems.push(...result.problems);
        report.skipped += result.hidden;
      } else report.problems.push(result);
    }
    report.sourcesRead = prepared.length;
    const known = await hashesInArchive(archive.files, prepared, signal);

    progress('copying', true);
    for (const source of prepared) await copySource(source, target, known, report, signal, () => progress('copying', false, 'copied'));
  } catch (error) {
    if (signal?.aborted) report.cancelled = true;
    else if (!(error instanceof StopImport)) {
      progress('error', true);
      throw error;
    }
  } finally {
    await target.removeEmptyFolders();
  }
  progress(report.cancelled ? 'cancelled' : 'done', true);
  return report;
}

async function copySource(
  source: PreparedSource,
  target: ImportTarget,
  known: Map<string, string>,
  report: ImportResult,
  signal: AbortSignal | undefined,
  onCopied: () => void,
): Promise<void> {
  const { placement } = source;
  const used = new Set<string>();
  const attachments = new Set<string>();
  const sourcePath = (file: { rel: string; abs: string }) => (source.shape === 'file' ? file.abs : path.join(path.resolve(source.given), file.rel));
  const fail = (error: unknown, where: string) => {
    const code = errorCode(error);
    if (signal?.aborted) throw error;
    report.problems.push({ path: where, message: `not copied: ${describeError(error)}` });
    if (code && FATAL_WRITE_ERRORS.has(code)) {
      report.problems.push({ path: '.', message: `import stopped (${describeError(error)}); every post copied so far is whole` });
      throw new StopImport(code);
    }
  };

  for (const post of source.posts) {
    const existing = known.get(post.sha256);
    if (existing !== undefined) {
      report.duplicates += 1;
      report.duplicateFiles.push({ path: shownPath(source, post.file.rel), existing });
      continue;
    }
    // The files a post shows go in first: a post that lands is complete, even if the import stops right after.
    for (const file of await attachmentsOf(post, source)) {
      used.add(file.rel);
      const dest = destinationOf(file.rel, file.rootRelative ? placement.rootPrefix : placement.postPrefix, placement);
      if (attachments.has(dest)) continue;
      attachments.add(dest);
      try {
        const outcome = await target.placeAttachment(file.abs, dest);
        if (outcome === 'copied') onCopied();
        if (outcome === 'clash') {
          report.problems.push({ path: dest, message: `a different file of this name is already in the archive; ${sourcePath(file)} was not copied, and the imported post shows the existing one` });
        }
      } catch (error) {
        fail(error, sourcePath(file));
      }
    }
    try {
      const placed = await target.placePost(post.file.abs, destinationOf(post.file.rel, placement.postPrefix, placement));
      onCopied();
      report.added += 1;
      report.addedPaths.push(placed.rel);
      if (placed.renamed) report.renamed += 1;
      known.set(placed.sha256, placed.rel);
      known.set(post.sha256, placed.rel);
      if (placed.sha256 !== post.sha256) report.problems.push({ path: placed.rel, message: 'the source file changed during the import; the copy is the newer version' });
    } catch (error) {
      fail(error, sourcePath(post.file));
    }
  }
  // Left out, and counted: files no imported post refers to (or only posts that were already in the archive).
  report.skipped += source.others.filter((file) => !used.has(file.rel)).length;
}

/** The existing files a post refers to inside its source that can be copied with it (not pages or other posts). */
async function attachmentsOf(post: IncomingPost, source: PreparedSource) {
  const found: { rel: string; abs: string; rootRelative: boolean }[] = [];
  for (const reference of post.references) {
    if (hasPostExtension(reference.rel)) continue;
    const file = await source.lookup(reference.rel);
    if (file && !hasPostExtension(file.rel)) found.push({ rel: file.rel, abs: file.abs, rootRelative: reference.rootRelative });
  }
  return found;
}

/** A source file as the person dropped or named it: the source's own name, then its path inside (`/`-separated). */
function shownPath(source: PreparedSource, rel: string): string {
  const name = path.basename(path.resolve(source.given));
  return source.shape === 'file' ? name : [name, ...rel.split(path.sep)].join('/');
}

/**
 * sha256 → archive-relative path of the archive's posts, read only where an incoming post has the same size
 * (others cannot be equal).
 */
async function hashesInArchive(files: ScannedFile[], sources: PreparedSource[], signal?: AbortSignal): Promise<Map<string, string>> {
  const sizes = new Set(sources.flatMap((s) => s.posts.map((p) => p.file.size)));
  const hashes = new Map<string, string>();
  for (const file of files) {
    if (!sizes.has(file.size)) continue;
    signal?.throwIfAborted();
    // Through links inside the archive too (scanArchive follows those): a linked post is still a post.
    const hash = await fs.realpath(file.absPath).then(hashFile).catch(() => null);
    if (hash && !hashes.has(hash)) hashes.set(hash, file.relPath);
  }
  return hashes;
}

/** Progress at most every `intervalMs` (thousands of files must not flood the window), phase changes at once. */
function throttle(listener: ImportOptions['onProgress'], counts: ImportProgress, intervalMs: number) {
  let last = 0;
  return (phase: ImportProgress['phase'], force: boolean, increment?: 'scanned' | 'copied') => {
    counts.phase = phase;
    if (increment) counts[increment] += 1;
    if (!listener) return;
    const now = Date.now();
    if (!force && now - last < intervalMs) return;
    last = now;
    listener({ ...counts });
  };
}
