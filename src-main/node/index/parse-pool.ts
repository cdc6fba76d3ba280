import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ScannedFile } from './scan';
import { spawnWorker } from './spawn-worker';
import { capped } from './run-indexer';
import { forTransfer, readAndParse, type ParseHooks, type ParseOptions, type ReadOutcome } from './update';

/** One batch for a parse thread, and its answer. */
export interface ParseRequest { id: number; files: ScannedFile[]; options?: ParseOptions }
export interface ParseResponse { id: number; outcomes: ReadOutcome[] }

interface Job {
  resolve: (outcomes: ReadOutcome[]) => void;
  reject: (error: unknown) => void;
}

interface Slot { worker: Worker; jobs: Map<number, Job> }

/**
 * A parse thread's heap. Without a cap each thread's heap grows to hundreds of MB of garbage between
 * collections (10,000 posts, two threads: 432 MB peak for the process; capped: 354 MB). Long bodies are
 * rendered in pieces (read-post.ts), so even an 8 MiB post of dense Markdown fits; should a post still not fit,
 * it costs the thread: the pool parses that batch on the indexing thread instead and starts a new thread.
 */
export const PARSE_THREAD_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };
/** From this many files to read, parse threads pay for their start (about 0.1 s each, more under tsx). */
export const PARALLEL_FROM = 2000;

/** Lost threads replaced per pool, at most. */
const MAX_RESTARTS = 4;

/**
 * Parse threads for a machine: one per core the process may use beyond the indexing thread's, at least one.
 * The writer is the slower half (about 1 ms a post against 0.45 ms to read, parse and tokenise), so on two
 * cores one parse thread keeps it fed; a second only competes with it for a core and adds its heap
 * (100,000 posts, measured: same time, about 60 MB less at the peak).
 */
export const defaultPoolSize = (): number => Math.max(1, os.availableParallelism() - 1);

/**
 * Parse threads for the indexing thread (updateIndex's `parseFiles`). Each batch is posted at once to the
 * thread with the fewest batches outstanding, so the threads work through their queues while the indexing
 * thread is busy in a long write transaction (handing out work only when a thread reports back would leave
 * them idle for the whole write). The caller bounds how many batches are outstanding (`parseAhead`).
 * A thread that dies (out of memory on a hostile file, a crash) is dropped and its batches are parsed on the
 * calling thread instead, so one bad file never fails the whole update.
 */
export class ParsePool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closed = false;
  private restarts = 0;
  /** Batches parsed by the threads, and here (when no thread was left or one was lost with the batch). */
  readonly stats = { onThreads: 0, here: 0 };

  /** `options`: how every batch is parsed (read-post.ts ParseOptions). */
  constructor(readonly size = defaultPoolSize(), private readonly options: ParseOptions = {}) {
    for (let i = 0; i < size; i++) this.slots.push(this.start());
  }

  /** Reads and parses a batch on a parse thread. Never rejects for a file: failures are outcomes. */
  parseFiles = (files: ScannedFile[], hooks?: ParseHooks): Promise<ReadOutcome[]> => {
    if (this.closed) return Promise.reject(new Error('the parse pool is closed'));
    const slot = this.slots.reduce<Slot | undefined>((best, s) => (!best || s.jobs.size < best.jobs.size ? s : best), undefined);
    if (!slot) return this.parseHere(files, hooks);
    const id = this.nextId++;
    const done = new Promise<ReadOutcome[]>((resolve, reject) => slot.jobs.set(id, { resolve, reject }));
    const request: ParseRequest = { id, files, options: this.options };
    slot.worker.postMessage(request);
    // A lost thread's batch is parsed here: slower, but the update completes.
    return done.then(
      (outcomes) => {
        this.stats.onThreads++;
        return outcomes;
      },
      () => this.parseHere(files, hooks),
    );
  };

  private async parseHere(files: ScannedFile[], hooks?: ParseHooks): Promise<ReadOutcome[]> {
    this.stats.here++;
    // Should the batch kill this thread too, the next update knows which files to read one at a time.
    hooks?.parsingHere();
    return (await readAndParse(files, this.options)).map(forTransfer);
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const slot of slots) for (const job of slot.jobs.values()) job.reject(new Error('the parse pool is closed'));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private start(): Slot {
    const slot: Slot = { worker: spawnWorker('parse-worker', null, capped(PARSE_THREAD_LIMITS)), jobs: new Map() };
    slot.worker.on('message', (response: ParseResponse) => {
      const job = slot.jobs.get(response.id);
      slot.jobs.delete(response.id);
      job?.resolve(response.outcomes);
    });
    const lost = (error: unknown) => {
      const index = this.slots.indexOf(slot);
      if (index === -1) return;
      this.slots.splice(index, 1);
      for (const job of slot.jobs.values()) job.reject(error);
      slot.jobs.clear();
      // One huge post must not cost the rest of the update its parallelism; a thread that keeps dying does.
      if (!this.closed && this.restarts < MAX_RESTARTS) {
        this.restarts++;
        this.slots.push(this.start());
      }
    };
    slot.worker.on('error', lost);
    slot.worker.on('exit', (code) => lost(new Error(`a parse thread stopped (exit code ${code})`)));
    return slot;
  }
}

/**
 * Reads and parses files one at a time on a parse thread of their own (updateIndex's `parseAlone`): for the files
 * of a batch the indexing thread died on. null for a file the thread was lost on; the next file gets a new thread.
 */
export class SoloParser {
  private worker: Worker | null = null;
  private nextId = 0;

  parseOne = (file: ScannedFile): Promise<ReadOutcome | null> => {
    const worker = (this.worker ??= spawnWorker('parse-worker', null, capped(PARSE_THREAD_LIMITS)));
    const id = this.nextId++;
    return new Promise((resolve) => {
      const done = (outcome: ReadOutcome | null) => {
        worker.off('message', answered);
        worker.off('error', lost);
        worker.off('exit', lost);
        resolve(outcome);
      };
      const answered = (response: ParseResponse) => {
        if (response.id === id) done(response.outcomes[0] ?? null);
      };
      const lost = () => {
        if (this.worker === worker) this.worker = null;
        void worker.terminate();
        done(null);
      };
      worker.on('message', answered);
      worker.on('error', lost);
      worker.on('exit', lost);
      const request: ParseRequest = { id, files: [file] };
      worker.postMessage(request);
    });
  };

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }
}
