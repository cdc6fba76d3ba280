import type { ArchiveApi, CategoryNode, DateNode, TagCount } from '../../src-main/shared/archive-api';
import type { LoadStatus, SliceCreator } from './app-state';

/** A year (or `null`: undated posts), optionally narrowed to a month. */
export interface DateFilter {
  year: number | null;
  month?: number;
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
  /** Also list unpublished posts and drafts. */
  includeHidden: boolean;
  loadTrees(): Promise<void>;
  selectCategory(path: string[] | null): void;
  selectDate(date: DateFilter | null): void;
  selectTag(tag: string | null): void;
  /** Clears the tree selections and the search query, then lists everything. */
  clearFilters(): void;
  setIncludeHidden(includeHidden: boolean): void;
  resetNavigation(): void;
}

export const createNavigationSlice =
  (api: ArchiveApi): SliceCreator<NavigationSlice> =>
  (set, get) => {
    let treesSeq = 0;

    return {
      categories: [],
      dates: [],
      tags: [],
      treesStatus: 'idle',
      category: null,
      date: null,
      tag: null,
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
        set({ category: category && category.length > 0 ? [...category] : null });
        void get().runSearch();
      },

      selectDate(date) {
        set({ date: date ? { ...date } : null });
        void get().runSearch();
      },

      selectTag(tag) {
        set({ tag: tag || null });
        void get().runSearch();
      },

      clearFilters() {
        set({ category: null, date: null, tag: null, query: '' });
        void get().runSearch();
      },

      setIncludeHidden(includeHidden) {
        set({ includeHidden });
        void get().loadTrees();
        void get().runSearch({ keepSelection: true });
      },

      resetNavigation() {
        treesSeq += 1;
        set({ categories: [], dates: [], tags: [], treesStatus: 'idle', category: null, date: null, tag: null });
      },
    };
  };
