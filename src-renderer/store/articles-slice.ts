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
  /** The reader's choice; an empty query always lists by date (newest or oldest first). */
  sort: SortOrder;
  /**
   * The whole result, one slot per row (`length === total`); a slot is `undefined` until its page is fetched,
   * so the list can span the whole result and fetch wherever the reader scrolls or jumps.
   */
  results: (SearchHit | undefined)[];
  total: number;
  notice: string | null;
  listStatus: LoadStatus;
  listError: string | null;
  /** Some page of rows is being fetched. */
  loadingMore: boolean;
  /** Why the last page failed (its rows stay placeholders until `retryMore`). */
  moreError: string | null;
  /** Counts the answered searches: a new result (not a new page of the same one) starts at its top. */
  resultSeq: number;
  /** Row of the current article in the list (the selection is the open article), or -1. */
  selectedIndex: number;
  /** Search as you type: the list follows after a short pause. */
  setQuery(query: string): void;
  clearQuery(): void;
  /** Lists the first page now; a newer call makes older ones' answers irrelevant. */
  runSearch(options?: { keepSelection?: boolean }): Promise<void>;
  /** Fetches the pages holding rows `start` to `end - 1` that are not loaded or loading yet. */
  ensureRows(start: number, end: number): Promise<void>;
  /** Asks again for the pages that failed. */
  retryMore(): Promise<void>;
  setSort(sort: SortOrder): void;
  /** Moves the selection to a row and opens its article (one current article, as in Mail). */
  selectIndex(index: number): void;
  moveSelection(delta: number): void;
  /** Opens the article of the selected row, fetching its page first if needed. */
  openSelected(): Promise<void>;
  openIndex(index: number): Promise<void>;
  resetArticles(): void;
}

/** The list before any search: the slice starts here and `resetArticles` returns here (keeping the sort and `resultSeq`). */
function noList(): Pick<
  ArticlesSlice,
  'query' | 'appliedQuery' | 'results' | 'total' | 'notice' | 'listStatus' | 'listError' | 'loadingMore' | 'moreError' | 'selectedIndex'
> {
  return {
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
  };
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
    /** Pages in flight and pages that failed, for the current search. */
    const pending = new Map<number, Promise<void>>();
    const failed = new Set<number>();

    function cancelPending(): void {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    }

    function forgetPages(): void {
      pending.clear();
      failed.clear();
    }

    const clamp = (index: number): number => Math.max(-1, Math.min(index, get().total - 1));

    function loadPage(page: number): Promise<void> {
      const inFlight = pending.get(page);
      if (inFlight) return inFlight;
      const query = activeQuery;
      if (!query) return Promise.resolve();
      const seq = searchSeq;
      const request = (async () => {
        set({ loadingMore: true, moreError: null });
        try {
          const result = await api.listArticles({ ...query, offset: page * pageSize, limit: pageSize });
          if (seq !== searchSeq) return;
          if (result.total !== get().total) {
            // The archive changed under the list: start over from a fresh count, keeping the reader's place.
            void get().runSearch({ keepSelection: true });
            return;
          }
          const results = get().results.slice();
          result.items.forEach((item, i) => {
            const row = page * pageSize + i;
            if (row < results.length) results[row] = item;
          });
          set({ results });
        } catch (error) {
          if (seq !== searchSeq) return;
          failed.add(page);
          set({ moreError: errorMessage(error, MESSAGES[get().language]) });
        } finally {
          if (seq === searchSeq) {
            pending.delete(page);
            set({ loadingMore: pending.size > 0 });
          }
        }
      })();
      pending.set(page, request);
      return request;
    }

    return {
      ...noList(),
      sort: 'relevance',
      resultSeq: 0,

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
        forgetPages();
        const state = get();
        const keepPath = runOptions?.keepSelection ? state.results[state.selectedIndex]?.path : undefined;
        const query = buildListQuery(state, 0, pageSize);
        set({ listStatus: 'loading', listError: null, loadingMore: false, moreError: null });
        try {
          const result = await api.listArticles(query);
          if (seq !== searchSeq) return;
          activeQuery = { ...query };
          delete activeQuery.offset;
          delete activeQuery.limit;
          const total = Math.max(result.total, result.items.length);
          const results = new Array<SearchHit | undefined>(total);
          result.items.forEach((item, i) => (results[i] = item));
          get().onResultChanged(activeQuery, total);
          const follow = keepPath ?? get().articlePath;
          const selectedIndex = follow ? result.items.findIndex((item) => item.path === follow) : -1;
          set({
            results,
            total,
            notice: result.notice ?? null,
            appliedQuery: query.query ?? '',
            listStatus: 'ready',
            selectedIndex,
            resultSeq: get().resultSeq + 1,
          });
          // The trees' counts follow the result (issue 11 item 9).
          void get().loadFacets(query);
        } catch (error) {
          if (seq === searchSeq) set({ listStatus: 'error', listError: errorMessage(error, MESSAGES[get().language]) });
        }
      },

      async ensureRows(start, end) {
        const { results, total, listStatus } = get();
        if (listStatus !== 'ready' || !activeQuery) return;
        const first = Math.max(0, Math.floor(start / pageSize));
        const last = Math.floor((Math.min(end, total) - 1) / pageSize);
        const waits: Promise<void>[] = [];
        for (let page = first; page <= last; page++) {
          const inFlight = pending.get(page);
          if (inFlight) waits.push(inFlight);
          else if (!failed.has(page) && results[page * pageSize] === undefined) waits.push(loadPage(page));
        }
        await Promise.all(waits);
      },

      async retryMore() {
        const pages = [...failed];
        failed.clear();
        set({ moreError: null });
        await Promise.all(pages.map(loadPage));
      },

      setSort(sort) {
        set({ sort });
        void get().runSearch({ keepSelection: true });
      },

      selectIndex(index) {
        set({ selectedIndex: clamp(index) });
        void get().openSelected();
      },

      moveSelection(delta) {
        const { selectedIndex, total } = get();
        if (total === 0) return;
        const from = selectedIndex < 0 ? (delta > 0 ? -1 : total) : selectedIndex;
        get().selectIndex(Math.max(0, Math.min(from + delta, total - 1)));
      },

      async openSelected() {
        const index = get().selectedIndex;
        if (index < 0) return;
        if (get().results[index] === undefined) await get().ensureRows(index, index + 1);
        // The reader may have moved on while the page came.
        if (get().selectedIndex !== index) return;
        const hit = get().results[index];
        if (!hit) return;
        const { articlePath, articleStatus } = get();
        if (hit.path !== articlePath || articleStatus === 'error') await get().openArticle(hit.path);
      },

      async openIndex(index) {
        set({ selectedIndex: clamp(index) });
        await get().openSelected();
      },

      resetArticles() {
        cancelPending();
        searchSeq += 1;
        activeQuery = null;
        forgetPages();
        get().clearChecked();
        set(noList());
      },
    };
  };
