import { EventEmitter } from 'node:events';
import path from 'node:path';
import {
  ArchiveError,
  type Article, type ArticleSummary, type ArchiveEvents, type ArchiveInfo, type ArchiveStats, type CategoryNode, type DateNode, type ImportReport, type IndexInfo, type TeamIndexRequest,
  type IndexProgress, type LinkTarget, type Facets, type ListQuery, type Timeline, type TimelineUnit, type ListResult, type Problem, type SimilarResult, type TagCount,
  type TeamReconnect,
} from '../../shared/archive-api';
import { htmlToText } from '../../core/html-text';
import { buildPermalink, canonicalUrl } from '../../core/permalink';
import { locatePost } from '../../core/post-path';
import { SITE_CONFIG_FILE, defaultsFor, locateInSite, type SiteConfig } from '../../core/site-config';
import { defaultIndexPath } from '../data-dir';
import { resolveArchiveRoot } from '../fs-safety';
import type { UpdateSummary } from '../index/update';
import type { IndexStore } from '../index/store';
import type { IndexReader, ReadableIndex } from '../index/index-reader';
import { importPosts } from '../import/import-posts';
import { locateIndex } from './index-location';
import { LiveIndex } from './live-index';
import { TeamIndex, type TeamIndexOptions } from './team-index';
import { checkTeamIndexOf } from './team-archive-check';
import { isRetryOf, reconnectFailure, requestUsesPassword, schemaOf, type RememberedTeam, type RememberedTeams } from './remembered-teams';
import { readArticle } from './read-article';
import { ReindexScheduler } from './reindex-scheduler';
import { checkRelativePath, resolveInside } from './resolve-inside';
import { buildLinkTable, resolveLinkIn, type LinkTable } from './link-table';
import { readSiteConfig, type SiteConfigRead } from '../site-config-file';
import { watchArchive, type ArchiveWatcher } from './watch';

export interface ArchiveServiceOptions {
  /**
   * Where Backfile keeps the index of an archive; default: the per-user data folder (data-dir.ts). A file there
   * that is not a readable index is Backfile's own to rebuild; an index path given to `open` must prove it.
   */
  indexPathFor?: (root: string) => string;
  /** URL under which the viewer loads a local image of the archive. */
  assetUrl?: (archivePath: string) => string;
  capabilities?: ArchiveInfo['capabilities'];
  /** Follow changes made on disk by other programs while the archive is open (the desktop app and browser mode do). */
  watch?: boolean;
  /**
   * The desktop app: each archive's last team index (remembered-teams.ts), connected again in the background when
   * that archive is opened; Disconnect forgets it. Absent (the CLI, browser mode): nothing is remembered.
   */
  rememberedTeams?: RememberedTeams | null;
  /** The desktop app: the password its keychain remembers for a team index (URL without password, schema), or null. */
  teamPassword?: (url: string, schema: string) => Promise<string | null>;
  /**
   * How long the background reconnect at open waits for the team index to answer, in ms (default 20 s): a server that
   * accepts the login but never answers (a table locked by an admin) ends it as failed, STORE_UNAVAILABLE.
   */
  reconnectTimeoutMs?: number;
}

/** The background reconnect's default deadline (ArchiveServiceOptions.reconnectTimeoutMs). */
export const RECONNECT_TIMEOUT_MS = 20_000;

interface OpenArchive {
  root: string;
  index: LiveIndex;
  scheduler: ReindexScheduler;
  watcher: ArchiveWatcher | null;
  lastProgress: IndexProgress;
  lastSummary: UpdateSummary | null;
  /** `_config.yml`, read when the archive opens and after each index update. */
  site: SiteConfigRead;
  /** Every post's permalink, built on the first link followed and dropped when the index changes. */
  links: Promise<LinkTable> | null;
  /** The team index on PostgreSQL read instead of `index` (team-index.ts), or null. */
  team: TeamIndex | null;
  /** Follow the disk (the local index's watcher, paused while a team index is read). */
  watch: boolean;
  /** The remembered team index not read (yet): being reconnected, waiting for a password, or unreachable; or null. */
  reconnect: TeamReconnect | null;
  /** The background reconnect at open, settled once it connected or gave up (resolved at once when there was none). */
  reconnecting: Promise<void>;
  /**
   * A team index was read since the local index's last finished update: the local one may lack what the reader saw
   * there (the workspace waits for its next update before letting marks follow it: localIndexReady).
   */
  localBehind: boolean;
}

