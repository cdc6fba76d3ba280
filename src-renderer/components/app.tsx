import { useCallback, useRef, useState, type CSSProperties } from 'react';
import { useApp, useAppStore } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { ArticleView } from './article-view';
import { DropZone } from './drop-zone';
import { ExportDialog, ExportToast } from './export-dialog';
import { HelpPanel } from './help-panel';
import { ImportPanel } from './import-panel';
import { ListPane } from './list-pane';
import { NavPane } from './nav-pane';
import { PaneSplitter } from './pane-splitter';
import { ProblemsPanel } from './problems-panel';
import { StatusLine } from './status-line';
import { TeamDialog } from './team-dialog';
import { TeamReconnectBar } from './team-reconnect-bar';
import { Toolbar } from './toolbar';
import { useDocumentSettings } from './use-document-settings';
import { useGlobalKeys } from './use-global-keys';
import { useLayoutKeys } from './use-layout-keys';
import { useWorkspaceKeys } from './use-workspace-keys';
import { Welcome } from './welcome';

export interface AppProps {
  /** Electron only: the path of a dropped file, for drag-and-drop import. */
  getPathForFile?: (file: File) => string;
}

/**
 * Toolbar; three resizable panes (navigation, article list, article); status line. The navigation pane folds
 * away; reading mode gives the article the whole width (the other panes stay mounted, hidden).
 */
export function App({ getPathForFile }: AppProps) {
  const { t } = useI18n();
  const store = useAppStore();
  const info = useApp((s) => s.info);
  const archiveError = useApp((s) => s.archiveError);
  const dismissArchiveError = useApp((s) => s.dismissArchiveError);
  const navWidth = useApp((s) => s.navWidth);
  const listWidth = useApp((s) => s.listWidth);
  const navCollapsed = useApp((s) => s.navCollapsed);
  const readingMode = useApp((s) => s.readingMode);
  const [helpOpen, setHelpOpen] = useState(false);
  const openHelp = useCallback(() => setHelpOpen(true), []);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  useDocumentSettings();
  useGlobalKeys(store, searchRef);
  useLayoutKeys(store, openHelp);
  useWorkspaceKeys(store);

  const onSearchDown = (): void => {
    const state = store.getState();
    if (state.results.length === 0) return;
    if (state.selectedIndex < 0) state.selectIndex(0);
    listRef.current?.focus();
  };

  const columns = { '--nav-width': `${navWidth}px`, '--list-width': `${listWidth}px` } as CSSProperties;

  return (
    <div className="app">
      <Toolbar onHelp={openHelp} />
      {info && <TeamReconnectBar />}
      {info && archiveError && (
        <div className="app-alert" role="alert">
          <span>{t.archiveFailed(archiveError)}</span>
          <button type="button" className="button button-small" onClick={dismissArchiveError}>
            {t.dismiss}
          </button>
        </div>
      )}
      {info ? (
        <main className="panes" style={columns} data-nav={navCollapsed ? 'collapsed' : 'shown'} data-reading={readingMode || undefined}>
          <NavPane />
          <PaneSplitter pane="nav" label={t.resizeNav} />
          <ListPane searchRef={searchRef} listRef={listRef} onSearchDown={onSearchDown} />
          <PaneSplitter pane="list" label={t.resizeList} />
          <ArticleView />
        </main>
      ) : (
        <Welcome />
      )}
      <StatusLine />
      <ImportPanel />
      <ProblemsPanel />
      <HelpPanel open={helpOpen} onClose={() => setHelpOpen(false)} />
      <ExportDialog />
      <TeamDialog />
      <ExportToast />
      <DropZone getPathForFile={getPathForFile} />
    </div>
  );
}
