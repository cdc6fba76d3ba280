import type { ArchiveApi, Article, LinkTarget } from '../../src-main/shared/archive-api';
import { errorMessage } from '../lib/error-message';
import { MESSAGES } from '../i18n';
import { isHttpUrl } from '../lib/external-link';
import type { LoadStatus, SliceCreator } from './app-state';

export interface ArticleSlice {
  /** The article on screen; while the next one loads, the previous one stays to avoid a blank flash. */
  article: Article | null;
  /** The article asked for last (may still be loading). */
  articlePath: string | null;
  articleStatus: LoadStatus;
  articleError: string | null;
  /** The reader allowed remote images for this article (never carried over to the next one). */
  remoteAllowed: boolean;
  /** Why the last action on the article (open link, show in folder, allow remote) failed. */
  actionError: string | null;
  openArticle(path: string): Promise<void>;
  /** Fetches the open article again after the archive changed; quiet unless it is gone. */
  reloadArticle(): Promise<void>;
  /** Asks the host to let this article's remote URLs through, then shows them. */
  allowRemoteContent(): Promise<void>;
  closeArticle(): void;
  /** Opens a web link in the system browser; anything but http(s) is ignored. */
  openExternal(url: string): Promise<void>;
  /**
   * A link clicked in the article (`href` as written): a post of the archive opens here, a category page selects
   * the category, a web link goes to `openWeb` (the system browser); anything else does nothing.
   */
  followLink(href: string, openWeb: (url: string) => void): Promise<void>;
  /** Reveals the open article's file (desktop only). */
  showInFolder(): Promise<void>;
}

export const createArticleSlice =
  (api: ArchiveApi): SliceCreator<ArticleSlice> =>
  (set, get) => {
    let articleSeq = 0;

    async function load(path: string, quiet: boolean): Promise<void> {
      const seq = ++articleSeq;
      if (!quiet) set({ articlePath: path, articleStatus: 'loading', articleError: null });
      try {
        // The body comes back with the current search's matches marked by the core (same matching as the snippets).
        const query = get().appliedQuery.trim();
        const article = await (query ? api.getArticle(path, query) : api.getArticle(path));
        if (seq !== articleSeq) return;
        set({ article, articlePath: path, articleStatus: 'ready', articleError: null });
      } catch (error) {
        if (seq === articleSeq) set({ article: null, articleStatus: 'error', articleError: errorMessage(error, MESSAGES[get().language]) });
      }
    }

    return {
      article: null,
      articlePath: null,
      articleStatus: 'idle',
      articleError: null,
      remoteAllowed: false,
      actionError: null,

      async followLink(href, openWeb) {
        const from = get().articlePath;
        let target: LinkTarget | null = null;
        try {
          target = from ? await api.resolveLink(from, href) : null;
        } catch {
          // The archive cannot say (closed, being rebuilt): a web link still opens in the browser, as before.
          if (isHttpUrl(href)) openWeb(href);
          return;
        }
        if (!target) return;
        if (target.kind === 'post') await get().openArticle(target.path);
        else if (target.kind === 'category') get().selectCategory(target.path);
        else openWeb(target.url);
      },

      async openArticle(path) {
        const { articlePath, remoteAllowed } = get();
        set({ actionError: null });
        if (path !== articlePath) {
          // Permission was for that article only: withdraw it as the reader leaves.
          if (remoteAllowed && articlePath) void api.setRemoteContentAllowed(articlePath, false).catch(() => undefined);
          set({ remoteAllowed: false });
        }
        // One current article: the list's selection follows it wherever it was opened from.
        const { results, selectedIndex } = get();
        if (results[selectedIndex]?.path !== path) set({ selectedIndex: results.findIndex((hit) => hit?.path === path) });
        await load(path, false);
      },

      async reloadArticle() {
        const path = get().articlePath;
        if (path) await load(path, true);
      },

      async allowRemoteContent() {
        const path = get().articlePath;
        if (!path) return;
        try {
          const allowed = await api.setRemoteContentAllowed(path, true);
          // The reader may have moved on while the host answered.
          if (allowed && get().articlePath === path) set({ remoteAllowed: true });
        } catch (error) {
          if (get().articlePath === path) set({ actionError: errorMessage(error, MESSAGES[get().language]) });
        }
      },

      async openExternal(url) {
        if (!isHttpUrl(url)) return;
        try {
          await api.openExternal(url);
        } catch (error) {
          set({ actionError: errorMessage(error, MESSAGES[get().language]) });
        }
      },

      async showInFolder() {
        // The archive-relative path: the host resolves it inside the open archive, never a path we made up.
        const path = get().article?.path;
        if (!path) return;
        try {
          await api.showInFolder(path);
        } catch (error) {
          set({ actionError: errorMessage(error, MESSAGES[get().language]) });
        }
      },

      closeArticle() {
        const { articlePath, remoteAllowed } = get();
        if (remoteAllowed && articlePath) void api.setRemoteContentAllowed(articlePath, false).catch(() => undefined);
        articleSeq += 1;
        set({ article: null, articlePath: null, articleStatus: 'idle', articleError: null, remoteAllowed: false, selectedIndex: -1 });
      },
    };
  };
