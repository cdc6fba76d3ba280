/**
 * The renderer's one store. `createAppStore(api)` builds it from the slices around any `ArchiveApi`: the app hands
 * it the bridge, tests hand it a fake. Only the settings are persisted (localStorage, key `backfile-settings`).
 */
import { createStore } from 'zustand/vanilla';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { ArchiveApi } from '../../src-main/shared/archive-api';
import type { AppState, StoreOptions } from './app-state';
import { createArchiveSlice } from './archive-slice';
import { createNavigationSlice } from './navigation-slice';
import { createArticlesSlice } from './articles-slice';
import { createArticleSlice } from './article-slice';
import { createImportSlice } from './import-slice';
import { createSelectionSlice } from './selection-slice';
import { createExportSlice } from './export-slice';
import { createWorkspaceSlice } from './workspace-slice';
import { createCoverageSlice } from './coverage-slice';
import { createVersionsSlice } from './versions-slice';
import { createTeamSlice } from './team-slice';
import { memoryStorage } from '../lib/memory-storage';
import { createSettingsSlice, mergeSettings, partializeSettings, type PersistedSettings } from './settings-slice';

export const SETTINGS_KEY = 'backfile-settings';

function defaultStorage(): Storage {
  try {
    if (typeof localStorage !== 'undefined') return localStorage;
  } catch {
    // Storage disabled: settings last for this session only.
  }
  return memoryStorage();
}

export function createAppStore(api: ArchiveApi, options: StoreOptions = {}) {
  const storage = options.storage ?? defaultStorage();
  return createStore<AppState>()(
    persist<AppState, [], [], PersistedSettings>(
      (...a) => ({
        ...createArchiveSlice(api)(...a),
        ...createNavigationSlice(api)(...a),
        ...createArticlesSlice(api, options)(...a),
        ...createArticleSlice(api)(...a),
        ...createImportSlice(api)(...a),
        ...createSettingsSlice(options, api)(...a),
        ...createSelectionSlice(api)(...a),
        ...createExportSlice(api)(...a),
        ...createWorkspaceSlice(api)(...a),
        ...createCoverageSlice(api)(...a),
        ...createVersionsSlice(api)(...a),
        ...createTeamSlice(api)(...a),
      }),
      {
        name: SETTINGS_KEY,
        version: 1,
        storage: createJSONStorage(() => storage),
        partialize: partializeSettings,
        merge: mergeSettings,
      },
    ),
  );
}

export type AppStore = ReturnType<typeof createAppStore>;
