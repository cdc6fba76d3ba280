import { Fragment, useMemo, useState, type ReactNode } from 'react';
import type { Messages } from '../i18n';
import { diffStory, type DiffRow, type DiffSegment } from '../lib/text-diff';
import { useI18n } from '../use-i18n';

/** Unchanged runs longer than this fold to their first and last sentence and a button. */
const FOLD_AFTER = 4;

type Shown = { row: DiffRow; key: number } | { fold: number; key: number; count: number };

/** Rows to draw: long runs of unchanged sentences folded unless opened. */
function foldRows(rows: DiffRow[], opened: ReadonlySet<number>): Shown[] {
  const out: Shown[] = [];
  let i = 0;
  while (i < rows.length) {
    let end = i;
    while (end < rows.length && rows[end]?.kind === 'same') end++;
    const run = end - i;
    if (run > FOLD_AFTER && !opened.has(i)) {
      const first = rows[i];
      const last = rows[end - 1];
      if (first) out.push({ row: first, key: i });
      out.push({ fold: i, key: -i - 1, count: run - 2 });
      if (last) out.push({ row: last, key: end - 1 });
      i = end;
      continue;
    }
    for (; i < end; i++) out.push({ row: rows[i] as DiffRow, key: i });
    if (i < rows.length) {
      out.push({ row: rows[i] as DiffRow, key: i });
      i++;
    }
  }
  return out;
}

/** What marks a sentence or characters only one side has: the element, and the words a screen reader says around it. */
function Mark({ change, t, children }: { change: 'removed' | 'added'; t: Messages; children: ReactNode }) {
  const Tag = change === 'removed' ? 'del' : 'ins';
  return (
    <Tag className={`diff-chars-${change}`}>
      <span className="visually-hidden">{change === 'removed' ? t.diffRemoved : t.diffAdded}</span>
      {children}
      <span className="visually-hidden">{change === 'removed' ? t.diffRemovedEnd : t.diffAddedEnd}</span>
    </Tag>
  );
}

/** A changed sentence's side: its own characters in <del>/<ins> with words for screen readers. */
function Segments({ segments, t }: { segments: DiffSegment[]; t: Messages }) {
  return (
    <>
      {segments.map((s, i) =>
        s.change === 'same' ? (
          <Fragment key={i}>{s.text}</Fragment>
        ) : (
          <Mark key={i} change={s.change} t={t}>
            {s.text}
          </Mark>
        ),
      )}
    </>
  );
}

/** One side's cell of a sentence that differs, behind its marker (−, + or ~). */
function MarkedCell({ className, title, marker, children }: { className: string; title: string; marker: string; children: ReactNode }) {
  return (
    <div role="cell" className={`diff-cell ${className}`} title={title}>
      <span className="diff-marker" aria-hidden="true">
        {marker}
      </span>
      {children}
    </div>
  );
}

function Cells({ row, t }: { row: DiffRow; t: Messages }) {
  switch (row.kind) {
    case 'same':
      return (
        <>
          <div role="cell" className="diff-cell diff-same">{row.text}</div>
          <div role="cell" className="diff-cell diff-same">{row.text}</div>
        </>
      );
    case 'removed':
      return (
        <>
          <MarkedCell className="diff-removed" title={t.diffOnlyThis} marker="−">
            <span className="visually-hidden">{t.diffRemoved}</span>
            <del>{row.text}</del>
          </MarkedCell>
          <div role="cell" className="diff-cell diff-empty" />
        </>
      );
    case 'added':
      return (
        <>
          <div role="cell" className="diff-cell diff-empty" />
          <MarkedCell className="diff-added" title={t.diffOnlyOther} marker="+">
            <span className="visually-hidden">{t.diffAdded}</span>
            <ins>{row.text}</ins>
          </MarkedCell>
        </>
      );
    case 'changed':
      return (
        <>
          <MarkedCell className="diff-changed diff-changed-left" title={t.diffChangedSentence} marker="~">
            <Segments segments={row.left} t={t} />
          </MarkedCell>
          <MarkedCell className="diff-changed diff-changed-right" title={t.diffChangedSentence} marker="~">
            <Segments segments={row.right} t={t} />
          </MarkedCell>
        </>
      );
  }
}

/**
 * Two plain texts side by side, sentence by sentence: `left` the open post, `right` the other version. Sentences
 * only one side has are marked − (struck through) or + (underlined); a changed pair shows its characters inline.
 */
export function StoryDiff({ left, right, leftLabel, rightLabel }: { left: string; right: string; leftLabel: string; rightLabel: string }) {
  const { t } = useI18n();
  const diff = useMemo(() => diffStory(left, right), [left, right]);
  const [opened, setOpened] = useState<ReadonlySet<number>>(new Set());
  const shown = useMemo(() => foldRows(diff.rows, opened), [diff, opened]);
  const identical = diff.added + diff.removed + diff.changed === 0;
  if (diff.tooDifferent) return <p className="story-diff-summary">{t.diffTooDifferent}</p>;

  return (
    <div className="story-diff">
      <p className="story-diff-summary" role="status">
        {identical ? t.diffIdentical : t.diffSummary(diff.changed, diff.removed, diff.added)}
        <span className="story-diff-legend">{t.diffLegend}</span>
      </p>
      <div className="story-diff-grid" role="table" aria-label={t.diffTitle}>
        <div className="diff-head" role="row">
          <div className="diff-cell" role="columnheader">
            {leftLabel}
          </div>
          <div className="diff-cell" role="columnheader">
            {rightLabel}
          </div>
        </div>
        {shown.map((item) =>
          'fold' in item ? (
            <div key={item.key} className="diff-fold" role="row">
              <div role="cell" className="diff-cell">
                <button type="button" className="link-button" onClick={() => setOpened(new Set([...opened, item.fold]))}>
                {t.diffUnchanged(item.count)}
                </button>
              </div>
            </div>
          ) : (
            <div key={item.key} className={`diff-row diff-row-${item.row.kind}`} role="row" data-kind={item.row.kind}>
              <Cells row={item.row} t={t} />
            </div>
          ),
        )}
      </div>
    </div>
  );
}
