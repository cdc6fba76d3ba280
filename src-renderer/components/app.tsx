import { useRef, type CSSProperties } from 'react';
import { useApp, useAppStore } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { ArticleView } from './article-view';
import { DropZone } from './drop-zone';
import { ImportPanel } from './import-panel';
import { ListPane } from './list-pane';
import { NavPane } from './nav-pane';
import { PaneSplitter } from './pane-splitter';
import { ProblemsPanel } from './problems-panel';
import { StatusLine } from './status-line';
import { Toolbar } from './toolbar';
import { useDocumentSettings } from './use-document-settings';
import { useGlobalKeys } from './use-global-keys';
import { Welcome } from './welcome';

export interface AppProps {
  /** Electron only: the path of a dropped file, for drag-and-drop import. */
  getPathForFile?: (file: File) => string;
}

/** Toolbar; three resizable panes (navigation, article list, article); status line. */
export function App({ getPathForFile }: AppProps) {
  const { t } = useI18n();
  const store = useAppStore();
  const info = useApp((s) => s.info);
  const archiveError = useApp((s) => s.archiveError);
  const dismissArchiveError = useApp((s) => s.dismissArchiveError);
  const navWidth = useApp((s) => s.navWidth);
  const listWidth = useApp((s) => s.listWidth);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  useDocumentSettings();
  useGlobalKeys(store, searchRef);

  const onSearchDown = (): void => {
    const state = store.getState();
    if (state.results.length === 0) return;
    if (state.selectedIndex < 0) state.selectIndex(0);
    listRef.current?.focus();
  };

  const columns = { '--nav-width': `${navWidth}px`, '--list-width': `${listWidth}px` } as CSSProperties;

  return (
    <div className="app">
      <Toolbar />
      {info && archiveError && (
        <div className="app-alert" role="alert">
          <span>{t.archiveFailed(archiveError)}</span>
          <button type="button" className="button button-small" onClick={dismissArchiveError}>
            {t.dismiss}
          </button>
        </div>
      )}
      {info ? (
        <main className="panes" style={columns}>
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
      <DropZone getPathForFile={getPathForFile} />
    </div>
  );
}
