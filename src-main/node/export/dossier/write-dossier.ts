/**
 * Writes a dossier: a folder that anyone can open from a USB stick in any browser, offline, with no server, to
 * search and read a selection of posts. index.html (header, search box, results), one page per article (as
 * Backfile shows it, with its citations and canonical URL), the article's local images, a lunr index of Backfile's
 * tokens (dossier-data.js) and the page's script (dossier.js) beside lunr.min.js.
 *
 * Written into a hidden folder beside the target and renamed into place at the end: a cancelled or failed export
 * leaves nothing behind, and the target never holds half a dossier.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ArchiveError, type Article, type LinkTarget } from '../../../shared/archive-api';
import { citationFields, formatCitation } from '../../../core/citation';
import { articlePage, DOSSIER_CSS, indexPage, type DossierLang } from '../../../core/dossier/dossier-pages';
import type { DossierDoc, DossierFile, DossierText } from '../../../core/dossier/dossier-data';
import { resolveInside } from '../../archive/resolve-inside';
import { buildDossierIndex } from './dossier-index';
import { DOSSIER_PAGE_SCRIPT } from './page-script.generated';
import { searchDoc, searchText } from './search-fields';

/**
 * Posts a dossier holds at most. The page loads the whole index and every post's text before it can search:
 * 2,000 news posts (tests/bench/dossier.ts) build in about 7 s and make 10 MB of data that Chromium needs about
 * 4 s to load; at 5,000 that is 25 MB and 10 s, past which a dossier is the wrong tool (export CSV or JSON).
 */
export const DOSSIER_MAX_POSTS = 5000;

/**
 * Where the articles come from: the archive service's getArticle (as Backfile shows it) and the site's name for
 * citations (what citeArticle uses: `_config.yml`'s title, else the folder's name). Citations are formatted here
 * from the article already read, as citeArticle formats them (core/citation.ts), accessed on `madeAt`.
 */
export interface DossierSource {
  getArticle(postPath: string): Promise<Article>;
  siteName: string;
  /** Where a link in a post leads (the archive service's resolveLink): a link to a post in the dossier opens its page. */
  resolveLink?(fromPath: string, href: string): Promise<LinkTarget | null>;
}

/**
 * Links between posts: one to a post the dossier holds points at its page; a web address stays as it is (a click
 * leaves the dossier, as the reader chose); anything else (a post or category page the dossier does not hold, a
 * relative link into the site) would lead nowhere from a folder, so it keeps its text and loses its target.
 */
async function rewriteLinks(html: string, fromPath: string, pages: ReadonlyMap<string, string>, resolve: DossierSource['resolveLink']): Promise<string> {
  if (!resolve) return html;
  let out = '';
  let last = 0;
  for (const m of html.matchAll(/<a\b[^>]*?\shref="([^"]*)"[^>]*>/g)) {
    const href = m[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
    if (href.startsWith('#')) continue;
    const target = await resolve(fromPath, href).catch(() => null);
    let tag: string;
    if (target?.kind === 'external') continue;
    if (target?.kind === 'post' && pages.has(target.path)) tag = m[0].replace(` href="${m[1]}"`, ` href="${pages.get(target.path)}"`);
    else tag = m[0].replace(` href="${m[1]}"`, ' data-not-in-dossier=""');
    out += html.slice(last, m.index) + tag;
    last = m.index + m[0].length;
  }
  return out + html.slice(last);
}

export interface WriteDossierOptions {
  /** Archive-relative post paths, in the order the dossier lists them (the result's order). */
  paths: readonly string[];
  source: DossierSource;
  archiveName: string;
  /** The archive folder: local images are copied from here (never from outside it). */
  archiveRoot: string;
  /** The query the selection came from ('' for everything), or null for posts checked one by one. */
  query: string | null;
  /** Its tree selections in words (core/dossier describeFilters), shown under the query. */
  filters?: string[];
  lang: DossierLang;
  /** `YYYY-MM-DD`. */
  madeAt: string;
  /** The dossier folder to create (absent, or an empty folder). */
  out: string;
  onProgress?: (written: number, total: number) => void;
  signal?: AbortSignal;
  /** The archive path of a local asset URL in an article's HTML, or null (default: `backfile-asset://archive/…`). */
  assetPath?: (url: string) => string | null;
}

export const tooLargeMessage = (total: number): string =>
  `a dossier holds at most ${DOSSIER_MAX_POSTS.toLocaleString('en')} posts; this selection has ${total.toLocaleString('en')}: narrow the search, or export it as CSV or JSON`;

export interface WriteDossierResult {
  path: string;
  count: number;
  bytes: number;
  cancelled: boolean;
}

/** lunr's own minified build, copied beside the page. */
const lunrMinPath = (): string => createRequire(import.meta.url).resolve('lunr/lunr.min.js');

/** The asset URLs an article's HTML holds: the desktop's protocol, and browser mode's same-origin route (serve.ts). */
const ASSET_PREFIXES = ['backfile-asset://archive/', '/asset/'];

export function defaultAssetPath(url: string): string | null {
  const prefix = ASSET_PREFIXES.find((p) => url.startsWith(p));
  if (prefix === undefined) return null;
  try {
    return url.slice(prefix.length).split('/').map(decodeURIComponent).join('/');
  } catch {
    return null;
  }
}

