/**
 * The Electron adapters without Electron (its binary cannot run here): `electron` is replaced by a stand-in that
 * records handlers, so main's answers and the preload's unwrapping meet as they would over IPC.
 */
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { ArchiveError, channelFor, type ApiReply, type ArchiveApi } from '../../src-main/shared/archive-api';

const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
const exposed: Record<string, unknown> = {};

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
  // ipcRenderer.invoke structured-clones what main returned: an ApiReply is plain data and survives whole.
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => structuredClone(await handlers.get(channel)!(trustedEvent, ...args)),
    on: () => undefined,
    removeListener: () => undefined,
  },
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  webUtils: { getPathForFile: () => '' },
}));

const webContents = { mainFrame: { url: 'app://backfile/index.html' } };
const trustedEvent = { sender: webContents, senderFrame: webContents.mainFrame };
const window = { webContents, isDestroyed: () => false };
const service = { on: () => () => undefined };

const api = {
  getArchiveInfo: async () => null,
  getArticle: async (p: string) => {
    throw new ArchiveError('NOT_FOUND', `no such post: ${p}`);
  },
  getTags: async () => {
    throw new Error('disk on fire\n    at secret (/home/someone/src.ts:1:1)');
  },
} as unknown as ArchiveApi;

beforeEach(async () => {
  handlers.clear();
  const { registerIpc } = await import('../../src-main/electron/ipc');
  registerIpc(api, service as never, window as never, (url) => url.startsWith('app://backfile/'));
});

describe('IPC handlers', () => {
  test('answer {ok, result} or {ok:false, error:{code, message}} instead of throwing (invoke would drop the code)', async () => {
    const call = (method: string, ...args: unknown[]) => handlers.get(channelFor(method as never))!(trustedEvent, ...args) as Promise<ApiReply>;
    expect(await call('getArchiveInfo')).toEqual({ ok: true, result: null });
    expect(await call('getArticle', 'a.md')).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no such post: a.md' } });
    expect(await call('getTags')).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'disk on fire' } });
    expect(await call('listArticles', { constructor: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const stranger = { sender: {}, senderFrame: { url: 'https://evil.example/' } };
    expect(await handlers.get(channelFor('getArchiveInfo'))!(stranger)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('preload', () => {
  test('unwraps the answer: the result, or an Error carrying the code (and the code in its message)', async () => {
    await import('../../src-main/electron/preload');
    const bridge = exposed.backfile as ArchiveApi;
    expect(await bridge.getArchiveInfo()).toBeNull();
    const error = await bridge.getArticle('a.md').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: '[NOT_FOUND] no such post: a.md' });
  });
});
