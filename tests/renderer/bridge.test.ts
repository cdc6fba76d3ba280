// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import { ARCHIVE_METHODS, type BackfileBridge } from '../../src-main/shared/archive-api';
import { createBridge, createHttpBridge, takeToken, TOKEN_KEY, wrapPreload } from '../../src-renderer/api/bridge';
import { memoryStorage } from './test-utils';

function tokenHost(search: string, stored?: string) {
  const sessionStorage = memoryStorage();
  if (stored) sessionStorage.setItem(TOKEN_KEY, stored);
  const replaceState = vi.fn();
  return {
    host: { location: { search, pathname: '/', hash: '#top' }, history: { state: null, replaceState }, sessionStorage },
    replaceState,
    sessionStorage,
  };
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

class FakeEventSource {
  static last: FakeEventSource | null = null;
  handlers = new Map<string, (event: MessageEvent<string>) => void>();
  closed = false;
  constructor(public url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.handlers.set(type, listener);
  }
  close(): void {
    this.closed = true;
  }
  fire(type: string, data: string): void {
    this.handlers.get(type)?.({ data } as MessageEvent<string>);
  }
}

describe('token', () => {
  test('moves from the address bar to sessionStorage, keeping other parameters', () => {
    const { host, replaceState, sessionStorage } = tokenHost('?token=s3cr%2Bet&view=list');
    expect(takeToken(host)).toBe('s3cr+et');
    expect(sessionStorage.getItem(TOKEN_KEY)).toBe('s3cr+et');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/?view=list#top');
  });

  test('after a reload the stored token is used and the address is left alone', () => {
    const { host, replaceState } = tokenHost('', 'kept');
    expect(takeToken(host)).toBe('kept');
    expect(replaceState).not.toHaveBeenCalled();
  });
});

describe('HTTP bridge', () => {
  test('each method is a POST with the token header and {"args": [...]}', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, { ok: true, result: { total: 0, items: [] } }));
    const bridge = createHttpBridge({ token: 'tok', fetch: fetch as unknown as typeof globalThis.fetch });
    const result = await bridge.listArticles({ query: '经济', limit: 100 });
    expect(result).toEqual({ total: 0, items: [] });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/call/listArticles');
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ 'Content-Type': 'application/json', 'X-Backfile-Token': 'tok' });
    expect(JSON.parse(String(init.body))).toEqual({ args: [{ query: '经济', limit: 100 }] });
  });

  test('every contract method is there', () => {
    const bridge = createHttpBridge({ token: 't', fetch: vi.fn() as unknown as typeof fetch });
    for (const method of ARCHIVE_METHODS) expect(typeof bridge[method]).toBe('function');
  });

  test('an error answer becomes an Error carrying the code and the server message', async () => {
    const fetch = vi.fn(async () => jsonResponse(409, { ok: false, error: { code: 'BUSY', message: 'an import is already running' } }));
    const bridge = createHttpBridge({ token: 'x', fetch: fetch as unknown as typeof globalThis.fetch });
    const error = await bridge.importFiles([{ path: 'a.md', data: '' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'BUSY', message: 'an import is already running' });
    const broken = createHttpBridge({ token: 'x', fetch: (async () => new Response('oops', { status: 502 })) as typeof globalThis.fetch });
    await expect(broken.getTags()).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/502/) });
    const unknownCode = createHttpBridge({ token: 'x', fetch: (async () => jsonResponse(418, { ok: false, error: { code: 'TEAPOT', message: 'hm' } })) as typeof globalThis.fetch });
    await expect(unknownCode.getTags()).rejects.toMatchObject({ code: 'INTERNAL' });
    const gone = createHttpBridge({ token: 'x', fetch: (async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof globalThis.fetch });
    await expect(gone.getTags()).rejects.toMatchObject({ code: 'INTERNAL', message: 'Failed to fetch' });
  });

  test('events come from one EventSource carrying the token, parsed, until the last listener leaves', () => {
    const bridge = createHttpBridge({ token: 'a b', fetch: vi.fn() as unknown as typeof fetch, createEventSource: (url) => new FakeEventSource(url) });
    const progress = vi.fn();
    const changed = vi.fn();
    const off1 = bridge.subscribe('indexProgress', progress);
    const off2 = bridge.subscribe('archiveChanged', changed);
    const source = FakeEventSource.last;
    expect(source?.url).toBe('/api/events?token=a%20b');
    source?.fire('indexProgress', JSON.stringify({ phase: 'ready', scanned: 1, toIndex: 0, indexed: 0 }));
    source?.fire('indexProgress', '{not json');
    expect(progress).toHaveBeenCalledTimes(1);
    expect(progress).toHaveBeenCalledWith({ phase: 'ready', scanned: 1, toIndex: 0, indexed: 0 });
    expect(changed).not.toHaveBeenCalled();
    off1();
    expect(source?.closed).toBe(false);
    off2();
    expect(source?.closed).toBe(true);
  });

  test('exportToFile asks the server, then downloads what it wrote; a cancelled export downloads nothing', async () => {
    const written = { path: 'posts-export.csv', count: 3, bytes: 120, cancelled: false, download: '/api/export/abc' };
    const fetch = vi.fn(async () => jsonResponse(200, { ok: true, result: written }));
    const startDownload = vi.fn();
    const bridge = createHttpBridge({ token: 'tok', fetch: fetch as unknown as typeof globalThis.fetch, startDownload });
    const request = { format: 'csv' as const, query: { query: '经济' } };
    expect(await bridge.exportToFile(request)).toEqual(written);
    expect(fetch).toHaveBeenCalledWith('/api/call/exportToFile', expect.objectContaining({ body: JSON.stringify({ args: [request] }) }));
    expect(startDownload).toHaveBeenCalledWith('/api/export/abc', 'posts-export.csv');
    fetch.mockImplementationOnce(async () => jsonResponse(200, { ok: true, result: { path: 'posts-export.csv', count: 0, bytes: 0, cancelled: true } }));
    await bridge.exportToFile(request);
    expect(startDownload).toHaveBeenCalledTimes(1);
  });

  test('exportProgress events arrive', () => {
    const bridge = createHttpBridge({ token: 't', fetch: vi.fn() as unknown as typeof fetch, createEventSource: (url) => new FakeEventSource(url) });
    const progress = vi.fn();
    bridge.subscribe('exportProgress', progress);
    FakeEventSource.last?.fire('exportProgress', JSON.stringify({ phase: 'writing', written: 200, total: 450 }));
    expect(progress).toHaveBeenCalledWith({ phase: 'writing', written: 200, total: 450 });
  });
});

