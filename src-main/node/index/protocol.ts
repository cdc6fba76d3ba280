import type { IndexProgress } from '../../shared/archive-api';
import type { UpdateSummary } from './update';

/** What the indexing thread is asked to do. */
export interface IndexerRequest {
  root: string;
  indexFile: string;
  /** Only these archive-relative paths changed (updateIndex's `paths`); absent: scan the whole archive. */
  paths?: string[];
  /** Parse threads for a large update; default one per core, 0 reads and parses on the indexing thread. */
  parseThreads?: number;
}

/** What it says back. */
export type IndexerMessage =
  | { type: 'progress'; progress: IndexProgress }
  | { type: 'done'; summary: UpdateSummary; cancelled: boolean }
  | { type: 'error'; message: string; unusableIndex: boolean };
