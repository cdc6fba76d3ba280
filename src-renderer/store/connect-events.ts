import type { BackfileBridge } from '../../src-main/shared/archive-api';
import type { AppStore } from './app-store';

/** Feeds the host's pushed events (and the desktop menu's commands) into the store. Returns the unsubscribe for all of them. */
export function connectEvents(store: AppStore, bridge: Pick<BackfileBridge, 'subscribe' | 'onMenuCommand'>): () => void {
  const offs = [
    bridge.subscribe('indexProgress', (p) => store.getState().onIndexProgress(p)),
    bridge.subscribe('importProgress', (p) => store.getState().onImportProgress(p)),
    bridge.subscribe('exportProgress', (p) => store.getState().onExportProgress(p)),
    bridge.subscribe('archiveChanged', (info) => store.getState().onArchiveChanged(info)),
    bridge.onMenuCommand?.((command) => {
      if (command === 'export' && store.getState().info) store.getState().openExport();
      // With no archive open the dialog still opens, to say "open an archive first" (not nothing at all).
      if (command === 'connectTeamIndex') store.getState().openTeamDialog();
    }) ?? (() => undefined),
  ];
  return () => offs.forEach((off) => off());
}
