import { useMemo } from 'react';
import type { CategoryNode } from '../../src-main/shared/archive-api';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { NavTree } from './nav-tree';
import type { TreeNode } from './nav-tree-model';
import { withFacetCounts } from './facet-counts';

/** A category path as a tree id: JSON keeps paths whose names contain any character apart. */
export const categoryId = (path: string[]): string => JSON.stringify(path);

function toTreeNodes(nodes: CategoryNode[], uncategorised: string): TreeNode[] {
  return nodes.map((node) => ({
    id: categoryId(node.path),
    // The node with an empty path holds the posts filed under no category.
    label: node.path.length === 0 ? uncategorised : node.name,
    count: node.total,
    children: toTreeNodes(node.children, uncategorised),
  }));
}

export function CategoryTree() {
  const { t } = useI18n();
  const categories = useApp((s) => s.categories);
  const selected = useApp((s) => s.category);
  const selectCategory = useApp((s) => s.selectCategory);
  const facets = useApp((s) => s.facets);
  const nodes = useMemo(() => {
    const all = toTreeNodes(categories, t.uncategorised);
    if (!facets) return all;
    const filtered = new Map<string, number>();
    const walk = (list: CategoryNode[]): void => list.forEach((n) => (filtered.set(categoryId(n.path), n.total), walk(n.children)));
    walk(facets.categories);
    return withFacetCounts(all, filtered, new Set(selected ? [categoryId(selected)] : []));
  }, [categories, facets, selected, t.uncategorised]);
  const byId = useMemo(() => {
    const map = new Map<string, string[]>();
    const walk = (list: CategoryNode[]): void =>
      list.forEach((n) => {
        map.set(categoryId(n.path), n.path);
        walk(n.children);
      });
    walk(categories);
    return map;
  }, [categories]);

  return (
    <NavTree
      label={t.categories}
      nodes={nodes}
      selectedId={selected ? categoryId(selected) : null}
      onSelect={(node) => selectCategory(node ? (byId.get(node.id) ?? null) : null)}
      describeCount={t.postCountOf}
    />
  );
}
