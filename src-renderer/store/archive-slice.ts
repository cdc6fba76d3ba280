import type { ArchiveApi, ArchiveInfo, IndexProgress, Problem, RecentArchive } from '../../src-main/shared/archive-api';
import { errorMessage } from '../lib/error-message';
import { MESSAGES } from '../i18n';
import type { LoadStatus, SliceCreator } from './app-state';

export interface ArchiveSlice {
  info: ArchiveInfo | null;
  /** `idle`: no archive open yet (desktop first run). */
  archiveStatus: LoadStatus;
  archiveError: string | null;
  indexProgress: IndexProgress | null;
  problems: Problem[];
  recent: RecentArchive[];
  problemsOpen: boolean;
  /** Asks the host what is open and loads everything the three panes need. */
  init(): Promise<void>;
  openArchive(root: string): Promise<void>;
  /** Desktop folder picker; does nothing when the reader cancels it. */
  chooseArchive(): Promise<void>;
  /** Trees, problems and the list again, keeping the reader's query, filters and open article. */
  reloadArchive(): Promise<void>;
  loadProblems(): Promise<void>;
  setProblemsOpen(open: boolean): void;
  dismissArchiveError(): void;
  onIndexProgress(progress: IndexProgress): void;
  onArchiveChanged(info: ArchiveInfo): void;
}

/**
 * While a long indexing run goes on (a first index of a big archive), the list and trees are shown again as posts
 * land, so the archive never looks empty: at its first written batch, then every tenth of the run (at least
 * REFRESH_EVERY posts apart), one refresh at a time. Counted in posts, not time. Shorter runs (the watcher's
 * updates) just end with archiveChanged.
 */
export const REFRESH_EVERY = 500;

export const createArchiveSlice =
  (api: ArchiveApi): SliceCreator<ArchiveSlice> =>
  (set, get) => {
    let problemsSeq = 0;
    /** `indexed` at the last refresh during this run (-1: none yet), and whether one is under way. */
    let refreshedAt = -1;
    let refreshing = false;

    function refreshWhileIndexing(progress: IndexProgress): void {
      if (progress.phase !== 'indexing') {
        refreshedAt = -1;
        return;
      }
      if (progress.toIndex < REFRESH_EVERY || progress.indexed <= 0 || refreshing || !get().info) return;
      if (progress.indexed < refreshedAt) refreshedAt = -1; // a new run
      const step = Math.max(REFRESH_EVERY, Math.ceil(progress.toIndex / 10));
      if (refreshedAt >= 0 && progress.indexed - refreshedAt < step) return;
      refreshedAt = progress.indexed;
      refreshing = true;
      const root = get().info?.root;
      const info = api.getArchiveInfo().then(
        (now) => {
          // The status line's post count follows too.
          if (now && now.root === root && get().info?.root === root) set({ info: now });
        },
        () => undefined,
      );
      void Promise.all([get().reloadArchive(), info]).finally(() => {
        refreshing = false;
      });
    }

    /** A different archive: nothing the reader selected in the old one applies. */
    async function showArchive(info: ArchiveInfo | null): Promise<void> {
      const sameRoot = get().info?.root === info?.root;
      set({ info, archiveStatus: info ? 'ready' : 'idle', archiveError: null });
      // Opened mid-indexing: say so before the next progress event, so an unfilled index never looks empty.
      if (info?.indexProgress && info.indexProgress.phase !== 'ready') set({ indexProgress: info.indexProgress });
      if (!sameRoot) {
        get().resetNavigation();
        get().resetArticles();
        get().closeArticle();
        // The reader's workspace and batch table belong to the old archive too.
        get().resetWorkspace();
        get().resetBatch();
      }
      if (info) await get().reloadArchive();
      void api.getRecentArchives().then((recent) => set({ recent }), () => undefined);
    }

    async function open(load: () => Promise<ArchiveInfo | null>, keepOnCancel: boolean): Promise<void> {
      const previous = get().archiveStatus;
      set({ archiveStatus: 'loading', archiveError: null });
      try {
        const info = await load();
        if (!info && keepOnCancel) {
          set({ archiveStatus: previous });
          return;
        }
        await showArchive(info);
      } catch (error) {
        set({ archiveStatus: 'error', archiveError: errorMessage(error, MESSAGES[get().language]) });
      }
    }

    return {
      info: null,
      archiveStatus: 'idle',
      archiveError: null,
      indexProgress: null,
      problems: [],
      recent: [],
      problemsOpen: false,

      init: () => open(() => api.getArchiveInfo(), false),
      openArchive: (root) => open(() => api.openArchive(root), false),
      chooseArchive: () => open(() => api.chooseAndOpenArchive(), true),

      async reloadArchive() {
        await Promise.all([get().loadTrees(), get().loadProblems(), get().runSearch({ keepSelection: true })]);
      },

      async loadProblems() {
        const seq = ++problemsSeq;
        try {
          const problems = await api.getProblems();
          if (seq === problemsSeq) set({ problems });
        } catch {
          // The count in ArchiveInfo still tells the reader there are problems; the panel shows what it has.
        }
      },

      setProblemsOpen: (problemsOpen) => set({ problemsOpen }),

      dismissArchiveError: () => set({ archiveError: null, archiveStatus: get().info ? 'ready' : 'idle' }),

      onIndexProgress(indexProgress) {
        set({ indexProgress });
        refreshWhileIndexing(indexProgress);
      },

      onArchiveChanged(info) {
        if (get().info?.root !== info.root) {
          void showArchive(info);
          return;
        }
        set({ info, archiveStatus: 'ready', archiveError: null });
        void get().reloadArchive();
        void get().reloadArticle();
      },
    };
  };
