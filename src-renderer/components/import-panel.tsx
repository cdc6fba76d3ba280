import { useState } from 'react';
import type { ImportProgress } from '../../src-main/shared/archive-api';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';

/** Determinate once there is something to count against; while scanning the total is unknown. */
function progressValue(p: ImportProgress): { value: number; max: number } | null {
  if (p.phase === 'copying' && p.scanned > 0) return { value: p.copied, max: p.scanned };
  if (p.phase === 'indexing' && p.copied > 0) return { value: p.indexed, max: p.copied };
  return null;
}

/** Import progress with Cancel, then the report: what was added, skipped, renamed, and what went wrong. */
export function ImportPanel() {
  const { t } = useI18n();
  const status = useApp((s) => s.importStatus);
  const progress = useApp((s) => s.importProgress);
  const report = useApp((s) => s.importReport);
  const error = useApp((s) => s.importError);
  const cancelImport = useApp((s) => s.cancelImport);
  const dismissImport = useApp((s) => s.dismissImport);
  const openArticle = useApp((s) => s.openArticle);
  const [showNew, setShowNew] = useState(false);
  if (status === 'idle') return null;

  const bar = progress ? progressValue(progress) : null;

  return (
    <section className="import-panel" aria-label={t.importing}>
      {status === 'running' && progress && (
        <div aria-live="polite">
          <h2 className="import-title">
            {t.importing}: {t.importPhase(progress.phase)}
          </h2>
          {bar ? <progress value={bar.value} max={bar.max} /> : <progress />}
          <p className="import-counts">{t.importCounts(progress.scanned, progress.copied, progress.indexed)}</p>
          <button type="button" className="button" onClick={() => void cancelImport()}>
            {t.cancel}
          </button>
        </div>
      )}
      {status === 'error' && (
        <div role="alert">
          <p>{t.importFailed(error ?? '')}</p>
          <button type="button" className="button" onClick={dismissImport}>
            {t.dismiss}
          </button>
        </div>
      )}
      {status === 'done' && report && (
        <div role="status">
          <h2 className="import-title">{report.cancelled ? t.importCancelled : t.importReport}</h2>
          <ul className="import-summary">
            <li>{t.importAdded(report.added)}</li>
            {report.duplicates > 0 && (
              <li>
                <details className="import-duplicates">
                  <summary>{t.importDuplicates(report.duplicates)}</summary>
                  {/* Which file was skipped, and where the same post already is in the archive. */}
                  <ul>
                    {report.duplicateFiles.map((d, i) => (
                      <li key={i}>
                        <code>{d.path}</code> = <code>{d.existing}</code>
                      </li>
                    ))}
                  </ul>
                </details>
              </li>
            )}
            {report.renamed > 0 && <li>{t.importRenamed(report.renamed)}</li>}
            {report.skipped > 0 && <li>{t.importSkipped(report.skipped)}</li>}
            {report.problems.length > 0 && <li>{t.importProblems(report.problems.length)}</li>}
          </ul>
          {report.problems.length > 0 && (
            <details>
              <summary>{t.problems}</summary>
              <ul className="import-problems">
                {report.problems.map((p, i) => (
                  <li key={i}>
                    <code>{p.path}</code>: {p.message}
                  </li>
                ))}
              </ul>
            </details>
          )}
          {showNew && (
            <ul className="import-new" aria-label={t.newPosts}>
              {report.addedPaths.map((path) => (
                <li key={path}>
                  <button type="button" className="link-button" onClick={() => void openArticle(path)}>
                    {path}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="import-actions">
            {report.addedPaths.length > 0 && !showNew && (
              <button
                type="button"
                className="button"
                onClick={() => {
                  setShowNew(true);
                  const first = report.addedPaths[0];
                  if (first) void openArticle(first);
                }}
              >
                {t.showNewPosts}
              </button>
            )}
            <button
              type="button"
              className="button"
              onClick={() => {
                setShowNew(false);
                dismissImport();
              }}
            >
              {t.dismiss}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
