/**
 * The checked rows of the article list (multi-select, for exporting), apart from the one current article.
 *
 * Rows are checked by their index in the whole result, as sorted and disjoint half-open ranges, so a Shift-click
 * across rows not loaded yet, or "Select all 100,000", costs nothing until the paths are asked for
 * (`checkedPaths`, which fetches the missing pages then). Indexes only mean something for one result: a new
 * query, filter or sort, or the same query answering a different total (the archive changed), clears them.
 */
import type { ArchiveApi, ListQuery } from '../../src-main/shared/archive-api';
import type { SliceCreator } from './app-state';
import { buildListQuery } from './list-query';

/** `[start, end)`: rows start … end − 1. */
export type RowRange = readonly [number, number];

export interface SelectionSlice {
  /** Checked rows, sorted, disjoint and never touching. */
  checked: RowRange[];
  /** Where the last click or Space left off: Shift-click checks from here. -1: none. */
  checkAnchor: number;
  /** The checks were dropped because the list changed under them (said in the list header until the next check). */
  checksCleared: boolean;
  toggleChecked(index: number): void;
  /**
   * Shift-click / Shift+arrow: the rows from the anchor to `index` are checked, on top of what was checked before
   * this run of Shift moves began (so moving back shrinks the range, as in Mail or Thunderbird). Without an anchor,
   * `from` (the row the move started at) or else the current row is the anchor.
   */
  extendChecked(index: number, from?: number): void;
  /** A plain click or move: the next Shift move starts from the new current row. */
  resetCheckAnchor(): void;
  /** Every row of the result, loaded or not. */
  checkAll(): void;
  clearChecked(): void;
  /** The articles slice calls this with each new result: checks survive only the same query and total. */
  onResultChanged(query: ListQuery, total: number): void;
  /** The checked posts' paths in list order, fetching the pages not loaded yet. */
  checkedPaths(): Promise<string[]>;
}

export const countChecked = (ranges: readonly RowRange[]): number => ranges.reduce((n, [a, b]) => n + (b - a), 0);

export function isRowChecked(ranges: readonly RowRange[], index: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (index < a) hi = mid - 1;
    else if (index >= b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** `ranges` with `[start, end)` added, merged with any range it overlaps or touches. */
export function addRange(ranges: readonly RowRange[], start: number, end: number): RowRange[] {
  if (end <= start) return [...ranges];
  const out: RowRange[] = [];
  let [s, e] = [start, end];
  for (const [a, b] of ranges) {
    if (b < s || a > e) out.push([a, b]);
    else [s, e] = [Math.min(a, s), Math.max(b, e)];
  }
  out.push([s, e]);
  return out.sort((x, y) => x[0] - y[0]);
}

/** `ranges` without `[start, end)`. */
export function removeRange(ranges: readonly RowRange[], start: number, end: number): RowRange[] {
  const out: RowRange[] = [];
  for (const [a, b] of ranges) {
    if (b <= start || a >= end) out.push([a, b]);
    else {
      if (a < start) out.push([a, start]);
      if (b > end) out.push([end, b]);
    }
  }
  return out;
}

/** The list part of a query (no paging), as a comparable string. */
const resultKey = (query: ListQuery): string => {
  const rest: ListQuery = { ...query };
  delete rest.offset;
  delete rest.limit;
  return JSON.stringify(rest);
};

/** The result changed under the checked rows while their paths were collected. */
export class SelectionChangedError extends Error {
  override name = 'SelectionChangedError';
  constructor() {
    super('The list changed while the selection was read; select again.');
  }
}

/** Rows per `listArticles` call when collecting the paths of unloaded checked rows. */
const PATH_PAGE = 500;

export const createSelectionSlice =
  (api: Pick<ArchiveApi, 'listArticles'>): SliceCreator<SelectionSlice> =>
  (set, get) => {
    let shownKey: string | null = null;
    let shownTotal = -1;
    /** The query the shown result answers (the search field may be ahead of it). */
    let shownQuery: ListQuery | null = null;
    /** What was checked before the current run of Shift moves. */
    let extendBase: RowRange[] | null = null;

    const inResult = (index: number): boolean => index >= 0 && index < get().total;

    return {
      checked: [],
      checkAnchor: -1,
      checksCleared: false,

      toggleChecked(index) {
        if (!inResult(index)) return;
        extendBase = null;
        const { checked } = get();
        set({
          checked: isRowChecked(checked, index) ? removeRange(checked, index, index + 1) : addRange(checked, index, index + 1),
          checkAnchor: index,
          checksCleared: false,
        });
      },

      extendChecked(index, from) {
        if (!inResult(index)) return;
        const { checkAnchor, selectedIndex, checked } = get();
        const anchor = inResult(checkAnchor) ? checkAnchor : from !== undefined && inResult(from) ? from : inResult(selectedIndex) ? selectedIndex : index;
        extendBase ??= [...checked];
        set({
          checked: addRange(extendBase, Math.min(anchor, index), Math.max(anchor, index) + 1),
          checkAnchor: anchor,
          checksCleared: false,
        });
      },

      resetCheckAnchor() {
        extendBase = null;
        if (get().checkAnchor !== -1) set({ checkAnchor: -1 });
      },

      checkAll() {
        extendBase = null;
        const total = get().total;
        set({ checked: total > 0 ? [[0, total]] : [], checksCleared: false });
      },

      clearChecked() {
        extendBase = null;
        set({ checked: [], checkAnchor: -1, checksCleared: false });
      },

      onResultChanged(query, total) {
        const key = resultKey(query);
        const same = key === shownKey && total === shownTotal;
        shownKey = key;
        shownTotal = total;
        shownQuery = { ...query };
        if (same) return;
        extendBase = null;
        const had = get().checked.length > 0;
        set({ checked: [], checkAnchor: -1, checksCleared: had });
      },

      async checkedPaths() {
        const { checked, results, total } = get();
        const paths: string[] = [];
        const missing = new Set<number>();
        for (const [a, b] of checked) for (let i = a; i < b; i++) if (!results[i]) missing.add(Math.floor(i / PATH_PAGE));
        const fetched = new Map<number, string>();
        const query = shownQuery ?? buildListQuery(get(), 0, PATH_PAGE);
        for (const page of [...missing].sort((x, y) => x - y)) {
          const answer = await api.listArticles({ ...query, offset: page * PATH_PAGE, limit: PATH_PAGE });
          if (answer.total !== total) throw new SelectionChangedError();
          answer.items.forEach((item, i) => fetched.set(page * PATH_PAGE + i, item.path));
        }
        for (const [a, b] of checked) {
          for (let i = a; i < b; i++) {
            const path = results[i]?.path ?? fetched.get(i);
            if (path !== undefined) paths.push(path);
          }
        }
        return paths;
      },
    };
  };
