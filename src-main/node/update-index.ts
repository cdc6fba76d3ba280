import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { IndexProgress } from '../shared/archive-api';
import { parsePost } from '../core/parse-post';
import type { ParsedPost, Problem } from '../core/types';
import type { IndexStore } from './index-store';
import { describeError, scanArchive, type ScannedFile } from './scan-archive';

/** Bump when parsing or tokenising changes what lands in the index: every post is then read again. */
export const PARSER_VERSION = '1';

/** Posts over this size are not read whole (a 2 GB "post" must not take the app's memory). */
export const MAX_POST_BYTES = 8 * 1024 * 1024;

const BATCH_SIZE = 250;

export interface UpdateSummary {
  layout: 'jekyll' | 'flat';
  scanned: number;
  /** Posts read and written in this run (new or changed). */
  updated: number;
  deleted: number;
  unchanged: number;
  ms: number;
}

export interface UpdateOptions {
  onProgress?: (progress: IndexProgress) => void;
  /** Checked between batches; a cancelled run leaves the index consistent (whole batches only). */
  isCancelled?: () => boolean;
  /** Reads and parses a batch of files; the default does it on this thread. A pool can run it elsewhere. */
  parseFiles?: (files: ScannedFile[]) => Promise<ReadOutcome[]>;
}

export type ReadOutcome =
  | { kind: 'post'; post: ParsedPost; size: number; mtimeMs: number; hash: string }
  | { kind: 'failure'; path: string; size: number; mtimeMs: number; hash: string | null; problems: Problem[] }
  | { kind: 'gone'; path: string };

/**
 * Brings an index in step with the archive on disk: new and changed files are read, deleted ones removed,
 * unchanged ones (same size and modification time) not touched. The posts are never modified.
 */
export async function updateIndex(store: IndexStore, root: string, options: UpdateOptions = {}): Promise<UpdateSummary> {
  const started = performance.now();
  const report = options.onProgress ?? (() => undefined);
  report({ phase: 'scanning', scanned: 0, toIndex: 0, indexed: 0 });
  const scan = await scanArchive(root, (found) => report({ phase: 'scanning', scanned: found, toIndex: 0, indexed: 0 }));

  const fullRebuild = store.getMeta('parser_version') !== PARSER_VERSION || store.getMeta('layout') !== scan.layout;
  const known = store.fileStates();
  const todo: ScannedFile[] = [];
  const seen = new Set<string>();
  for (const file of scan.files) {
    seen.add(file.relPath);
    const state = known.get(file.relPath);
    if (fullRebuild || !state || state.size !== file.size || state.mtimeMs !== file.mtimeMs) todo.push(file);
  }
  const deletions = [...known.keys()].filter((p) => !seen.has(p));
  const scanProblems = scan.problems.map((problem) => ({ ...problem, path: `${problem.path}` }));

  const parseFiles = options.parseFiles ?? readAndParse;
  let indexed = 0;
  report({ phase: 'indexing', scanned: scan.files.length, toIndex: todo.length, indexed });
  store.applyBatch({ upserts: [], failures: [], deletions });
  for (let i = 0; i < todo.length; i += BATCH_SIZE) {
    if (options.isCancelled?.()) break;
    const outcomes = await parseFiles(todo.slice(i, i + BATCH_SIZE));
    const batch: Parameters<IndexStore['applyBatch']>[0] = { upserts: [], failures: [], deletions: [] };
    for (const outcome of outcomes) {
      if (outcome.kind === 'post') batch.upserts.push(outcome);
      else if (outcome.kind === 'failure') batch.failures.push(outcome);
      else batch.deletions.push(outcome.path);
    }
    store.applyBatch(batch);
    indexed += outcomes.length;
    report({ phase: 'indexing', scanned: scan.files.length, toIndex: todo.length, indexed });
  }
  store.setScanProblems(scanProblems);
  if (!options.isCancelled?.()) {
    store.setMeta('parser_version', PARSER_VERSION);
    store.setMeta('layout', scan.layout);
  }
  return {
    layout: scan.layout,
    scanned: scan.files.length,
    updated: indexed,
    deleted: deletions.length,
    unchanged: scan.files.length - todo.length,
    ms: Math.round(performance.now() - started),
  };
}

/** Reads one batch of files from disk and parses them. Never throws: a bad file becomes a failure with a reason. */
export async function readAndParse(files: ScannedFile[]): Promise<ReadOutcome[]> {
  const outcomes: ReadOutcome[] = [];
  for (const file of files) outcomes.push(await readAndParseOne(file));
  return outcomes;
}

export async function readAndParseOne(file: ScannedFile): Promise<ReadOutcome> {
  let bytes: Uint8Array;
  let size = file.size;
  let mtimeMs = file.mtimeMs;
  try {
    const handle = await fs.open(file.absPath, 'r');
    try {
      const stat = await handle.stat();
      size = stat.size;
      mtimeMs = Math.trunc(stat.mtimeMs);
      if (!stat.isFile()) return { kind: 'gone', path: file.relPath };
      const length = Math.min(stat.size, MAX_POST_BYTES);
      const buffer = Buffer.alloc(length);
      let offset = 0;
      while (offset < length) {
        const { bytesRead } = await handle.read(buffer, offset, length - offset, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      bytes = buffer.subarray(0, offset);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error && typeof error === 'object' && 'code' in error && error.code === 'ENOENT') return { kind: 'gone', path: file.relPath };
    return {
      kind: 'failure',
      path: file.relPath,
      size,
      mtimeMs,
      hash: null,
      problems: [{ path: file.relPath, message: `could not be read: ${describeError(error)}`, severity: 'error' }],
    };
  }
  const hash = createHash('sha1').update(bytes).digest('hex');
  const post = parsePost(file.relPath, bytes, file.location, { maxBodyBytes: MAX_POST_BYTES });
  if (size > MAX_POST_BYTES) {
    post.problems.push({
      path: file.relPath,
      message: `file is ${(size / 1024 / 1024).toFixed(0)} MB; only the first ${MAX_POST_BYTES / 1024 / 1024} MB were read`,
      severity: 'warning',
    });
  }
  return { kind: 'post', post, size, mtimeMs, hash };
}