/** An absent target, or an empty folder (a folder picker may have created it): anything else is refused. */
async function checkTarget(out: string): Promise<boolean> {
  const entries = await fs.readdir(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    if (error.code === 'ENOTDIR') throw new ArchiveError('INVALID_ARGUMENT', `${out} is a file: choose a new folder for the dossier`);
    throw error;
  });
  if (entries !== null && entries.length > 0) throw new ArchiveError('INVALID_ARGUMENT', `${out} is not empty: choose a new or empty folder for the dossier`);
  return entries !== null;
}

/** Copies each local image (or other asset) an article references and points the HTML at the copy. */
class AssetCopier {
  private readonly copied = new Map<string, string | null>();
  constructor(private readonly root: string, private readonly dir: string, private readonly assetPath: (url: string) => string | null) {}

  private async copy(archivePath: string): Promise<string | null> {
    if (this.copied.has(archivePath)) return this.copied.get(archivePath)!;
    let name: string | null = null;
    try {
      const from = await resolveInside(this.root, archivePath);
      const base = path.posix.basename(archivePath).replace(/[^\p{L}\p{N}._-]/gu, '_').slice(-80) || 'file';
      name = `${String(this.copied.size + 1).padStart(4, '0')}-${base}`;
      await fs.copyFile(from, path.join(this.dir, 'assets', name));
    } catch {
      name = null; // missing or outside the archive: the reference is dropped rather than left to fail
    }
    this.copied.set(archivePath, name);
    return name;
  }

  async rewrite(html: string): Promise<string> {
    const refs = [...html.matchAll(/\s(src|href|poster)="([^"]*)"/g)];
    let out = html;
    for (const m of refs) {
      const url = m[2]!.replace(/&amp;/g, '&');
      const archivePath = this.assetPath(url);
      if (archivePath === null) continue;
      const name = await this.copy(archivePath);
      out = out.replace(m[0], name === null ? ` data-missing-${m[1]}=""` : ` ${m[1]}="../assets/${encodeURIComponent(name)}"`);
    }
    return out;
  }
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

export async function writeDossier(options: WriteDossierOptions): Promise<WriteDossierResult> {
  const { paths, source, out, signal } = options;
  const total = paths.length;
  if (total > DOSSIER_MAX_POSTS) {
    throw new ArchiveError('TOO_LARGE', tooLargeMessage(total));
  }
  const target = path.resolve(out);
  const replaceEmpty = await checkTarget(target);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.partial-${process.pid}-${Date.now()}`);
  const cancelled = (): WriteDossierResult => ({ path: target, count: 0, bytes: 0, cancelled: true });
  await fs.mkdir(path.join(temp, 'articles'), { recursive: true });
  await fs.mkdir(path.join(temp, 'assets'));
  try {
    const assets = new AssetCopier(options.archiveRoot, temp, options.assetPath ?? defaultAssetPath);
    const docs: DossierDoc[] = [];
    const texts: DossierText[] = [];
    const width = Math.max(4, String(total).length);
    const pageOf = (i: number): string => `${String(i + 1).padStart(width, '0')}.html`;
    const pages = new Map(paths.map((p, i) => [p, pageOf(i)]));
    options.onProgress?.(0, total);
    for (const [i, postPath] of paths.entries()) {
      if (signal?.aborted) return cancelled();
      const article = await source.getArticle(postPath);
      const fields = citationFields(article, source.siteName, options.madeAt);
      const [gb7714, apa] = [formatCitation(fields, 'gb7714'), formatCitation(fields, 'apa')];
      const file = pageOf(i);
      const html = articlePage({
        lang: options.lang,
        archiveName: options.archiveName,
        title: article.title,
        date: article.date,
        categories: article.categories,
        tags: article.tags,
        html: await rewriteLinks(await assets.rewrite(article.html), postPath, pages, source.resolveLink?.bind(source)),
        hasRemoteContent: article.hasRemoteContent,
        url: article.url ?? null,
        source: article.source,
        citations: { gb7714, apa },
      });
      await fs.writeFile(path.join(temp, 'articles', file), html);
      docs.push(searchDoc(`articles/${file}`, article));
      texts.push(searchText(article));
      options.onProgress?.(i + 1, total);
    }
    if (signal?.aborted) return cancelled();
    const file: DossierFile = { index: buildDossierIndex(texts), docs, texts };
    if (signal?.aborted) return cancelled();
    await fs.writeFile(path.join(temp, 'dossier-data.js'), `window.BACKFILE_DOSSIER = ${JSON.stringify(file)};\n`);
    await fs.writeFile(path.join(temp, 'dossier.js'), DOSSIER_PAGE_SCRIPT);
    await fs.copyFile(lunrMinPath(), path.join(temp, 'lunr.min.js'));
    await fs.writeFile(path.join(temp, 'dossier.css'), DOSSIER_CSS);
    await fs.writeFile(
      path.join(temp, 'index.html'),
      indexPage({ lang: options.lang, archiveName: options.archiveName, query: options.query, ...(options.filters ? { filters: options.filters } : {}), madeAt: options.madeAt, docs }),
    );
    if (signal?.aborted) return cancelled();
    const bytes = await folderBytes(temp);
    if (replaceEmpty) await fs.rmdir(target);
    await fs.rename(temp, target);
    return { path: target, count: total, bytes, cancelled: false };
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
}
