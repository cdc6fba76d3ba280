/**
 * What the desktop protocols (electron/protocols.ts) and the browser-mode server (http-server.ts) both serve:
 * the built page with its Content-Security-Policy, and the archive's pictures and media. Written once here.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ArchiveError } from '../shared/archive-api';
import type { ArchiveService } from '../node/archive/archive-service';
import { contentTypeFor, isServableAsset } from './content-types';

/**
 * The page's policy: only its own scripts; images from itself and (when a reader allows it) the web. `imgSources`
 * adds the host's own scheme for archive images (the desktop app's `backfile-asset:`).
 */
export function pageCsp(imgSources: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    // Remote images are listed so an allowed article can show them; the desktop request filter cancels every
    // remote request the reader has not allowed, and the browser page sets a remote src only once allowed.
    ["img-src 'self'", ...imgSources, 'data: http: https:'].join(' '),
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** An archive picture opened on its own runs nothing (an SVG's scripts included). */
export const ASSET_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/** A URL path decoded, or INVALID_ARGUMENT when its percent-encoding is malformed (`/%ff`). */
export function decodeUrlPath(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new ArchiveError('INVALID_ARGUMENT', 'malformed percent-encoding in the path');
  }
}

export interface StaticFile {
  body: Buffer<ArrayBuffer>;
  contentType: string;
}

/**
 * A file of the built page for a URL path (`/` is index.html), or `null` when there is none. Never leaves `dir`:
 * `..`, encoded traversal, NUL bytes and backslashes find nothing.
 */
export async function readStaticFile(dir: string, urlPathname: string): Promise<StaticFile | null> {
  const rel = urlPathname === '/' || urlPathname === '' ? 'index.html' : decodeUrlPath(urlPathname).replace(/^\/+/, '');
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const root = path.resolve(dir);
  const file = path.resolve(root, rel);
  if (!file.startsWith(root + path.sep)) return null;
  try {
    return { body: await fs.readFile(file), contentType: contentTypeFor(file) };
  } catch {
    return null;
  }
}

/**
 * The file on disk of an archive picture or medium named by an (encoded) archive-relative path: images and
 * media only, resolved inside the open archive (no `..`, no links out, no absolute paths).
 */
export async function resolveArchiveAsset(service: ArchiveService, encodedRel: string): Promise<{ file: string; contentType: string }> {
  const rel = decodeUrlPath(encodedRel.replace(/^\/+/, ''));
  if (!isServableAsset(rel)) throw new ArchiveError('UNSAFE_PATH', 'only images and media of the archive are served');
  let file: string;
  try {
    file = await service.resolveInside(rel);
  } catch (error) {
    throw error instanceof ArchiveError ? error : new ArchiveError('NOT_FOUND', 'not found');
  }
  return { file, contentType: contentTypeFor(file) };
}
