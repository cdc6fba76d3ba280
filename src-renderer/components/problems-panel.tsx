import { useEffect } from 'react';
import { Dialog } from './dialog';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';

/** The files that could not be read as written, with what went wrong; a file that is a post can be opened. */
export function ProblemsPanel() {
  const { t } = useI18n();
  const open = useApp((s) => s.problemsOpen);
  const problems = useApp((s) => s.problems);
  const setProblemsOpen = useApp((s) => s.setProblemsOpen);
  const openArticle = useApp((s) => s.openArticle);
  const loadProblems = useApp((s) => s.loadProblems);

  useEffect(() => {
    if (open) void loadProblems();
  }, [open, loadProblems]);

  const close = (): void => setProblemsOpen(false);

  return (
    <Dialog open={open} title={t.problems} onClose={close}>
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
    </Dialog>
  );
}
