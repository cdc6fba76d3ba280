/**
 * The only module that touches `window.backfile` or HTTP. Everything else gets a `BackfileBridge`.
 *
 * Electron: the preload has put the bridge on `window.backfile`; use it as is.
 * Browser mode: the page was opened as `/?token=…` from a server on 127.0.0.1. The token moves to
 * sessionStorage and out of the address bar (so it is not bookmarked or shared), then goes with every call:
 *   POST /api/call/<method>  {"args": [...]}  → {"ok": true, "result": …} | non-2xx {"ok": false, "error": {"code", "message"}}
 *   GET  /api/events?token=…  (Server-Sent Events named indexProgress | importProgress | exportProgress | archiveChanged)
 *   GET  /api/export/<id>     (an export the server wrote: exportToFile answers its `download` path and the bridge
 *                              downloads it once, with the token cookie the page got on first load)
 */
import { isHttpUrl } from '../lib/external-link';
import { ApiCallError, isErrorCode, toApiCallError } from './api-error';
import type {
  ArchiveApi,
  ArchiveEvent,
  ArchiveEvents,
  ArchiveMethod,
  BackfileBridge,
} from '../../src-main/shared/archive-api';

export const TOKEN_KEY = 'backfile-token';

interface TokenHost {
  location: Pick<Location, 'search' | 'pathname' | 'hash'>;
  history: Pick<History, 'replaceState' | 'state'>;
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
}

/** Reads `?token=` on first load, keeps it for reloads, and removes it from the address bar. */
export function takeToken(host: TokenHost): string | null {
  const params = new URLSearchParams(host.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    host.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    host.history.replaceState(host.history.state, '', `${host.location.pathname}${rest ? `?${rest}` : ''}${host.location.hash}`);
    return fromUrl;
  }
  return host.sessionStorage.getItem(TOKEN_KEY);
}

interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export interface HttpBridgeOptions {
  /** Opens a web link in a new tab (tests replace it). */
  openWindow?: (url: string) => unknown;
  token: string | null;
  fetch?: typeof fetch;
  createEventSource?: (url: string) => EventSourceLike;
  /** Prefix for the server's routes; empty for the page's own origin. */
  baseUrl?: string;
  /** Saves a same-origin URL as a download (tests replace it). */
  startDownload?: (url: string, name: string) => void;
}

/** A download from the page's own server: an `<a download>` clicked, so the browser saves it rather than shows it. */
function downloadInPage(url: string, name: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
}

/** The error of a refused call: the envelope's code and message, or INTERNAL with the status line. */
async function readError(response: Response): Promise<ApiCallError> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    const error = body.error;
    if (error && isErrorCode(error.code) && typeof error.message === 'string') return new ApiCallError(error.code, error.message);
  } catch {
    // Not JSON: fall through to the status line.
  }
  return new ApiCallError('INTERNAL', `HTTP ${response.status} ${response.statusText}`.trim());
}

type Call = (method: ArchiveMethod, args: unknown[]) => Promise<unknown>;

/** One typed function per method over `call`: a method missing here does not compile. */
function apiOver(call: Call): ArchiveApi {
  const method =
    <M extends ArchiveMethod>(name: M) =>
    (...args: Parameters<ArchiveApi[M]>): ReturnType<ArchiveApi[M]> =>
      call(name, args) as ReturnType<ArchiveApi[M]>;
  return {
    openArchive: method('openArchive'),
    getArchiveInfo: method('getArchiveInfo'),
    getRecentArchives: method('getRecentArchives'),
    getCategories: method('getCategories'),
    getDates: method('getDates'),
    getTags: method('getTags'),
    getFacets: method('getFacets'),
    getTimeline: method('getTimeline'),
    batchSearch: method('batchSearch'),
    getProblems: method('getProblems'),
    listArticles: method('listArticles'),
    getArticle: method('getArticle'),
    getSimilar: method('getSimilar'),
    getVersionText: method('getVersionText'),
    chooseAndOpenArchive: method('chooseAndOpenArchive'),
    showInFolder: method('showInFolder'),
    resolveLink: method('resolveLink'),
    citeArticle: method('citeArticle'),
    openExternal: method('openExternal'),
    setRemoteContentAllowed: method('setRemoteContentAllowed'),
    importPaths: method('importPaths'),
    importFiles: method('importFiles'),
    cancelImport: method('cancelImport'),
    exportToFile: method('exportToFile'),
    cancelExport: method('cancelExport'),
    getIndexInfo: method('getIndexInfo'),
    connectTeamIndex: method('connectTeamIndex'),
    disconnectTeamIndex: method('disconnectTeamIndex'),
    // The research workspace (workspace-api.ts).
    getMarks: method('getMarks'),
    setStar: method('setStar'),
    setLabels: method('setLabels'),
    addLabel: method('addLabel'),
    removeLabel: method('removeLabel'),
    setNote: method('setNote'),
    addHighlight: method('addHighlight'),
    removeHighlight: method('removeHighlight'),
    listMarks: method('listMarks'),
    countMarks: method('countMarks'),
    listLabels: method('listLabels'),
    setLabelColor: method('setLabelColor'),
    renameLabel: method('renameLabel'),
    mergeLabels: method('mergeLabels'),
    deleteLabel: method('deleteLabel'),
    setLabelShared: method('setLabelShared'),
    listSavedSearches: method('listSavedSearches'),
    addSavedSearch: method('addSavedSearch'),
    removeSavedSearch: method('removeSavedSearch'),
    markSavedSearchOpened: method('markSavedSearchOpened'),
    forgetMarks: method('forgetMarks'),
    exportWorkspace: method('exportWorkspace'),
    importWorkspace: method('importWorkspace'),
  };
}

