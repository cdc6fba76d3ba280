import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ARCHIVE_EVENTS, HTTP_STATUS, toApiError, type ApiError, type ArchiveApi } from '../shared/archive-api';
import type { ArchiveService } from '../node/archive/archive-service';
import type { ExportDownloads } from '../node/export/export-downloads';
import { createApiRoute, sendApiError } from './api-route';
import { ASSET_CSP, decodeUrlPath, pageCsp, readStaticFile, resolveArchiveAsset } from './static-files';

export interface BrowserServerOptions {
  api: ArchiveApi;
  service: ArchiveService;
  /** The built renderer (index.html and its assets). */
  staticDir: string;
  token: string;
  port?: number;
  /** Where `exportToFile` left files for the page to download (`GET /api/export/<id>`). */
  downloads?: ExportDownloads;
}

export interface BrowserServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TOKEN_COOKIE = 'backfile_token';

/** The page's policy (shared with the desktop app, which adds its own image scheme). */
export const PAGE_CSP = pageCsp();

/**
 * Browser mode: the renderer and the contract over HTTP, for this machine only. It listens on 127.0.0.1,
 * answers only requests that carry the per-run token (query on first load, then an HttpOnly cookie for page
 * assets and a header for API calls), refuses foreign Host headers (DNS rebinding) and foreign Origins.
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const { api, service, staticDir, token } = options;
  const tokenBuffer = Buffer.from(token);
  const sseClients = new Set<http.ServerResponse>();
  let port = 0;

  const sameToken = (candidate: string | undefined | null): boolean => {
    if (!candidate) return false;
    const buffer = Buffer.from(candidate);
    return buffer.length === tokenBuffer.length && timingSafeEqual(buffer, tokenBuffer);
  };
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const send = (res: http.ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}) => {
    res.writeHead(status, {
      'Content-Type': type,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
      ...extra,
    });
    res.end(body);
  };

  const cookieToken = (req: http.IncomingMessage): string | undefined => {
    const header = req.headers.cookie ?? '';
    for (const part of header.split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name === TOKEN_COOKIE) return rest.join('=');
    }
    return undefined;
  };

  const sendError = (res: http.ServerResponse, error: ApiError) => sendApiError(send, res, error);

  const serveStatic = async (res: http.ServerResponse, pathname: string, setCookie: boolean) => {
    const file = await readStaticFile(staticDir, pathname);
    if (!file) return send(res, 404, 'not found');
    const headers: Record<string, string> = { 'Content-Security-Policy': PAGE_CSP, 'X-Frame-Options': 'DENY' };
    if (setCookie) headers['Set-Cookie'] = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    send(res, 200, file.body, file.contentType, headers);
  };

  const serveAsset = async (res: http.ServerResponse, pathname: string) => {
    const { file, contentType } = await resolveArchiveAsset(service, pathname.slice('/asset/'.length));
    const body = await fs.promises.readFile(file);
    send(res, 200, body, contentType, { 'Content-Security-Policy': ASSET_CSP });
  };

  const apiRoute = createApiRoute(api, service, send);
  const callApi = async (req: http.IncomingMessage, res: http.ServerResponse, method: string) => {
    const refuse = (code: ApiError['code'], message: string) => sendApiError(send, res, { code, message }, { Connection: 'close' });
    if (req.method !== 'POST') return refuse('INVALID_ARGUMENT', 'use POST');
    if (!sameToken(req.headers['x-backfile-token'] as string | undefined)) return refuse('FORBIDDEN', 'missing or wrong token');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse('INVALID_ARGUMENT', 'JSON only');
    return apiRoute(req, res, method);
  };

  /** An export, sent once as an attachment (the name in UTF-8 for the browser, ASCII for the rest), then removed. */
  const serveDownload = (res: http.ServerResponse, id: string) => {
    const download = options.downloads?.take(id);
    if (!download) return sendError(res, { code: 'NOT_FOUND', message: 'no such export (each is downloaded once)' });
    const ascii = download.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
    res.writeHead(200, {
      'Content-Type': download.mediaType,
      'Content-Length': String(fs.statSync(download.file).size),
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(download.name)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    const stream = fs.createReadStream(download.file);
    stream.pipe(res);
    res.on('close', () => {
      stream.destroy();
      void options.downloads?.remove(id);
    });
  };

  const openEvents = (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    sseClients.add(res);
    req.on('close', () => sseClients.delete(res));
  };

  const server = http.createServer((req, res) => {
    const isApi = (req.url ?? '').startsWith('/api/');
    const refuse = (status: number, code: ApiError['code'], message: string) =>
      isApi ? sendApiError(send, res, { code, message }) : send(res, status, message);
    const handle = async () => {
      if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 421, 'wrong host');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedOrigins().has(origin)) return refuse(403, 'FORBIDDEN', 'foreign origin refused');
      const site = req.headers['sec-fetch-site'];
      if (site === 'cross-site') return refuse(403, 'FORBIDDEN', 'cross-site request refused');
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      decodeUrlPath(url.pathname); // malformed percent-encoding anywhere in the path is a 400, not a 500
      const queryToken = url.searchParams.get('token');
      const authorised = sameToken(queryToken) || sameToken(cookieToken(req)) || sameToken(req.headers['x-backfile-token'] as string | undefined);
      if (url.pathname.startsWith('/api/call/')) return callApi(req, res, url.pathname.slice('/api/call/'.length));
      if (!authorised) return refuse(403, 'FORBIDDEN', 'Backfile: open the address printed by `npm run serve`, with its token.');
      if (url.pathname === '/api/events') return openEvents(req, res);
      if (url.pathname.startsWith('/api/export/') && req.method === 'GET') return serveDownload(res, url.pathname.slice('/api/export/'.length));
      if (url.pathname.startsWith('/asset/')) return serveAsset(res, url.pathname);
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
      return serveStatic(res, url.pathname, sameToken(queryToken));
    };
    handle().catch((error: unknown) => {
      const apiError = toApiError(error);
      if (res.headersSent) res.end();
      else if (isApi) sendError(res, apiError);
      else send(res, HTTP_STATUS[apiError.code], apiError.code === 'INTERNAL' ? 'internal error' : apiError.message);
    });
  });

  const unsubscribe = ARCHIVE_EVENTS.map((event) =>
    service.on(event, (payload) => {
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const client of sseClients) client.write(frame);
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      unsubscribe.forEach((off) => off());
      for (const client of sseClients) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
