/**
 * The sandboxed preload: one object on `window.backfile`, one function per contract method, one `subscribe`
 * for events. It never hands `ipcRenderer` itself to the page. Bundled as CommonJS (sandboxed preloads cannot
 * be ES modules).
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  ARCHIVE_EVENTS,
  ARCHIVE_METHODS,
  bridgeErrorMessage,
  channelFor,
  MENU_CHANNEL,
  MENU_COMMANDS,
  type ApiReply,
  type ArchiveApi,
  type BackfileBridge,
  type MenuCommand,
} from '../shared/archive-api';

/** Main answers an ApiReply; the page gets the result, or an Error carrying the code (also in its message). */
export async function unwrapReply(reply: Promise<ApiReply>): Promise<unknown> {
  const answer = await reply;
  if (answer.ok) return answer.result;
  throw Object.assign(new Error(bridgeErrorMessage(answer.error)), { code: answer.error.code });
}

const methods = Object.fromEntries(
  ARCHIVE_METHODS.map((method) => [method, (...args: unknown[]) => unwrapReply(ipcRenderer.invoke(channelFor(method), ...args) as Promise<ApiReply>)]),
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
  onMenuCommand(listener: (command: MenuCommand) => void) {
    const handler = (_event: IpcRendererEvent, command: unknown) => {
      if ((MENU_COMMANDS as readonly unknown[]).includes(command)) listener(command as MenuCommand);
    };
    ipcRenderer.on(MENU_CHANNEL, handler);
    return () => void ipcRenderer.removeListener(MENU_CHANNEL, handler);
  },
} satisfies BackfileBridge;

contextBridge.exposeInMainWorld('backfile', bridge);
