import { useMemo } from 'react';
import type { DateNode } from '../../src-main/shared/archive-api';
import type { Messages } from '../i18n';
import type { DateFilter } from '../store/navigation-slice';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { NavTree } from './nav-tree';
import type { TreeNode } from './nav-tree-model';
import { withFacetCounts } from './facet-counts';

const UNDATED = 'undated';

export function dateId(date: DateFilter): string {
  if (date.year === null) return UNDATED;
  return date.month ? `m:${date.year}-${date.month}` : `y:${date.year}`;
}

function parseDateId(id: string): DateFilter | null {
  if (id === UNDATED) return { year: null };
  const m = /^(?:y:(\d+)|m:(\d+)-(\d+))$/.exec(id);
  if (!m) return null;
  return m[1] ? { year: Number(m[1]) } : { year: Number(m[2]), month: Number(m[3]) };
}

/** Newest year first, its months newest first; the undated posts last. */
function toTreeNodes(dates: DateNode[], t: Messages): TreeNode[] {
  const years = [...dates].sort((a, b) => (a.year === null ? 1 : b.year === null ? -1 : b.year - a.year));
  return years.map((node) =>
    node.year === null
      ? { id: UNDATED, label: t.undated, count: node.count }
      : {
          id: dateId({ year: node.year }),
          label: t.yearLabel(node.year),
          count: node.count,
          children: [...node.months]
            .sort((a, b) => b.month - a.month)
            .map((m) => ({ id: dateId({ year: node.year, month: m.month }), label: t.monthName(m.month), count: m.count })),
        },
  );
}

export function DateTree() {
  const { t } = useI18n();
  const dates = useApp((s) => s.dates);
  const selected = useApp((s) => s.date);
  const selectDate = useApp((s) => s.selectDate);
  const facets = useApp((s) => s.facets);
  const nodes = useMemo(() => {
    const all = toTreeNodes(dates, t);
    if (!facets) return all;
    const filtered = new Map<string, number>();
    for (const year of facets.dates) {
      filtered.set(dateId({ year: year.year }), year.count);
      for (const m of year.months) filtered.set(dateId({ year: year.year, month: m.month }), m.count);
    }
    return withFacetCounts(all, filtered, new Set(selected ? [dateId(selected)] : []));
  }, [dates, facets, selected, t]);

  return (
    <NavTree
      label={t.dates}
      nodes={nodes}
      selectedId={selected ? dateId(selected) : null}
      onSelect={(node) => selectDate(node ? parseDateId(node.id) : null)}
      describeCount={t.postCountOf}
    />
  );
}
