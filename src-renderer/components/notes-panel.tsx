import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { Highlight } from '../../src-main/shared/workspace-api';
import { renderNote } from '../lib/note-markdown';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';

/** How long after the last keystroke a note is saved (and at once on blur, or when the article changes). */
export const NOTE_SAVE_DELAY_MS = 800;

function NoteEditor({ path, saved }: { path: string; saved: string }) {
  const { t } = useI18n();
  const saveNote = useApp((s) => s.saveNote);
  const followLink = useApp((s) => s.followLink);
  const openExternal = useApp((s) => s.openExternal);
  const workspaceError = useApp((s) => s.workspaceError);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(saved);
  const [status, setStatus] = useState<'saved' | 'pending' | 'failed' | null>(null);
  // What was typed and not yet saved: it stays here until the host took it (a failed save is tried again on the
  // next edit or blur); `timer` is the pause after the last keystroke.
  const pending = useRef<{ text: string; timer: ReturnType<typeof setTimeout> | null } | null>(null);

  // The host's note, when not being edited (another window, an import).
  useEffect(() => {
    if (!pending.current) setText(saved);
  }, [saved]);

  const flush = (): void => {
    const p = pending.current;
    if (!p) return;
    if (p.timer) clearTimeout(p.timer);
    p.timer = null;
    void saveNote(path, p.text).then((ok) => {
      if (pending.current !== p) return; // typed again meanwhile: that text's save reports
      if (ok) pending.current = null;
      setStatus(ok ? 'saved' : 'failed');
    });
  };

  // Leaving the article (or closing it) saves what was typed.
  useEffect(() => () => flush(), [path]);

  const change = (value: string): void => {
    setText(value);
    setStatus('pending');
    if (pending.current?.timer) clearTimeout(pending.current.timer);
    pending.current = { text: value, timer: setTimeout(flush, NOTE_SAVE_DELAY_MS) };
  };

  const html = useMemo(() => (editing || !text ? '' : renderNote(text)), [editing, text]);

  // Links in the note go where the article body's go: the archive says where, the web opens outside; the page never navigates.
  const onNoteClick = (event: MouseEvent<HTMLDivElement>): void => {
    const link = (event.target as Element).closest?.('a, area');
    if (!link || !event.currentTarget.contains(link)) return;
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href) void followLink(href, (url) => void openExternal(url));
  };

  return (
    <div className="note">
      {editing ? (
        <textarea
          className="input note-input"
          value={text}
          autoFocus
          rows={6}
          aria-label={t.noteLabel}
          placeholder={t.notePlaceholder}
          onChange={(event) => change(event.target.value)}
          onBlur={() => {
            flush();
            setEditing(false);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation();
              (event.target as HTMLTextAreaElement).blur();
            }
          }}
        />
      ) : text ? (
        <>
          {/* renderNote's output: Markdown without raw HTML, then an allowlist of elements and attributes. */}
          <div
            className="note-rendered"
            role="region"
            aria-label={t.noteText}
            onClick={onNoteClick}
            onAuxClick={(event) => {
              if ((event.target as Element).closest?.('a, area')) event.preventDefault();
            }}
            dangerouslySetInnerHTML={{ __html: html }}
          />
          <button type="button" className="button button-small" onClick={() => setEditing(true)}>
            {t.editNote}
          </button>
        </>
      ) : (
        <button type="button" className="button button-small" onClick={() => setEditing(true)}>
          {t.addNote}
        </button>
      )}
      {status === 'failed' ? (
        <span className="note-status alert" role="alert">
          {t.noteSaveFailed(workspaceError ?? '')}
        </span>
      ) : (
        status && (
          <span className="note-status" role="status">
            {status === 'pending' ? t.noteSaving : t.noteSaved}
          </span>
        )
      )}
    </div>
  );
}

function HighlightItem({ highlight, bodyRef }: { highlight: Highlight; bodyRef: React.RefObject<HTMLDivElement | null> }) {
  const { t } = useI18n();
  const remove = useApp((s) => s.removeArticleHighlight);
  const show = (): void => bodyRef.current?.querySelector(`mark.hl[data-highlight="${CSS.escape(highlight.id)}"]`)?.scrollIntoView?.({ block: 'center' });
  return (
    <li className="highlight-item">
      <button type="button" className="highlight-quote" onClick={show}>
        <mark className="hl">{highlight.exact}</mark>
      </button>
      {highlight.comment && <p className="highlight-comment">{highlight.comment}</p>}
      <button type="button" className="button button-small" aria-label={t.removeHighlight(highlight.exact)} onClick={() => void remove(highlight.id)}>
        ×
      </button>
    </li>
  );
}

/** Under the article: the reader's Markdown note on it and the passages they highlighted. */
export function NotesPanel({ path, bodyRef }: { path: string; bodyRef: React.RefObject<HTMLDivElement | null> }) {
  const { t } = useI18n();
  const marks = useApp((s) => (s.marks?.path === path ? s.marks : null));
  if (!marks) return null;
  return (
    <aside className="notes-panel" aria-label={t.notesPanel}>
      <h2 className="notes-heading">{t.noteLabel}</h2>
      <NoteEditor key={path} path={path} saved={marks.note} />
      {marks.highlights.length > 0 && (
        <>
          <h2 className="notes-heading">{t.highlights(marks.highlights.length)}</h2>
          <ul className="highlight-list">
            {marks.highlights.map((h) => (
              <HighlightItem key={h.id} highlight={h} bodyRef={bodyRef} />
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}
