import type { ArchiveApi, ImportProgress, ImportReport, UploadedFile } from '../../src-main/shared/archive-api';
import { errorMessage } from '../lib/error-message';
import { MESSAGES } from '../i18n';
import { TEAM_MESSAGES } from '../team-messages';
import type { SliceCreator } from './app-state';
import { isReadOnlyTeam, isReconnecting, isTeamIndex } from './team-slice';

export interface ImportSlice {
  /** `running` also covers imports started by the host (e.g. a menu), seen only through progress events. */
  importStatus: 'idle' | 'running' | 'done' | 'error';
  importProgress: ImportProgress | null;
  importReport: ImportReport | null;
  importError: string | null;
  importPaths(paths: string[]): Promise<void>;
  /** Browser mode: the dropped files themselves. */
  importFiles(files: UploadedFile[]): Promise<void>;
  cancelImport(): Promise<void>;
  onImportProgress(progress: ImportProgress): void;
  dismissImport(): void;
}

const ACTIVE = new Set<ImportProgress['phase']>(['scanning', 'copying', 'indexing']);

export const createImportSlice =
  (api: ArchiveApi): SliceCreator<ImportSlice> =>
  (set, get) => {
    let ownImport = false;

    async function runImport(count: number, start: () => Promise<ImportReport>): Promise<void> {
      if (count === 0 || get().importStatus === 'running') return;
      // A read-only team index: the host would refuse (READ_ONLY); say why without asking it.
      if (isReadOnlyTeam(get())) {
        set({ importStatus: 'error', importProgress: null, importReport: null, importError: TEAM_MESSAGES[get().language].importRefused });
        return;
      }
      // Any team index: the app never writes it (the host refuses too); import is the indexer machine's job.
      if (isTeamIndex(get())) {
        set({ importStatus: 'error', importProgress: null, importReport: null, importError: TEAM_MESSAGES[get().language].importTeamRefused });
        return;
      }
      // The remembered team index is being connected again: once it is, the posts imported here would not be listed.
      if (isReconnecting(get())) {
        set({ importStatus: 'error', importProgress: null, importReport: null, importError: TEAM_MESSAGES[get().language].importReconnectingRefused });
        return;
      }
      ownImport = true;
      set({
        importStatus: 'running',
        importProgress: { phase: 'scanning', scanned: 0, copied: 0, indexed: 0 },
        importReport: null,
        importError: null,
      });
      try {
        const report = await start();
        set({ importStatus: 'done', importReport: report });
        // The host also sends archiveChanged; asking once more costs little and does not depend on it.
        const info = await api.getArchiveInfo();
        if (info) set({ info });
        void get().reloadArchive();
      } catch (error) {
        set({ importStatus: 'error', importError: errorMessage(error, MESSAGES[get().language]) });
      } finally {
        ownImport = false;
      }
    }

    return {
      importStatus: 'idle',
      importProgress: null,
      importReport: null,
      importError: null,

      importPaths: (paths) => runImport(paths.length, () => api.importPaths(paths)),
      importFiles: (files) => runImport(files.length, () => api.importFiles(files)),

      async cancelImport() {
        try {
          await api.cancelImport();
        } catch (error) {
          set({ importError: errorMessage(error, MESSAGES[get().language]) });
        }
      },

      onImportProgress(progress) {
        const status = get().importStatus;
        if (ACTIVE.has(progress.phase)) {
          set({ importProgress: progress, importStatus: 'running' });
        } else if (ownImport) {
          set({ importProgress: progress });
        } else if (status === 'running') {
          // An import we did not start has ended; its report went to whoever started it.
          set({ importProgress: null, importStatus: 'idle' });
        }
      },

      dismissImport: () => set({ importStatus: 'idle', importProgress: null, importReport: null, importError: null }),
    };
  };
