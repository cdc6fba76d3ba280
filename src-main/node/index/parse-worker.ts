/**
 * A parse thread: reads, decodes, parses and renders the posts of one batch at a time for the indexing thread,
 * which stays the only writer of the index. Reads are synchronous here on purpose: this thread does nothing
 * else, and a synchronous read costs a fraction of a promise round trip through the libuv pool.
 */
import { parentPort } from 'node:worker_threads';
import { forTransfer, readAndParseOneSyncWith } from './read-post';
import type { ParseRequest, ParseResponse } from './parse-pool';

const port = parentPort;
if (!port) throw new Error('parse-worker must run as a worker thread');

port.on('message', (request: ParseRequest) => {
  const response: ParseResponse = { id: request.id, outcomes: request.files.map((file) => forTransfer(readAndParseOneSyncWith(file, request.options ?? {}))) };
  port.postMessage(response);
});
