import { memo } from 'react';
import type { SearchHit } from '../../src-main/shared/archive-api';
import type { Messages } from '../i18n';
import { formatPostDate } from '../lib/format-date';
import { isDraftPath } from '../lib/post-kind';
import { safeSnippet } from '../lib/safe-snippet';

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
  onPick(index: number): void;
}

/** One option of the article list: title, date, categories, then the snippet (or the first line). */
export const ArticleRow = memo(function ArticleRow(props: ArticleRowProps) {
  const { hit, index, total, selected, open, start, height, idPrefix, t, locale, onPick } = props;
  const id = `${idPrefix}-${index}`;
  const date = formatPostDate(hit.date, locale, 'short');
  return (
    <div
      role="option"
      id={id}
      aria-selected={selected}
      aria-setsize={total}
      aria-posinset={index + 1}
      aria-labelledby={`${id}-title`}
      aria-describedby={hit.hidden ? `${id}-meta ${id}-text ${id}-badge` : `${id}-meta ${id}-text`}
      data-index={index}
      data-open={open || undefined}
      className="article-row"
      style={{ transform: `translateY(${start}px)`, height }}
      onClick={() => onPick(index)}
    >
      <div className="row-title">
        <span id={`${id}-title`} title={hit.title || hit.path}>
          {hit.title || hit.path}
        </span>
        {hit.hidden && (
          <span id={`${id}-badge`} className="badge">
            {isDraftPath(hit.path) ? t.draftBadge : t.hiddenBadge}
          </span>
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
}

/** A row whose page is still being fetched: it keeps its place (and the selection) until the post arrives. */
export const PlaceholderRow = memo(function PlaceholderRow(props: PlaceholderRowProps) {
  const { index, total, selected, start, height, idPrefix, label } = props;
  return (
    <div
      role="option"
      id={`${idPrefix}-${index}`}
      aria-selected={selected}
      aria-setsize={total}
      aria-posinset={index + 1}
      aria-busy
      aria-label={label}
      data-index={index}
      data-placeholder
      className="article-row article-row-placeholder"
      style={{ transform: `translateY(${start}px)`, height }}
    >
      <div className="row-title">{label}</div>
    </div>
  );
});
