import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ARCHIVE_EVENTS, type ArchiveApi } from '../shared/archive-api';
import type { ArchiveService } from '../node/archive/archive-service';
import { isArchiveMethod, validateArgs } from '../node/validate-args';
import { contentTypeFor, isServableAsset } from './content-types';

export interface BrowserServerOptions {
  api: ArchiveApi;
  service: ArchiveService;
  /** The built renderer (index.html and its assets). */
  staticDir: string;
  token: string;
  port?: number;
}

export interface BrowserServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TOKEN_COOKIE = 'backfile_token';
const MAX_BODY = 1024 * 1024;
/** Dropped files travel base64-encoded in one call (64 MiB of files at most, checked again by validateArgs). */
const MAX_UPLOAD_BODY = 96 * 1024 * 1024;

/** The page's policy: only its own scripts; images from itself and (when a reader allows it) the web. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: http: https:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ASSET_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

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
  const sendJson = (res: http.ServerResponse, status: number, value: unknown) => send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');

  const cookieToken = (req: http.IncomingMessage): string | undefined => {
    const header = req.headers.cookie ?? '';
    for (const part of header.split(';')) {
      const [name, ...rest] = part.trim().split('=');
      if (name === TOKEN_COOKIE) return rest.join('=');
    }
    return undefined;
  };

  const serveStatic = async (res: http.ServerResponse, pathname: string, setCookie: boolean) => {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = path.resolve(staticDir, rel);
    if (!file.startsWith(path.resolve(staticDir) + path.sep)) return send(res, 404, 'not found');
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch {
      return send(res, 404, 'not found');
    }
    const headers: Record<string, string> = { 'Content-Security-Policy': PAGE_CSP, 'X-Frame-Options': 'DENY' };
    if (setCookie) headers['Set-Cookie'] = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    send(res, 200, body, contentTypeFor(file), headers);
  };

  const serveAsset = async (res: http.ServerResponse, pathname: string) => {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname.slice('/asset/'.length));
    } catch {
      return send(res, 400, 'bad path');
    }
    if (!isServableAsset(rel)) return send(res, 403, 'only images and media of the archive are served');
    try {
      const file = await service.resolveInside(rel);
      const body = await fs.readFile(file);
      send(res, 200, body, contentTypeFor(file), { 'Content-Security-Policy': ASSET_CSP });
    } catch (error) {
      send(res, 404, error instanceof Error ? error.message : 'not found');
    }
  };

  const callApi = async (req: http.IncomingMessage, res: http.ServerResponse, method: string) => {
    if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: 'use POST' });
    if (!sameToken(req.headers['x-backfile-token'] as string | undefined)) return sendJson(res, 403, { ok: false, error: 'missing or wrong token' });
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return sendJson(res, 415, { ok: false, error: 'JSON only' });
    if (!isArchiveMethod(method)) return sendJson(res, 404, { ok: false, error: `unknown method ${method}` });
    let raw = '';
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > (method === 'importFiles' ? MAX_UPLOAD_BODY : MAX_BODY)) return sendJson(res, 413, { ok: false, error: 'request too large' });
      raw += chunk;
    }
    let args: unknown[];
    try {
      const parsed = JSON.parse(raw || '{}') as { args?: unknown };
      args = validateArgs(method, parsed.args ?? []);
    } catch (error) {
      return sendJson(res, 400, { ok: false, error: error instanceof Error ? error.message : 'bad request' });
    }
    try {
      const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
      const result = await fn(...args);
      sendJson(res, 200, { ok: true, result: result ?? null });
    } catch (error) {
      sendJson(res, 500, { ok: false, error: error instanceof Error ? error.message : String(error) });
    }
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
    const handle = async () => {
      if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 421, 'wrong host');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedOrigins().has(origin)) return send(res, 403, 'foreign origin refused');
      const site = req.headers['sec-fetch-site'];
      if (site === 'cross-site') return send(res, 403, 'cross-site request refused');
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      const queryToken = url.searchParams.get('token');
      const authorised = sameToken(queryToken) || sameToken(cookieToken(req)) || sameToken(req.headers['x-backfile-token'] as string | undefined);
      if (url.pathname.startsWith('/api/call/')) return callApi(req, res, url.pathname.slice('/api/call/'.length));
      if (!authorised) return send(res, 403, 'Backfile: open the address printed by `npm run serve`, with its token.');
      if (url.pathname === '/api/events') return openEvents(req, res);
      if (url.pathname.startsWith('/asset/')) return serveAsset(res, url.pathname);
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
      return serveStatic(res, url.pathname, sameToken(queryToken));
    };
    handle().catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, error instanceof Error ? error.message : 'internal error');
      else res.end();
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
