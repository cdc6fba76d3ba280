/**
 * The read side of an archive's index as the services use it, whichever store answers: the SQLite IndexStore
 * (synchronous, in this process) satisfies it unchanged; the team index on PostgreSQL (pg/pg-read.ts) answers
 * the same methods with promises. Callers `await` every answer, so one code path serves both.
 */
import type {
  ArchiveStats, CategoryNode, DateNode, Facets, ListQuery, ListResult, Problem, SearchHit, SimilarPost, TagCount, Timeline, TimelineUnit,
} from '../../shared/archive-api';
import type { IndexStore, StoredPost } from './store';

export type MaybePromise<T> = T | Promise<T>;

export interface IndexReader {
  counts(): MaybePromise<{ posts: number; hidden: number; problems: number }>;
  list(query: ListQuery): MaybePromise<ListResult>;
  /** A query's whole result in the list's order (paths; `ids` are the SQLite store's own and may be empty elsewhere). */
  /** With `query.collapse`, also each post's story (undefined: a story of its own), for the caller to group (story.ts collapseOrder). */
  listOrder(query: ListQuery): MaybePromise<{ ids: number[]; paths: string[]; stories?: (number | undefined)[]; notice?: string }>;
  /** These posts as list items with snippets for `query`'s words, in this order; paths unknown to the index are left out. */
  hitsOfPaths(paths: readonly string[], query: string): MaybePromise<SearchHit[]>;
  categories(includeHidden?: boolean): MaybePromise<CategoryNode[]>;
  dates(includeHidden?: boolean): MaybePromise<DateNode[]>;
  tags(includeHidden?: boolean): MaybePromise<TagCount[]>;
  facets(query: ListQuery, keep?: (path: string) => boolean): MaybePromise<Facets>;
  timeline(query: ListQuery, by?: TimelineUnit, keep?: (path: string) => boolean): MaybePromise<Timeline>;
  /** `undefined`: no post at `path`. */
  similar(path: string, includeHidden?: boolean): MaybePromise<SimilarPost[] | undefined>;
  problems(): MaybePromise<Problem[]>;
  stats(): MaybePromise<ArchiveStats>;
  getMeta(key: string): MaybePromise<string | undefined>;
  getPost(path: string): MaybePromise<StoredPost | undefined>;
}

/** An index the service reads: `read` runs one job on it and answers what the job answers (a promise stays one). */
export interface ReadableIndex {
  read<T>(run: (reader: IndexReader) => T): T;
}

// The SQLite store is an IndexReader as it is (a method renamed there does not compile here).
const _storeIsReader = (store: IndexStore): IndexReader => store;
void _storeIsReader;
