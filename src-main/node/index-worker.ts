/**
 * The indexing thread: owns the only writable connection to the index while it runs, so reading posts,
 * parsing, tokenising and writing never block the thread that serves the window.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { IndexStore } from './index-store';
import { updateIndex } from './update-index';
import type { IndexerRequest, IndexerMessage } from './indexer-protocol';

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
  try {
    const summary = await updateIndex(store, request.root, {
      onProgress: (progress) => post({ type: 'progress', progress }),
      isCancelled: () => cancelled,
    });
    post({ type: 'done', summary, cancelled });
  } finally {
    store.close();
  }
} catch (error) {
  post({
    type: 'error',
    message: error instanceof Error ? error.message : String(error),
    unusableIndex: error instanceof Error && error.name === 'IndexUnusableError',
  });
}
