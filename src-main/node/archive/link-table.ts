/**
 * Links inside the archive: every post's permalink (as the site's `_config.yml` builds it) and where a link
 * written in a post leads — a post (by its permalink or its file), a category page, or the web.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { parseFrontMatter } from '../../core/front-matter';
import { buildPermalink } from '../../core/permalink';
import { locatePost, type ArchiveLayout } from '../../core/post-path';
import { defaultsFor, type SiteConfig } from '../../core/site-config';
import type { ArticleSummary, CategoryNode, LinkTarget } from '../../shared/archive-api';

/** Front matter that changes a permalink is near the top: this much of each post is read for it. */
const HEAD_BYTES = 4 * 1024;
/** A front matter longer than HEAD_BYTES is read up to the front matter's own limit. */
const HEAD_BYTES_MAX = 64 * 1024 + 8;
/** Posts read between two turns of the event loop. */
const SLICE = 500;

export interface LinkTable {
  /** Post path → its permalink (URL path without `url` and `baseurl`). */
  permalinkOf: Map<string, string>;
  /** Normalised URL path (see urlKey) → post path. */
  byUrl: Map<string, string>;
  /** Lower-cased file slug → post paths (a link whose categories differ from the post's still finds it). */
  bySlug: Map<string, string[]>;
  posts: Set<string>;
  /** Post path → the day of its date (`2021-12-08`), or null. */
  dayOf: Map<string, string | null>;
  /** Category paths, by their lower-cased `/`-joined key. */
  categories: Map<string, string[]>;
}

/**
 * The fields of a post's front matter that change its permalink (`permalink`, `slug`), read from its head.
 * Synchronous: a promise round trip per file cost several times the read itself (20,000 posts: 2.8 s, sync
 * 4 KiB heads much less); the caller yields between slices so the process keeps answering.
 */
