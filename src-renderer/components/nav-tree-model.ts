/** The data behind `NavTree`, kept apart from React so its rules can be read (and tested) on their own. */
export interface TreeNode {
  /** Unique within the tree. */
  id: string;
  label: string;
  /** Shown after the label: posts filed here (and below). */
  count?: number;
  /** The archive-wide count, when `count` is the current result's (shown as "3 / 104"). */
  of?: number;
  children?: TreeNode[];
}

/** One row as shown: the node plus where it sits, for aria-level/aria-posinset and keyboard moves. */
export interface VisibleNode {
  node: TreeNode;
  level: number;
  parentId: string | null;
  posinset: number;
  setsize: number;
  hasChildren: boolean;
}

/** The rows a reader can see: every node whose ancestors are all expanded, in display order. */
export function visibleNodes(nodes: TreeNode[], expanded: ReadonlySet<string>): VisibleNode[] {
  const rows: VisibleNode[] = [];
  const walk = (list: TreeNode[], level: number, parentId: string | null): void => {
    list.forEach((node, i) => {
      const hasChildren = (node.children?.length ?? 0) > 0;
      rows.push({ node, level, parentId, posinset: i + 1, setsize: list.length, hasChildren });
      if (hasChildren && expanded.has(node.id)) walk(node.children ?? [], level + 1, node.id);
    });
  };
  walk(nodes, 1, null);
  return rows;
}

/** Ids of the nodes above `id`, root first; empty when `id` is at the top or not in the tree. */
export function ancestorIds(nodes: TreeNode[], id: string): string[] {
  const search = (list: TreeNode[], trail: string[]): string[] | null => {
    for (const node of list) {
      if (node.id === id) return trail;
      const found = node.children ? search(node.children, [...trail, node.id]) : null;
      if (found) return found;
    }
    return null;
  };
  return search(nodes, []) ?? [];
}

/** Type-ahead: the next visible row after `fromIndex` whose label starts with `prefix`, wrapping around. */
export function findByPrefix(rows: VisibleNode[], fromIndex: number, prefix: string): number {
  const wanted = prefix.toLocaleLowerCase();
  for (let step = 1; step <= rows.length; step += 1) {
    const index = (fromIndex + step) % rows.length;
    if (rows[index]?.node.label.toLocaleLowerCase().startsWith(wanted)) return index;
  }
  return -1;
}
