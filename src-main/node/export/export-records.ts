/**
 * The posts of an export, one page at a time: a whole result (`query`, any size: its order read from the index once,
 * as ids and paths) or exactly the checked `paths`. Each post is read from disk as the article view reads it, so its
 * fields (author, URL, untitled file name) are the citation's. Memory holds the result's ids and paths and one page
 * of posts, never the result's posts.
 */
import { isoDay } from '../../core/citation';
import { exportRecord, type ExportRecord } from '../../core/export/record';
import { ArchiveError, type ExportRequest, type ListQuery } from '../../shared/archive-api';
import type { ArchiveService, CapturedIndex } from '../archive/archive-service';
import { collapseOrder } from '../index/story';

export const EXPORT_PAGE = 200;

/**
 * What the app adds to the index's answer: a test on paths for a query (the workspace's `is:starred`, `label:`…;
 * null when the query has none). Built once per export, applied in one pass over the result's order; a promise when
 * the marks are read first (the team workspace reads the role's marks anew for each export).
 */
export type PathFilter = (query: ListQuery) => ((path: string) => boolean) | null | Promise<((path: string) => boolean) | null>;

export interface ExportSource {
  /** Posts to write (a post deleted meanwhile is skipped, so fewer may come). */
  total: number;
  pages: AsyncGenerator<ExportRecord[]>;
}

/** Reads one post as a record; a post gone from disk or the index since it was listed is skipped (null). */
async function recordOf(index: CapturedIndex, postPath: string, site: string, accessed: string, snippet?: string): Promise<ExportRecord | null> {
  try {
    return exportRecord(await index.getArticle(postPath), site, accessed, snippet);
  } catch (error) {
    if (error instanceof ArchiveError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

/**
 * A query's whole result, in the list's order, as ids and paths (ints and strings: a few MB at 100,000 posts),
 * read from the index once (relevance ranked once, not again for every page) and filtered in one pass.
 */
async function resultOrder(index: CapturedIndex, query: ListQuery, filter: PathFilter | undefined): Promise<{ ids: number[]; paths: string[] }> {
  const order = await index.read((index) => index.listOrder(query));
  const keep = (await filter?.(query)) ?? null;
  const ids: number[] = [];
  const paths: string[] = [];
  const stories: (number | undefined)[] = [];
  order.paths.forEach((p, i) => {
    if (!keep || keep(p)) {
      ids.push(order.ids[i]!);
      paths.push(p);
      stories.push(order.stories?.[i]);
    }
  });
  // A collapsed list (ListQuery.collapse) is exported as it is shown: each story's first post.
  if (query.collapse !== true || !order.stories) return { ids, paths };
  const { firsts } = collapseOrder(stories);
  return { ids: firsts.map((i) => ids[i]!), paths: firsts.map((i) => paths[i]!) };
}

const queryOf = (request: ExportRequest): ListQuery => {
  const { offset: _offset, limit: _limit, ...query } = request.query ?? {};
  return query;
};

export async function exportSource(service: ArchiveService, request: ExportRequest, today: Date, filter?: PathFilter): Promise<ExportSource> {
  // Every read of this export from the index read now: after a disconnect (or another team index) it fails with
  // STORE_UNAVAILABLE instead of reading the rest from another index, whose posts may differ ("400 announced, 300 written").
  const index = service.captureIndex();
  const site = service.info().name;
  const accessed = isoDay(today);
  if (request.paths) {
    const paths = [...new Set(request.paths)];
    return {
      total: paths.length,
      pages: (async function* () {
        for (let start = 0; start < paths.length; start += EXPORT_PAGE) {
          const page = await Promise.all(paths.slice(start, start + EXPORT_PAGE).map((p) => recordOf(index, p, site, accessed)));
          yield page.filter((r): r is ExportRecord => r !== null);
        }
      })(),
    };
  }
  const query = queryOf(request);
  const { paths } = await resultOrder(index, query, filter);
  const words = typeof query.query === 'string' ? query.query : '';
  return {
    total: paths.length,
    pages: (async function* () {
      for (let start = 0; start < paths.length; start += EXPORT_PAGE) {
        // One page's list items (their snippets) and records at a time, read by path: ids move when the index is
        // written meanwhile (a new post in a full minute), and an old id may then name another post.
        const hits = await index.read((reader) => reader.hitsOfPaths(paths.slice(start, start + EXPORT_PAGE), words));
        const records = [];
        for (const hit of hits) records.push(await recordOf(index, hit.path, site, accessed, hit.snippet));
        yield records.filter((r): r is ExportRecord => r !== null);
      }
    })(),
  };
}

/**
 * The paths an export names, in order, without reading a post (the dossier needs them up front): the checked paths,
 * or the query's whole result. More than `max` is TOO_LARGE.
 */
export async function exportPaths(service: ArchiveService, request: ExportRequest, max: number, tooLarge: (total: number) => string, filter?: PathFilter): Promise<string[]> {
  if (request.paths) {
    const paths = [...new Set(request.paths)];
    if (paths.length > max) throw new ArchiveError('TOO_LARGE', tooLarge(paths.length));
    return paths;
  }
  const { paths } = await resultOrder(service.captureIndex(), queryOf(request), filter);
  if (paths.length > max) throw new ArchiveError('TOO_LARGE', tooLarge(paths.length));
  return paths;
}
