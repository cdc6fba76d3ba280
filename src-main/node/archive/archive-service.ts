import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Article, ArchiveEvents, ArchiveInfo, IndexProgress, ListQuery, ListResult } from '../../shared/archive-api';
import { parsePost } from '../../core/parse-post';
import { IndexStore } from '../index/store';
import { IndexerError, runIndexer, type IndexerRun } from '../index/run-indexer';
import { defaultIndexPath } from '../data-dir';
import { describeError, isInside, resolveArchiveRoot } from '../fs-safety';
import { locatePost } from '../../core/post-path';
import { highlightHtml } from '../../core/highlight-html';
import { compileQuery } from '../../core/query';
import { MAX_POST_BYTES, type UpdateSummary } from '../index/update';
import { watchArchive, type ArchiveWatcher } from './watch';
import { importPosts } from '../import/import-posts';
import type { ImportReport } from '../../shared/archive-api';

export interface ArchiveServiceOptions {
  /** Where the index of an archive lives; default: the per-user data folder. */
  indexPathFor?: (root: string) => string;
  /** URL under which the viewer loads a local image of the archive. */
  assetUrl?: (archivePath: string) => string;
  capabilities?: ArchiveInfo['capabilities'];
  /** Follow changes made on disk by other programs while the archive is open (the desktop app and browser mode do). */
  watch?: boolean;
}

interface OpenArchive {
  root: string;
  indexFile: string;
  store: IndexStore;
  indexing: IndexerRun | null;
  lastProgress: IndexProgress;
  watcher: ArchiveWatcher | null;
  /** Changes seen while an update was running, for one more when it ends: paths, or 'all' for a full scan. */
  pending: Set<string> | 'all' | null;
  lastSummary: UpdateSummary | null;
}

/** More changed paths than this in one burst: a full scan is as quick and surer. */
const MAX_WATCHED_PATHS = 5000;

type Listener<E extends keyof ArchiveEvents> = (payload: ArchiveEvents[E]) => void;

/**
 * The archive a window (or a CLI command, or the browser-mode server) has open: its index, its indexing
 * thread, and the read side of the contract. Adapters (IPC, HTTP, CLI) translate; this class decides.
 */
export class ArchiveService {
  private current: OpenArchive | null = null;
  private importing: AbortController | null = null;
  private readonly emitter = new EventEmitter();
  private readonly options: Required<ArchiveServiceOptions>;

  constructor(options: ArchiveServiceOptions = {}) {
    this.options = {
      indexPathFor: options.indexPathFor ?? ((root) => defaultIndexPath(root)),
      assetUrl: options.assetUrl ?? ((p) => `backfile-asset://archive/${p.split('/').map(encodeURIComponent).join('/')}`),
      capabilities: options.capabilities ?? { showInFolder: false, chooseFolder: false, importPaths: false, importFiles: false },
      watch: options.watch ?? false,
    };
  }

  on<E extends keyof ArchiveEvents>(event: E, listener: Listener<E>): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  private emit<E extends keyof ArchiveEvents>(event: E, payload: ArchiveEvents[E]): void {
    this.emitter.emit(event, payload);
  }

  get root(): string | null {
    return this.current?.root ?? null;
  }

  /**
   * Opens an archive folder: the existing index answers at once, and an update brings it in step with the disk
   * on a worker thread. `waitForIndex` (the CLI) resolves only once the index is up to date.
   */
  async open(rootPath: string, options: { waitForIndex?: boolean; indexFile?: string; watch?: boolean } = {}): Promise<ArchiveInfo> {
    const root = await resolveArchiveRoot(rootPath);
    const indexFile = path.resolve(options.indexFile ?? this.options.indexPathFor(root));
    await this.close();
    await fs.mkdir(path.dirname(indexFile), { recursive: true }).catch((error: unknown) => {
      throw new Error(`cannot create the index folder ${path.dirname(indexFile)}: ${describeError(error)}`);
    });
    const store = await openOrRebuild(indexFile);
    const archive: OpenArchive = {
      root,
      indexFile,
      store,
      indexing: null,
      lastProgress: { phase: 'scanning', scanned: 0, toIndex: 0, indexed: 0 },
      watcher: null,
      pending: null,
      lastSummary: null,
    };
    this.current = archive;
    if (options.watch ?? this.options.watch) archive.watcher = watchArchive(root, (paths) => this.scheduleReindex(paths));
    const indexed = this.reindex();
    if (options.waitForIndex) await indexed;
    else indexed.catch(() => undefined);
    return this.info();
  }

