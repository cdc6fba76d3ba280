import { useId, useMemo, useState } from 'react';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { NavTree } from './nav-tree';
import type { TreeNode } from './nav-tree-model';

/** Archives can have thousands of tags: show the most used first, a page at a time, with a filter. */
const PAGE = 200;
/** The tree id of "Untagged" (the tag named ''); no tag name starts with a control character. */
const UNTAGGED_ID = '\u0000untagged';

export function TagTree() {
  const { t, locale } = useI18n();
  const tags = useApp((s) => s.tags);
  const selected = useApp((s) => s.tag);
  const selectTag = useApp((s) => s.selectTag);
  const [filter, setFilter] = useState('');
  const [shown, setShown] = useState(PAGE);
  const filterId = useId();

  const matching = useMemo(() => {
    const needle = filter.trim().toLocaleLowerCase();
    const collator = new Intl.Collator(locale);
    return tags
      .filter((tag) => !needle || tag.name.toLocaleLowerCase().includes(needle))
      .sort((a, b) => Number(a.name === '') - Number(b.name === '') || b.count - a.count || collator.compare(a.name, b.name));
  }, [tags, filter, locale]);

  const nodes: TreeNode[] = useMemo(
    () =>
      matching
        .slice(0, shown)
        .map((tag) => (tag.name === '' ? { id: UNTAGGED_ID, label: t.untagged, count: tag.count } : { id: tag.name, label: tag.name, count: tag.count })),
    [matching, shown, t.untagged],
  );

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
        selectedId={selected === '' ? UNTAGGED_ID : selected}
        onSelect={(node) => selectTag(node ? (node.id === UNTAGGED_ID ? '' : node.id) : null)}
        describeCount={t.postCount}
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
