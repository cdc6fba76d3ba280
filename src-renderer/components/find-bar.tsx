import { useEffect, useState, type KeyboardEvent, type RefObject } from 'react';
import { useI18n } from '../use-i18n';
import { clearFindMarks, markText, searchMarks, showMatch } from './article-find';

export interface FindBarProps {
  /** The article body's element (its HTML is set by ArticleBody). */
  bodyRef: RefObject<HTMLElement | null>;
  /** The body's HTML and whether remote content is shown: when either changes, the body is set anew. */
  html: string;
  remoteAllowed: boolean;
  open: boolean;
  inputRef: RefObject<HTMLInputElement | null>;
  onClose(): void;
}

/**
 * Above the article: with the find field open, the reader's text marked in the body, "3 of 17 matches" and
 * next/previous (Enter / Shift+Enter); otherwise, when the article came from a search, the same for the
 * search's own marks, starting at the first one.
 */
export function FindBar({ bodyRef, html, remoteAllowed, open, inputRef, onClose }: FindBarProps) {
  const { t } = useI18n();
  const [needle, setNeedle] = useState('');
  const [matches, setMatches] = useState<HTMLElement[]>([]);
  const [current, setCurrent] = useState(0);

  useEffect(() => {
    const root = bodyRef.current;
    if (!root) return;
    const found = open ? markText(root, needle) : (clearFindMarks(root), searchMarks(root));
    setMatches(found);
    setCurrent(0);
    if (found.length > 0) showMatch(found, 0);
  }, [bodyRef, html, remoteAllowed, open, needle]);

  const go = (step: number): void => {
    if (matches.length === 0) return;
    const next = (current + step + matches.length) % matches.length;
    setCurrent(next);
    showMatch(matches, next);
  };

  if (!open && matches.length === 0) return null;

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') {
      event.preventDefault();
      go(event.shiftKey ? -1 : 1);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    }
  };

  return (
    <div className="find-bar" role="search" aria-label={open ? t.findInArticle : t.searchMatches}>
      {open ? (
        <input
          ref={inputRef}
          type="search"
          className="find-input"
          aria-label={t.findInArticle}
          placeholder={t.findInArticle}
          value={needle}
          onChange={(event) => setNeedle(event.target.value)}
          onKeyDown={onKeyDown}
        />
      ) : (
        <span className="find-label">{t.searchMatches}</span>
      )}
      <span className="find-count" role="status" aria-live="polite">
        {open && !needle ? '' : t.findCount(matches.length === 0 ? 0 : current + 1, matches.length)}
      </span>
      <button type="button" className="button button-icon" aria-label={t.findPrevious} title={t.findPrevious} disabled={matches.length === 0} onClick={() => go(-1)}>
        ↑
      </button>
      <button type="button" className="button button-icon" aria-label={t.findNext} title={t.findNext} disabled={matches.length === 0} onClick={() => go(1)}>
        ↓
      </button>
      {open && (
        <button type="button" className="button button-icon" aria-label={t.closeFind} title={t.closeFind} onClick={onClose}>
          ×
        </button>
      )}
    </div>
  );
}
