import { DEFAULT_SITE_CONFIG, type SiteConfig } from '../../core/site-config';
import { readSiteConfig } from '../site-config-file';
import type { IndexProgress } from '../../shared/archive-api';
import type { Problem } from '../../core/types';
import type { IndexBatch } from './store';
import { dateKey } from './list';
import { MAX_POST_BYTES, readAndParseOneSyncWith, type ParseOptions, type ReadOutcome } from './read-post';
import { scanArchive, scanPaths, type ScannedFile } from './scan';

export { MAX_POST_BYTES, forTransfer, readAndParseOneSync, type ParseOptions, type ReadOutcome } from './read-post';

/** Bump when parsing or tokenising changes what lands in the index: every post is then read again. */
export const PARSER_VERSION = '5';

/** Files per parse batch (what one parse thread reads at a time; also the unit of cancellation). */
const BATCH_SIZE = 250;
/**
 * Posts per write transaction at most. When the writer falls behind the parse threads, the batches that are
 * ready are written together: FTS5 flushes and merges its segments at every commit, so fewer, larger
 * transactions cost less (measured: 2,000 posts a commit instead of 250 save about a tenth of the FTS time;
 * 1,000 build 100,000 posts as fast as 2,000, with a lower peak of memory: 449 against 463 MB).
 */
const WRITE_MAX = 1000;
/**
 * The same limits in bytes of post files (each counted up to MAX_POST_BYTES): a parsed post holds its text and
 * its tokens, two to three times its size, so counting posts alone let 100 posts of 9 MB take 4.4 GB. A batch
 * holds at most BATCH_BYTES (one file at least), the batches asked for and not yet written at most AHEAD_BYTES
 * (one batch at least), and one write transaction at most WRITE_MAX_BYTES. Typical posts (a few KB) never
 * reach them: 250 posts of 5 KB are 1.2 MB.
 */
export const BATCH_BYTES = 8 * 1024 * 1024;
export const AHEAD_BYTES = 32 * 1024 * 1024;
export const WRITE_MAX_BYTES = 16 * 1024 * 1024;

/** What a file costs the indexer's memory, in bytes: what is read of it, plus a little for its entry. */
const costOf = (file: ScannedFile): number => Math.min(file.size, MAX_POST_BYTES) + 256;

/**
 * Meta key: the paths (JSON array) this thread is parsing or has parsed and not yet written. Set before this thread
 * parses a batch itself and cleared once the batch is written: a post that runs the indexing thread out of memory
 * (or crashes it) kills the run before anything is recorded, so the next run finds the key and knows where.
 */
export const PARSING_NOW = 'parsing_now';

/** What a file that killed the indexer is recorded with (retried when its size or modification time changes). */
export const KILLED_INDEXER = 'could not be indexed: the indexer ran out of memory or stopped while reading this file';

type Awaitable<T> = T | Promise<T>;

/**
 * What updateIndex needs of an index: the SQLite IndexStore has it (synchronously), and so has the PostgreSQL
 * writer (node/pg/pg-update.ts, asynchronously): one update loop for both stores.
 */
export interface UpdatableStore {
  getMeta(key: string): Awaitable<string | undefined>;
  setMeta(key: string, value: string): Awaitable<void>;
  sizesAndTimes(): Awaitable<Map<string, { size: number; mtimeMs: number }>>;
  fileStatesOf(paths: string[]): Awaitable<Map<string, { size: number; mtimeMs: number }>>;
  applyBatch(batch: IndexBatch): Awaitable<void>;
  setScanProblems(problems: Problem[]): Awaitable<void>;
  /**
   * Optional (SQLite's IndexStore): before the first batch, told how many posts the update writes, the store may
   * leave other versions to `finishSimilarity`, called once the update is done (not when it is cancelled).
   */
  deferSimilarity?(toWrite: number): Awaitable<void>;
  finishSimilarity?(): Awaitable<void>;
}