/**
 * The index the open archive was read from when a job began, held for the job's every read (an export's order, its
 * pages and articles; a batch's totals and dates): a job never reads one part from the team index and the next from
 * the local one after a disconnect. Once that index is closed (disconnected, or the archive closed) its reads fail
 * with STORE_UNAVAILABLE.
 */
export interface CapturedIndex extends ReadableIndex {
  list(query: ListQuery): Promise<ListResult>;
  getArticle(postPath: string, highlight?: string): Promise<Article>;
}

type Listener<E extends keyof ArchiveEvents> = (payload: ArchiveEvents[E]) => void;

/**
 * The archive a window (or a CLI command, or the browser-mode server) has open, and the contract's read side
 * over it. Adapters (IPC, HTTP, CLI) translate; this class decides. The parts: where the index lives
 * (index-location.ts), the index as read and recovered (live-index.ts), its updates (reindex-scheduler.ts),
 * articles (read-article.ts) and the path guard (resolve-inside.ts). Failures are ArchiveErrors.
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
      rememberedTeams: options.rememberedTeams ?? null,
      teamPassword: options.teamPassword ?? (async () => null),
      reconnectTimeoutMs: options.reconnectTimeoutMs ?? RECONNECT_TIMEOUT_MS,
    };
  }

  on<E extends keyof ArchiveEvents>(event: E, listener: Listener<E>): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  /** Sends an event to every adapter (the export runner reports its progress through here too). */
  emit<E extends keyof ArchiveEvents>(event: E, payload: ArchiveEvents[E]): void {
    this.emitter.emit(event, payload);
  }

  get root(): string | null {
    return this.current?.root ?? null;
  }

  /** The team index read instead of the local one, or null. */
  get teamIndex(): TeamIndex | null {
    return this.current?.team ?? null;
  }

  /**
   * Settles once the open archive's remembered team index was tried at open (connected, or given up: IndexInfo
   * `reconnect` says why); at once when none was remembered.
   */
  whenReconnected(): Promise<void> {
    return this.current?.reconnecting ?? Promise.resolve();
  }

  /** An import is running (adapters refuse a second one before reading its upload). */
  get isImporting(): boolean {
    return this.importing !== null;
  }

  /**
   * Opens an archive folder: the existing index answers at once, and an update brings it in step with the disk
   * on a worker thread. `waitForIndex` (the CLI) resolves only once the index is up to date. `indexFile`: an
   * index a person chose (the CLI's `--index`); it is used only if it is absent, empty or Backfile's (NOT_OURS),
   * and never inside the archive (UNSAFE_PATH).
   */
  async open(rootPath: string, options: { waitForIndex?: boolean; indexFile?: string; watch?: boolean; team?: TeamIndexRequest & TeamIndexOptions } = {}): Promise<ArchiveInfo> {
    const root = await resolveArchiveRoot(rootPath);
    const location = await locateIndex(root, options.indexFile, this.options.indexPathFor);
    const site = await readSiteConfig(root);
    const remembered = options.team ? null : await this.rememberedTeamOf(root);
    // A team index is read from the start (the local one is neither built nor watched): connect before closing.
    const team = options.team ? await TeamIndex.connect(options.team, options.team) : null;
    // The team index must be this archive's: another's would list posts that do not open here.
    if (team) {
      try {
        await checkTeamIndexOf(team.pg, root);
      } catch (error) {
        await team.close();
        throw error;
      }
    }
    await this.close();
    const index = LiveIndex.open(location);
    const archive: OpenArchive = {
      root,
      index,
      scheduler: new ReindexScheduler(root, index, {
        onProgress: (progress) => {
          archive.lastProgress = progress;
          this.emit('indexProgress', progress);
        },
        onUpdated: (summary) => this.updated(archive, summary),
        onFailed: (error) => {
          archive.lastProgress = { ...archive.lastProgress, phase: 'error', message: error instanceof Error ? error.message : String(error) };
          this.emit('indexProgress', archive.lastProgress);
        },
      }),
      watcher: null,
      lastProgress: { phase: 'scanning', scanned: 0, toIndex: 0, indexed: 0 },
      lastSummary: null,
      site,
      links: null,
      team,
      watch: options.watch ?? this.options.watch,
      reconnect: null,
      reconnecting: Promise.resolve(),
      localBehind: team !== null,
    };
    if (team) team.onChanged = () => this.changed(archive);
    index.onUnusable = () => void archive.scheduler.rebuild().catch(() => undefined);
    index.onReplaced = () => archive.scheduler.schedule();
    this.current = archive;
    if (team) return this.info();
    // Last read from a team index: connect to it again in the background. The archive opens now, on the local index,
    // which is brought up to date only if the team index does not answer (no cold build of an index not read).
    if (remembered) {
      archive.reconnecting = this.reconnect(archive, remembered).catch(() => undefined);
      return this.info();
    }
    const indexed = this.readLocal(archive);
    if (options.waitForIndex) await indexed;
    else indexed.catch(() => undefined);
    return this.info();
  }

  /** The local index answers: watched (where the archive is) and brought up to date with the disk. */
  private readLocal(archive: OpenArchive): Promise<UpdateSummary> {
    if (archive.watch && !archive.watcher) archive.watcher = this.watch(archive);
    return archive.scheduler.update();
  }

  /** The team index remembered for the archive at `root` (desktop), or null; a file that cannot be read is none. */
  private async rememberedTeamOf(root: string): Promise<RememberedTeam | null> {
    return (await this.options.rememberedTeams?.get(root).catch(() => null)) ?? null;
  }

  /**
   * Connects the archive to its remembered team index: with the keychain's password, or without one when none was
   * needed. No password to be had: `password` (the reader is asked). Unreachable, refused, or no answer within
   * `reconnectTimeoutMs`: `failed`, with the error (a connection made after that is closed). An import running when
   * the team index is ready: `failed`, BUSY (the team index would not list the posts just imported; Retry once it is
   * done). Either way the local index then answers and is brought up to date; nothing here throws.
   */
  private async reconnect(archive: OpenArchive, remembered: RememberedTeam): Promise<void> {
    const workspace = remembered.teamWorkspace ? { teamWorkspace: true } : {};
    const attempt: TeamReconnect = { url: remembered.url, schema: remembered.schema, state: 'connecting', ...workspace };
    archive.reconnect = attempt;
    const request: TeamIndexRequest = { url: remembered.url, schema: remembered.schema, ...workspace };
    if (remembered.password) {
      const password = await this.options.teamPassword(remembered.url, remembered.schema).catch(() => null);
      if (password === null) return this.reconnectEnded(archive, attempt, { ...attempt, state: 'password' });
      request.password = password;
    }
    const connecting = this.teamFor(archive, request);
    let team: TeamIndex;
    try {
      team = await withDeadline(connecting, this.options.reconnectTimeoutMs, () => new ArchiveError('STORE_UNAVAILABLE', `The team index at ${attempt.url} did not answer within ${seconds(this.options.reconnectTimeoutMs)} s.`));
    } catch (error) {
      // Given up (the deadline, or the connection failed): a connection that still comes is closed, never used.
      connecting.then((late) => late.close(), () => undefined).catch(() => undefined);
      return this.reconnectEnded(archive, attempt, reconnectFailure(attempt, error));
    }
    // The reader connected, disconnected or closed the archive meanwhile: their word stands.
    if (archive.reconnect !== attempt || archive.team || this.current !== archive) {
      await team.close();
      return;
    }
    // An import under way (begun before this archive opened: none starts while reconnecting) copies posts the team
    // index does not hold; reading it now would hide them. Not switched: the reader may Retry once it is done.
    if (this.importing) {
      await team.close();
      return this.reconnectEnded(archive, attempt, reconnectFailure(attempt, new ArchiveError('BUSY', RECONNECT_IMPORT_RUNNING)));
    }
    archive.reconnect = null;
    await this.useTeam(archive, team);
  }

  /** A reconnect that did not connect: the local index answers, and the reader is told (archiveChanged). */
  private reconnectEnded(archive: OpenArchive, attempt: TeamReconnect, next: TeamReconnect): void {
    if (archive.reconnect !== attempt) return;
    archive.reconnect = next;
    if (this.current !== archive) return;
    this.readLocal(archive).catch(() => undefined);
    this.changed(archive);
  }

  private watch(archive: OpenArchive): ArchiveWatcher {
    return watchArchive(archive.root, (paths) => {
      if (paths.includes(SITE_CONFIG_FILE)) void this.reloadSite(archive);
      else if (!archive.team) archive.scheduler.schedule(paths);
    });
  }

  /**
   * `_config.yml` changed on disk: read it again (name, URLs, links) and rescan the archive (exclude/include).
   * Posts already indexed keep the `defaults`/`show_drafts`/`future` they were read with until they change.
   */
  private async reloadSite(archive: OpenArchive): Promise<void> {
    archive.site = await readSiteConfig(archive.root);
    archive.links = null;
    if (this.current !== archive) return;
    this.emit('archiveChanged', this.info());
    archive.scheduler.schedule();
  }

  private updated(archive: OpenArchive, summary: UpdateSummary): void {
    archive.lastSummary = summary;
    if (archive.team) return; // the local index, not the one read: nothing the reader sees changed
    archive.localBehind = false;
    archive.links = null;
    if (this.current !== archive) return;
    archive.lastProgress = { phase: 'ready', scanned: summary.scanned, toIndex: summary.updated, indexed: summary.updated };
    this.emit('indexProgress', archive.lastProgress);
    this.emit('archiveChanged', this.info());
  }

  /** An update soon (bursts coalesce); `paths`: only these archive-relative paths changed. */
  scheduleReindex(paths?: readonly string[]): void {
    this.current?.scheduler.schedule(paths);
  }

  /** Brings the index in step with the disk (or, given `paths`, with those files only), rebuilding it if unusable. */
  async reindex(paths?: string[]): Promise<UpdateSummary> {
    return this.requireArchive().scheduler.update(paths);
  }

  /** The open archive; its counts are 0 while the index is rebuilt. */
  info(): ArchiveInfo {
    const archive = this.requireArchive();
    let counts = archive.team?.counts ?? { posts: 0, hidden: 0, problems: 0 };
    try {
      if (!archive.team) counts = archive.index.read((store) => store.counts());
    } catch (error) {
      if (!(error instanceof ArchiveError && error.code === 'INDEX_REBUILDING')) throw error;
    }
    const { config, problems } = archive.site;
    return {
      root: archive.root,
      name: config.title ?? path.basename(archive.root),
      ...counts,
      problems: counts.problems + problems.length,
      siteUrl: config.url ? `${config.url}${config.baseurl}` : null,
      indexPath: archive.team ? archive.team.info().location : archive.index.file,
      capabilities: this.options.capabilities,
      // Nothing is indexed while a team index is read, or while the remembered one is being connected again.
      indexProgress: archive.team || archive.reconnect?.state === 'connecting' ? null : archive.lastProgress,
      index: this.indexInfo(),
    };
  }

  /** Which index the open archive is read from (the contract's getIndexInfo). */
  indexInfo(): IndexInfo {
    const archive = this.requireArchive();
    if (archive.team) return archive.team.info();
    return { kind: 'local', readOnly: false, location: archive.index.file, ...(archive.reconnect ? { reconnect: { ...archive.reconnect } } : {}) };
  }

  /**
   * Reads the open archive from a team index on PostgreSQL (team-index.ts) instead of its local index, which is
   * kept as it is: this app stops indexing by itself (no watcher) and follows the team indexer's commits.
   */
  async connectTeamIndex(request: TeamIndexRequest, options: TeamIndexOptions = {}): Promise<IndexInfo> {
    const archive = this.requireArchive();
    if (this.importing) throw new ArchiveError('BUSY', 'an import is running; connect once it is done');
    let team: TeamIndex;
    try {
      team = await this.teamFor(archive, request, options);
    } catch (error) {
      // A Retry of a reconnect that failed: the reason told is the newest.
      const pending = archive.reconnect;
      if (pending?.state === 'failed' && isRetryOf(pending, request)) archive.reconnect = reconnectFailure(pending, error);
      throw error;
    }
    archive.reconnect = null;
    // Remembered for this archive (never the password): it is connected again when the archive is next opened.
    await this.options.rememberedTeams
      ?.remember(archive.root, { url: request.url, schema: schemaOf(request), password: requestUsesPassword(request), ...(request.teamWorkspace ? { teamWorkspace: true } : {}) })
      .catch(() => undefined);
    await this.useTeam(archive, team);
    return team.info();
  }

  /** Connects to the team index of `request` and proves it is this archive's; NO_ARCHIVE if the archive closed meanwhile. */
  private async teamFor(archive: OpenArchive, request: TeamIndexRequest, options: TeamIndexOptions = {}): Promise<TeamIndex> {
    const team = await TeamIndex.connect(request, options);
    try {
      await checkTeamIndexOf(team.pg, archive.root);
    } catch (error) {
      await team.close();
      throw error;
    }
    if (this.current !== archive) {
      await team.close();
      throw new ArchiveError('NO_ARCHIVE', 'the archive was closed meanwhile');
    }
    return team;
  }

  /** `team` answers from now on: the one read before closes, and this app stops following the disk. */
  private async useTeam(archive: OpenArchive, team: TeamIndex): Promise<void> {
    const previous = archive.team;
    archive.team = team;
    archive.localBehind = true;
    team.onChanged = () => this.changed(archive);
    await previous?.close();
    await archive.watcher?.close();
    archive.watcher = null;
    this.changed(archive);
  }

  /**
   * Back to the local index, brought up to date with the disk as on open (and watched again where it was). The team
   * index remembered for this archive is forgotten (and a reconnect under way or failed is dropped): the next open
   * stays local.
   */
  async disconnectTeamIndex(): Promise<IndexInfo> {
    const archive = this.requireArchive();
    const team = archive.team;
    const pending = archive.reconnect;
    archive.reconnect = null;
    // Not remembered any more; a data folder that cannot be written does not keep the reader on the team index.
    await this.options.rememberedTeams?.forget(archive.root).catch(() => undefined);
    if (!team) {
      if (pending?.state === 'connecting') this.readLocal(archive).catch(() => undefined);
      if (pending) this.changed(archive);
      return this.indexInfo();
    }
    archive.team = null;
    await team.close();
    this.readLocal(archive).catch(() => undefined);
    this.changed(archive);
    return this.indexInfo();
  }

  /** The index the archive is read from changed (the team indexer committed, or another index was chosen). */
  private changed(archive: OpenArchive): void {
    archive.links = null;
    if (this.current !== archive) return;
    this.emit('archiveChanged', this.info());
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

  /**
   * The local index is read and whole: its last update finished, and no team index was read since (after a
   * disconnect it may lack posts the reader saw there until its update ends).
   */
  localIndexReady(): boolean {
    const archive = this.current;
    return archive !== null && !archive.team && !archive.localBehind && archive.lastProgress.phase === 'ready';
  }

  /**
   * Runs one read on the open archive's index, whichever store answers (index/index-reader.ts): the local SQLite
   * file, or the team index on PostgreSQL while one is connected. Await the answer: the team index's are promises.
   */
  readIndex<T>(job: (index: IndexReader) => T): T {
    return this.readerOf(this.requireArchive()).read(job);
  }

  /**
   * Reads what the workspace follows its marks by (posts' paths, content hashes, titles, dates; workspace/index-view.ts)
   * from the index the archive is read from: `local` on the SQLite store itself, or `team` on the team index while one
   * is connected (its answers are promises).
   */
  readWorkspaceIndex<T>(local: (store: IndexStore) => T, team: (team: TeamIndex) => T): T {
    const archive = this.requireArchive();
    return archive.team ? team(archive.team) : archive.index.read(local);
  }

  /** The index read now, held for a job of several reads (CapturedIndex). */
  captureIndex(): CapturedIndex {
    const archive = this.requireArchive();
    const index = this.readerOf(archive);
    const live = () => {
      if (this.current !== archive) throw new ArchiveError('STORE_UNAVAILABLE', 'the archive was closed while it was read');
    };
    return {
      read: (job) => {
        live();
        return index.read(job);
      },
      list: async (query) => {
        live();
        return index.read((reader) => reader.list(query));
      },
      getArticle: async (postPath, highlight) => {
        live();
        return this.articleFrom(archive, index, postPath, highlight);
      },
    };
  }

  private readerOf(archive: OpenArchive): ReadableIndex {
    return archive.team ?? archive.index;
  }

  async list(query: ListQuery): Promise<ListResult> {
    return this.readIndex((index) => index.list(query));
  }

  async categories(includeHidden = false): Promise<CategoryNode[]> {
    return this.readIndex((index) => index.categories(includeHidden));
  }

  async dates(includeHidden = false): Promise<DateNode[]> {
    return this.readIndex((index) => index.dates(includeHidden));
  }

  async tags(includeHidden = false): Promise<TagCount[]> {
    return this.readIndex((index) => index.tags(includeHidden));
  }

  /** The trees' counts of what `query` finds; `keep`: the workspace's test for its mark words (none: every post). */
  async facets(query: ListQuery, keep?: ((path: string) => boolean) | null): Promise<Facets> {
    return this.readIndex((index) => index.facets(query, keep ?? undefined));
  }

  /** Posts per period of what `query` finds; `keep` as for facets. */
  async timeline(query: ListQuery, by?: TimelineUnit, keep?: ((path: string) => boolean) | null): Promise<Timeline> {
    return this.readIndex((index) => index.timeline(query, by, keep ?? undefined));
  }

  /** Other versions of the post at `postPath` (index/similar.ts): best first, above SIMILAR_THRESHOLD. */
  async similar(postPath: string, includeHidden = false): Promise<SimilarResult> {
    checkRelativePath(postPath);
    const similar = await this.readIndex((index) => index.similar(postPath, includeHidden));
    if (!similar) throw new ArchiveError('NOT_FOUND', `no post at ${postPath} in this archive`);
    return { path: postPath, similar };
  }

  /** A post's body as plain text, one block a line (core/html-text.ts), for comparing versions. */
  async versionText(postPath: string): Promise<string> {
    return htmlToText((await this.getArticle(postPath)).html);
  }

  /** The index's problems, and `_config.yml`'s first. */
  async problems(): Promise<Problem[]> {
    const archive = this.requireArchive();
    return [...archive.site.problems, ...(await this.readIndex((index) => index.problems()))];
  }

  async stats(): Promise<ArchiveStats> {
    const archive = this.requireArchive();
    const stats = await this.readIndex((index) => index.stats());
    return { ...stats, problems: [...archive.site.problems.map(({ path: p, message }) => ({ path: p, message })), ...stats.problems] };
  }

  /** The site as `_config.yml` describes it (defaults when there is none or it is broken). */
  siteConfig(): SiteConfig {
    return this.requireArchive().site.config;
  }

  /**
   * Where a link written in the post at `fromPath` leads (link-table.ts). The first call builds every post's
   * permalink from the index and the posts' heads on disk (for front matter `permalink`/`slug`).
   */
  async resolveLink(fromPath: string, href: string): Promise<LinkTarget | null> {
    const archive = this.requireArchive();
    const from = checkRelativePath(fromPath);
    return resolveLinkIn(await this.linksOf(archive), archive.site.config, from, href);
  }

  /**
   * Starts building the link table in the background unless it is built or being built (a reader who opened an
   * article may click a link in it next: the adapters call this as they serve an article).
   */
  prepareLinks(): void {
    if (this.current) this.linksOf(this.current).catch(() => undefined);
  }

  /** The link table of the open archive, built once per index update; a failed build is tried again next time. */
  private linksOf(archive: OpenArchive): Promise<LinkTable> {
    if (archive.links) return archive.links;
    const links = this.buildLinks(archive);
    archive.links = links;
    links.catch(() => {
      if (archive.links === links) archive.links = null;
    });
    return links;
  }

  private async buildLinks(archive: OpenArchive): Promise<LinkTable> {
    const posts: ArticleSummary[] = [];
    const index = this.readerOf(archive);
    for (let offset = 0; ; offset += 500) {
      const page = await index.read((reader) => reader.list({ includeHidden: true, sort: 'date', limit: 500, offset }));
      posts.push(...page.items);
      if (page.items.length < 500 || posts.length >= page.total) break;
    }
    const layout = await index.read((reader) => reader.getMeta('layout'));
    const categories = await index.read((reader) => reader.categories(true));
    return buildLinkTable(archive.root, archive.site.config, layout === 'flat' ? 'flat' : 'jekyll', posts, categories);
  }

  /**
   * One post, read from disk and rendered (NOT_FOUND when the index knows no such post). `highlight` is the
   * reader's search query: its terms are marked in the body as the search matched them.
   */
  async getArticle(postPath: string, highlight?: string): Promise<Article> {
    const archive = this.requireArchive();
    return this.articleFrom(archive, this.readerOf(archive), postPath, highlight);
  }

  /** getArticle with the post known to `index` (the one read now, or a job's captured one). */
  private async articleFrom(archive: OpenArchive, index: ReadableIndex, postPath: string, highlight?: string): Promise<Article> {
    checkRelativePath(postPath);
    const known = (await index.read((reader) => reader.getPost(postPath))) !== undefined;
    const layout = await index.read((reader) => reader.getMeta('layout'));
    if (!known) throw new ArchiveError('NOT_FOUND', `no post at ${postPath} in this archive`);
    const article = await readArticle(archive.root, postPath, {
      layout: layout === 'flat' ? 'flat' : 'jekyll',
      assetUrl: this.options.assetUrl,
      ...(highlight !== undefined ? { highlight } : {}),
      site: (relPath) => locateInSite(archive.site.config, relPath, layout === 'flat' ? 'flat' : 'jekyll', new Date()),
    });
    const { config } = archive.site;
    const location = locatePost(postPath, layout === 'flat' ? 'flat' : 'jekyll');
    const meta = { ...defaultsFor(config, postPath, article.draft ? 'draft' : 'post'), ...article.meta };
    const permalink = buildPermalink({ fileSlug: location.slug, categories: article.categories, date: article.date, meta }, config);
    return { ...article, url: canonicalUrl(config.url, config.baseurl, permalink) };
  }

  /**
   * Copies post folders or files into the open archive (never modifying the sources), then brings the index
   * up to date so the new posts appear in the trees and in search. One import at a time (BUSY).
   */
  async importPaths(paths: string[]): Promise<ImportReport> {
    const archive = this.requireArchive();
    if (this.importing) throw new ArchiveError('BUSY', 'an import is already running; wait for it or cancel it');
    checkNoTeamImport(archive.team);
    checkNoReconnectImport(archive.reconnect);
    const controller = new AbortController();
    this.importing = controller;
    try {
      const { sourcesRead: _sourcesRead, ...report } = await importPosts(paths, archive.root, {
        signal: controller.signal,
        // The copy's own end is not the import's end: the index update follows, and this method says 'done' once.
        onProgress: (progress) => {
          if (progress.phase !== 'done' && progress.phase !== 'cancelled') this.emit('importProgress', progress);
        },
      });
      if (report.added > 0 || report.renamed > 0) {
        this.emit('importProgress', { phase: 'indexing', scanned: report.added, copied: report.added, indexed: 0 });
        await archive.scheduler.update();
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

  /** An archive-relative path as a real file inside the open archive (resolve-inside.ts). */
  async resolveInside(relPath: string): Promise<string> {
    return resolveInside(this.requireArchive().root, relPath);
  }

  async close(): Promise<void> {
    const archive = this.current;
    this.current = null;
    if (!archive) return;
    await archive.watcher?.close();
    await archive.scheduler.close();
    archive.index.close();
    await archive.team?.close();
  }

  private requireArchive(): OpenArchive {
    if (!this.current) throw new ArchiveError('NO_ARCHIVE', 'no archive is open');
    return this.current;
  }
}

/** Why the app does not import while a team index is read (said by the service, the server and the renderer). */
export const TEAM_IMPORT_REFUSED =
  'import is off while a team index is read: this app never writes the team index. Import on the indexer machine with `cli import SOURCE… --into ARCHIVE`, then `cli index ARCHIVE --store URL`.';

/** Why the app does not import while the remembered team index is being connected again (service, menu, renderer). */
export const RECONNECT_IMPORT_REFUSED =
  'Import waits while the team index is being reconnected: once connected, this archive is read from the team index, which would not list the posts imported here. Import once it has connected or failed, or after "Stop using it".';

/** Why a reconnect did not switch to the team index it reached (an import was running). */
export const RECONNECT_IMPORT_RUNNING = 'an import was running when the team index answered, so this archive stays on this computer’s index; Retry once the import is done.';

/** No import while the remembered team index is being connected again: BUSY, before anything is copied. */
export function checkNoReconnectImport(reconnect: TeamReconnect | null | undefined): void {
  if (reconnect?.state === 'connecting') throw new ArchiveError('BUSY', RECONNECT_IMPORT_REFUSED);
}

/** `work`, or `timeout()` as the rejection once `ms` pass first (the timer never keeps the process alive). */
function withDeadline<T>(work: Promise<T>, ms: number, timeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeout()), ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Milliseconds as seconds for a message: 20000 -> "20", 300 -> "0.3". */
const seconds = (ms: number): string => String(Math.round(ms / 100) / 10);

/**
 * No import while a team index is read, whatever the role may do: the app never writes the team index (updating it
 * from this folder would remove every shared post not in it). READ_ONLY, before anything is copied.
 */
export function checkNoTeamImport(team: TeamIndex | null): void {
  if (team) throw new ArchiveError('READ_ONLY', TEAM_IMPORT_REFUSED);
}
