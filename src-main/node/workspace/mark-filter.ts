/**
 * The query words about the reader's own marks (`is:starred`, `label:NAME`, `has:note`, `has:highlight`, each
 * with `-`; core/query.ts reads them into `filters.marks`). The index knows nothing of the workspace, so the list
 * is the index's answer to the rest of the query, kept to the posts whose marks pass, in the index's order. The
 * result is read once as ids and paths (IndexStore.listOrder: no text, relevance ranked once) and filtered in one
 * pass; list items (snippets) are made for the page asked for only.
 */
import { compileQuery, normalizeName, type MarkTest, type QueryFilters } from '../../core/query';
import type { ListQuery, ListResult, SearchHit } from '../../shared/archive-api';
import type { MaybePromise } from '../index/index-reader';
import type { WorkspaceStore } from './workspace-store';
import { collapseOrder } from '../index/story';

type MarkClause = NonNullable<QueryFilters['marks']>[number];

export function markClausesOf(query: string | undefined): MarkClause[] {
  return compileQuery(query ?? '').filters.marks ?? [];
}

/** The paths of present marked posts that pass one test. */
function pathsPassing(store: WorkspaceStore, test: MarkTest): Set<string> {
  const sql: Record<MarkTest['mark'], string> = {
    starred: 'SELECT path FROM posts WHERE missing = 0 AND starred = 1',
    note: "SELECT path FROM posts WHERE missing = 0 AND note != ''",
    highlight: 'SELECT path FROM posts p WHERE missing = 0 AND EXISTS (SELECT 1 FROM highlights h WHERE h.post_id = p.id)',
    label: 'SELECT p.path, l.name FROM posts p JOIN post_labels pl ON pl.post_id = p.id JOIN labels l ON l.id = pl.label_id WHERE p.missing = 0',
  };
  if (test.mark !== 'label') return new Set(store.db.prepare(sql[test.mark]).pluck().all() as string[]);
  const rows = store.db.prepare(sql.label).all() as { path: string; name: string }[];
  return new Set(rows.filter((r) => normalizeName(r.name) === test.value).map((r) => r.path));
}

/** Does a post pass every clause? Built once per list call. */
export function markPredicate(store: WorkspaceStore, clauses: readonly MarkClause[]): (path: string) => boolean {
  const sets = clauses.map((clause) => {
    const union = new Set<string>();
    for (const test of clause.any) for (const p of pathsPassing(store, test)) union.add(p);
    return { negated: clause.negated, paths: union };
  });
  return (path) => sets.every(({ negated, paths }) => paths.has(path) !== negated);
}

/**
 * A whole result in the index's order, ids and paths only (IndexStore.listOrder), and a page of it as list items,
 * read by path (IndexStore.hitsOfPaths): a write between the two reads may move a post to another id. The local
 * index answers at once, the team index on PostgreSQL with promises (index-reader.ts).
 */
export interface ResultIndex {
  /** With `q.collapse`, also each post's story (undefined: a story of its own). */
  order(q: ListQuery): MaybePromise<{ ids: number[]; paths: string[]; stories?: (number | undefined)[]; notice?: string }>;
  hits(paths: readonly string[], query: string): MaybePromise<SearchHit[]>;
}

type Order = { ids: number[]; paths: string[]; stories?: (number | undefined)[] };

/** The ids of `order` whose paths pass `keep` (all when null), in order, with their paths (and stories). */
function kept(order: Order, keep: ((path: string) => boolean) | null): Order {
  if (!keep) return { ids: order.ids, paths: order.paths, ...(order.stories ? { stories: order.stories } : {}) };
  const ids: number[] = [];
  const paths: string[] = [];
  const stories: (number | undefined)[] = [];
  order.paths.forEach((p, i) => {
    if (keep(p)) {
      ids.push(order.ids[i]!);
      paths.push(p);
      stories.push(order.stories?.[i]);
    }
  });
  return { ids, paths, ...(order.stories ? { stories } : {}) };
}

/** The mark words' test on paths for a query, or null when it has none (the index's answer is the list). */
export function markFilterOf(store: WorkspaceStore, query: string | undefined): ((path: string) => boolean) | null {
  const clauses = markClausesOf(query);
  return clauses.length === 0 ? null : markPredicate(store, clauses);
}

/**
 * A result with the mark words applied, read once: the index's ordered ids and paths (ints and strings, no text)
 * go through the filter in one pass; `total` is exact, and only list items of a page are ever made.
 */
export async function markedResult(store: WorkspaceStore, q: ListQuery, index: ResultIndex): Promise<Order & { notice?: string }> {
  const order = await index.order(q);
  return { ...kept(order, markFilterOf(store, q.query)), ...(order.notice ? { notice: order.notice } : {}) };
}

/**
 * The article list with the mark words applied: the index answers the query with the mark words read as nothing
 * (it ignores `filters.marks`), the workspace keeps the posts whose marks pass, and the page is made from those.
 */
export async function listWithMarks(store: WorkspaceStore, q: ListQuery, index: ResultIndex): Promise<ListResult> {
  const { paths, stories, notice } = await markedResult(store, q, index);
  const start = Math.max(0, Math.floor(Number(q.offset) || 0));
  const limit = Math.min(500, Math.max(1, Math.floor(Number(q.limit) || 50)));
  const query = typeof q.query === 'string' ? q.query : '';
  if (q.collapse === true && stories) {
    // One row per story among the posts the marks keep (story.ts collapseOrder), as IndexStore.list collapses.
    const { firsts, versions } = collapseOrder(stories);
    const page = firsts.slice(start, start + limit);
    const versionsOf = new Map(page.map((i, n) => [paths[i]!, versions[start + n]!]));
    const items = (await index.hits(page.map((i) => paths[i]!), query)).map((hit) => ({ ...hit, versions: versionsOf.get(hit.path) ?? 0 }));
    return { total: firsts.length, items, ...(notice ? { notice } : {}) };
  }
  const items = start < paths.length ? await index.hits(paths.slice(start, start + limit), query) : [];
  return { total: paths.length, items, ...(notice ? { notice } : {}) };
}
