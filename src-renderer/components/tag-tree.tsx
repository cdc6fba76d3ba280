import { useId, useMemo, useState } from 'react';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { NavTree } from './nav-tree';
import type { TreeNode } from './nav-tree-model';
import { withFacetCounts } from './facet-counts';

/** Archives can have thousands of tags: show the most used first, a page at a time, with a filter. */
const PAGE = 200;
/** The tree id of "Untagged" (the tag named ''); no tag name starts with a control character. */
const UNTAGGED_ID = '\u0000untagged';

export function TagTree() {
  const { t, locale } = useI18n();
  const tags = useApp((s) => s.tags);
  const first = useApp((s) => s.tag);
  const moreTags = useApp((s) => s.moreTags);
  const toggleTag = useApp((s) => s.toggleTag);
  const facets = useApp((s) => s.facets);
  const selectedIds = useMemo(
    () => (first === null ? [] : [first === '' ? UNTAGGED_ID : first, ...moreTags]),
    [first, moreTags],
  );
  const [filter, setFilter] = useState('');
  const [shown, setShown] = useState(PAGE);
  const filterId = useId();

  /** Every tag with its counts (the result's and the archive's, once a query or selection narrows the list). */
  const counted = useMemo(() => {
    const all: TreeNode[] = tags.map((tag) =>
      tag.name === '' ? { id: UNTAGGED_ID, label: t.untagged, count: tag.count } : { id: tag.name, label: tag.name, count: tag.count },
    );
    if (!facets) return all;
    const filtered = new Map(facets.tags.map((tag) => [tag.name === '' ? UNTAGGED_ID : tag.name, tag.count]));
    return withFacetCounts(all, filtered, new Set(selectedIds));
  }, [tags, facets, selectedIds, t.untagged]);

  const matching = useMemo(() => {
    const needle = filter.trim().toLocaleLowerCase();
    const collator = new Intl.Collator(locale);
    return counted
      .filter((tag) => !needle || tag.label.toLocaleLowerCase().includes(needle))
      .sort((a, b) => Number(a.id === UNTAGGED_ID) - Number(b.id === UNTAGGED_ID) || (b.count ?? 0) - (a.count ?? 0) || collator.compare(a.label, b.label));
  }, [counted, filter, locale]);

  const nodes: TreeNode[] = useMemo(() => matching.slice(0, shown), [matching, shown]);

  return (
    <div className="tag-tree">
      <label className="visually-hidden" htmlFor={filterId}>
        {t.filterTags}
      </label>
      <input
        id={filterId}
        className="tag-filter"
        type="text"
        placeholder={t.filterTags}
        value={filter}
        onChange={(event) => {
          setFilter(event.target.value);
          setShown(PAGE);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && filter) {
            event.stopPropagation();
            setFilter('');
          }
        }}
      />
      <NavTree
        label={t.tags}
        nodes={nodes}
        selectedId={null}
        selectedIds={selectedIds}
        onSelect={(node) => node && toggleTag(node.id === UNTAGGED_ID ? '' : node.id)}
        describeCount={t.postCountOf}
      />
      {matching.length === 0 && tags.length > 0 && <p className="tree-note">{t.noTagsMatch}</p>}
      {matching.length > shown && (
        <button type="button" className="link-button tree-more" onClick={() => setShown((n) => n + PAGE)}>
          {t.showMoreTags(Math.min(PAGE, matching.length - shown))}
        </button>
      )}
    </div>
  );
}
