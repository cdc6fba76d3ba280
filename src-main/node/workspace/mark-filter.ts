/**
 * The query words about the reader's own marks (`is:starred`, `label:NAME`, `has:note`, `has:highlight`, each
 * with `-`; core/query.ts reads them into `filters.marks`). The index knows nothing of the workspace, so the list
 * is the index's answer to the rest of the query, kept to the posts whose marks pass, in the index's order.
 * A first version: it reads the whole rest of the result, which is quick while marked posts are few or the rest of
 * the query narrows it; an id set in the index's own SQL would make `-is:starred` over 100,000 posts cheap too.
 */
import { compileQuery, normalizeName, type MarkTest, type QueryFilters } from '../../core/query';
import type { ListQuery, ListResult, SearchHit } from '../../shared/archive-api';
import type { WorkspaceStore } from './workspace-store';

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
 * The article list with the mark words applied: `list` is the index's own (ArchiveService.list); it answers the
 * query with the mark words read as nothing (the index ignores `filters.marks`).
 */
export function listWithMarks(store: WorkspaceStore, q: ListQuery, list: (q: ListQuery) => ListResult): ListResult {
  const clauses = markClausesOf(q.query);
  if (clauses.length === 0) return list(q);
  const passes = markPredicate(store, clauses);
  const kept: SearchHit[] = [];
  let notice: string | undefined;
  for (let offset = 0; ; offset += 500) {
    const page = list({ ...q, offset, limit: 500 });
    notice ??= page.notice;
    kept.push(...page.items.filter((hit) => passes(hit.path)));
    if (page.items.length < 500 || offset + 500 >= page.total) break;
  }
  const start = Math.max(0, q.offset ?? 0);
  return { total: kept.length, items: kept.slice(start, start + Math.max(1, q.limit ?? 50)), ...(notice ? { notice } : {}) };
}
