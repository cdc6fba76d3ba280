import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';

/** What the desktop app shows before any archive is open (or when opening one failed). */
export function Welcome() {
  const { t } = useI18n();
  const status = useApp((s) => s.archiveStatus);
  const error = useApp((s) => s.archiveError);
  const recent = useApp((s) => s.recent);
  const chooseArchive = useApp((s) => s.chooseArchive);
  const openArchive = useApp((s) => s.openArchive);

  return (
    <main className="welcome">
      <h1>{t.welcomeTitle}</h1>
      {status === 'loading' ? (
        <p role="status">{t.openingArchive}</p>
      ) : (
        <>
          <p>{t.welcomeText}</p>
          {error && (
            <p className="alert" role="alert">
              {t.archiveFailed(error)}
            </p>
          )}
          <button type="button" className="button button-primary" onClick={() => void chooseArchive()}>
            {t.openArchive}
          </button>
          {recent.length > 0 && (
            <section className="welcome-recent">
              <h2>{t.recentArchives}</h2>
              <ul>
                {recent.map((r) => (
                  <li key={r.root}>
                    <button type="button" className="link-button" title={r.root} onClick={() => void openArchive(r.root)}>
                      {r.name}
                    </button>
                    <span className="welcome-path">{r.root}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </main>
  );
}
