/**
 * The contract's export methods over a service and a host: the desktop asks where (a save dialog), browser mode
 * writes into its download folder and hands the page a one-time URL.
 */
import path from 'node:path';
import { FILE_FORMATS, suggestedExportName } from '../../core/export/formats';
import { ArchiveError, type ArchiveApi, type ExportFormat } from '../../shared/archive-api';
import type { ArchiveService } from '../archive/archive-service';
import type { ExportDownloads } from './export-downloads';
import type { ListResults } from './export-records';
import { ExportRunner } from './export-runner';

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

/** `list`: how the app lists a result (the article list's own, so an export holds exactly the posts the list shows). */
export function createExportMethods(service: ArchiveService, host: ExportHost, list?: ListResults): Pick<ArchiveApi, 'exportToFile' | 'cancelExport'> {
  const runner = new ExportRunner(service, (progress) => service.emit('exportProgress', progress), list);
  return {
    exportToFile: async (request) => {
      if (service.root === null) throw new ArchiveError('NO_ARCHIVE', 'no archive is open');
      const name = suggestedExportName(request.format, exportBaseName(service.info().name));
      const downloads = host.exportDownloads;
      if (downloads) {
        if (request.format === 'dossier') throw new ArchiveError('INVALID_ARGUMENT', 'a dossier is a folder and cannot be downloaded: make it with the desktop app or the CLI (export ARCHIVE QUERY --format dossier --out FOLDER)');
        const exportSlot = runner.reserve();
        let slot;
        try {
          slot = await downloads.reserve(name);
        } catch (error) {
          exportSlot.release();
          throw error;
        }
        try {
          const result = await exportSlot.run(request, slot.file, false);
          if (result.cancelled) {
            await downloads.remove(slot.id);
            return { ...result, path: name };
          }
          const url = downloads.publish(slot.id, { file: result.path, name, mediaType: FILE_FORMATS[request.format].mediaType });
          return { ...result, path: name, download: url };
        } catch (error) {
          await downloads.remove(slot.id);
          throw error;
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
    cancelExport: async () => runner.cancel(),
  };
}
