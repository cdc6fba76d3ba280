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

/** Does the query narrow the archive at all (beyond hiding hidden posts)? */
function narrows(q: ListQuery, compiled: CompiledQuery): boolean {
  const f = compiled.filters;
  return (
    compiled.match !== null || f.tags.length > 0 || f.categories.length > 0 || f.excludeTags.length > 0 ||
    f.excludeCategories.length > 0 || f.excludeMatch !== null || f.after !== null || f.before !== null ||
    q.category !== undefined || q.year !== undefined || q.tag !== undefined || (Array.isArray(q.tags) && q.tags.length > 0)
  );
}

/** The matching ids as a subquery, with its three parameters. */
const HITS = 'SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ?';
const hitArgs = (p: ListPlan): [string, number, number] => [p.expr, p.minId, p.maxId];

export function countFacets(q: ListQuery, source: FacetSource): Facets {
  const base: ListQuery = { ...q };
  delete base.offset;
  delete base.limit;
  delete base.sort;
  const hidden = q.includeHidden === true;

  const withoutCategory: ListQuery = { ...base };
  delete withoutCategory.category;
  const withoutDate: ListQuery = { ...base };
  delete withoutDate.year;
  delete withoutDate.month;

  const categories = ((): CategoryNode[] => {
    const { plan, compiled } = source.plan(withoutCategory);
    if (!narrows(withoutCategory, compiled)) return source.categories(hidden);
    const rows = source.sql(`SELECT category_key AS key, count(*) AS count FROM posts WHERE id IN (${HITS}) GROUP BY category_key`)
      .all(...hitArgs(plan)) as { key: string; count: number }[];
    return buildCategoryTree(rows.map((r) => ({ path: pathFromCategoryKey(r.key), count: r.count })));
  })();

  const dates = ((): DateNode[] => {
    const { plan, compiled } = source.plan(withoutDate);
    if (!narrows(withoutDate, compiled)) return source.dates(hidden);
    const rows = source.sql(`SELECT year, month, count(*) AS count FROM posts WHERE id IN (${HITS}) GROUP BY year, month`)
      .all(...hitArgs(plan)) as { year: number | null; month: number | null; count: number }[];
    return buildDateTree(rows.map((r) => ({ year: r.year || null, month: r.month || null, count: r.count })));
  })();

  const tags = ((): TagCount[] => {
    const { plan, compiled } = source.plan(base);
    if (!narrows(base, compiled)) return source.tags(hidden);
    // Named as getTags names them (the first spelling in tag_counts), so the renderer can put both counts side by side.
    const rows = source.sql(`WITH f AS (
        SELECT json_extract(j.value, '$[0]') AS norm, min(json_extract(j.value, '$[1]')) AS written, count(*) AS count
        FROM posts, json_each(posts.tag_keys) AS j WHERE posts.id IN (${HITS}) GROUP BY norm)
      SELECT coalesce((SELECT min(name) FROM tag_counts t WHERE t.tag_norm = f.norm ${hidden ? '' : 'AND t.hidden = 0'}), f.written) AS name, f.count AS count FROM f`)
      .all(...hitArgs(plan)) as TagCount[];
    const untagged = source.sql(`SELECT count(*) FROM posts WHERE tag_keys = '[]' AND id IN (${HITS})`).pluck().get(...hitArgs(plan)) as number;
    return sortTags(rows, untagged);
  })();

  return { categories, dates, tags };
}
