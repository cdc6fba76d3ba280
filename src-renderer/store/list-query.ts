import type { ListQuery } from '../../src-main/shared/archive-api';
import type { AppState } from './app-state';

/**
 * The query of the result on screen: the search that last ran (`appliedQuery`, not what is being typed) with the
 * tree selections. What counts the result (timeline, workspace counts) asks with this.
 */
export function appliedListQuery(state: AppState, offset: number, limit: number): ListQuery {
  return buildListQuery({ ...state, query: state.appliedQuery }, offset, limit);
}

/** What the list asks the archive for: the search query combined with every tree selection. */
export function buildListQuery(state: AppState, offset: number, limit: number): ListQuery {
  const query = state.query.trim();
  // Relevance means nothing without words to be relevant to: an empty query lists by date (newest first unless
  // the reader chose oldest first).
  const list: ListQuery = { sort: query || state.sort !== 'relevance' ? state.sort : 'date', offset, limit };
  if (query) list.query = query;
  // [] selects uncategorised posts, '' untagged ones (the trees' last rows): `null` to the archive.
  if (state.category) list.category = state.category.length > 0 ? [...state.category] : null;
  if (state.date) {
    list.year = state.date.year;
    if (state.date.month !== undefined && state.date.year !== null) list.month = state.date.month;
  }
  if (state.tag === '') list.tag = null;
  else if (state.tag !== null && state.moreTags.length === 0) list.tag = state.tag;
  else if (state.tag !== null) {
    list.tags = [state.tag, ...state.moreTags];
    if (state.tagMode === 'any') list.tagMode = 'any';
  }
  if (state.includeHidden) list.includeHidden = true;
  if (state.collapseVersions) list.collapse = true;
  return list;
}
