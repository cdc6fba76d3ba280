import type { ArchiveApi, CategoryNode, DateNode, Facets, ListQuery, TagCount, TagMode } from '../../src-main/shared/archive-api';
import type { AppState, LoadStatus, SliceCreator } from './app-state';

/** A year (or `null`: undated posts), optionally narrowed to a month. */
export interface DateFilter {
  year: number | null;
  month?: number;
}

/**
 * What the reader is looking at, as one back/forward entry: the search query, the tree selections and the open
 * article, in the archive they belong to. Plain data, so it can live in `history.state`.
 */
export interface ReaderView {
  archive: string | null;
  query: string;
  category: string[] | null;
  date: DateFilter | null;
  tag: string | null;
  /** Further tags chosen beside `tag`, and how they all combine. */
  moreTags?: string[];
  tagMode?: TagMode;
  article: string | null;
}

export function viewOf(state: AppState): ReaderView {
  return {
    archive: state.info?.root ?? null,
    query: state.query,
    category: state.category,
    date: state.date,
    tag: state.tag,
    ...(state.moreTags.length > 0 ? { moreTags: [...state.moreTags] } : {}),
    ...(state.tagMode !== 'all' ? { tagMode: state.tagMode } : {}),
    article: state.articlePath,
  };
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The list part of two views is the same (query and tree selections). */
export const sameList = (a: ReaderView, b: ReaderView): boolean =>
  a.archive === b.archive && a.query === b.query && sameJson(a.category, b.category) && sameJson(a.date, b.date) && a.tag === b.tag &&
  sameJson(a.moreTags ?? [], b.moreTags ?? []) && (a.tagMode ?? 'all') === (b.tagMode ?? 'all');

export const sameView = (a: ReaderView, b: ReaderView): boolean => sameList(a, b) && a.article === b.article;

/** A ReaderView from untrusted data (history.state may hold anything a previous page left), or null. */
export function asReaderView(value: unknown): ReaderView | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const strOrNull = (x: unknown): x is string | null => x === null || typeof x === 'string';
  if (!strOrNull(v.archive) || typeof v.query !== 'string' || !strOrNull(v.tag) || !strOrNull(v.article)) return null;
  const category = Array.isArray(v.category) && v.category.every((c) => typeof c === 'string') ? (v.category as string[]) : null;
  const d = v.date as Record<string, unknown> | null | undefined;
  const date =
    d && typeof d === 'object' && (d.year === null || typeof d.year === 'number')
      ? { year: d.year as number | null, ...(typeof d.month === 'number' ? { month: d.month } : {}) }
      : null;
  const moreTags = Array.isArray(v.moreTags) && v.moreTags.every((x) => typeof x === 'string') && v.tag ? (v.moreTags as string[]) : [];
  const tagMode: TagMode = v.tagMode === 'any' ? 'any' : 'all';
  return { archive: v.archive, query: v.query, category, date, tag: v.tag, ...(moreTags.length > 0 ? { moreTags } : {}), ...(tagMode !== 'all' ? { tagMode } : {}), article: v.article };
}

export interface NavigationSlice {
  categories: CategoryNode[];
  dates: DateNode[];
  tags: TagCount[];
  treesStatus: LoadStatus;
  /** The tree selections; they combine with each other and with the search query. */
  category: string[] | null;
  date: DateFilter | null;
  tag: string | null;
  /** Tags chosen beside a named `tag` (the filter-chip row shows one chip each), and how they combine. */
  moreTags: string[];
  tagMode: TagMode;
  /**
   * The trees' counts for the current result (getFacets), or null while the list is the whole archive (the
   * trees' own counts are then the result's). Shown beside the archive-wide counts.
   */
  facets: Facets | null;
  /** Also list unpublished posts and drafts. */
  includeHidden: boolean;
  loadTrees(): Promise<void>;
  selectCategory(path: string[] | null): void;
  selectDate(date: DateFilter | null): void;
  selectTag(tag: string | null): void;
  /** The tag tree: adds a named tag to the chosen ones, or takes it away; '' (Untagged) replaces them all. */
  toggleTag(tag: string): void;
  setTagMode(mode: TagMode): void;
  /** Asks for the counts of what `query` (the list's query) finds; the result is dropped if a newer one was asked. */
  loadFacets(query: ListQuery): Promise<void>;
  /** Clears the tree selections and the search query, then lists everything. */
  clearFilters(): void;
  setIncludeHidden(includeHidden: boolean): void;
  /** Back/forward: shows a view again (its list, then its article); a view of another archive is ignored. */
  restoreView(view: ReaderView): void;
  resetNavigation(): void;
}

