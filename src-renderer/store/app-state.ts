/**
 * The shape of the one renderer store: the intersection of its slices. Each slice file declares its part and
 * a creator typed as `SliceCreator`, so every slice can read the whole state and call other slices' actions.
 */
import type { StateCreator } from 'zustand';
import type { ArchiveSlice } from './archive-slice';
import type { NavigationSlice } from './navigation-slice';
import type { ArticlesSlice } from './articles-slice';
import type { ArticleSlice } from './article-slice';
import type { ImportSlice } from './import-slice';
import type { SettingsSlice } from './settings-slice';
import type { SelectionSlice } from './selection-slice';
import type { ExportSlice } from './export-slice';
import type { WorkspaceSlice } from './workspace-slice';
import type { CoverageSlice } from './coverage-slice';
import type { VersionsSlice } from './versions-slice';
import type { TeamSlice } from './team-slice';

export type AppState = ArchiveSlice & NavigationSlice & ArticlesSlice & ArticleSlice & ImportSlice & SettingsSlice & SelectionSlice & ExportSlice & WorkspaceSlice & CoverageSlice & VersionsSlice & TeamSlice;

/** The root store carries the persist middleware (settings only); slices see it in their `set`/`get` types. */
export type AppMutators = [['zustand/persist', unknown]];

export type SliceCreator<T> = StateCreator<AppState, AppMutators, [], T>;

/** Where a request stands. `idle`: nothing asked yet. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface StoreOptions {
  /** Delay between the last keystroke and the search it starts. */
  debounceMs?: number;
  /** Articles per `listArticles` request. */
  pageSize?: number;
  /** Where settings are kept; `localStorage` in the app. */
  storage?: Storage;
  /** The browser's language, for the default UI language. */
  navigatorLanguage?: string;
}
