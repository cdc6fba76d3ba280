import type { Messages } from '../i18n';
import { formatYearMonth } from '../lib/format-date';
import type { DateFilter } from '../store/navigation-slice';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';

export function dateFilterLabel(date: DateFilter, t: Messages, locale: string): string {
  return date.year === null ? t.undated : formatYearMonth(date.year, date.month, locale);
}

/** The tree selections in force, each removable on its own: the reader always sees what narrows the list. */
export function FilterChips() {
  const { t, locale } = useI18n();
  const category = useApp((s) => s.category);
  const date = useApp((s) => s.date);
  const tag = useApp((s) => s.tag);
  const selectCategory = useApp((s) => s.selectCategory);
  const selectDate = useApp((s) => s.selectDate);
  const selectTag = useApp((s) => s.selectTag);
  const moreTags = useApp((s) => s.moreTags);
  const toggleTag = useApp((s) => s.toggleTag);
  const tagMode = useApp((s) => s.tagMode);
  const setTagMode = useApp((s) => s.setTagMode);

  const chips: { key: string; label: string; remove: () => void }[] = [];
  if (category) chips.push({ key: 'category', label: t.filterCategory(category.length ? category.join(' › ') : t.uncategorised), remove: () => selectCategory(null) });
  if (date) chips.push({ key: 'date', label: t.filterDate(dateFilterLabel(date, t, locale)), remove: () => selectDate(null) });
  if (tag === '') chips.push({ key: 'tag', label: t.filterTag(t.untagged), remove: () => selectTag(null) });
  else if (tag !== null) {
    // One chip per chosen tag (several combine as the toggle after them says).
    for (const name of [tag, ...moreTags]) chips.push({ key: `tag:${name}`, label: t.filterTag(name), remove: () => toggleTag(name) });
  }
  if (chips.length === 0) return null;

  return (
    <ul className="filter-chips" aria-label={t.activeFilters}>
      {chips.map((chip) => (
        <li key={chip.key} className="chip chip-filter">
          <span>{chip.label}</span>
          <button type="button" className="chip-remove" aria-label={t.removeFilter(chip.label)} onClick={chip.remove}>
            ×
          </button>
        </li>
      ))}
      {moreTags.length > 0 && tag && (
        <li className="tag-mode" role="group" aria-label={t.tagMode}>
          {(['all', 'any'] as const).map((mode) => (
            <button key={mode} type="button" className="tag-mode-button" aria-pressed={tagMode === mode} onClick={() => setTagMode(mode)}>
              {mode === 'all' ? t.tagModeAll : t.tagModeAny}
            </button>
          ))}
        </li>
      )}
    </ul>
  );
}
