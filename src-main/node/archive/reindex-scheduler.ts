import { ArchiveError, type IndexProgress } from '../../shared/archive-api';
import { IndexerError, runIndexer, type IndexerRun } from '../index/run-indexer';
import type { UpdateSummary } from '../index/update';
import type { LiveIndex } from './live-index';

/** More changed paths than this in one burst: a full scan is as quick and surer. */
const MAX_WATCHED_PATHS = 5000;

export interface ReindexHooks {
  onProgress(progress: IndexProgress): void;
  /** An update or a rebuild finished and the index answers again. */
  onUpdated(summary: UpdateSummary): void;
  onFailed(error: unknown): void;
}

/**
 * Keeps one archive's index in step with its posts: one indexing thread at a time, changes seen meanwhile
 * coalesced into one more update, and a rebuild from the posts (a new file) when the index is damaged or gone.
 */
export class ReindexScheduler {
  private running: IndexerRun | null = null;
  /** Changes seen while busy, for one more update: paths, or 'all' for a full scan. */
  private pending: Set<string> | 'all' | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private busy = 0;
  private rebuildJob: Promise<UpdateSummary> | null = null;
  private closed = false;

  constructor(private readonly root: string, private readonly index: LiveIndex, private readonly hooks: ReindexHooks) {}

  /** One job at a time, in order; when the last one ends, the changes that came meanwhile. */
  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    this.busy++;
    const next = this.queue.then(job, job).finally(() => {
      if (--this.busy === 0) this.runPending();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * An update soon: now if none is running, else right after (bursts of changes coalesce). `paths`: only these
   * archive-relative paths changed (a watcher's report); without them, the whole archive is scanned.
   */
  schedule(paths?: readonly string[]): void {
    if (this.closed) return;
    const pending = this.pending;
    this.pending = paths === undefined || pending === 'all' || (pending?.size ?? 0) + paths.length > MAX_WATCHED_PATHS
      ? 'all'
      : new Set([...(pending ?? []), ...paths]);
    if (this.busy === 0) this.runPending();
  }

  private runPending(): void {
    const next = this.pending;
    if (!next || this.closed) return;
    this.pending = null;
    this.update(next === 'all' ? undefined : [...next]).catch(() => undefined);
  }

  /** Brings the index in step with the disk (or, given `paths`, with those files only); rebuilds it when unusable. */
  async update(paths?: string[]): Promise<UpdateSummary> {
    if (this.rebuildJob) return this.rebuildJob;
    const summary = await this.enqueue(() => this.runUpdate(paths));
    return summary ?? this.rebuild();
  }

  /** The update, or `null` when the index must be rebuilt instead. */
  private async runUpdate(paths?: string[]): Promise<UpdateSummary | null> {
    if (this.closed) throw new ArchiveError('NO_ARCHIVE', 'the archive was closed');
    if (this.rebuildJob || this.index.needsRebuild()) return null;
    try {
      const summary = await this.runIndexer(paths);
      if (this.rebuildJob) return null;
      this.hooks.onUpdated(summary);
      return summary;
    } catch (error) {
      if ((error instanceof IndexerError && error.unusableIndex) || this.rebuildJob) return null;
      this.hooks.onFailed(error);
      throw error;
    }
  }

  /**
   * Replaces the index with a new one built from the posts. Reads answer INDEX_REBUILDING from now until it is
   * done; progress is reported as for a first build. Repeated calls share one rebuild.
   */
  rebuild(): Promise<UpdateSummary> {
    if (this.rebuildJob) return this.rebuildJob;
    if (this.closed) return Promise.reject(new ArchiveError('NO_ARCHIVE', 'the archive was closed'));
    this.index.suspend();
    this.running?.cancel();
    const job = this.enqueue(async () => {
      try {
        if (this.closed) throw new ArchiveError('NO_ARCHIVE', 'the archive was closed');
        this.hooks.onProgress({ phase: 'scanning', scanned: 0, toIndex: 0, indexed: 0 });
        this.index.recreate();
        const summary = await this.runIndexer();
        if (this.closed) return summary;
        this.index.resume();
        this.hooks.onUpdated(summary);
        return summary;
      } catch (error) {
        this.index.failed(error);
        this.hooks.onFailed(error);
        throw error;
      } finally {
        this.rebuildJob = null;
      }
    });
    this.rebuildJob = job;
    return job;
  }

  private async runIndexer(paths?: string[]): Promise<UpdateSummary> {
    const run = runIndexer({ root: this.root, indexFile: this.index.file, ...(paths ? { paths } : {}) }, (progress) => this.hooks.onProgress(progress));
    this.running = run;
    try {
      return await run.done;
    } finally {
      if (this.running === run) this.running = null;
    }
  }

  /** Stops the running update (after its batch in progress) and waits for it. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending = null;
    this.running?.cancel();
    await this.queue;
  }
}
