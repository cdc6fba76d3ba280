import { net, protocol } from 'electron';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArchiveService } from '../node/archive/archive-service';
import { contentTypeFor, isServableAsset } from '../server/content-types';

/** The app's own page is served from `app://backfile/`, so its Content-Security-Policy is a response header. */
export const APP_ORIGIN = 'app://backfile';

export const DESKTOP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // Remote images are listed so an allowed article can show them; the request filter in main cancels every
  // remote request that the reader has not allowed for the article on screen.
  "img-src 'self' backfile-asset: data: http: https:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Must run before the app is ready. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: 'backfile-asset', privileges: { standard: true, secure: true } },
  ]);
}

export function handleProtocols(rendererDir: string, service: ArchiveService): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'backfile') return new Response('not found', { status: 404 });
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(rendererDir, `.${rel}`);
    if (!file.startsWith(path.resolve(rendererDir) + path.sep)) return new Response('not found', { status: 404 });
    try {
      const body = await fs.readFile(file);
      return new Response(body, {
        headers: { 'Content-Type': contentTypeFor(file), 'Content-Security-Policy': DESKTOP_CSP, 'X-Content-Type-Options': 'nosniff' },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });

  // Local images of a post: resolved inside the open archive only (no `..`, no links out, no absolute paths).
  protocol.handle('backfile-asset', async (request) => {
    const url = new URL(request.url);
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
    } catch {
      return new Response('bad path', { status: 400 });
    }
    if (url.host !== 'archive' || !isServableAsset(rel)) return new Response('refused', { status: 403 });
    try {
      const file = await service.resolveInside(rel);
      const response = await net.fetch(pathToFileURL(file).toString());
      return new Response(response.body, {
        headers: { 'Content-Type': contentTypeFor(file), 'Content-Security-Policy': "default-src 'none'; sandbox", 'X-Content-Type-Options': 'nosniff' },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
