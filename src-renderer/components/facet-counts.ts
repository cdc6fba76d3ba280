import type { TreeNode } from './nav-tree-model';

/**
 * A tree's nodes with the current result's counts (issue 11 item 9): each node's `count` becomes the result's
 * (0 where the result has none) and `of` the archive-wide one; nodes the result does not reach are dropped,
 * except those in `keep` (a chosen node must stay visible so it can be cleared) and their ancestors.
 * `filtered` null: the list is the whole archive, the nodes are returned as they are.
 */
export function withFacetCounts(nodes: TreeNode[], filtered: ReadonlyMap<string, number> | null, keep: ReadonlySet<string>): TreeNode[] {
  if (!filtered) return nodes;
  return nodes.flatMap((node) => {
    const children = node.children ? withFacetCounts(node.children, filtered, keep) : undefined;
    const count = filtered.get(node.id) ?? 0;
    if (count === 0 && !keep.has(node.id) && !(children && children.length > 0)) return [];
    return [{ ...node, count, of: node.count ?? 0, ...(children ? { children } : {}) }];
  });
}
