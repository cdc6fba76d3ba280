import { useEffect, useId, useRef } from 'react';
import type { Article } from '../../src-main/shared/archive-api';
import { formatPostDate } from '../lib/format-date';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { StoryDiffDialog } from './story-diff-dialog';
import './versions.css';

/**
 * "Other versions (N)" under the article: each near-duplicate post the index knows (outlet/category, date, title,
 * similarity), best first; clicking one opens the side-by-side diff. Nothing at all while loading or when N = 0,
 * and it sits after the body, so its arrival never moves the text being read.
 */
export function VersionsSection({ article }: { article: Article }) {
  const { t, locale } = useI18n();
  const headingId = useId();
  const path = article.path;
  const loadVersions = useApp((s) => s.loadVersions);
  const versionsPath = useApp((s) => s.versionsPath);
  const versions = useApp((s) => s.versions);
  const status = useApp((s) => s.versionsStatus);
  const error = useApp((s) => s.versionsError);
  const openDiff = useApp((s) => s.openVersionDiff);
  const diffOpen = useApp((s) => s.diffVersion !== null);
  const closeDiff = useApp((s) => s.closeVersionDiff);
  const reveal = useApp((s) => s.revealVersionsOf === path);
  const revealVersions = useApp((s) => s.revealVersions);
  const sectionRef = useRef<HTMLElement>(null);

  // Asked again whenever the article is (re)loaded: after the first index is built, or a reprint is added, the
  // index knows versions it did not know when the post was opened.
  useEffect(() => {
    void loadVersions(article.path);
  }, [article, loadVersions]);
  // Another article: a diff of the previous one is closed.
  useEffect(() => () => closeDiff(), [path, closeDiff]);

  const mine = versionsPath === path;
  const shown = mine && status === 'ready' && versions.length > 0;
  // Opened from a collapsed list's "+N versions": the section is scrolled to and its heading takes the focus, once.
  useEffect(() => {
    if (!reveal || !(mine && (status === 'ready' || status === 'error'))) return;
    revealVersions(null);
    const section = sectionRef.current;
    if (!section) return;
    section.scrollIntoView?.({ block: 'start' });
    section.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  }, [reveal, mine, status, revealVersions]);
  return (
    <>
      {mine && status === 'error' && error && <p className="versions-error">{t.versionsFailed(error)}</p>}
      {shown && (
        <section className="versions" aria-labelledby={headingId} ref={sectionRef}>
          <h2 id={headingId} className="versions-heading" tabIndex={-1}>
            {t.otherVersions(versions.length)}
          </h2>
          <ul className="versions-list">
            {versions.map((v) => {
              const percent = Math.round(v.score * 100);
              const date = formatPostDate(v.date, locale, 'short');
              const title = v.title || v.path;
              return (
                <li key={v.path}>
                  <button type="button" className="version-row" aria-label={t.versionLabel(title, percent)} onClick={() => void openDiff(v)}>
                    <span className="version-title" title={title}>
                      {title}
                    </span>
                    <span className="version-score">{t.similarity(percent)}</span>
                    <span className="version-meta">
                      <span className="version-outlet">{v.categories.length > 0 ? v.categories.join(' › ') : t.uncategorised}</span>
                      <span className="version-date">{date ? <time dateTime={v.date ?? undefined}>{date.text}</time> : t.undated}</span>
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {diffOpen && <StoryDiffDialog article={article} />}
    </>
  );
}
