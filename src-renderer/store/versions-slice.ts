import type { ArchiveApi, Article, SimilarPost } from '../../src-main/shared/archive-api';
import { errorMessage } from '../lib/error-message';
import { MESSAGES } from '../i18n';
import type { LoadStatus, SliceCreator } from './app-state';

/** "Other versions of this story" (issue 14 part 3): the open post's near-duplicates and the diff against one. */
export interface VersionsSlice {
  /** The post whose versions `versions` are (a late answer for another post is dropped). */
  versionsPath: string | null;
  versions: SimilarPost[];
  versionsStatus: LoadStatus;
  versionsError: string | null;
  /** Asks the index for the post's other versions (again for the same post: the shown ones stay until the answer). */
  loadVersions(path: string): Promise<void>;
  /** The version shown beside the open post in the diff dialog, `null` when it is closed. */
  diffVersion: SimilarPost | null;
  /** The other version's article (its sanitised html is read as text for the diff). */
  diffArticle: Article | null;
  diffStatus: LoadStatus;
  diffError: string | null;
  openVersionDiff(version: SimilarPost): Promise<void>;
  closeVersionDiff(): void;
  /** A collapsed list's "+N versions" was clicked for this post: its "Other versions" section is brought into view once shown. */
  revealVersionsOf: string | null;
  revealVersions(path: string | null): void;
}

export const createVersionsSlice =
  (api: ArchiveApi): SliceCreator<VersionsSlice> =>
  (set, get) => {
    let versionsSeq = 0;
    let diffSeq = 0;
    const message = (error: unknown): string => errorMessage(error, MESSAGES[get().language]);

    return {
      versionsPath: null,
      versions: [],
      versionsStatus: 'idle',
      versionsError: null,
      async loadVersions(path) {
        const seq = ++versionsSeq;
        // Asked again for the same post (the article was reloaded: the index may know more now): the list stays until the answer.
        const again = get().versionsPath === path && get().versionsStatus === 'ready';
        if (!again) set({ versionsPath: path, versions: [], versionsStatus: 'loading', versionsError: null });
        try {
          const result = await api.getSimilar(path, get().includeHidden);
          if (seq !== versionsSeq) return;
          set({ versions: result.similar, versionsStatus: 'ready' });
        } catch (error) {
          if (seq === versionsSeq) set({ versions: [], versionsStatus: 'error', versionsError: message(error) });
        }
      },
      diffVersion: null,
      diffArticle: null,
      diffStatus: 'idle',
      diffError: null,
      async openVersionDiff(version) {
        const seq = ++diffSeq;
        set({ diffVersion: version, diffArticle: null, diffStatus: 'loading', diffError: null });
        try {
          const article = await api.getArticle(version.path);
          if (seq !== diffSeq) return;
          set({ diffArticle: article, diffStatus: 'ready' });
        } catch (error) {
          if (seq === diffSeq) set({ diffStatus: 'error', diffError: message(error) });
        }
      },
      revealVersionsOf: null,
      revealVersions(path) {
        set({ revealVersionsOf: path });
      },
      closeVersionDiff() {
        diffSeq++;
        set({ diffVersion: null, diffArticle: null, diffStatus: 'idle', diffError: null });
      },
    };
  };
