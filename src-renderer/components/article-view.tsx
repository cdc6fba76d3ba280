import { useEffect, useId, useLayoutEffect, useRef, useState, type CSSProperties } from 'react';
import type { Article } from '../../src-main/shared/archive-api';
import type { Highlight } from '../../src-main/shared/workspace-api';
import type { Messages } from '../i18n';
import { formatPostDate } from '../lib/format-date';
import { isHttpUrl } from '../lib/external-link';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { ArticleActions } from './article-actions';
import { ArticleBody } from './article-body';
import { FindBar } from './find-bar';
import { RemoteContentBar } from './remote-content-bar';
import { NotesPanel } from './notes-panel';
import { ArticleLabels } from './workspace-labels';
import { VersionsSection } from './versions-section';
import { HighlightButton, useDrawHighlights } from './workspace-highlighter';

const NO_HIGHLIGHTS: Highlight[] = [];

function dateTooltip(date: ReturnType<typeof formatPostDate>, t: Messages): string | undefined {
  if (!date) return undefined;
  const zone = date.offset ? t.zoneOffset(date.offset) : date.hasTime ? t.zoneNone : t.zoneDay;
  return t.dateTooltip(date.written, zone);
}

function ArticleHeader({ article, titleId }: { article: Article; titleId: string }) {
  const { t, locale } = useI18n();
  const selectCategory = useApp((s) => s.selectCategory);
  const selectTag = useApp((s) => s.selectTag);
  const openExternal = useApp((s) => s.openExternal);
  const date = formatPostDate(article.date, locale, 'long');
  const author = typeof article.meta.author === 'string' ? article.meta.author : null;

  return (
    <header className="article-header">
      <h1 id={titleId} className="article-title">
        {article.title || article.path}
      </h1>
      <p className="article-meta">
        {date ? (
          <time dateTime={article.date ?? undefined} title={dateTooltip(date, t)}>
            {date.text}
          </time>
        ) : (
          <span>{t.undated}</span>
        )}
        {author && <span>{t.byAuthor(author)}</span>}
        {article.draft ? <span className="badge">{t.draftBadge}</span> : article.hidden && <span className="badge">{t.hiddenBadge}</span>}
      </p>
      {(article.categories.length > 0 || article.tags.length > 0) && (
        <div className="article-chips">
          {article.categories.length > 0 && (
            <span className="category-path">
              {article.categories.map((name, i) => {
                const path = article.categories.slice(0, i + 1);
                return (
                  <span key={path.join('\u0000')} className="category-step">
                    {i > 0 && <span aria-hidden="true"> › </span>}
                    <button type="button" className="chip" aria-label={t.categoryChip(path.join(' › '))} onClick={() => selectCategory(path)}>
                      {name}
                    </button>
                  </span>
                );
              })}
            </span>
          )}
          {article.tags.map((tag) => (
            <button key={tag} type="button" className="chip chip-tag" aria-label={t.tagChip(tag)} onClick={() => selectTag(tag)}>
              #{tag}
            </button>
          ))}
        </div>
      )}
      {article.source && (
        <p className="article-source">
          <span>{t.source}: </span>
          {isHttpUrl(article.source) ? (
            <a
              href={article.source}
              onClick={(event) => {
                event.preventDefault();
                void openExternal(article.source ?? '');
              }}
            >
              {article.source}
            </a>
          ) : (
            <span>{article.source}</span>
          )}
        </p>
      )}
      <ArticleLabels path={article.path} />
      <ArticleActions article={article} />
    </header>
  );
}

