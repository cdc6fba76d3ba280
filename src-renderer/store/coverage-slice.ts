/**
 * The coverage timeline and batch search (issue 14). The timeline follows the current result (query and tree
 * selections); a bar or a range narrows the query with after:/before:. A batch search runs a list of searches a
 * few at a time (CHUNK terms a call), so the dialog shows progress and Cancel stops between calls.
 */
import type { ArchiveApi, BatchTerm, ListQuery, Timeline, TimelineUnit } from '../../src-main/shared/archive-api';
import { termsFromText } from '../../src-main/shared/batch';
import { errorMessage } from '../lib/error-message';
import { MESSAGES } from '../i18n';
import type { SliceCreator } from './app-state';
import { appliedListQuery } from './list-query';
import { withPeriods, withoutDates } from '../components/timeline-periods';

/** Terms per batchSearch call: progress moves every few hundred milliseconds, Cancel waits at most one call. */
export const BATCH_CHUNK = 20;

export interface BatchRow extends BatchTerm {
  /** Hits per year (for the sparkline), absent until counted. */
  years?: Record<string, number>;
}

export interface CoverageSlice {
  timeline: Timeline | null;
  /** The reader's bar size; `null`: chosen from the span. */
  timelineBy: TimelineUnit | null;
  /** The table instead of the chart (the chart's text alternative). */
  timelineTable: boolean;
  timelineError: string | null;
  loadTimeline(): Promise<void>;
  setTimelineBy(by: TimelineUnit | null): void;
  toggleTimelineTable(): void;
  /** Narrows the search to the periods from `first` to `last` (a bar: the same period twice). */
  filterToPeriods(first: string, last: string): void;
  clearDateRange(): void;

  batchOpen: boolean;
  batchText: string;
  batchRows: BatchRow[];
  batchStatus: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  batchDone: number;
  batchTotal: number;
  batchError: string | null;
  openBatch(): void;
  closeBatch(): void;
  setBatchText(text: string): void;
  runBatch(): Promise<void>;
  cancelBatch(): void;
  /** Puts a batch line in the search field and searches it. */
  searchTerm(term: string): void;
  /** Drops the batch table (and stops a running batch): it counted another archive. The pasted list stays. */
  resetBatch(): void;
}


export const createCoverageSlice =
  (api: Pick<ArchiveApi, 'getTimeline' | 'batchSearch'>): SliceCreator<CoverageSlice> =>
  (set, get) => {
    let timelineSeq = 0;
    let batchSeq = 0;
    const rerun = (query: string) => {
      set({ query });
      void get().runSearch();
    };
    return {
      timeline: null,
      timelineBy: null,
      timelineTable: false,
      timelineError: null,
      async loadTimeline() {
        const seq = ++timelineSeq;
        const { offset: _o, limit: _l, sort: _s, ...query } = appliedListQuery(get(), 0, 1);
        try {
          const by = get().timelineBy;
          const timeline = await (by === null ? api.getTimeline(query as ListQuery) : api.getTimeline(query as ListQuery, by));
          if (seq === timelineSeq) set({ timeline, timelineError: null });
        } catch (error) {
          if (seq === timelineSeq) set({ timelineError: errorMessage(error, MESSAGES[get().language]) });
        }
      },
      setTimelineBy(by) {
        set({ timelineBy: by });
        void get().loadTimeline();
      },
      toggleTimelineTable: () => set({ timelineTable: !get().timelineTable }),
      filterToPeriods: (first, last) => rerun(withPeriods(get().query, first, last)),
      clearDateRange: () => rerun(withoutDates(get().query)),

      batchOpen: false,
      batchText: '',
      batchRows: [],
      batchStatus: 'idle',
      batchDone: 0,
      batchTotal: 0,
      batchError: null,
      openBatch: () => set({ batchOpen: true }),
      closeBatch() {
        batchSeq++;
        set({ batchOpen: false, batchStatus: get().batchStatus === 'running' ? 'cancelled' : get().batchStatus });
      },
      setBatchText: (batchText) => set({ batchText }),
      async runBatch() {
        const seq = ++batchSeq;
        const terms = termsFromText(get().batchText);
        set({ batchRows: [], batchStatus: 'running', batchDone: 0, batchTotal: terms.length, batchError: null });
        try {
          for (let i = 0; i < terms.length; i += BATCH_CHUNK) {
            const chunk = terms.slice(i, i + BATCH_CHUNK);
            const { terms: rows } = await api.batchSearch(chunk);
            const years = await Promise.all(rows.map((r) => (r.total > 0 ? api.getTimeline({ query: r.term }, 'year') : null)));
            if (seq !== batchSeq) return;
            const withYears = rows.map((r, j): BatchRow => ({
              ...r,
              years: Object.fromEntries((years[j]?.buckets ?? []).map((b) => [b.period, b.count])),
            }));
            set({ batchRows: [...get().batchRows, ...withYears], batchDone: i + chunk.length });
          }
          set({ batchStatus: 'done' });
        } catch (error) {
          if (seq === batchSeq) set({ batchStatus: 'error', batchError: errorMessage(error, MESSAGES[get().language]) });
        }
      },
      cancelBatch() {
        batchSeq++;
        if (get().batchStatus === 'running') set({ batchStatus: 'cancelled' });
      },
      searchTerm(term) {
        set({ batchOpen: false });
        rerun(term);
      },
      resetBatch() {
        batchSeq++;
        set({ batchRows: [], batchStatus: 'idle', batchDone: 0, batchTotal: 0, batchError: null });
      },
    };
  };
