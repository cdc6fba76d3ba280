import { useEffect, useLayoutEffect, useState, type RefObject } from 'react';
import type { Highlight } from '../../src-main/shared/workspace-api';
import { drawHighlights, quoteOfRange, type TextQuote } from '../lib/text-quote';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';

/** Draws the article's highlights (found by their text quote) every time its body is drawn. */
export function useDrawHighlights(bodyRef: RefObject<HTMLDivElement | null>, html: string, remoteAllowed: boolean, highlights: Highlight[]): void {
  // After ArticleBody's own layout effect (a child's runs first) has put the HTML in.
  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (body) drawHighlights(body, highlights);
  }, [bodyRef, html, remoteAllowed, highlights]);
}

interface Pending {
  quote: TextQuote;
  top: number;
  left: number;
}

/** Selecting text in the body shows a small "Highlight" button (with an optional comment) beside the selection. */
export function HighlightButton({ bodyRef }: { bodyRef: RefObject<HTMLDivElement | null> }) {
  const { t } = useI18n();
  const add = useApp((s) => s.addArticleHighlight);
  const path = useApp((s) => s.articlePath);
  const [pending, setPending] = useState<Pending | null>(null);
  const [commenting, setCommenting] = useState(false);
  const [comment, setComment] = useState('');

  useEffect(() => {
    setPending(null);
  }, [path]);

  useEffect(() => {
    const body = bodyRef.current;
    if (!body) return;
    const onSelect = (): void => {
      const selection = document.getSelection();
      if (!selection || selection.isCollapsed || selection.rangeCount === 0) return setPending(null);
      const range = selection.getRangeAt(0);
      const quote = quoteOfRange(body, range);
      if (!quote) return setPending(null);
      const rect = range.getBoundingClientRect();
      setCommenting(false);
      setComment('');
      setPending({ quote, top: rect.bottom + 6, left: rect.left + rect.width / 2 });
    };
    // Mouse and keyboard (Shift+arrows) selections alike, once they are made.
    const onUp = (): void => {
      setTimeout(onSelect, 0);
    };
    body.addEventListener('mouseup', onUp);
    body.addEventListener('keyup', onUp);
    return () => {
      body.removeEventListener('mouseup', onUp);
      body.removeEventListener('keyup', onUp);
    };
  }, [bodyRef, path]);

  if (!pending) return null;
  const save = (): void => {
    void add({ ...pending.quote, comment: comment.trim() || null });
    document.getSelection()?.removeAllRanges();
    setPending(null);
  };
  return (
    <div
      className="highlight-popover"
      role="dialog"
      aria-label={t.highlight}
      style={{ top: pending.top, left: pending.left }}
      onMouseDown={(event) => {
        if (!(event.target instanceof HTMLInputElement)) event.preventDefault();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') setPending(null);
      }}
    >
      {commenting && (
        <input
          className="input"
          autoFocus
          value={comment}
          maxLength={2000}
          aria-label={t.highlightComment}
          placeholder={t.highlightComment}
          onChange={(event) => setComment(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.nativeEvent.isComposing) save();
          }}
        />
      )}
      <button type="button" className="button button-small button-primary" onClick={save}>
        {t.highlight}
      </button>
      {!commenting && (
        <button type="button" className="button button-small" onClick={() => setCommenting(true)}>
          {t.addComment}
        </button>
      )}
    </div>
  );
}