describe('createBridge', () => {
  test('uses the preload bridge when Electron put one on window', async () => {
    const subscribe = () => () => undefined;
    const preload = { subscribe, getTags: async () => [{ name: 'x', count: 1 }] } as unknown as BackfileBridge;
    const win = window as Window & { backfile?: BackfileBridge };
    win.backfile = preload;
    try {
      const bridge = createBridge(window);
      expect(bridge.subscribe).toBe(subscribe);
      expect(await bridge.getTags()).toEqual([{ name: 'x', count: 1 }]);
      for (const method of ARCHIVE_METHODS) expect(typeof bridge[method]).toBe('function');
    } finally {
      delete win.backfile;
    }
  });

  test('Electron: the code survives the preload, whether the Error keeps its fields or only its message', async () => {
    // The preload throws an Error carrying `code` whose message also starts with `[CODE] ` (contextBridge copies
    // only the message of an Error thrown in the isolated world).
    const keptFields = Object.assign(new Error('[NOT_FOUND] no such post: a.md'), { code: 'NOT_FOUND' });
    const messageOnly = new Error('[UNSAFE_PATH] path outside the archive refused: ../x.md');
    const plain = new Error('Error invoking remote method: something broke');
    const preload = {
      subscribe: () => () => undefined,
      getArticle: async () => Promise.reject(keptFields),
      showInFolder: async () => Promise.reject(messageOnly),
      getTags: async () => Promise.reject(plain),
    } as unknown as BackfileBridge;
    const bridge = wrapPreload(preload);
    await expect(bridge.getArticle('a.md')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no such post: a.md' });
    await expect(bridge.showInFolder('../x.md')).rejects.toMatchObject({ code: 'UNSAFE_PATH', message: 'path outside the archive refused: ../x.md' });
    await expect(bridge.getTags()).rejects.toMatchObject({ code: 'INTERNAL', message: 'Error invoking remote method: something broke' });
  });

  test('otherwise builds the HTTP client and takes the token from the page address', () => {
    window.history.replaceState(null, '', '/?token=from-url');
    createBridge(window);
    expect(window.sessionStorage.getItem(TOKEN_KEY)).toBe('from-url');
    expect(window.location.search).toBe('');
  });
  test('browser mode opens web links itself, in a new tab, and nothing else', async () => {
    const fetch = vi.fn();
    const openWindow = vi.fn();
    const bridge = createHttpBridge({ token: 't', fetch: fetch as unknown as typeof globalThis.fetch, openWindow });
    expect(await bridge.openExternal('https://example.com/news/1')).toBe(true);
    expect(await bridge.openExternal('javascript:alert(1)')).toBe(false);
    expect(await bridge.openExternal('file:///etc/passwd')).toBe(false);
    expect(openWindow.mock.calls).toEqual([['https://example.com/news/1']]);
    expect(fetch).not.toHaveBeenCalled();
  });
});
