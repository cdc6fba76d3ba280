/**
 * The contract's export methods over a service and a host: the desktop asks where (a save dialog), browser mode
 * writes into its download folder and hands the page a one-time URL.
 */
import path from 'node:path';
import { FILE_FORMATS, suggestedExportName } from '../../core/export/formats';
import { ArchiveError, type ArchiveApi, type ExportFormat, type ExportProgress } from '../../shared/archive-api';
import type { ArchiveService } from '../archive/archive-service';
import type { ExportDownloads } from './export-downloads';
import type { PathFilter } from './export-records';
import { ExportRunner } from './export-runner';
import { packDossier } from './zip-folder';

export interface ExportHost {
  /**
   * Desktop: a save dialog offering `suggestedName` (a folder for the dossier). Answers the path chosen, or null
   * when cancelled; a dialog that returns a path has asked before replacing an existing file.
   */
  chooseExportTarget?: (format: ExportFormat, suggestedName: string) => Promise<string | null>;
  /** Browser mode: exports go here and the page downloads them. */
  exportDownloads?: ExportDownloads;
}

/** `backfile-export` named after the archive: `posts-export.csv`, letters, digits, `-` and `_` only (CJK kept). */
export function exportBaseName(archiveName: string): string {
  const base = archiveName.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${base || 'backfile'}-export`;
}

/** `filter`: what the app's list adds to the index's (the workspace's mark words), so an export holds exactly the posts the list shows. */
export function createExportMethods(service: ArchiveService, host: ExportHost, filter?: PathFilter): Pick<ArchiveApi, 'exportToFile' | 'cancelExport'> {
  // Browser mode's dossier is packed into a .zip after the runner's slot has written it: while it is, `packing`
  // cancels it, keeps other exports BUSY, and holds back the writer's `done` until the zip is ready.
  let packing: AbortController | null = null;
  const emit = (progress: ExportProgress) => service.emit('exportProgress', progress);
  const runner = new ExportRunner(service, (progress) => (packing && progress.phase === 'done' ? undefined : emit(progress)), filter);
  return {
    exportToFile: async (request) => {
      if (service.root === null) throw new ArchiveError('NO_ARCHIVE', 'no archive is open');
      const name = suggestedExportName(request.format, exportBaseName(service.info().name));
      const downloads = host.exportDownloads;
      if (downloads) {
        if (packing) throw new ArchiveError('BUSY', 'an export is already running; wait for it or cancel it');
        const exportSlot = runner.reserve();
        let slot;
        try {
          slot = await downloads.reserve(name);
        } catch (error) {
          exportSlot.release();
          throw error;
        }
        const pack = request.format === 'dossier' ? (packing = new AbortController()) : null;
        try {
          const written = await exportSlot.run(request, slot.file, false);
          // The dossier is a folder: it is downloaded as one .zip (`posts-dossier.zip`).
          const result = pack && !written.cancelled ? await packDossier(written, pack.signal, emit) : written;
          const shown = path.basename(result.path);
          if (result.cancelled) {
            await downloads.remove(slot.id);
            return { ...result, path: shown };
          }
          const mediaType = request.format === 'dossier' ? 'application/zip' : FILE_FORMATS[request.format].mediaType;
          const url = downloads.publish(slot.id, { file: result.path, name: shown, mediaType });
          return { ...result, path: shown, download: url };
        } catch (error) {
          await downloads.remove(slot.id);
          throw error;
        } finally {
          if (packing === pack) packing = null;
        }
      }
      if (!host.chooseExportTarget) throw new ArchiveError('INVALID_ARGUMENT', 'this host cannot save files');
      // The slot is taken before the dialog opens (a second export is BUSY at once, not after its place was chosen)
      // and given back when the dialog is cancelled or fails.
      const slot = runner.reserve();
      let target: string | null;
      try {
        target = await host.chooseExportTarget(request.format, name);
      } catch (error) {
        slot.release();
        throw error;
      }
      if (!target) {
        slot.release();
        return null;
      }
      return slot.run(request, path.resolve(target), true);
    },
    cancelExport: async () => {
      runner.cancel();
      packing?.abort();
    },
  };
}
