/**
 * Makes post HTML safe to show inside the app: a strict allowlist for article content.
 * Posts come from imported folders and scraped sites, so every post is treated as hostile:
 * - no scripts, styles, frames, forms, embedded documents or SVG/MathML (dropped with their content);
 * - no style, class or id (they could restyle or spoof the app's own UI), no event handlers, no srcset/srcdoc;
 * - links keep http, https, mailto and relative hrefs only, and open with rel="noopener noreferrer";
 * - local images resolve inside the archive root and load through the asset URL; anything pointing outside is dropped;
 * - remote images are never fetched here: their URL moves to `data-remote-src` for the reader to allow.
 */
/* eslint-disable no-control-regex -- URLs and paths are checked for control characters on purpose. */
import sanitizeHtml from 'sanitize-html';
import { DROPPED_WITH_CONTENT, KEPT_TAGS } from './html-tags';
import type { RenderOptions } from './types';

export interface SanitizedHtml {
  html: string;
  /** At least one remote image was found (now in `data-remote-src`). */
  hasRemoteContent: boolean;
}

export const defaultAssetUrl = (archivePath: string): string =>
  // encodeURI keeps `?` and `#`, which would end the path: encode those too.
  `backfile-asset://archive/${encodeURI(archivePath).replace(/[?#]/g, (c) => encodeURIComponent(c))}`;

/** State of the current call; sanitize-html is synchronous, so module-level options can read it. */
interface CallState {
  postPath: string;
  assetUrl: (archivePath: string) => string;
  hasRemoteContent: boolean;
}
let call: CallState = { postPath: '', assetUrl: defaultAssetUrl, hasRemoteContent: false };

/** A scheme at the start of a URL (what a browser would read as one). */
const SCHEME = /^([a-z][a-z\d+.-]*):/i;
const LINK_SCHEMES = new Set(['http', 'https', 'mailto']);
/** Characters browsers drop from URLs, or that only serve to smuggle a scheme past a check. */
const INVISIBLE = /[\u0000-\u0020\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]/g;
const DIMENSION = /^\d{1,5}%?$/;

/** A URL attribute as a browser's URL parser reads it: outer controls and spaces trimmed, tabs and newlines gone. */
function asBrowserReadsIt(raw: string): string {
  return raw.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
}

/** A link's href as the browser would read it, or `null` when its scheme is not http, https or mailto. */
export function safeLinkHref(raw: string | undefined): string | null {
  if (!raw) return null;
  // Browsers strip leading/trailing controls and spaces and every tab or newline; judge the scheme on a
  // stricter reading still (every invisible character removed), so `java&#x09;script:` cannot slip through.
  const href = asBrowserReadsIt(raw);
  for (const reading of [href, href.replace(INVISIBLE, '')]) {
    const scheme = SCHEME.exec(reading)?.[1]?.toLowerCase();
    if (scheme !== undefined && !LINK_SCHEMES.has(scheme)) return null;
  }
  return href === '' ? null : href;
}

/**
 * The archive-relative path an image `src` points at, or `null` when it points outside the archive or is not a
 * plain local path. `/x` is relative to the archive root; anything else to the folder of `postPath`.
 */
export function resolveLocalPath(src: string, postPath: string): string | null {
  // Query and fragment are not part of a file name; cut them before decoding so `%3F` stays in the name.
  const withoutQuery = src.trim().replace(/[?#][^]*$/, '');
  if (withoutQuery === '' || SCHEME.test(withoutQuery)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(withoutQuery);
  } catch {
    return null;
  }
  // Backslashes and drive letters are Windows paths (`C:\`, `\\server\share`), `//` a host: never local files.
  if (/[\\\u0000-\u001f\u007f]/.test(decoded) || decoded.startsWith('//') || SCHEME.test(decoded)) return null;
  return joinInside(decoded.startsWith('/') ? [] : folderOf(postPath), decoded);
}

function folderOf(postPath: string): string[] {
  const folder = joinInside([], postPath.replace(/\\/g, '/'));
  return folder === null ? [] : folder.split('/').slice(0, -1);
}

/** Resolves `path` against `base` segment by segment; `null` when it climbs above the root or names nothing. */
function joinInside(base: string[], path: string): string | null {
  const segments = [...base];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return null;
      segments.pop();
      continue;
    }
    // `:` means a drive or a stream on Windows; names made of dots and spaces can collapse to `..` there.
    if (segment.includes(':') || /^[. ]+$/.test(segment)) return null;
    segments.push(segment);
  }
  return segments.length > 0 ? segments.join('/') : null;
}

/** The absolute http(s) URL of a remote image (`//host/x` read as https), or `null`. */
function remoteUrl(src: string): string | null {
  if (!/^(https?:)?\/\//i.test(src)) return null;
  try {
    const url = new URL(src.startsWith('//') ? `https:${src}` : src);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host ? url.href : null;
  } catch {
    return null;
  }
}

function transformImage(_tag: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  // Rebuilt from scratch: nothing the author wrote (a forged data-remote-src included) passes unchecked.
  const out: sanitizeHtml.Attributes = {};
  const src = asBrowserReadsIt(attribs.src ?? '');
  const remote = remoteUrl(src);
  if (remote) {
    out['data-remote-src'] = remote;
    call.hasRemoteContent = true;
  } else if (src) {
    const local = resolveLocalPath(src, call.postPath);
    if (local) {
      try {
        out.src = call.assetUrl(local);
      } catch {
        // A failing asset URL leaves the image without a source; the alt text still shows.
      }
    }
  }
  if (attribs.alt !== undefined) out.alt = attribs.alt;
  if (attribs.title) out.title = attribs.title;
  for (const dimension of ['width', 'height']) {
    const value = attribs[dimension]?.trim();
    if (value && DIMENSION.test(value)) out[dimension] = value;
  }
  return { tagName: 'img', attribs: out };
}

function transformLink(_tag: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const out: sanitizeHtml.Attributes = {};
  const href = safeLinkHref(attribs.href);
  if (href !== null) {
    out.href = href;
    out.rel = 'noopener noreferrer';
  }
  if (attribs.title) out.title = attribs.title;
  return { tagName: 'a', attribs: out };
}

/** Built once: sanitize-html's per-call work is then only the parse. */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...KEPT_TAGS],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height', 'data-remote-src'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
    ol: ['start'],
  },
  // Links are checked again by sanitize-html; image sources are decided by transformImage alone (the asset URL
  // scheme depends on the host), and no other allowed element takes a URL.
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href', 'cite'],
  allowProtocolRelative: true,
  // Dropped together with everything inside them: code, styling, embedded documents, forms, foreign content.
  nonTextTags: [...DROPPED_WITH_CONTENT],
  transformTags: { a: transformLink, img: transformImage, center: 'div' },
  disallowedTagsMode: 'discard',
  parseStyleAttributes: false,
  // Pathologically deep markup is flattened (text kept) rather than handed to the page.
  nestingLimit: 100,
};

/** Sanitises article HTML; `options.postPath` and `options.assetUrl` decide where local images load from. */
export function sanitizeArticleHtml(html: string, options: RenderOptions): SanitizedHtml {
  const previous = call;
  call = { postPath: options.postPath ?? '', assetUrl: options.assetUrl ?? defaultAssetUrl, hasRemoteContent: false };
  try {
    const clean = sanitizeHtml(html, OPTIONS);
    return { html: clean, hasRemoteContent: call.hasRemoteContent };
  } finally {
    call = previous;
  }
}
