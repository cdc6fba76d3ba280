import type { IndexProgress } from '../../src-main/shared/archive-api';
import type { Messages } from '../i18n';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';

function progressText(progress: IndexProgress, t: Messages): string {
  switch (progress.phase) {
    case 'scanning':
      return t.indexScanning(progress.scanned);
    case 'indexing':
      return t.indexIndexing(progress.indexed, progress.toIndex);
    case 'ready':
      return t.indexReady;
    case 'error':
      return t.indexError(progress.message ?? '');
  }
}

/** Archive path, post count, indexing progress and the problem count (which opens the problems panel). */
export function StatusLine() {
  const { t } = useI18n();
  const info = useApp((s) => s.info);
  const progress = useApp((s) => s.indexProgress);
  const setProblemsOpen = useApp((s) => s.setProblemsOpen);
  if (!info) return <footer className="status-line" aria-label={t.status} />;

  return (
    <footer className="status-line" aria-label={t.status}>
      <span className="status-path" title={info.root}>
        {info.root}
      </span>
      <span>{t.postCount(info.posts)}</span>
      {info.hidden > 0 && <span>{t.hiddenCount(info.hidden)}</span>}
      <span className="status-progress" aria-live="polite">
        {progress && progressText(progress, t)}
        {progress?.phase === 'indexing' && progress.toIndex > 0 && (
          <progress max={progress.toIndex} value={progress.indexed} aria-hidden="true" />
        )}
      </span>
      {info.problems > 0 ? (
        <button type="button" className="link-button status-problems" onClick={() => setProblemsOpen(true)}>
          {t.problemsCount(info.problems)}
        </button>
      ) : (
        <span>{t.noProblems}</span>
      )}
    </footer>
  );
}
