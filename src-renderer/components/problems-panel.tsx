import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';

/** Tab and Shift+Tab stay inside the dialog while it is open. */
function trapTab(event: KeyboardEvent<HTMLElement>): void {
  if (event.key !== 'Tab') return;
  const focusable = [...event.currentTarget.querySelectorAll<HTMLElement>('button, [href], input, select, [tabindex="0"]')];
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

/** The files that could not be read as written, with what went wrong; a file that is a post can be opened. */
export function ProblemsPanel() {
  const { t } = useI18n();
  const open = useApp((s) => s.problemsOpen);
  const problems = useApp((s) => s.problems);
  const setProblemsOpen = useApp((s) => s.setProblemsOpen);
  const openArticle = useApp((s) => s.openArticle);
  const loadProblems = useApp((s) => s.loadProblems);
  const titleId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const previous = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    void loadProblems();
    return () => previous?.focus?.();
  }, [open, loadProblems]);

  if (!open) return null;
  const close = (): void => setProblemsOpen(false);

  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(event) => {
        if (event.target === event.currentTarget) close();
      }}
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="dialog"
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            close();
          }
          trapTab(event);
        }}
      >
        <div className="dialog-header">
          <h2 id={titleId}>{t.problems}</h2>
          <button ref={closeRef} type="button" className="button" onClick={close}>
            {t.close}
          </button>
        </div>
        <p className="dialog-intro">{t.problemsIntro}</p>
        <ul className="problem-list">
          {problems.map((p, i) => (
            <li key={`${p.path}\u0000${i}`} className="problem" data-severity={p.severity}>
              <span className="severity">{p.severity === 'error' ? t.severityError : t.severityWarning}</span>
              <button
                type="button"
                className="link-button problem-path"
                aria-label={t.openProblemFile(p.path)}
                onClick={() => {
                  close();
                  void openArticle(p.path);
                }}
              >
                {p.path}
              </button>
              <p className="problem-message">{p.message}</p>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