  /**
   * An update soon: now if none is running, else right after the running one (bursts of changes coalesce).
   * `paths`: only these archive-relative paths changed (a watcher's report), so only they are looked at;
   * without them, the whole archive is scanned.
   */
  scheduleReindex(paths?: readonly string[]): void {
    const archive = this.current;
    if (!archive) return;
    const pending = archive.pending;
    archive.pending = paths === undefined || pending === 'all' || (pending?.size ?? 0) + paths.length > MAX_WATCHED_PATHS
      ? 'all'
      : new Set([...(pending ?? []), ...paths]);
    if (!archive.indexing) this.runPending(archive);
  }

  /** Starts the update the pending changes call for, if any. */
  private runPending(archive: OpenArchive): void {
    const next = archive.pending;
    if (!next) return;
    archive.pending = null;
    this.reindex(next === 'all' ? undefined : [...next]).catch(() => undefined);
  }

  /**
   * Brings the index in step with the disk (or, given `paths`, with those files only). Rebuilds it from the
   * posts when the index file is unusable.
   */
  async reindex(paths?: string[]): Promise<UpdateSummary> {
    const archive = this.requireArchive();
    if (archive.indexing) await archive.indexing.done.catch(() => undefined);
    const attempt = async (only?: string[]): Promise<UpdateSummary> => {
      const run = runIndexer({ root: archive.root, indexFile: archive.indexFile, ...(only ? { paths: only } : {}) }, (progress) => {
        archive.lastProgress = progress;
        this.emit('indexProgress', progress);
      });
      archive.indexing = run;
      try {
        return await run.done;
      } finally {
        if (archive.indexing === run) archive.indexing = null;
      }
    };
    try {
      let summary: UpdateSummary;
      try {
        summary = await attempt(paths);
      } catch (error) {
        if (!(error instanceof IndexerError && error.unusableIndex)) throw error;
        archive.store.close();
        await removeIndexFiles(archive.indexFile);
        archive.store = await openOrRebuild(archive.indexFile);
        summary = await attempt();
      }
      archive.lastSummary = summary;
      if (this.current !== archive) return summary;
      this.runPending(archive);
      const counts = archive.store.counts();
      archive.lastProgress = { phase: 'ready', scanned: summary.scanned, toIndex: summary.updated, indexed: summary.updated };
      this.emit('indexProgress', archive.lastProgress);
      this.emit('archiveChanged', { ...this.info(), ...counts });
      return summary;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      archive.lastProgress = { ...archive.lastProgress, phase: 'error', message };
      this.emit('indexProgress', archive.lastProgress);
      throw error;
    }
  }

  info(): ArchiveInfo {
    const archive = this.requireArchive();
    const counts = archive.store.counts();
    return {
      root: archive.root,
      name: path.basename(archive.root),
      posts: counts.posts,
      hidden: counts.hidden,
      problems: counts.problems,
      indexPath: archive.indexFile,
      capabilities: this.options.capabilities,
    };
  }

  infoOrNull(): ArchiveInfo | null {
    return this.current ? this.info() : null;
  }

  /** What the last index update did (the CLI's `index` command reports it). */
  lastSummary(): UpdateSummary | null {
    return this.current?.lastSummary ?? null;
  }

  progress(): IndexProgress | null {
    return this.current?.lastProgress ?? null;
  }

  get store(): IndexStore {
    return this.requireArchive().store;
  }

  list(query: ListQuery): ListResult {
    return this.store.list(query);
  }

