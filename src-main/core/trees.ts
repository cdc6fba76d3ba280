/**
 * The sidebar's trees, built from small aggregated rows (the index groups posts in SQL; this only shapes
 * a few hundred rows, never one row per post).
 */
import type { CategoryNode, DateNode, TagCount } from '../shared/archive-api';

/** Plain code-point order: the same on every machine, whatever the locale. */
/** Case-insensitive, then by code point, so `corrections` and `Corrections` sit together and order is stable. */
const byName = (a: string, b: string): number => {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

/**
 * Category paths with the number of posts filed exactly there → a tree. `count` = filed exactly here,
 * `total` = here and below; siblings by total (desc), then name. Rows with the same path add up.
 * Posts filed nowhere (an empty path, or given as `allPosts` less the posts in the rows) are one last node,
 * "Uncategorised", with an empty name and path, so the top level adds up to the archive.
 */
export function buildCategoryTree(rows: readonly { path: readonly string[]; count: number }[], allPosts?: number): CategoryNode[] {
  const root: CategoryNode = { name: '', path: [], count: 0, total: 0, children: [] };
  const index = new Map<CategoryNode, Map<string, CategoryNode>>();
  let filed = 0;
  let unfiled = 0;
  for (const row of rows) {
    if (row.count <= 0) continue;
    if (row.path.length === 0) {
      unfiled += row.count;
      continue;
    }
    filed += row.count;
    let node = root;
    row.path.forEach((name, depth) => {
      let kids = index.get(node);
      if (!kids) index.set(node, (kids = new Map()));
      let child = kids.get(name);
      if (!child) {
        child = { name, path: row.path.slice(0, depth + 1), count: 0, total: 0, children: [] };
        kids.set(name, child);
        node.children.push(child);
      }
      child.total += row.count;
      node = child;
    });
    node.count += row.count;
  }
  const sort = (nodes: CategoryNode[]): void => {
    nodes.sort((a, b) => b.total - a.total || byName(a.name, b.name));
    for (const n of nodes) sort(n.children);
  };
  sort(root.children);
  const uncategorised = allPosts === undefined ? unfiled : Math.max(0, allPosts - filed);
  if (uncategorised > 0) root.children.push({ name: '', path: [], count: uncategorised, total: uncategorised, children: [] });
  return root.children;
}

/** (year, month, count) rows → years newest first with months newest first; Undated (null) last. */
export function buildDateTree(rows: readonly { year: number | null; month: number | null; count: number }[]): DateNode[] {
  const years = new Map<number | null, DateNode>();
  for (const row of rows) {
    if (row.count <= 0) continue;
    let node = years.get(row.year);
    if (!node) years.set(row.year, (node = { year: row.year, count: 0, months: [] }));
    node.count += row.count;
    // A dated year always has months; a month without a year cannot be shown and only counts for "Undated".
    if (row.year === null || row.month === null) continue;
    const month = node.months.find((m) => m.month === row.month);
    if (month) month.count += row.count;
    else node.months.push({ month: row.month, count: row.count });
  }
  const nodes = [...years.values()];
  for (const n of nodes) n.months.sort((a, b) => b.month - a.month);
  return nodes.sort((a, b) => (a.year === null ? 1 : b.year === null ? -1 : b.year - a.year));
}

/** Tags by count (desc), then name; duplicate names add up. `untagged` posts are a last row named '' ("Untagged"). */
export function sortTags(rows: readonly TagCount[], untagged = 0): TagCount[] {
  const merged = new Map<string, number>();
  for (const row of rows) if (row.count > 0 && row.name !== '') merged.set(row.name, (merged.get(row.name) ?? 0) + row.count);
  const sorted = [...merged].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || byName(a.name, b.name));
  return untagged > 0 ? [...sorted, { name: '', count: untagged }] : sorted;
}
