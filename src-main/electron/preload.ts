/**
 * The sandboxed preload: one object on `window.backfile`, one function per contract method, one `subscribe`
 * for events. It never hands `ipcRenderer` itself to the page. Bundled as CommonJS (sandboxed preloads cannot
 * be ES modules).
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { ARCHIVE_EVENTS, ARCHIVE_METHODS, channelFor, type ArchiveApi, type BackfileBridge } from '../shared/archive-api';

const methods = Object.fromEntries(
  ARCHIVE_METHODS.map((method) => [method, (...args: unknown[]) => ipcRenderer.invoke(channelFor(method), ...args)]),
) as unknown as ArchiveApi;

const bridge = {
  ...methods,
  subscribe(event, listener) {
    if (!(ARCHIVE_EVENTS as readonly string[]).includes(event)) throw new Error(`unknown event ${String(event)}`);
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(channelFor(event), handler);
    return () => void ipcRenderer.removeListener(channelFor(event), handler);
  },
  getPathForFile: (file: File) => webUtils.getPathForFile(file),
} satisfies BackfileBridge;

contextBridge.exposeInMainWorld('backfile', bridge);
