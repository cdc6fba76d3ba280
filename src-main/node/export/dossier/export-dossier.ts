/**
 * The export service's `dossier` format (write-export.ts hands it over): the request's posts, in order, written by
 * writeDossier as a folder at `target` (absent, or an empty folder a dialog created), never inside the archive.
 */
import { isoDay } from '../../../core/citation';
import { describeFilters } from '../../../core/dossier/dossier-pages';
import type { ExportProgress, ExportRequest, ExportResult } from '../../../shared/archive-api';
import type { ArchiveService } from '../../archive/archive-service';
import { exportPaths } from '../export-records';
import { checkExportTarget, type WriteExportOptions } from '../write-export';
import { DOSSIER_MAX_POSTS, tooLargeMessage, writeDossier } from './write-dossier';

export async function exportDossier(service: ArchiveService, request: ExportRequest, target: string, options: WriteExportOptions = {}): Promise<ExportResult> {
  const root = service.root!;
  const resolved = await checkExportTarget(root, target);
  // `filter`: what the app's list adds to the index's (the workspace's mark words), where the export was given one.
  const paths = await exportPaths(service, request, DOSSIER_MAX_POSTS, tooLargeMessage, options.filter);
  const report = (phase: ExportProgress['phase'], written: number, message?: string) =>
    options.onProgress?.({ phase, written, total: paths.length, ...(message ? { message } : {}) });
  const name = service.info().name;
  try {
    const result = await writeDossier({
      paths,
      source: { getArticle: (p) => service.getArticle(p), siteName: name, resolveLink: (from, href) => service.resolveLink(from, href) },
      archiveName: name,
      archiveRoot: root,
      query: request.paths ? null : (request.query?.query ?? ''),
      filters: request.paths || !request.query ? [] : describeFilters(request.query, request.lang ?? 'en'),
      lang: request.lang ?? 'en',
      madeAt: isoDay(options.today ?? new Date()),
      out: resolved,
      onProgress: (written) => report('writing', written),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    report(result.cancelled ? 'cancelled' : 'done', result.count);
    return result;
  } catch (error) {
    report('error', 0, error instanceof Error ? error.message : String(error));
    throw error;
  }
}
