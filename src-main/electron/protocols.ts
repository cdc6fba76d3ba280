import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { HTTP_STATUS, toApiError } from '../shared/archive-api';
import type { ArchiveService } from '../node/archive/archive-service';
import { ASSET_CSP, pageCsp, readStaticFile, resolveArchiveAsset } from '../server/static-files';

/** The app's own page is served from `app://backfile/`, so its Content-Security-Policy is a response header. */
export const APP_ORIGIN = 'app://backfile';

/** Browser mode's page policy, plus the scheme the desktop app serves archive images on. */
export const DESKTOP_CSP = pageCsp(['backfile-asset:']);

/** Must run before the app is ready. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: 'backfile-asset', privileges: { standard: true, secure: true } },
  ]);
}

const refusal = (error: unknown) => {
  const { code, message } = toApiError(error);
  return new Response(code === 'INTERNAL' ? 'internal error' : message, { status: HTTP_STATUS[code] });
};

export function handleProtocols(rendererDir: string, service: ArchiveService): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'backfile') return new Response('not found', { status: 404 });
    try {
      const file = await readStaticFile(rendererDir, url.pathname);
      if (!file) return new Response('not found', { status: 404 });
      return new Response(file.body, {
        headers: { 'Content-Type': file.contentType, 'Content-Security-Policy': DESKTOP_CSP, 'X-Content-Type-Options': 'nosniff' },
      });
    } catch (error) {
      return refusal(error);
    }
  });

  // Local images of a post: resolved inside the open archive only (no `..`, no links out, no absolute paths).
  protocol.handle('backfile-asset', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'archive') return new Response('refused', { status: 403 });
    try {
      const { file, contentType } = await resolveArchiveAsset(service, url.pathname);
      const response = await net.fetch(pathToFileURL(file).toString());
      return new Response(response.body, {
        headers: { 'Content-Type': contentType, 'Content-Security-Policy': ASSET_CSP, 'X-Content-Type-Options': 'nosniff' },
      });
    } catch (error) {
      return refusal(error);
    }
  });
}