export const createNavigationSlice =
  (api: ArchiveApi): SliceCreator<NavigationSlice> =>
  (set, get) => {
    let treesSeq = 0;
    let facetsSeq = 0;

    return {
      categories: [],
      dates: [],
      tags: [],
      treesStatus: 'idle',
      category: null,
      date: null,
      tag: null,
      moreTags: [],
      tagMode: 'all',
      facets: null,
      includeHidden: false,

      async loadTrees() {
        const seq = ++treesSeq;
        const hidden = get().includeHidden;
        set({ treesStatus: 'loading' });
        try {
          const [categories, dates, tags] = await Promise.all([
            api.getCategories(hidden),
            api.getDates(hidden),
            api.getTags(hidden),
          ]);
          if (seq === treesSeq) set({ categories, dates, tags, treesStatus: 'ready' });
        } catch {
          if (seq === treesSeq) set({ treesStatus: 'error' });
        }
      },

      selectCategory(category) {
        // [] is "Uncategorised" (posts filed under no category), not "no selection".
        set({ category: category ? [...category] : null });
        void get().runSearch();
      },

      selectDate(date) {
        set({ date: date ? { ...date } : null });
        void get().runSearch();
      },

      selectTag(tag) {
        // '' is "Untagged".
        set({ tag: tag ?? null, moreTags: [] });
        void get().runSearch();
      },

      toggleTag(tag) {
        const { tag: first, moreTags } = get();
        const chosen = first ? [first, ...moreTags] : [];
        const next = tag === '' ? (first === '' ? [] : ['']) : chosen.includes(tag) ? chosen.filter((x) => x !== tag) : [...chosen, tag];
        set({ tag: next[0] ?? null, moreTags: next.slice(1) });
        void get().runSearch();
      },

      setTagMode(tagMode) {
        set({ tagMode });
        if (get().moreTags.length > 0) void get().runSearch();
      },

      async loadFacets(query) {
        const seq = ++facetsSeq;
        const narrowed = Boolean(query.query?.trim()) || query.category !== undefined || query.year !== undefined || query.tag !== undefined || (query.tags?.length ?? 0) > 0;
        if (!narrowed) {
          set({ facets: null });
          return;
        }
        const ask: ListQuery = { ...query };
        delete ask.offset;
        delete ask.limit;
        delete ask.sort;
        try {
          const facets = await api.getFacets(ask);
          if (seq === facetsSeq) set({ facets });
        } catch {
          // The trees keep their archive-wide counts; the list itself reports errors.
          if (seq === facetsSeq) set({ facets: null });
        }
      },

      clearFilters() {
        set({ category: null, date: null, tag: null, moreTags: [], query: '' });
        void get().runSearch();
      },

      setIncludeHidden(includeHidden) {
        set({ includeHidden });
        void get().loadTrees();
        void get().runSearch({ keepSelection: true });
      },

      restoreView(view) {
        const state = get();
        if (view.archive !== (state.info?.root ?? null)) return;
        const listChanged = !sameList(viewOf(state), view);
        set({ query: view.query, category: view.category ? [...view.category] : null, date: view.date ? { ...view.date } : null, tag: view.tag,
          moreTags: view.tag ? [...(view.moreTags ?? [])] : [], tagMode: view.tagMode ?? 'all' });
        if (view.article) {
          if (view.article !== state.articlePath) void get().openArticle(view.article);
        } else if (state.articlePath) {
          get().closeArticle();
        }
        if (listChanged) void get().runSearch();
      },

      resetNavigation() {
        treesSeq += 1;
        facetsSeq += 1;
        set({ categories: [], dates: [], tags: [], treesStatus: 'idle', category: null, date: null, tag: null, moreTags: [], facets: null });
      },
    };
  };
