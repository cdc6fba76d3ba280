import { useId } from 'react';
import type { SortOrder } from '../../src-main/shared/archive-api';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';

/** Match count (announced politely as it changes), sort order, and the core's note on how a query was read. */
export function ListHeader() {
  const { t } = useI18n();
  const total = useApp((s) => s.total);
  const listStatus = useApp((s) => s.listStatus);
  const notice = useApp((s) => s.notice);
  const sort = useApp((s) => s.sort);
  const hasQuery = useApp((s) => s.query.trim() !== '');
  const setSort = useApp((s) => s.setSort);
  const sortId = useId();

  return (
    <div className="list-header">
      <div className="list-header-row">
        <span className="match-count" aria-live="polite">
          {listStatus === 'loading' && total === 0 ? t.loading : t.matchCount(total)}
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
      </div>
      {notice && <p className="query-notice">{t.queryNotice(notice)}</p>}
    </div>
  );
}
