/**
 * The trees' counts for what a ListQuery finds (issue 11 item 9: after choosing a tag, 2020 still showed 104
 * while the result had 0). Counted from the same FTS5 plan as list(): the matching ids, joined to their posts
 * rows and grouped by category path, year and month, and tag. Each tree counts with its own selection left out
 * (the category tree as if no category were chosen, the date tree as if no date were), so that a node's count is
 * what the list would hold with that node chosen instead; tags count the result as it is. A query that narrows
 * nothing (every post, with or without the hidden ones) reads the count tables, as getCategories & co. do.
 */
import type { Statement } from 'better-sqlite3';
import type { CategoryNode, DateNode, Facets, ListQuery, TagCount } from '../../shared/archive-api';
import type { CompiledQuery } from '../../core/query';
import { buildCategoryTree, buildDateTree, sortTags } from '../../core/trees';
import { pathFromCategoryKey, type ListPlan } from './list';

export interface FacetSource {
  sql(text: string): Statement;
  /** The query compiled and planned exactly as list() plans it. */
  plan(q: ListQuery): { plan: ListPlan; compiled: CompiledQuery };
  /** The archive-wide trees (count tables). */
  categories(includeHidden: boolean): CategoryNode[];
  dates(includeHidden: boolean): DateNode[];
  tags(includeHidden: boolean): TagCount[];
}

/**
 * Does the query narrow the archive at all (beyond hiding hidden posts)? When it does not, a tree is the archive's
 * own count table. Store-independent: the team index (pg/pg-read.ts) asks the same.
 */
export function narrows(q: ListQuery, compiled: CompiledQuery): boolean {
  const f = compiled.filters;
  return (
    compiled.match !== null || f.tags.length > 0 || f.categories.length > 0 || f.excludeTags.length > 0 ||
    f.excludeCategories.length > 0 || f.excludeMatch !== null || f.after !== null || f.before !== null ||
    q.category !== undefined || q.year !== undefined || q.tag !== undefined || (Array.isArray(q.tags) && q.tags.length > 0)
  );
}

/** year, month, category_key, tag_keys, path of every post the plan matches. */
type PostRow = [number | null, number | null, string, string, string];

/**
 * `keep`, when given, is a test on paths the index cannot make (the workspace's mark words: mark-filter.ts): only
 * the posts passing it are counted, read in the same one pass over the plan's rows.
 */
/**
 * The three lists a facet request counts, for any store: the query without paging or sort (the tags tree), and the
 * same without its category (the category tree) and without its year/month (the date tree), so a tree's row counts
 * what choosing it would list.
 */
export function facetQueries(q: ListQuery): { base: ListQuery; withoutCategory: ListQuery; withoutDate: ListQuery; hidden: boolean } {
  const base: ListQuery = { ...q };
  delete base.offset;
  delete base.limit;
  delete base.sort;
  const withoutCategory: ListQuery = { ...base };
  delete withoutCategory.category;
  const withoutDate: ListQuery = { ...base };
  delete withoutDate.year;
  delete withoutDate.month;
  return { base, withoutCategory, withoutDate, hidden: q.includeHidden === true };
}

export function countFacets(q: ListQuery, source: FacetSource, keep?: (path: string) => boolean): Facets {
  const { base, withoutCategory, withoutDate, hidden } = facetQueries(q);

  // One read of the matching posts' rows per distinct plan (without category or date selections, all three trees
  // share one): FTS5 finds the ids, the posts table's primary key the four columns; the counting is done here.
  const read = new Map<string, PostRow[]>();
  const rowsOf = (plan: ListPlan): PostRow[] => {
    const key = `${plan.minId} ${plan.maxId} ${plan.expr}`;
    let rows = read.get(key);
    if (!rows) {
      const stmt = source.sql(`SELECT year, month, category_key, tag_keys, path FROM posts WHERE id IN
        (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ?)`).raw();
      if (keep) {
        rows = [];
        for (const row of stmt.iterate(plan.expr, plan.minId, plan.maxId) as IterableIterator<PostRow>) if (keep(row[4])) rows.push(row);
      } else rows = stmt.all(plan.expr, plan.minId, plan.maxId) as PostRow[];
      read.set(key, rows);
    }
    return rows;
  };

  const categories = ((): CategoryNode[] => {
    const { plan, compiled } = source.plan(withoutCategory);
    if (!keep && !narrows(withoutCategory, compiled)) return source.categories(hidden);
    const counts = new Map<string, number>();
    for (const row of rowsOf(plan)) counts.set(row[2], (counts.get(row[2]) ?? 0) + 1);
    return buildCategoryTree([...counts].map(([key, count]) => ({ path: pathFromCategoryKey(key), count })));
  })();

  const dates = ((): DateNode[] => {
    const { plan, compiled } = source.plan(withoutDate);
    if (!keep && !narrows(withoutDate, compiled)) return source.dates(hidden);
    const counts = new Map<string, { year: number | null; month: number | null; count: number }>();
    for (const [year, month] of rowsOf(plan)) {
      const key = `${year ?? 0} ${month ?? 0}`;
      const entry = counts.get(key);
      if (entry) entry.count += 1;
      else counts.set(key, { year: year || null, month: month || null, count: 1 });
    }
    return buildDateTree([...counts.values()]);
  })();

  const tags = ((): TagCount[] => {
    const { plan, compiled } = source.plan(base);
    if (!keep && !narrows(base, compiled)) return source.tags(hidden);
    const counts = new Map<string, { written: string; count: number }>();
    let untagged = 0;
    for (const row of rowsOf(plan)) {
      if (row[3] === '[]') {
        untagged += 1;
        continue;
      }
      for (const [norm, written] of JSON.parse(row[3]) as [string, string][]) {
        const entry = counts.get(norm);
        if (entry) entry.count += 1;
        else counts.set(norm, { written, count: 1 });
      }
    }
    // Named as getTags names them (the first spelling in tag_counts), so the renderer can put both counts side by side.
    const nameOf = source.sql(`SELECT min(name) FROM tag_counts WHERE tag_norm = ? ${hidden ? '' : 'AND hidden = 0'}`).pluck();
    const rows = [...counts].map(([norm, { written, count }]) => ({ name: (nameOf.get(norm) as string | null) ?? written, count }));
    return sortTags(rows, untagged);
  })();

  return { categories, dates, tags };
}
