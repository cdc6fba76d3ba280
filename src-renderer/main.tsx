/**
 * Entry point: one bridge (Electron preload or the browser-mode HTTP client), one store around it, events wired,
 * then the app. Everything below this file reaches the host only through the store's `ArchiveApi`.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBridge } from './api/bridge';
import { App } from './components/app';
import { createAppStore } from './store/app-store';
import { connectEvents } from './store/connect-events';
import { StoreProvider } from './store/store-context';
import './styles.css';

const bridge = createBridge();
const store = createAppStore(bridge);
connectEvents(store, bridge);
const getPathForFile = bridge.getPathForFile ? (file: File): string => bridge.getPathForFile?.(file) ?? '' : undefined;

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App getPathForFile={getPathForFile} />
    </StoreProvider>
  </StrictMode>,
);
void store.getState().init();
