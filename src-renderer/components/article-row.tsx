import { memo, type MouseEvent } from 'react';
import type { SearchHit } from '../../src-main/shared/archive-api';
import type { Messages } from '../i18n';
import { formatPostDate } from '../lib/format-date';
import { isDraftPath } from '../lib/post-kind';
import { safeSnippet } from '../lib/safe-snippet';
import { RowStar } from './workspace-star';
import type { CollapseMessages } from './collapse-messages';

export interface ArticleRowProps {
  hit: SearchHit;
  index: number;
  total: number;
  selected: boolean;
  /** This row's article is the one in the reading pane. */
  open: boolean;
  start: number;
  height: number;
  idPrefix: string;
  t: Messages;
  locale: string;
  /** Checked for export (multi-select), apart from being the current row. */
  checked: boolean;
  /** A click on the row: with Shift it checks a range, with Ctrl/⌘ it checks one more, plain it opens the row. */
  onPick(index: number, how: PickHow): void;
  /** A click on the row's checkbox (Shift: a range). */
  onCheck(index: number, how: PickHow): void;
  /** A click on "+N versions" (a collapsed list): opens the row's post at its Other versions. */
  onVersions(index: number): void;
  c: CollapseMessages;
}

/** Which modifiers a click carried. `toggle`: Ctrl, or ⌘ on a Mac. */
export interface PickHow {
  range: boolean;
  toggle: boolean;
}

export const pickHow = (event: MouseEvent): PickHow => ({ range: event.shiftKey, toggle: event.ctrlKey || event.metaKey });

/** Shift-click would otherwise select the page's text between the two clicks. */
const noTextSelection = (event: MouseEvent): void => {
  if (event.shiftKey) event.preventDefault();
};

/** The row's checkbox: clicked, it checks the row without opening it; Space does the same from the keyboard. */
function RowCheck({ index, checked, label, onCheck }: { index: number; checked: boolean; label: string; onCheck: ArticleRowProps['onCheck'] }) {
  return (
    <input
      type="checkbox"
      className="row-check"
      tabIndex={-1}
      aria-label={label}
      checked={checked}
      onChange={() => undefined}
      onMouseDown={(event) => {
        // The list keeps the focus (its keys go on working); no text selection with Shift.
        event.preventDefault();
      }}
      onClick={(event) => {
        event.stopPropagation();
        onCheck(index, pickHow(event));
      }}
    />
  );
}

/** One option of the article list: title, date, categories, then the snippet (or the first line). */
export const ArticleRow = memo(function ArticleRow(props: ArticleRowProps) {
  const { hit, index, total, selected, open, start, height, idPrefix, t, locale, checked, onPick, onCheck, onVersions, c } = props;
  const versions = hit.versions ?? 0;
  const id = `${idPrefix}-${index}`;
  const date = formatPostDate(hit.date, locale, 'short');
  return (
    <div
      role="option"
      id={id}
      aria-selected={selected}
      aria-checked={checked}
      aria-setsize={total}
      aria-posinset={index + 1}
      aria-labelledby={`${id}-title`}
      aria-describedby={hit.hidden ? `${id}-meta ${id}-text ${id}-badge` : `${id}-meta ${id}-text`}
      data-index={index}
      data-open={open || undefined}
      className="article-row"
      style={{ transform: `translateY(${start}px)`, height }}
      onMouseDown={noTextSelection}
      onClick={(event) => onPick(index, pickHow(event))}
    >
      <RowCheck index={index} checked={checked} label={t.selectRow(hit.title || hit.path)} onCheck={onCheck} />
      <div className="row-title">
        <span id={`${id}-title`} title={hit.title || hit.path}>
          {hit.title || hit.path}
        </span>
        <RowStar path={hit.path} title={hit.title || hit.path} />
        {hit.hidden && (
          <span id={`${id}-badge`} className="badge">
            {isDraftPath(hit.path) ? t.draftBadge : t.hiddenBadge}
          </span>
        )}
        {versions > 0 && (
          <button
            type="button"
            className="versions-badge"
            tabIndex={-1}
            aria-label={c.versionsBadgeLabel(versions, hit.title || hit.path)}
            title={c.versionsBadgeTitle(versions)}
            onMouseDown={(event) => event.preventDefault()}
            onClick={(event) => {
              event.stopPropagation();
              onVersions(index);
            }}
          >
            {c.versionsBadge(versions)}
          </button>
        )}
      </div>
      <div className="row-meta" id={`${id}-meta`}>
        <time dateTime={hit.date ?? undefined}>{date?.text ?? t.undated}</time>
        {hit.categories.length > 0 && <span className="row-categories">{hit.categories.join(' › ')}</span>}
      </div>
      {hit.snippet ? (
        <div className="row-text" id={`${id}-text`} dangerouslySetInnerHTML={{ __html: safeSnippet(hit.snippet) }} />
      ) : (
        <div className="row-text" id={`${id}-text`}>
          {hit.excerpt}
        </div>
      )}
    </div>
  );
});

export interface PlaceholderRowProps {
  index: number;
  total: number;
  selected: boolean;
  start: number;
  height: number;
  idPrefix: string;
  label: string;
  checked: boolean;
}

/** A row whose page is still being fetched: it keeps its place (and the selection) until the post arrives. */
export const PlaceholderRow = memo(function PlaceholderRow(props: PlaceholderRowProps) {
  const { index, total, selected, start, height, idPrefix, label, checked } = props;
  return (
    <div
      role="option"
      id={`${idPrefix}-${index}`}
      aria-selected={selected}
      aria-checked={checked}
      aria-setsize={total}
      aria-posinset={index + 1}
      aria-busy
      aria-label={label}
      data-index={index}
      data-placeholder
      className="article-row article-row-placeholder"
      style={{ transform: `translateY(${start}px)`, height }}
    >
      {checked && <input type="checkbox" className="row-check" tabIndex={-1} aria-hidden checked readOnly />}
      <div className="row-title">{label}</div>
    </div>
  );
});
