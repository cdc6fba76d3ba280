import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { dateFilterLabel } from './filter-chips';

/** While the index is being built: "Indexing 8,200 of 20,000…" (null otherwise). */
export function useIndexingLabel(): string | null {
  const { t } = useI18n();
  const progress = useApp((s) => s.indexProgress);
  if (progress?.phase === 'scanning') return t.indexScanning(progress.scanned);
  if (progress?.phase === 'indexing') return `${t.indexIndexing(progress.indexed, progress.toIndex)}…`;
  return null;
}

/** Above the list while indexing: the posts shown are those indexed so far, and more are coming. */
export function IndexingNotice() {
  const label = useIndexingLabel();
  const progress = useApp((s) => s.indexProgress);
  if (!label || !progress) return null;
  return (
    <div className="indexing-notice" role="status" data-testid="indexing-notice">
      <span>{label}</span>
      {progress.phase === 'indexing' && progress.toIndex > 0 ? <progress value={progress.indexed} max={progress.toIndex} /> : <progress />}
    </div>
  );
}

/** An empty list says what was searched, within which filters, and offers the way back to everything. */
export function EmptyState() {
  const { t, locale } = useI18n();
  const indexing = useIndexingLabel();
  const appliedQuery = useApp((s) => s.appliedQuery);
  const category = useApp((s) => s.category);
  const date = useApp((s) => s.date);
  const tag = useApp((s) => s.tag);
  const clearFilters = useApp((s) => s.clearFilters);

  const filters: string[] = [];
  if (category) filters.push(t.filterCategory(category.length ? category.join(' › ') : t.uncategorised));
  if (date) filters.push(t.filterDate(dateFilterLabel(date, t, locale)));
  if (tag !== null) filters.push(t.filterTag(tag || t.untagged));

  // Not "no posts" while the index is still being built: nothing is indexed yet (IndexingNotice shows progress).
  if (indexing) return null;

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