/** The reading pane: title, date, chips, actions, then the body. */
export function ArticleView() {
  const { t } = useI18n();
  const article = useApp((s) => s.article);
  const status = useApp((s) => s.articleStatus);
  const error = useApp((s) => s.articleError);
  const actionError = useApp((s) => s.actionError);
  const remoteAllowed = useApp((s) => s.remoteAllowed);
  const appliedQuery = useApp((s) => s.appliedQuery);
  const fontSize = useApp((s) => s.fontSize);
  const allowRemoteContent = useApp((s) => s.allowRemoteContent);
  const openExternal = useApp((s) => s.openExternal);
  const titleId = useId();
  const pane = useRef<HTMLDivElement>(null);
  const reloadArticle = useApp((s) => s.reloadArticle);

  // The core marks the search's matches in the body: when the search changes, fetch the marks anew (quietly).
  const lastQuery = useRef(appliedQuery);
  useEffect(() => {
    if (lastQuery.current === appliedQuery) return;
    lastQuery.current = appliedQuery;
    void reloadArticle();
  }, [appliedQuery, reloadArticle]);

  // A new article starts at its top (before the find bar, a passive effect, scrolls to a first match).
  const path = article?.path;
  useLayoutEffect(() => {
    pane.current?.scrollTo?.({ top: 0 });
  }, [path]);

  // Ctrl/⌘+F finds in the open article (ahead of the archive search's own handler, which keeps `/`).
  const body = useRef<HTMLDivElement>(null);
  const findInput = useRef<HTMLInputElement>(null);
  const [findOpen, setFindOpen] = useState(false);
  const hasArticle = article !== null;
  // The workspace: the article's marks, its highlights drawn on the body.
  const loadMarks = useApp((s) => s.loadMarks);
  const marks = useApp((s) => (s.marks && s.marks.path === path ? s.marks : null));
  useEffect(() => {
    if (path) void loadMarks(path);
  }, [path, loadMarks]);
  useDrawHighlights(body, article?.html ?? '', remoteAllowed, marks?.highlights ?? NO_HIGHLIGHTS);
  useEffect(() => {
    if (!hasArticle) return;
    const onKeyDown = (event: KeyboardEvent): void => {
      const mod = event.ctrlKey || event.metaKey;
      if (!mod || event.altKey || event.shiftKey || event.key.toLowerCase() !== 'f' || event.isComposing) return;
      event.preventDefault();
      setFindOpen(true);
      findInput.current?.focus();
      findInput.current?.select();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [hasArticle]);
  useEffect(() => {
    if (findOpen) findInput.current?.focus();
  }, [findOpen]);
  const closeFind = (): void => {
    setFindOpen(false);
    pane.current?.focus();
  };

  const style = { '--reader-font-size': `${fontSize}px` } as CSSProperties;

  return (
    <div ref={pane} className="reading-pane" role="region" aria-label={t.article} tabIndex={0} style={style}>
      {error && (
        <p className="alert" role="alert">
          {t.articleLoadFailed(error)}
        </p>
      )}
      {actionError && (
        <p className="alert" role="alert">
          {t.actionFailed(actionError)}
        </p>
      )}
      {article && (
        <FindBar bodyRef={body} html={article.html} remoteAllowed={remoteAllowed} open={findOpen} inputRef={findInput} onClose={closeFind} />
      )}
      {article ? (
        <article className="article-view" aria-labelledby={titleId} aria-busy={status === 'loading'}>
          <ArticleHeader article={article} titleId={titleId} />
          {article.problems.length > 0 && (
            <details className="article-problems">
              <summary>{t.articleProblems}</summary>
              <ul>
                {article.problems.map((p, i) => (
                  <li key={i} data-severity={p.severity}>
                    {p.message}
                  </li>
                ))}
              </ul>
            </details>
          )}
          {(article.hasRemoteContent || article.html.includes('data-remote-src')) && (
            <RemoteContentBar allowed={remoteAllowed} onAllow={() => void allowRemoteContent()} />
          )}
          <ArticleBody html={article.html} remoteAllowed={remoteAllowed} onOpenExternal={(url) => void openExternal(url)} bodyRef={body} />
          <HighlightButton bodyRef={body} />
          <VersionsSection article={article} />
          <NotesPanel path={article.path} bodyRef={body} />
        </article>
      ) : (
        !error && <p className="reading-placeholder">{status === 'loading' ? t.loading : t.noArticle}</p>
      )}
    </div>
  );
}
