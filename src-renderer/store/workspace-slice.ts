/**
 * The reader's research workspace in the window (issue 13): the open article's marks (star, labels, note,
 * highlights), the labels with their counts, the marked posts (for the Starred / Notes counts and the list's stars)
 * and the saved searches with their "N new". Every change goes to the host first; the store shows what it answered.
 */
import type { ArchiveApi } from '../../src-main/shared/archive-api';
import type { HighlightInput, Label, MarkedPost, PostMarks, SavedSearch, WorkspaceImportReport } from '../../src-main/shared/workspace-api';
import { downloadText } from '../lib/download-text';
import { errorMessage } from '../lib/error-message';
import { MESSAGES } from '../i18n';
import type { SliceCreator } from './app-state';
import { appliedListQuery, buildListQuery } from './list-query';

/** Quotes a label for the query language when it needs it: `label:"two words"`. */
export function labelQuery(name: string): string {
  return /^[^\s"()]+$/.test(name) ? `label:${name}` : `label:"${name.replace(/"/g, '')}"`;
}

export interface WorkspaceCounts {
  starred: number;
  notes: number;
  labels: Record<string, number>;
}

export interface WorkspaceSlice {
  /** The open article's marks (null until loaded, or with no article). */
  marks: PostMarks | null;
  labels: Label[];
  /** Every marked post, present and missing. */
  markedPosts: MarkedPost[];
  /** Paths of present starred posts, for the list's stars. */
  starredPaths: Record<string, true>;
  savedSearches: SavedSearch[];
  /**
   * What the current result holds of each (like the trees' counts: issue 11 item 9), or null while the list is the
   * whole archive.
   */
  workspaceCounts: WorkspaceCounts | null;
  /** Why the last workspace action failed. */
  workspaceError: string | null;
  /** Labels, marked posts and saved searches, again (after opening an archive, after it changed). */
  loadWorkspace(): Promise<void>;
  loadMarks(path: string): Promise<void>;
  /** Counts Starred, Notes and each label within the current result (one `countMarks` call for all). */
  loadWorkspaceCounts(): Promise<void>;
  /** Stars or unstars a post (the open article when no path is given). */
  toggleStar(path?: string): Promise<void>;
  addArticleLabel(name: string, color?: string): Promise<void>;
  removeArticleLabel(name: string): Promise<void>;
  /** Saves a note; false when the host refused it (workspaceError says why), so the editor can keep it pending. */
  saveNote(path: string, note: string): Promise<boolean>;
  addArticleHighlight(input: HighlightInput): Promise<void>;
  removeArticleHighlight(id: string): Promise<void>;
  setLabelColor(name: string, color: string): Promise<void>;
  renameLabel(from: string, to: string): Promise<void>;
  mergeLabels(from: string, into: string): Promise<void>;
  deleteLabel(name: string): Promise<void>;
  /** Team workspace: shares one's own label with the team, or takes it back. */
  setLabelShared(name: string, shared: boolean): Promise<void>;
  /** Saves the current query and filters under a name. */
  saveSearch(name: string): Promise<void>;
  /** Shows a saved search's query and filters, and marks it opened (its posts stop being new). */
  openSavedSearch(name: string): Promise<void>;
  removeSavedSearch(name: string): Promise<void>;
  /** Lists a workspace word (`is:starred`, `label:x`, `has:note`) as the query, the other filters cleared. */
  showWorkspaceQuery(query: string): void;
  dismissWorkspaceError(): void;
  /** Drops the marks of the missing post last seen at `path` (forgetMarks), then loads the section again. */
  forgetMissing(path: string): Promise<void>;
  /** Saves the workspace as a JSON file (a download: the browser's, or the desktop's save dialog). */
  exportWorkspaceFile(): Promise<void>;
  /** Imports an export's JSON text; the report is kept in `workspaceImport` to show. */
  importWorkspaceText(text: string): Promise<void>;
  /** What the last import merged and where it conflicted, until dismissed. */
  workspaceImport: WorkspaceImportReport | null;
  /** What the last workspace export or import ended with, for a toast (null: nothing to say). */
  workspaceNotice: string | null;
  dismissWorkspaceImport(): void;
  /** Forgets the workspace of the archive that was open (another archive opened): its labels, marks and counts. */
  resetWorkspace(): void;
}

export const createWorkspaceSlice =
  (api: ArchiveApi): SliceCreator<WorkspaceSlice> =>
  (set, get) => {
    let loadSeq = 0;
    let countsSeq = 0;
    const fail = (error: unknown): void => {
      set({ workspaceError: errorMessage(error, MESSAGES[get().language]) });
    };

    /** Takes the host's answer for a post: the open article's marks, and the counts, which it changes. */
    function took(marks: PostMarks): void {
      if (get().articlePath === marks.path) set({ marks });
      const starredPaths = { ...get().starredPaths };
      if (marks.starred) starredPaths[marks.path] = true;
      else delete starredPaths[marks.path];
      set({ starredPaths, workspaceError: null });
      void get().loadWorkspace();
    }

    /** Runs a change of a post's marks; false when it failed (reported in workspaceError). */
    async function change(run: () => Promise<PostMarks>): Promise<boolean> {
      try {
        took(await run());
        return true;
      } catch (error) {
        fail(error);
        return false;
      }
    }

    async function changeLabels(run: () => Promise<Label[]>): Promise<void> {
      try {
        set({ labels: await run(), workspaceError: null });
        const path = get().articlePath;
        await get().loadWorkspace();
        if (path) await get().loadMarks(path);
        // The list may be showing `label:…`: it changes with the labels.
        void get().runSearch({ keepSelection: true });
      } catch (error) {
        fail(error);
      }
    }

    return {
      marks: null,
      labels: [],
      markedPosts: [],
      starredPaths: {},
      savedSearches: [],
      workspaceCounts: null,
      workspaceError: null,
      workspaceImport: null,
      workspaceNotice: null,

      async loadWorkspaceCounts() {
        const seq = ++countsSeq;
        const base = appliedListQuery(get(), 0, 1);
        const narrowed = Boolean(base.query) || base.category !== undefined || base.year !== undefined || base.tag !== undefined || (base.tags?.length ?? 0) > 0;
        if (!narrowed) {
          set({ workspaceCounts: null });
          return;
        }
        delete base.sort;
        delete base.offset;
        delete base.limit;
        try {
          // One host call counts them all (one read of the result), not one list per mark word and label.
          const counts = await api.countMarks(base);
          if (seq !== countsSeq) return;
          set({ workspaceCounts: counts });
        } catch {
          // The section keeps the archive's counts; the list reports errors itself.
          if (seq === countsSeq) set({ workspaceCounts: null });
        }
      },

      async loadWorkspace() {
        const seq = ++loadSeq;
        try {
          const [labels, markedPosts, savedSearches] = await Promise.all([api.listLabels(), api.listMarks(), api.listSavedSearches()]);
          if (seq !== loadSeq) return;
          const starredPaths: Record<string, true> = {};
          for (const post of markedPosts) if (post.starred && !post.missing) starredPaths[post.path] = true;
          set({ labels, markedPosts, savedSearches, starredPaths });
        } catch {
          // No archive open, or the workspace is refused: the section stays as it was; actions report errors.
        }
      },

      async loadMarks(path) {
        try {
          const marks = await api.getMarks(path);
          if (get().articlePath === path) set({ marks });
        } catch {
          if (get().articlePath === path) set({ marks: null });
        }
      },

      async toggleStar(path) {
        const target = path ?? get().articlePath;
        if (!target) return;
        const starred = target === get().marks?.path ? get().marks!.starred : get().starredPaths[target] === true;
        await change(() => api.setStar(target, !starred));
      },

      async addArticleLabel(name, color) {
        const path = get().articlePath;
        const trimmed = name.trim();
        if (!path || !trimmed) return;
        await change(() => (color ? api.addLabel(path, trimmed, color) : api.addLabel(path, trimmed)));
      },

      async removeArticleLabel(name) {
        const path = get().articlePath;
        if (path) await change(() => api.removeLabel(path, name));
      },

      saveNote: (path, note) => change(() => api.setNote(path, note)),

      async addArticleHighlight(input) {
        const path = get().articlePath;
        if (path) await change(() => api.addHighlight(path, input));
      },

      async removeArticleHighlight(id) {
        const path = get().articlePath;
        if (path) await change(() => api.removeHighlight(path, id));
      },

      setLabelColor: (name, color) => changeLabels(() => api.setLabelColor(name, color)),
      renameLabel: (from, to) => changeLabels(() => api.renameLabel(from, to.trim())),
      mergeLabels: (from, into) => changeLabels(() => api.mergeLabels(from, into)),
      deleteLabel: (name) => changeLabels(() => api.deleteLabel(name)),
      setLabelShared: (name, shared) => changeLabels(() => api.setLabelShared(name, shared)),

      async saveSearch(name) {
        const trimmed = name.trim();
        if (!trimmed) return;
        const query = buildListQuery(get(), 0, 0);
        delete query.offset;
        delete query.limit;
        try {
          await api.addSavedSearch(trimmed, query);
          // Saving is looking at it: what it finds now is not new.
          await api.markSavedSearchOpened(trimmed);
          set({ workspaceError: null });
          await get().loadWorkspace();
        } catch (error) {
          fail(error);
        }
      },

      async openSavedSearch(name) {
        const saved = get().savedSearches.find((s) => s.name === name);
        if (!saved) return;
        const q = saved.query;
        const tags = q.tags ?? (q.tag !== undefined ? [q.tag ?? ''] : []);
        set({
          query: q.query ?? '',
          category: q.category === undefined ? null : q.category === null ? [] : [...q.category],
          date: q.year === undefined ? null : { year: q.year, ...(q.month !== undefined ? { month: q.month } : {}) },
          tag: tags[0] ?? null,
          moreTags: tags.slice(1),
          tagMode: q.tagMode ?? 'all',
          includeHidden: q.includeHidden ?? false,
          ...(q.sort ? { sort: q.sort } : {}),
        });
        void get().runSearch();
        try {
          await api.markSavedSearchOpened(name);
          await get().loadWorkspace();
        } catch (error) {
          fail(error);
        }
      },

      async removeSavedSearch(name) {
        try {
          await api.removeSavedSearch(name);
          await get().loadWorkspace();
        } catch (error) {
          fail(error);
        }
      },

      showWorkspaceQuery(query) {
        set({ category: null, date: null, tag: null, moreTags: [], query });
        void get().runSearch();
      },

      dismissWorkspaceError: () => set({ workspaceError: null }),

      async forgetMissing(path) {
        try {
          await api.forgetMarks(path);
          set({ workspaceError: null });
          await get().loadWorkspace();
        } catch (error) {
          fail(error);
        }
      },

      async exportWorkspaceFile() {
        try {
          const data = await api.exportWorkspace();
          const day = new Date().toISOString().slice(0, 10);
          downloadText(`${JSON.stringify(data, null, 2)}\n`, `backfile-workspace-${day}.json`, 'application/json;charset=utf-8');
          set({ workspaceError: null, workspaceNotice: MESSAGES[get().language].workspaceExported(data.marks.length) });
        } catch (error) {
          fail(error);
        }
      },

      async importWorkspaceText(text) {
        let data: unknown;
        try {
          data = JSON.parse(text.replace(/^\uFEFF/, ''));
        } catch {
          set({ workspaceError: MESSAGES[get().language].workspaceNotJson });
          return;
        }
        try {
          // The host checks the export field by field (exchange.ts checkExport).
          const report = await api.importWorkspace(data as Parameters<ArchiveApi['importWorkspace']>[0]);
          set({ workspaceImport: report, workspaceError: null });
          await get().loadWorkspace();
          const path = get().articlePath;
          if (path) await get().loadMarks(path);
          void get().runSearch({ keepSelection: true });
        } catch (error) {
          fail(error);
        }
      },

      dismissWorkspaceImport: () => set({ workspaceImport: null, workspaceNotice: null }),

      resetWorkspace() {
        // Answers still on their way are the old archive's.
        loadSeq++;
        countsSeq++;
        set({ marks: null, labels: [], markedPosts: [], starredPaths: {}, savedSearches: [], workspaceCounts: null, workspaceError: null, workspaceImport: null, workspaceNotice: null });
      },
    };
  };