async function readParsingNow(store: UpdatableStore): Promise<string[]> {
  try {
    const value: unknown = JSON.parse((await store.getMeta(PARSING_NOW)) ?? '[]');
    return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}

const killedIndexer = (file: ScannedFile): ReadOutcome => ({
  kind: 'failure', path: file.relPath, size: file.size, mtimeMs: file.mtimeMs, hash: null,
  problems: [{ path: file.relPath, message: KILLED_INDEXER, severity: 'error' }],
});

/**
 * What of `_config.yml` goes into each indexed post (front-matter defaults, drafts shown, future posts hidden, the
 * zone that decides "future"): when it changes, every post is read again, as for a new parser version.
 * `exclude`/`include` need no rebuild: the scan no longer lists excluded files, so they leave the index.
 */
export const siteParsingKey = (config: SiteConfig): string =>
  JSON.stringify({ defaults: config.defaults, showDrafts: config.showDrafts, future: config.future, timezone: config.timezone });

async function markCurrent(store: UpdatableStore, layout: 'jekyll' | 'flat', siteKey: string): Promise<void> {
  await store.setMeta('parser_version', PARSER_VERSION);
  await store.setMeta('layout', layout);
  await store.setMeta('site_parsing', siteKey);
}

/** Undated (null) first, like their id (date key 0). */
const compareDates = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

export interface UpdateSummary {
  layout: 'jekyll' | 'flat';
  scanned: number;
  /** Posts read and written in this run (new or changed). */
  updated: number;
  deleted: number;
  unchanged: number;
  ms: number;
  /**
   * With parse threads (large updates, index-worker.ts): batches parsed on them, and on the indexing thread
   * instead (a lost thread's batch). Both 0 when the update was read on the indexing thread alone.
   */
  parsedOnThreads?: number;
  parsedHere?: number;
}

export interface UpdateOptions {
  /**
   * Only these archive-relative paths changed (a watcher's report): look at them alone instead of scanning the
   * whole archive. Falls back to a full scan when they cannot tell the whole story (a folder, a link, an index
   * of another parser or layout).
   */
  paths?: readonly string[];
  onProgress?: (progress: IndexProgress) => void;
  /** Checked between batches; a cancelled run leaves the index consistent (whole batches only). */
  isCancelled?: () => boolean;
  /** Reads and parses a batch of files; the default does it on this thread. A pool can run it elsewhere. */
  parseFiles?: (files: ScannedFile[], hooks: ParseHooks) => Promise<ReadOutcome[]>;
  /**
   * Batches asked of `parseFiles` ahead of the one being written (default 0: one at a time). With parse threads,
   * their number plus one keeps every thread busy while this thread writes.
   */
  parseAhead?: number;
  /**
   * Asked once, when the number of files to read is known: may replace `parseFiles` and `parseAhead`
   * (the indexing thread starts parse threads only for large updates).
   */
  planParsing?: (filesToRead: number) => Pick<UpdateOptions, 'parseFiles' | 'parseAhead'>;
  /**
   * Reads and parses one file away from this thread (a parse thread of its own): null when that thread was lost
   * on it. Used for the files of a batch the previous run died on (PARSING_NOW); without it they are read here,
   * one at a time, each noted alone.
   */
  parseAlone?: (file: ScannedFile) => Promise<ReadOutcome | null>;
}

/** Said by a `parseFiles` that reads the batch on the indexing thread itself (a lost parse thread's batch). */
export interface ParseHooks { parsingHere(): Awaitable<void> }

/**
 * Brings an index in step with the archive on disk: new and changed files are read, deleted ones removed,
 * unchanged ones (same size and modification time) not touched. The posts are never modified.
 */
export async function updateIndex(store: UpdatableStore, root: string, options: UpdateOptions = {}): Promise<UpdateSummary> {
  const started = performance.now();
  const report = options.onProgress ?? (() => undefined);
  report({ phase: 'scanning', scanned: 0, toIndex: 0, indexed: 0 });
  const layoutNow = await store.getMeta('layout');
  const siteKey = siteParsingKey((await readSiteConfig(root)).config);
  const current = (await store.getMeta('parser_version')) === PARSER_VERSION && (layoutNow === 'jekyll' || layoutNow === 'flat')
    && ((await store.getMeta('site_parsing')) ?? siteParsingKey(DEFAULT_SITE_CONFIG)) === siteKey;
  // The previous run died while these files were being read here (out of memory, a crash): none of them was
  // written. A full scan finds them all again; they are read one at a time, before the rest.
  const suspects = new Set(await readParsingNow(store));
  const partial = options.paths && current && suspects.size === 0 ? await scanPaths(root, options.paths, layoutNow) : null;
  // A full scan reads the states first, so that files indexed as they are need no more work than a stat.
  const known = partial ? await store.fileStatesOf([...partial.files.map((f) => f.relPath), ...partial.gone]) : await store.sizesAndTimes();
  const scan = partial
    ? { layout: layoutNow as 'jekyll' | 'flat', files: partial.files, unchanged: [] as string[], problems: null }
    : await scanArchive(
      root,
      (found) => report({ phase: 'scanning', scanned: found, toIndex: 0, indexed: 0 }),
      (relPath, size, mtimeMs, layout) => {
        const state = current && layout === layoutNow ? known.get(relPath) : undefined;
        return state !== undefined && state.size === size && state.mtimeMs === mtimeMs;
      },
    );

  const fullRebuild = !current || layoutNow !== scan.layout;
  const todo: ScannedFile[] = [];
  const suspectFiles: ScannedFile[] = [];
  const seen = new Set<string>(scan.unchanged);
  for (const file of scan.files) {
    seen.add(file.relPath);
    const state = known.get(file.relPath);
    if (fullRebuild || !state || state.size !== file.size || state.mtimeMs !== file.mtimeMs) (suspects.has(file.relPath) ? suspectFiles : todo).push(file);
  }
  // Oldest first, and each write in id order (ids follow the date, index-list.ts): FTS5 must flush its pending
  // terms whenever a rowid is lower than the one before, and the post tables grow at their end.
  todo.sort((a, b) => compareDates(a.location.fileDate, b.location.fileDate));
  const deletions = [...known.keys()].filter((p) => !seen.has(p));
  const scanProblems = scan.problems?.map((problem) => ({ ...problem, path: `${problem.path}` })) ?? null;
  const scanned = scan.files.length + scan.unchanged.length;
  const emptyIndex = !partial && known.size === 0;
  // From here on only `todo` is needed: let the rest go (100,000 files' entries and states are ~100 MB of heap).
  scan.files.length = 0;
  scan.unchanged.length = 0;
  known.clear();
  seen.clear();

  let indexed = 0;
  const suspectCount = suspectFiles.length;
  const toIndex = todo.length + suspectCount;
  report({ phase: 'indexing', scanned, toIndex, indexed });
  await store.deferSimilarity?.(toIndex);
  await store.applyBatch({ upserts: [], failures: [], deletions });
  // An empty index holds nothing of another parser or layout: mark it now, so that a first build cancelled or
  // killed half-way resumes where it stopped instead of reading every post again.
  if (emptyIndex) await markCurrent(store, scan.layout, siteKey);

  // The paths read on this thread and not yet written (PARSING_NOW), as the next run would find them.
  const readingHere = new Set<string>();
  const note = () => store.setMeta(PARSING_NOW, JSON.stringify([...readingHere]));
  const write = async (outcomes: ReadOutcome[]) => {
    const batch: IndexBatch = { upserts: [], failures: [], deletions: [] };
    for (const outcome of outcomes) {
      if (outcome.kind === 'post') batch.upserts.push(outcome);
      else if (outcome.kind === 'failure') batch.failures.push(outcome);
      else batch.deletions.push(outcome.path);
    }
    batch.upserts.sort((a, b) => dateKey(a.post.date) - dateKey(b.post.date));
    await store.applyBatch(batch);
    const before = readingHere.size;
    for (const outcome of outcomes) readingHere.delete(outcome.kind === 'post' ? outcome.post.path : outcome.path);
    if (readingHere.size !== before) await note();
    indexed += outcomes.length;
    report({ phase: 'indexing', scanned, toIndex, indexed });
  };
  const noteHere = (files: ScannedFile[]) => {
    for (const file of files) readingHere.add(file.relPath);
    return note();
  };

  try {
    // The batch the last run died on. One file alone there is the culprit itself: recorded, not read again.
    // Several are read one at a time (on a thread of their own when there is one), so the others are not lost;
    // read here, each is noted alone, so that a second death names the culprit.
    const culprit = suspects.size === 1;
    for (const file of suspectFiles) {
      if (options.isCancelled?.()) break;
      if (culprit) await write([killedIndexer(file)]);
      else if (options.parseAlone) await write([(await options.parseAlone(file)) ?? killedIndexer(file)]);
      else {
        await noteHere([file]);
        await write(await readAndParse([file]));
      }
    }
    suspectFiles.length = 0;
    // All of them written (a cancelled run leaves the note for the next one: those written are unchanged by then).
    if (suspects.size > 0 && !options.isCancelled?.()) await note();
    await readTheRest();
  } catch (error) {
    // The thread lives on (a write failed, say): what it was reading is not to blame.
    if (readingHere.size > 0) {
      readingHere.clear();
      try {
        await note();
      } catch {
        // The index is failing: the next run reads these files one at a time, which costs only time.
      }
    }
    throw error;
  }
  // Cancelled: what was being read here was not written, and is not suspect either.
  if (readingHere.size > 0) {
    readingHere.clear();
    await note();
  }
  // A partial look found no folder problems: those of the last full scan stand.
  if (scanProblems) await store.setScanProblems(scanProblems);
  if (!options.isCancelled?.()) {
    await store.finishSimilarity?.();
    await markCurrent(store, scan.layout, siteKey);
  }
  return {
    layout: scan.layout,
    scanned,
    updated: indexed,
    deleted: deletions.length,
    unchanged: scanned - todo.length - suspectCount,
    ms: Math.round(performance.now() - started),
  };

  async function readTheRest(): Promise<void> {
    const plan = { parseFiles: options.parseFiles, parseAhead: options.parseAhead, ...options.planParsing?.(todo.length) };
    const parseFiles = plan.parseFiles ?? (async (files: ScannedFile[], hooks: ParseHooks) => {
      await hooks.parsingHere();
      return readAndParse(files);
    });
    const parsed = parseInOrder(todo, (files) => parseFiles(files, { parsingHere: () => noteHere(files) }), Math.max(0, plan.parseAhead ?? 0));
    while (!options.isCancelled?.()) {
      const outcomes = await parsed.next();
      if (outcomes === null) break;
      await write(outcomes);
      // A turn of the event loop between writes: when parsed batches are always ready, nothing else would ever run
      // here, and a cancel message (closing the archive, opening another) would wait for the whole build.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * The parsed batches in the order of `files`, each handed out once with whatever batches after it are ready
 * too (up to WRITE_MAX posts and WRITE_MAX_BYTES); `ahead` more batches (up to AHEAD_BYTES) are being parsed
 * meanwhile. null when all were handed out.
 */
export function parseInOrder(files: ScannedFile[], parseFiles: (files: ScannedFile[]) => Promise<ReadOutcome[]>, ahead: number) {
  interface Pending { done: Promise<void>; bytes: number; outcomes?: ReadOutcome[]; error?: unknown }
  const pending: Pending[] = [];
  let pendingBytes = 0;
  let next = 0;
  const fill = () => {
    while (next < files.length && pending.length <= ahead) {
      let end = next;
      let bytes = 0;
      while (end < files.length && end - next < BATCH_SIZE && (end === next || bytes + costOf(files[end]!) <= BATCH_BYTES)) {
        bytes += costOf(files[end]!);
        end++;
      }
      if (pending.length > 0 && pendingBytes + bytes > AHEAD_BYTES) return;
      const entry: Pending = { done: Promise.resolve(), bytes };
      const batch = files.slice(next, end);
      // Handed out: the caller's list no longer holds these entries (a large first build's memory stays flat).
      (files as (ScannedFile | undefined)[]).fill(undefined, next, end);
      // Settled here, so a batch nobody waits for any more (cancelled run) never becomes an unhandled rejection.
      entry.done = parseFiles(batch).then(
        (outcomes) => void (entry.outcomes = outcomes),
        (error: unknown) => void (entry.error = error ?? new Error('parsing failed')),
      );
      pending.push(entry);
      pendingBytes += bytes;
      next = end;
    }
  };
  const take = (entry: Pending): ReadOutcome[] => {
    pendingBytes -= entry.bytes;
    if (entry.error !== undefined) throw entry.error;
    return entry.outcomes ?? [];
  };
  const ready = (entry: Pending | undefined): entry is Pending => entry !== undefined && (entry.outcomes !== undefined || entry.error !== undefined);
  return {
    async next(): Promise<ReadOutcome[] | null> {
      fill();
      const first = pending[0];
      if (!first) return null;
      await first.done;
      let bytes = first.bytes;
      const outcomes = take(pending.shift()!);
      while (ready(pending[0]) && outcomes.length < WRITE_MAX && bytes + pending[0].bytes <= WRITE_MAX_BYTES) {
        bytes += pending[0].bytes;
        for (const outcome of take(pending.shift()!)) outcomes.push(outcome);
      }
      fill();
      return outcomes;
    },
  };
}

/** Reads one batch of files from disk and parses them. Never throws: a bad file becomes a failure with a reason. */
export async function readAndParse(files: ScannedFile[], options: ParseOptions = {}): Promise<ReadOutcome[]> {
  // Reads are synchronous: let messages (a cancel) through between batches.
  await new Promise((resolve) => setImmediate(resolve));
  return files.map((file) => readAndParseOneSyncWith(file, options));
}