  /**
   * Reads the post from disk (the source of truth) and renders it; the index only says it exists.
   * `highlight` is the reader's search query: its terms are marked in the body as the search matched them.
   */
  async getArticle(postPath: string, highlight?: string): Promise<Article> {
    const archive = this.requireArchive();
    const summary = archive.store.getPost(postPath);
    if (!summary) throw new Error(`no post at ${postPath} in this archive`);
    const absPath = await this.resolveInside(postPath);
    let bytes: Buffer;
    try {
      const handle = await fs.open(absPath, 'r');
      try {
        const stat = await handle.stat();
        const length = Math.min(stat.size, MAX_POST_BYTES);
        bytes = Buffer.alloc(length);
        await handle.read(bytes, 0, length, 0);
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw new Error(`the post ${postPath} could not be read: ${describeError(error)}`);
    }
    const layout = (archive.store.getMeta('layout') as 'jekyll' | 'flat' | undefined) ?? 'jekyll';
    const post = parsePost(postPath, bytes, locatePost(postPath, layout), {
      renderOptions: { assetUrl: this.options.assetUrl },
      maxBodyBytes: MAX_POST_BYTES,
    });
    return {
      path: postPath,
      title: post.title,
      date: post.date,
      categories: post.categories,
      tags: post.tags,
      excerpt: post.excerpt,
      hidden: !post.published || post.draft,
      draft: post.draft,
      html: highlight?.trim() ? highlightHtml(post.html, compileQuery(highlight).highlight) : post.html,
      source: post.source,
      meta: post.meta,
      hasRemoteContent: post.hasRemoteContent,
      problems: post.problems,
      absolutePath: absPath,
    };
  }

  /**
   * Copies post folders or files into the open archive (never modifying the sources), then brings the index
   * up to date so the new posts appear in the trees and in search. One import at a time.
   */
  async importPaths(paths: string[]): Promise<ImportReport> {
    const archive = this.requireArchive();
    if (this.importing) throw new Error('an import is already running; wait for it or cancel it');
    const controller = new AbortController();
    this.importing = controller;
    try {
      const { sourcesRead: _sourcesRead, ...report } = await importPosts(paths, archive.root, {
        signal: controller.signal,
        onProgress: (progress) => this.emit('importProgress', progress),
      });
      if (report.added > 0 || report.renamed > 0) {
        this.emit('importProgress', { phase: 'indexing', scanned: report.added, copied: report.added, indexed: 0 });
        await this.reindex();
      }
      this.emit('importProgress', {
        phase: report.cancelled ? 'cancelled' : 'done',
        scanned: report.added + report.duplicates + report.skipped,
        copied: report.added,
        indexed: report.added,
      });
      return report;
    } finally {
      this.importing = null;
    }
  }

  cancelImport(): void {
    this.importing?.abort();
  }

  /**
   * Resolves an archive-relative path to a real file inside the archive, refusing `..`, absolute paths,
   * NUL bytes, backslashes and symbolic links that lead outside.
   */
  async resolveInside(relPath: string): Promise<string> {
    const archive = this.requireArchive();
    if (typeof relPath !== 'string' || relPath.length === 0 || relPath.length > 4096) throw new Error('invalid path');
    if (relPath.includes('\0') || relPath.includes('\\') || path.posix.isAbsolute(relPath) || /^[a-zA-Z]:/.test(relPath)) {
      throw new Error(`path refused: ${JSON.stringify(relPath.slice(0, 200))}`);
    }
    const normal = path.posix.normalize(relPath);
    if (normal.startsWith('../') || normal === '..') throw new Error(`path outside the archive refused: ${relPath}`);
    const absPath = path.join(archive.root, ...normal.split('/'));
    const real = await fs.realpath(absPath).catch(() => null);
    if (!real) throw new Error(`no such file in the archive: ${relPath}`);
    if (!isInside(archive.root, real)) throw new Error(`path outside the archive refused: ${relPath}`);
    return real;
  }

  async close(): Promise<void> {
    const archive = this.current;
    this.current = null;
    if (!archive) return;
    await archive.watcher?.close();
    if (archive.indexing) {
      archive.indexing.cancel();
      await archive.indexing.done.catch(() => undefined);
    }
    archive.store.close();
  }

  private requireArchive(): OpenArchive {
    if (!this.current) throw new Error('no archive is open');
    return this.current;
  }
}

async function openOrRebuild(indexFile: string): Promise<IndexStore> {
  try {
    return IndexStore.open(indexFile);
  } catch (error) {
    if (!(error instanceof Error && error.name === 'IndexUnusableError')) {
      throw new Error(`the index ${indexFile} cannot be opened: ${describeError(error)}`);
    }
    // The index is disposable: the posts on disk are the truth. Start again from them.
    await removeIndexFiles(indexFile);
    return IndexStore.open(indexFile);
  }
}

export async function removeIndexFiles(indexFile: string): Promise<void> {
  for (const suffix of ['', '-wal', '-shm', '-journal']) await fs.rm(indexFile + suffix, { force: true });
}
