import type { IndexProgress } from '../../shared/archive-api';
import type { IndexerMessage, IndexerRequest } from './protocol';
import { spawnWorker } from './spawn-worker';
import type { UpdateSummary } from './update';

export class IndexerError extends Error {
  constructor(message: string, readonly unusableIndex: boolean) {
    super(message);
    this.name = 'IndexerError';
  }
}

export interface IndexerRun {
  done: Promise<UpdateSummary & { cancelled: boolean }>;
  /** Stops after the batch in progress; the index keeps whole batches only. */
  cancel(): void;
}

/**
 * The indexing thread's heap. Without a cap V8 lets garbage pile up to gigabytes before it collects (six posts of
 * 8 MiB: 512 MB resident; capped: 292 MB), and a heap that does run out would take the whole app down with it;
 * capped, only the indexing thread stops, and the update fails with an error the window can show.
 * What it keeps alive is bounded (update.ts AHEAD_BYTES, read-post.ts MAX_INDEXED_CHARS, the scan's file list).
 */
export const INDEX_THREAD_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 };

/**
 * Tests only: BACKFILE_INDEX_THREAD_HEAP_MB lowers the heap of the indexing thread and of its parse threads
 * (parse-pool.ts), so that a post can run a thread out of memory on purpose. Unset in production.
 */
export function testHeapCapMb(): number | undefined {
  const mb = Number(process.env.BACKFILE_INDEX_THREAD_HEAP_MB);
  return Number.isFinite(mb) && mb > 0 ? mb : undefined;
}

/** INDEX_THREAD_LIMITS, or lower under a test's BACKFILE_INDEX_THREAD_HEAP_MB. */
export function capped<T extends { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number }>(limits: T): T {
  const mb = testHeapCapMb();
  if (mb === undefined || mb >= limits.maxOldGenerationSizeMb) return limits;
  return { ...limits, maxOldGenerationSizeMb: mb, maxYoungGenerationSizeMb: Math.min(limits.maxYoungGenerationSizeMb, Math.max(1, Math.floor(mb / 4))) };
}

/** Runs one index update on a worker thread; the calling thread stays free. */
export function runIndexer(request: IndexerRequest, onProgress?: (progress: IndexProgress) => void): IndexerRun {
  const worker = spawnWorker('index-worker', request, capped(INDEX_THREAD_LIMITS));
  const done = new Promise<UpdateSummary & { cancelled: boolean }>((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: IndexerMessage) => {
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'done') {
        settled = true;
        resolve({ ...message.summary, cancelled: message.cancelled });
      } else {
        settled = true;
        reject(new IndexerError(message.message, message.unusableIndex));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(new IndexerError(error.message, false));
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new IndexerError(`the indexing thread stopped unexpectedly (exit code ${code})`, false));
    });
  });
  return {
    done: done.finally(() => void worker.terminate()),
    cancel: () => worker.postMessage({ type: 'cancel' }),
  };
}
