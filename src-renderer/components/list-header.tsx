import { useId } from 'react';
import type { SortOrder } from '../../src-main/shared/archive-api';
import { useApp } from '../store/store-context';
import { countChecked } from '../store/selection-slice';
import { useI18n } from '../use-i18n';
import { useCollapseMessages } from './collapse-messages';
import './collapse.css';

/** "12 selected", Select all N, Clear selection; or why the selection went away. Nothing when nothing is checked. */
function SelectionBar() {
  const { t } = useI18n();
  const total = useApp((s) => s.total);
  const count = useApp((s) => countChecked(s.checked));
  const cleared = useApp((s) => s.checksCleared);
  const checkAll = useApp((s) => s.checkAll);
  const clearChecked = useApp((s) => s.clearChecked);
  if (count === 0) {
    return (
      <p className="selection-note" role="status">
        {cleared ? t.selectionCleared : ''}
      </p>
    );
  }
  return (
    <div className="selection-bar">
      <div className="list-header-row">
        <span className="checked-count" role="status">
          {t.checkedCount(count)}
        </span>
        {count < total && (
          <button type="button" className="link-button" onClick={checkAll}>
            {t.selectAll(total)}
          </button>
        )}
        <button type="button" className="link-button" onClick={clearChecked}>
          {t.clearSelection}
        </button>
      </div>
      <p className="selection-note">{t.selectionHint}</p>
    </div>
  );
}

/**
 * Match count (announced politely as it changes), sort order, Export…, the checked rows, and the core's note on how
 * a query was read.
 */
export function ListHeader() {
  const { t } = useI18n();
  const total = useApp((s) => s.total);
  const listStatus = useApp((s) => s.listStatus);
  const notice = useApp((s) => s.notice);
  const sort = useApp((s) => s.sort);
  const hasQuery = useApp((s) => s.query.trim() !== '');
  const setSort = useApp((s) => s.setSort);
  const openExport = useApp((s) => s.openExport);
  const collapse = useApp((s) => s.collapseVersions);
  const setCollapse = useApp((s) => s.setCollapseVersions);
  const c = useCollapseMessages();
  const locale = useI18n().locale;
  const sortId = useId();

  return (
    <div className="list-header">
      <div className="list-header-row">
        <span className="match-count" aria-live="polite">
          {listStatus === 'loading' && total === 0 ? t.loading : collapse ? c.storyCount(total.toLocaleString(locale)) : t.matchCount(total)}
        </span>
        <label className="sort-label" htmlFor={sortId}>
          {t.sortBy}
        </label>
        <select
          id={sortId}
          className="sort-select"
          value={hasQuery || sort !== 'relevance' ? sort : 'date'}
          onChange={(event) => setSort(event.target.value as SortOrder)}
        >
          <option value="relevance" disabled={!hasQuery}>
            {t.sortRelevance}
          </option>
          <option value="date">{t.sortNewest}</option>
          <option value="oldest">{t.sortOldest}</option>
        </select>
        <button type="button" className="button button-small export-button" disabled={total === 0} onClick={openExport}>
          {t.exportButton}
        </button>
      </div>
      <div className="list-header-row collapse-row">
        <label className="collapse-toggle" title={c.collapseHint}>
          <input type="checkbox" checked={collapse} onChange={(event) => setCollapse(event.target.checked)} />
          {c.collapseVersions}
        </label>
        {collapse && <span className="collapse-note">{c.postCountsNote}</span>}
      </div>
      <SelectionBar />
      {notice && <p className="query-notice">{t.queryNotice(notice)}</p>}
    </div>
  );
}
