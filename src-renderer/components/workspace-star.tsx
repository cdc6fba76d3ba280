import type { MouseEvent } from 'react';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';

/** The open article's star (also the `s` key). */
export function StarButton({ path }: { path: string }) {
  const { t } = useI18n();
  const starred = useApp((s) => (s.marks?.path === path ? s.marks.starred : s.starredPaths[path] === true));
  const toggleStar = useApp((s) => s.toggleStar);
  return (
    <button
      type="button"
      className="button star-button"
      aria-pressed={starred}
      data-starred={starred || undefined}
      title={`${starred ? t.unstar : t.star} (s)`}
      onClick={() => void toggleStar(path)}
    >
      <span aria-hidden="true">{starred ? '★' : '☆'}</span> {starred ? t.starred : t.star}
    </button>
  );
}

/** A list row's star: shows whether the post is starred; a click stars it without opening the row. */
export function RowStar({ path, title }: { path: string; title: string }) {
  const { t } = useI18n();
  const starred = useApp((s) => s.starredPaths[path] === true);
  const toggleStar = useApp((s) => s.toggleStar);
  const stop = (event: MouseEvent): void => {
    // The list keeps the focus, and the row is not opened.
    event.preventDefault();
    event.stopPropagation();
  };
  return (
    <button
      type="button"
      className="row-star"
      tabIndex={-1}
      aria-pressed={starred}
      data-starred={starred || undefined}
      aria-label={starred ? t.unstarPost(title) : t.starPost(title)}
      onMouseDown={stop}
      onClick={(event) => {
        stop(event);
        void toggleStar(path);
      }}
    >
      {starred ? '★' : '☆'}
    </button>
  );
}
