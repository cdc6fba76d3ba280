/**
 * The posts of an export, one page at a time: a whole result (`query`, any size, paged through the index) or exactly
 * the checked `paths`. Each post is read from disk as the article view reads it, so its fields (author, URL, untitled
 * file name) are the citation's. Memory holds one page, never the result.
 */
import { isoDay } from '../../core/citation';
import { exportRecord, type ExportRecord } from '../../core/export/record';
import { ArchiveError, type ExportRequest, type ListQuery, type ListResult } from '../../shared/archive-api';
import type { ArchiveService } from '../archive/archive-service';

export const EXPORT_PAGE = 200;

/** How a result is listed: the service's index by default; the app passes its own list (which applies the workspace's `is:starred`, `label:`…). */
export type ListResults = (query: ListQuery) => ListResult;

export interface ExportSource {
  /** Posts to write (a post deleted meanwhile is skipped, so fewer may come). */
  total: number;
  pages: AsyncGenerator<ExportRecord[]>;
}

/** Reads one post as a record; a post gone from disk or the index since it was listed is skipped (null). */
async function recordOf(service: ArchiveService, postPath: string, site: string, accessed: string, snippet?: string): Promise<ExportRecord | null> {
  try {
    return exportRecord(await service.getArticle(postPath), site, accessed, snippet);
  } catch (error) {
    if (error instanceof ArchiveError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

export function exportSource(service: ArchiveService, request: ExportRequest, today: Date, list: ListResults = (q) => service.list(q)): ExportSource {
  const site = service.info().name;
  const accessed = isoDay(today);
  if (request.paths) {
    const paths = [...new Set(request.paths)];
    return {
      total: paths.length,
      pages: (async function* () {
        for (let start = 0; start < paths.length; start += EXPORT_PAGE) {
          const page = await Promise.all(paths.slice(start, start + EXPORT_PAGE).map((p) => recordOf(service, p, site, accessed)));
          yield page.filter((r): r is ExportRecord => r !== null);
        }
      })(),
    };
  }
  const { offset: _offset, limit: _limit, ...query } = request.query ?? {};
  const first = list({ ...query, offset: 0, limit: EXPORT_PAGE });
  return {
    total: first.total,
    pages: (async function* () {
      let page = first;
      for (let offset = 0; offset < first.total && page.items.length > 0; ) {
        const records = [];
        for (const hit of page.items) records.push(await recordOf(service, hit.path, site, accessed, hit.snippet));
        yield records.filter((r): r is ExportRecord => r !== null);
        offset += page.items.length;
        if (offset >= first.total) break;
        page = list({ ...query, offset, limit: EXPORT_PAGE });
      }
    })(),
  };
}

/**
 * The paths an export names, in order, without reading a post (the dossier needs them up front): the checked paths,
 * or every page of the query. More than `max` is TOO_LARGE before the list grows past it.
 */
export function exportPaths(
  service: ArchiveService,
  request: ExportRequest,
  max: number,
  tooLarge: (total: number) => string,
  list: ListResults = (q) => service.list(q),
): string[] {
  if (request.paths) {
    const paths = [...new Set(request.paths)];
    if (paths.length > max) throw new ArchiveError('TOO_LARGE', tooLarge(paths.length));
    return paths;
  }
  const { offset: _offset, limit: _limit, ...query } = request.query ?? {};
  const paths: string[] = [];
  for (let offset = 0; ; ) {
    const page = list({ ...query, offset, limit: 500 });
    if (page.total > max) throw new ArchiveError('TOO_LARGE', tooLarge(page.total));
    paths.push(...page.items.map((hit) => hit.path));
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total) return paths;
  }
}
