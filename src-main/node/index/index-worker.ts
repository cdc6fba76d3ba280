/**
 * The indexing thread: owns the only writable connection to the index while it runs, so reading posts,
 * parsing, tokenising and writing never block the thread that serves the window. Large updates read and
 * parse on a pool of parse threads (parse-pool.ts) while this thread writes; small ones are read here,
 * where starting threads would cost more than it saves.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { IndexStore, IndexUnusableError } from './store';
import { PARALLEL_FROM, ParsePool, SoloParser, defaultPoolSize } from './parse-pool';
import { updateIndex } from './update';
import type { IndexerRequest, IndexerMessage } from './protocol';

const port = parentPort;
if (!port) throw new Error('index-worker must run as a worker thread');
const request = (workerData as { data: IndexerRequest }).data;
let cancelled = false;
port.on('message', (message: { type: 'cancel' }) => {
  if (message.type === 'cancel') cancelled = true;
});

const post = (message: IndexerMessage) => port.postMessage(message);

try {
  const store = IndexStore.open(request.indexFile);
  let pool: ParsePool | null = null;
  const solo = new SoloParser();
  try {
    const summary = await updateIndex(store, request.root, {
      ...(request.paths ? { paths: request.paths } : {}),
      onProgress: (progress) => post({ type: 'progress', progress }),
      isCancelled: () => cancelled,
      // A batch that killed this thread last time: each of its files on a thread of its own (update.ts PARSING_NOW).
      parseAlone: solo.parseOne,
      planParsing: (toRead) => {
        const threads = request.parseThreads ?? defaultPoolSize();
        if (toRead < PARALLEL_FROM || threads < 1) return {};
        pool = new ParsePool(threads);
        // Enough batches queued per thread to keep it busy through a long write transaction (WRITE_MAX posts).
        return { parseFiles: pool.parseFiles, parseAhead: 2 * pool.size + 2 };
      },
    });
    const stats = (pool as ParsePool | null)?.stats;
    post({ type: 'done', summary: { ...summary, parsedOnThreads: stats?.onThreads ?? 0, parsedHere: stats?.here ?? 0 }, cancelled });
  } finally {
    await (pool as ParsePool | null)?.close();
    await solo.close();
    store.close();
  }
} catch (error) {
  post({
    type: 'error',
    message: error instanceof Error ? error.message : String(error),
    unusableIndex: error instanceof IndexUnusableError,
  });
}
