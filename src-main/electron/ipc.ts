import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { ARCHIVE_EVENTS, ARCHIVE_METHODS, ArchiveError, channelFor, toApiError, type ApiReply, type ArchiveApi } from '../shared/archive-api';
import type { ArchiveService } from '../node/archive/archive-service';
import { validateArgs } from '../node/validate-args';

/**
 * Registers one handler per contract method. Every call is checked: it must come from the main frame of
 * our window showing our own page, and its arguments must have the contract's shape. Handlers answer an
 * ApiReply rather than throw: `ipcRenderer.invoke` would keep only the message of a thrown error, not its code.
 */
export function registerIpc(api: ArchiveApi, service: ArchiveService, window: BrowserWindow, isTrustedUrl: (url: string) => boolean): () => void {
  const checkSender = (event: IpcMainInvokeEvent) => {
    const frame = event.senderFrame;
    if (event.sender !== window.webContents || !frame || frame !== window.webContents.mainFrame || !isTrustedUrl(frame.url)) {
      throw new ArchiveError('FORBIDDEN', 'IPC refused: unexpected sender');
    }
  };
  for (const method of ARCHIVE_METHODS) {
    ipcMain.handle(channelFor(method), async (event, ...args: unknown[]): Promise<ApiReply> => {
      try {
        checkSender(event);
        const valid = validateArgs(method, args);
        const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
        return { ok: true, result: await fn(...valid) };
      } catch (error) {
        return { ok: false, error: toApiError(error) };
      }
    });
  }
  const unsubscribe = ARCHIVE_EVENTS.map((name) =>
    service.on(name, (payload) => {
      if (!window.isDestroyed()) window.webContents.send(channelFor(name), payload);
    }),
  );
  return () => {
    for (const method of ARCHIVE_METHODS) ipcMain.removeHandler(channelFor(method));
    unsubscribe.forEach((off) => off());
  };
}