function permalinkFields(root: string, relPath: string, buffer: Buffer): Record<string, unknown> {
  let bytesRead: number;
  try {
    const fd = openSync(path.join(root, ...relPath.split('/')), 'r');
    try {
      bytesRead = readSync(fd, buffer, 0, buffer.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return {};
  }
  let head = buffer.subarray(0, bytesRead).toString('utf8');
  if (!/^(permalink|slug)\s*:/m.test(head)) return {};
  // Front matter longer than the head: read as much as the front matter reader would.
  if (bytesRead === buffer.length && !/\n---/.test(head.slice(3))) head = readFileHead(root, relPath);
  const { data } = parseFrontMatter(head);
  const fields: Record<string, unknown> = {};
  if (data.permalink !== undefined) fields.permalink = data.permalink;
  if (data.slug !== undefined) fields.slug = data.slug;
  return fields;
}

function readFileHead(root: string, relPath: string): string {
  const big = Buffer.alloc(HEAD_BYTES_MAX);
  try {
    const fd = openSync(path.join(root, ...relPath.split('/')), 'r');
    try {
      return big.subarray(0, readSync(fd, big, 0, big.length, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

export async function buildLinkTable(
  root: string,
  config: SiteConfig,
  layout: ArchiveLayout,
  posts: ArticleSummary[],
  categoryTree: CategoryNode[],
): Promise<LinkTable> {
  const table: LinkTable = { permalinkOf: new Map(), byUrl: new Map(), bySlug: new Map(), posts: new Set(), dayOf: new Map(), categories: new Map() };
  const buffer = Buffer.alloc(HEAD_BYTES);
  for (let i = 0; i < posts.length; i++) {
    if (i > 0 && i % SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    {
      const post = posts[i]!;
      const location = locatePost(post.path, layout);
      const meta = { ...defaultsFor(config, post.path, location.kind === 'draft' ? 'draft' : 'post'), ...permalinkFields(root, post.path, buffer) };
      const permalink = buildPermalink({ fileSlug: location.slug, categories: post.categories, date: post.date, meta }, config);
      table.posts.add(post.path);
      table.dayOf.set(post.path, post.date?.slice(0, 10) ?? null);
      table.permalinkOf.set(post.path, permalink);
      table.byUrl.set(urlKey(permalink), post.path);
      const slug = location.slug.toLowerCase();
      const same = table.bySlug.get(slug);
      if (same) same.push(post.path);
      else table.bySlug.set(slug, [post.path]);
    }
  }
  const walk = (nodes: CategoryNode[]) => {
    for (const node of nodes) {
      table.categories.set(node.path.map((s) => s.toLowerCase()).join('/'), node.path);
      walk(node.children);
    }
  };
  walk(categoryTree);
  return table;
}

/** `/a/b.html`, `/a/b/`, `/a/b/index.html` and `/a/b` are one page; percent-escapes decoded. */
export function urlKey(urlPath: string): string {
  let p = safeDecode(urlPath);
  p = p.replace(/\/index\.html?$/i, '/').replace(/\.html?$/i, '').replace(/\/+$/, '');
  return p === '' ? '/' : p;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const BASE = 'http://backfile.invalid';

/** Where `href` (as written in the post at `fromPath`) leads. */
export function resolveLinkIn(table: LinkTable, config: SiteConfig, fromPath: string, href: string): LinkTarget | null {
  const written = href.trim();
  if (written === '' || written.startsWith('#')) return null;
  const absolute = written.startsWith('//') ? `https:${written}` : written;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(absolute)?.[1]?.toLowerCase();
  let candidates: string[];
  let external: string | null = null;
  if (scheme !== undefined) {
    if (scheme !== 'http' && scheme !== 'https') return null;
    let url: URL;
    try {
      url = new URL(absolute);
    } catch {
      return null;
    }
    const site = config.url ? new URL(config.url) : null;
    const own = site !== null && url.hostname.toLowerCase() === site.hostname.toLowerCase() && url.port === site.port;
    if (!own) return { kind: 'external', url: absolute };
    const inside = withoutBase(url.pathname, config.baseurl);
    if (inside === null) return { kind: 'external', url: absolute };
    external = absolute;
    candidates = [inside];
  } else if (absolute.startsWith('/')) {
    const pathname = new URL(absolute, BASE).pathname;
    candidates = [withoutBase(pathname, config.baseurl) ?? pathname];
  } else {
    // Relative: from the page's URL (as a browser on the site would), then from the post file's folder.
    const page = table.permalinkOf.get(fromPath);
    const folder = `/${fromPath.split('/').slice(0, -1).map(encodeURIComponent).join('/')}/`.replace(/\/+/g, '/');
    candidates = [...(page ? [new URL(absolute, `${BASE}${page}`).pathname] : []), new URL(absolute, `${BASE}${folder}`).pathname];
  }
  for (const candidate of candidates) {
    const found = findPage(table, candidate);
    if (found) return found;
  }
  for (const candidate of candidates) {
    const found = findBySlug(table, candidate);
    if (found) return found;
  }
  return external ? { kind: 'external', url: external } : null;
}

/** `/blog/2021/x.html` with baseurl `/blog` → `/2021/x.html`; null when the path is outside the base. */
function withoutBase(pathname: string, baseurl: string): string | null {
  if (!baseurl) return pathname;
  if (pathname === baseurl) return '/';
  return pathname.startsWith(`${baseurl}/`) ? pathname.slice(baseurl.length) : null;
}

function findPage(table: LinkTable, urlPath: string): LinkTarget | null {
  const file = safeDecode(urlPath).replace(/^\/+/, '');
  if (table.posts.has(file)) return { kind: 'post', path: file };
  const key = urlKey(urlPath);
  const post = table.byUrl.get(key);
  if (post) return { kind: 'post', path: post };
  if (key === '/') return { kind: 'category', path: [] };
  const segments = key.split('/').filter((s) => s !== '');
  if (segments[0] === 'category' || segments[0] === 'categories') segments.shift();
  const category = table.categories.get(segments.map((s) => s.toLowerCase()).join('/'));
  return category ? { kind: 'category', path: category } : null;
}

/** A link whose date or categories differ from the post's permalink (`/2021/12/08/x.html` to `/news/2021/12/08/x.html`). */
function findBySlug(table: LinkTable, urlPath: string): LinkTarget | null {
  const key = urlKey(urlPath);
  const last = key.split('/').pop() ?? '';
  const matches = (table.bySlug.get(last.toLowerCase()) ?? []).filter((p) => {
    const day = /\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(`${key}/`);
    return !day || table.dayOf.get(p) === `${day[1]}-${day[2]}-${day[3]}`;
  });
  return matches.length === 1 ? { kind: 'post', path: matches[0]! } : null;
}
