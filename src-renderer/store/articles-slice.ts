import type { ArchiveApi, ListQuery, SearchHit, SortOrder } from '../../src-main/shared/archive-api';
import { errorMessage } from '../lib/error-message';
import { MESSAGES } from '../i18n';
import type { LoadStatus, SliceCreator, StoreOptions } from './app-state';
import { buildListQuery } from './list-query';

export interface ArticlesSlice {
  /** What is in the search field. */
  query: string;
  /** The query the shown results answer (the field may be ahead of it while a search is pending). */
  appliedQuery: string;
  /** The reader's choice; an empty query always lists by date. */
  sort: SortOrder;
  results: SearchHit[];
  total: number;
  notice: string | null;
  listStatus: LoadStatus;
  listError: string | null;
  loadingMore: boolean;
  moreError: string | null;
  /** Row with the list's selection, or -1. */
  selectedIndex: number;
  /** Search as you type: the list follows after a short pause. */
  setQuery(query: string): void;
  clearQuery(): void;
  /** Lists the first page now; a newer call makes older ones' answers irrelevant. */
  runSearch(options?: { keepSelection?: boolean }): Promise<void>;
  /** Appends the next page of the current results (infinite scroll). */
  fetchMore(): Promise<void>;
  retryMore(): Promise<void>;
  setSort(sort: SortOrder): void;
  selectIndex(index: number): void;
  moveSelection(delta: number): void;
  /** Opens the article of the selected row. */
  openSelected(): Promise<void>;
  openIndex(index: number): Promise<void>;
  resetArticles(): void;
}

export const createArticlesSlice =
  (api: ArchiveApi, options: StoreOptions): SliceCreator<ArticlesSlice> =>
  (set, get) => {
    const debounceMs = options.debounceMs ?? 150;
    const pageSize = options.pageSize ?? 100;
    // Every search takes a number; an answer whose number is no longer the latest is dropped.
    let searchSeq = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** The query the shown results came from, without offset: pages are fetched for it, not for the field. */
    let activeQuery: ListQuery | null = null;

    function cancelPending(): void {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    }

    const clamp = (index: number): number => Math.max(-1, Math.min(index, get().results.length - 1));

    return {
      query: '',
      appliedQuery: '',
      sort: 'relevance',
      results: [],
      total: 0,
      notice: null,
      listStatus: 'idle',
      listError: null,
      loadingMore: false,
      moreError: null,
      selectedIndex: -1,

      setQuery(query) {
        set({ query });
        cancelPending();
        timer = setTimeout(() => {
          timer = undefined;
          void get().runSearch();
        }, debounceMs);
      },

      clearQuery() {
        set({ query: '' });
        void get().runSearch();
      },

      async runSearch(runOptions) {
        cancelPending();
        const seq = ++searchSeq;
        const state = get();
        const keepPath = runOptions?.keepSelection ? state.results[state.selectedIndex]?.path : undefined;
        const query = buildListQuery(state, 0, pageSize);
        set({ listStatus: 'loading', listError: null, loadingMore: false, moreError: null });
        try {
          const result = await api.listArticles(query);
          if (seq !== searchSeq) return;
          activeQuery = query;
          const follow = keepPath ?? get().articlePath;
          const selectedIndex = follow ? result.items.findIndex((item) => item.path === follow) : -1;
          set({
            results: result.items,
            total: Math.max(result.total, result.items.length),
            notice: result.notice ?? null,
            appliedQuery: query.query ?? '',
            listStatus: 'ready',
            selectedIndex,
          });
        } catch (error) {
          if (seq === searchSeq) set({ listStatus: 'error', listError: errorMessage(error, MESSAGES[get().language]) });
        }
      },

      async fetchMore() {
        const state = get();
        if (state.loadingMore || state.moreError || state.listStatus !== 'ready' || !activeQuery) return;
        if (state.results.length >= state.total) return;
        const seq = searchSeq;
        set({ loadingMore: true });
        try {
          const result = await api.listArticles({ ...activeQuery, offset: state.results.length, limit: pageSize });
          if (seq !== searchSeq) return;
          const results = get().results;
          const seen = new Set(results.map((item) => item.path));
          const fresh = result.items.filter((item) => !seen.has(item.path));
          const merged = fresh.length > 0 ? results.concat(fresh) : results;
          // An empty page means the archive shrank under us: stop asking.
          set({ results: merged, total: fresh.length > 0 ? Math.max(result.total, merged.length) : merged.length, loadingMore: false });
        } catch (error) {
          if (seq === searchSeq) set({ loadingMore: false, moreError: errorMessage(error, MESSAGES[get().language]) });
        }
      },

      async retryMore() {
        set({ moreError: null });
        await get().fetchMore();
      },

      setSort(sort) {
        set({ sort });
        void get().runSearch({ keepSelection: true });
      },

      selectIndex: (index) => set({ selectedIndex: clamp(index) }),

      moveSelection(delta) {
        const { selectedIndex, results } = get();
        if (results.length === 0) return;
        const from = selectedIndex < 0 ? (delta > 0 ? -1 : results.length) : selectedIndex;
        set({ selectedIndex: Math.max(0, Math.min(from + delta, results.length - 1)) });
      },

      async openSelected() {
        const hit = get().results[get().selectedIndex];
        if (hit) await get().openArticle(hit.path);
      },

      async openIndex(index) {
        get().selectIndex(index);
        await get().openSelected();
      },

      resetArticles() {
        cancelPending();
        searchSeq += 1;
        activeQuery = null;
        set({
          query: '',
          appliedQuery: '',
          results: [],
          total: 0,
          notice: null,
          listStatus: 'idle',
          listError: null,
          loadingMore: false,
          moreError: null,
          selectedIndex: -1,
        });
      },
    };
  };
