import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { dateFilterLabel } from './filter-chips';

/** An empty list says what was searched, within which filters, and offers the way back to everything. */
export function EmptyState() {
  const { t, locale } = useI18n();
  const appliedQuery = useApp((s) => s.appliedQuery);
  const category = useApp((s) => s.category);
  const date = useApp((s) => s.date);
  const tag = useApp((s) => s.tag);
  const clearFilters = useApp((s) => s.clearFilters);

  const filters: string[] = [];
  if (category) filters.push(t.filterCategory(category.join(' › ')));
  if (date) filters.push(t.filterDate(dateFilterLabel(date, t, locale)));
  if (tag) filters.push(t.filterTag(tag));

  if (!appliedQuery && filters.length === 0) {
    return (
      <div className="empty-state">
        <p>{t.emptyArchive}</p>
      </div>
    );
  }

  return (
    <div className="empty-state" role="status">
      <h2 className="empty-title">{t.emptyTitle}</h2>
      <p>{appliedQuery ? t.emptyWithQuery(appliedQuery) : t.emptyNoQuery}</p>
      {filters.length > 0 && (
        <>
          <p className="empty-filters-label">{t.emptyIn}</p>
          <ul className="empty-filters">
            {filters.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </>
      )}
      <button type="button" className="button" onClick={clearFilters}>
        {t.clearFilters}
      </button>
    </div>
  );
}
