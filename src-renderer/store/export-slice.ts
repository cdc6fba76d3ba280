/**
 * Exporting the current result or the checked rows: the dialog's state, the run (progress from `exportProgress`
 * events, Cancel) and what it ended with (the toast). The host writes the file: the desktop app asks where with
 * its save dialog, browser mode's bridge downloads it.
 */
import type { ArchiveApi, ExportFormat, ExportProgress, ExportRequest, ExportResult } from '../../src-main/shared/archive-api';
import { errorMessage } from '../lib/error-message';
import { MESSAGES } from '../i18n';
import type { SliceCreator } from './app-state';
import { buildListQuery } from './list-query';
import { countChecked, SelectionChangedError } from './selection-slice';

/** The whole current result, or the checked rows. */
export type ExportScope = 'result' | 'checked';

export interface ExportSlice {
  exportOpen: boolean;
  exportFormat: ExportFormat;
  exportScope: ExportScope;
  /** `collecting`: reading the paths of checked rows not loaded yet; `running`: the host is writing. */
  exportStatus: 'idle' | 'collecting' | 'running' | 'error';
  exportProgress: ExportProgress | null;
  exportError: string | null;
  /** The last run was cancelled (by Cancel): nothing was written. */
  exportCancelled: boolean;
  /** The last export that finished (for the toast), until dismissed. */
  exportDone: ExportResult | null;
  /** Opens the dialog: scope "checked" when rows are checked, else the whole result. */
  openExport(): void;
  closeExport(): void;
  setExportFormat(format: ExportFormat): void;
  setExportScope(scope: ExportScope): void;
  startExport(): Promise<void>;
  cancelExport(): Promise<void>;
  onExportProgress(progress: ExportProgress): void;
  dismissExportDone(): void;
}

export const createExportSlice =
  (api: Pick<ArchiveApi, 'exportToFile' | 'cancelExport'>): SliceCreator<ExportSlice> =>
  (set, get) => {
    const busy = (): boolean => get().exportStatus === 'collecting' || get().exportStatus === 'running';
    const message = (error: unknown): string => {
      const t = MESSAGES[get().language];
      if (error instanceof SelectionChangedError) return t.exportSelectionChanged;
      // BUSY's general wording is about imports; here it is another export.
      if (error && typeof error === 'object' && (error as { code?: unknown }).code === 'BUSY') return t.exportBusy;
      return errorMessage(error, t);
    };

    return {
      exportOpen: false,
      exportFormat: 'csv',
      exportScope: 'result',
      exportStatus: 'idle',
      exportProgress: null,
      exportError: null,
      exportCancelled: false,
      exportDone: null,

      openExport() {
        if (busy()) return set({ exportOpen: true });
        set({
          exportOpen: true,
          exportScope: get().checked.length > 0 ? 'checked' : 'result',
          exportStatus: 'idle',
          exportError: null,
          exportProgress: null,
          exportCancelled: false,
        });
      },

      // Closing the dialog does not stop a running export (Cancel does); its toast still comes.
      closeExport: () => set({ exportOpen: false }),

      setExportFormat: (exportFormat) => set({ exportFormat }),
      setExportScope: (exportScope) => set({ exportScope }),

      async startExport() {
        if (busy()) return;
        const state = get();
        const request: ExportRequest = { format: state.exportFormat, lang: state.language };
        const checkedCount = countChecked(state.checked);
        const query = buildListQuery(state, 0, 0);
        delete query.offset;
        delete query.limit;
        set({ exportStatus: 'collecting', exportError: null, exportProgress: null, exportDone: null, exportCancelled: false });
        try {
          // Every row checked is the whole result: the host reads it by query, however large.
          if (state.exportScope === 'checked' && checkedCount > 0 && checkedCount < state.total) request.paths = await get().checkedPaths();
          else request.query = query;
          set({ exportStatus: 'running' });
          const result = await api.exportToFile(request);
          if (!result) {
            // The save dialog was cancelled: back to the dialog as it was.
            set({ exportStatus: 'idle', exportProgress: null });
          } else if (result.cancelled) {
            set({ exportStatus: 'idle', exportProgress: null, exportCancelled: true });
          } else {
            set({ exportStatus: 'idle', exportProgress: null, exportDone: result, exportOpen: false });
          }
        } catch (error) {
          set({ exportStatus: 'error', exportError: message(error), exportProgress: null });
        }
      },

      async cancelExport() {
        try {
          await api.cancelExport();
        } catch (error) {
          set({ exportError: message(error) });
        }
      },

      onExportProgress(progress) {
        // `packing`: browser mode's dossier going into its .zip, after its posts are written.
        if (get().exportStatus === 'running' && (progress.phase === 'writing' || progress.phase === 'packing')) set({ exportProgress: progress });
      },

      dismissExportDone: () => set({ exportDone: null }),
    };
  };
