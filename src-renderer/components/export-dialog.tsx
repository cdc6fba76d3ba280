/**
 * Export…: the format, what to export (the whole current result or the checked rows), then the run with its
 * progress and Cancel; a toast says where the file went. The desktop app asks where to save with its own dialog;
 * in browser mode the browser downloads the file (the dossier, a folder, as one .zip).
 */
import { useEffect, useId } from 'react';
import type { ExportFormat } from '../../src-main/shared/archive-api';
import { countChecked } from '../store/selection-slice';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { Dialog } from './dialog';

// A record, so a format added to the contract without being offered here does not compile.
const FORMAT_MENU: Record<ExportFormat, true> = { csv: true, json: true, ris: true, 'csl-json': true, bibtex: true, dossier: true };
const FORMATS = Object.keys(FORMAT_MENU) as ExportFormat[];

/** The last part of a path, either separator (the toast names the file, not the folder it went to). */
const baseName = (path: string): string => path.split(/[\\/]/).filter(Boolean).pop() ?? path;

function ExportProgressView() {
  const { t } = useI18n();
  const status = useApp((s) => s.exportStatus);
  const progress = useApp((s) => s.exportProgress);
  const cancelExport = useApp((s) => s.cancelExport);
  if (status !== 'collecting' && status !== 'running') return null;
  const label =
    status === 'collecting'
      ? t.exportCollecting
      : !progress
        ? t.exportStarting
        : progress.phase === 'packing'
          ? t.exportPacking(progress.written, progress.total)
          : t.exportWriting(progress.written, progress.total);
  return (
    <div className="export-progress">
      <progress
        aria-label={label}
        value={status === 'running' && progress ? progress.written : undefined}
        max={status === 'running' && progress ? Math.max(1, progress.total) : undefined}
      />
      <div className="export-progress-row">
        <span role="status">{label}</span>
        {status === 'running' && (
          <button type="button" className="button" onClick={() => void cancelExport()}>
            {t.cancel}
          </button>
        )}
      </div>
    </div>
  );
}

export function ExportDialog() {
  const { t } = useI18n();
  const open = useApp((s) => s.exportOpen);
  const format = useApp((s) => s.exportFormat);
  const scope = useApp((s) => s.exportScope);
  const status = useApp((s) => s.exportStatus);
  const error = useApp((s) => s.exportError);
  const cancelled = useApp((s) => s.exportCancelled);
  const total = useApp((s) => s.total);
  const checkedCount = useApp((s) => countChecked(s.checked));
  const download = useApp((s) => s.info !== null && !s.info.capabilities.chooseFolder);
  const closeExport = useApp((s) => s.closeExport);
  const setExportFormat = useApp((s) => s.setExportFormat);
  const setExportScope = useApp((s) => s.setExportScope);
  const startExport = useApp((s) => s.startExport);
  const name = useId();
  const busy = status === 'collecting' || status === 'running';
  const effectiveScope = checkedCount > 0 ? scope : 'result';

  return (
    <Dialog open={open} title={t.exportTitle} onClose={closeExport} className="export-dialog">
      <form
        className="export-form"
        onSubmit={(event) => {
          event.preventDefault();
          void startExport();
        }}
      >
        <fieldset disabled={busy}>
          <legend>{t.exportFormat}</legend>
          {FORMATS.map((f) => (
            <label key={f} className="export-choice">
              <input type="radio" name={`${name}-format`} value={f} checked={format === f} onChange={() => setExportFormat(f)} />
              {t.exportFormats[f]}
            </label>
          ))}
        </fieldset>
        <fieldset disabled={busy}>
          <legend>{t.exportScope}</legend>
          <label className="export-choice">
            <input type="radio" name={`${name}-scope`} value="result" checked={effectiveScope === 'result'} onChange={() => setExportScope('result')} />
            {t.exportScopeResult(total)}
          </label>
          <label className="export-choice">
            <input
              type="radio"
              name={`${name}-scope`}
              value="checked"
              disabled={checkedCount === 0}
              checked={effectiveScope === 'checked'}
              onChange={() => setExportScope('checked')}
            />
            {t.exportScopeChecked(checkedCount)}
          </label>
        </fieldset>
        {download && <p className="dialog-intro">{format === 'dossier' ? t.exportDossierZipNote : t.exportDownloadNote}</p>}
        <ExportProgressView />
        {error && (
          <p className="export-error" role="alert">
            {t.exportFailed(error)}
          </p>
        )}
        {cancelled && !busy && <p role="status">{t.exportCancelled}</p>}
        <div className="export-actions">
          <button type="submit" className="button button-primary" disabled={busy || total === 0}>
            {t.exportStart}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** "Exported 1,234 posts to x.csv", for a while or until dismissed. */
export function ExportToast() {
  const { t } = useI18n();
  const done = useApp((s) => s.exportDone);
  const dismiss = useApp((s) => s.dismissExportDone);

  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(dismiss, 8000);
    return () => clearTimeout(timer);
  }, [done, dismiss]);

  if (!done) return null;
  return (
    <div className="toast export-toast" role="status">
      <span title={done.path}>{t.exportDone(done.count, baseName(done.path))}</span>
      <button type="button" className="button button-small" onClick={dismiss}>
        {t.dismiss}
      </button>
    </div>
  );
}