/** Electron: the preload's methods, with every rejection turned into an ApiCallError (its code read back). */
export function wrapPreload(preload: BackfileBridge): BackfileBridge {
  const api = apiOver(async (method, args) => {
    try {
      return await (preload[method] as (...a: unknown[]) => Promise<unknown>)(...args);
    } catch (error) {
      throw toApiCallError(error);
    }
  });
  return { ...preload, ...api };
}

export function createHttpBridge(options: HttpBridgeOptions): BackfileBridge {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.baseUrl ?? '';
  const token = options.token ?? '';

  async function call(method: ArchiveMethod, args: unknown[]): Promise<unknown> {
    const response = await doFetch(`${base}/api/call/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Backfile-Token': token },
      body: JSON.stringify({ args }),
    }).catch((error: unknown) => {
      throw toApiCallError(error); // the server is gone, or the connection was cut
    });
    if (!response.ok) throw await readError(response);
    const body = (await response.json()) as { ok?: boolean; result?: unknown };
    if (body.ok !== true) throw new ApiCallError('INTERNAL', `${method} failed`);
    return body.result;
  }

  const api: ArchiveApi = {
    ...apiOver(call),
    // Browser mode: the server cannot reach the reader's browser, so the page opens web links itself, in a new
    // tab with no opener, and only http(s). This runs inside the reader's click, so no pop-up blocker intervenes.
    openExternal: async (url) => {
      if (!isHttpUrl(url)) return false;
      (options.openWindow ?? ((u: string) => window.open(u, '_blank', 'noopener,noreferrer')))(url);
      return true;
    },
    // Browser mode: the server wrote the export into its own folder; the page downloads it (no save dialog here).
    exportToFile: async (request) => {
      const result = (await call('exportToFile', [request])) as Awaited<ReturnType<ArchiveApi['exportToFile']>>;
      if (result?.download && !result.cancelled) (options.startDownload ?? downloadInPage)(`${base}${result.download}`, result.path);
      return result;
    },
  };

  // One EventSource for all listeners, opened on the first subscription and closed after the last.
  const listeners = new Map<ArchiveEvent, Set<(payload: never) => void>>();
  let source: EventSourceLike | null = null;
  const createSource = options.createEventSource ?? ((url: string) => new EventSource(url));

  function ensureSource(): void {
    if (source) return;
    const es = createSource(`${base}/api/events?token=${encodeURIComponent(token)}`);
    for (const name of ['indexProgress', 'importProgress', 'exportProgress', 'archiveChanged'] as const satisfies readonly ArchiveEvent[]) {
      es.addEventListener(name, (event) => {
        let payload: unknown;
        try {
          payload = JSON.parse(event.data);
        } catch {
          return; // A malformed message is dropped rather than breaking every listener.
        }
        for (const listener of listeners.get(name) ?? []) (listener as (p: unknown) => void)(payload);
      });
    }
    source = es;
  }

  return {
    ...api,
    subscribe<E extends ArchiveEvent>(event: E, listener: (payload: ArchiveEvents[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      ensureSource();
      return () => {
        set.delete(listener as (payload: never) => void);
        if ([...listeners.values()].every((s) => s.size === 0) && source) {
          source.close();
          source = null;
        }
      };
    },
  };
}

/** Electron's preload bridge when there is one; otherwise the HTTP client of browser mode. */
export function createBridge(win: Window = window): BackfileBridge {
  // Read without declaring a global: the preload's own typing of `window.backfile` stays the only one.
  const preload = (win as Window & { backfile?: BackfileBridge }).backfile;
  if (preload) return wrapPreload(preload);
  const token = takeToken({ location: win.location, history: win.history, sessionStorage: win.sessionStorage });
  return createHttpBridge({ token });
}
