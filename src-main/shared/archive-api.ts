/**
 * The one contract between Backfile's services and everything that talks to them:
 * the Electron main process (IPC handlers), the preload bridge, the HTTP server of browser mode,
 * the CLI, the renderer and the tests. Typed once, here.
 *
 * The renderer imports only types from this file (plus the constant list of method names,
 * which is plain data with no runtime dependencies).
 */

import { WORKSPACE_METHODS, type WorkspaceApi } from './workspace-api';

/** Something wrong with one file: where, and what a person can do about it. */
export interface Problem {
  /** Path relative to the archive root, with `/` separators. */
  path: string;
  message: string;
  /** `error`: the file could not be read as intended; `warning`: read, but something was guessed. */
  severity: 'error' | 'warning';
}

/**
 * A post's date as the author wrote it, in ISO 8601:
 * `2019-03-01T09:15:00+01:00` (wall clock and offset), `2023-03-03T07:00:00` (no offset written),
 * or `2020-01-15` (a day). The first ten characters are always the written day, in every time zone.
 * `null`: undated.
 */
export type PostDate = string | null;

export interface ArticleSummary {
  /** Path relative to the archive root, `/`-separated; the article's identity. */
  path: string;
  title: string;
  date: PostDate;
  categories: string[];
  tags: string[];
  /** First line or so of the text, plain. */
  excerpt: string;
  /** Unpublished (`published: false`) or a draft. */
  hidden: boolean;
}

export interface SearchHit extends ArticleSummary {
  /** A short piece of the original text, HTML-escaped, with matched terms in `<mark>…</mark>`. */
  snippet: string;
  /**
   * In a collapsed list (`ListQuery.collapse`): how many of this post's other versions (getSimilar, same hidden rule)
   * the same result holds, i.e. what its Other versions shows from the result; the row stands for its whole story.
   */
  versions?: number;
}

export interface Article extends ArticleSummary {
  /** Sanitised HTML of the body. Local images point at the asset route; remote resources carry `data-remote-src`. */
  html: string;
  /** The post's original URL, where the post names one (real archives end with `<http://…>`). */
  source: string | null;
  /** Every front-matter field, as parsed (for `author` and the like). */
  meta: Record<string, unknown>;
  /** Does the body reference remote images or media (blocked until the reader allows them)? */
  hasRemoteContent: boolean;
  draft: boolean;
  /** Problems found in this file (bad YAML, uncertain encoding, …). */
  problems: Problem[];
  /** Absolute path on disk (for "Show in folder"); absent in browser mode. */
  absolutePath?: string;
  /** The post's canonical URL as the site's `_config.yml` builds it (`url` + `baseurl` + permalink); null without `url`. */
  url?: string | null;
}

/** The node with an empty `path` (and `name`) is "Uncategorised": posts filed under no category. */
export interface CategoryNode {
  name: string;
  /** Full path from the root of the tree, e.g. `['Politics', 'Local']`. */
  path: string[];
  /** Posts filed exactly here. */
  count: number;
  /** Posts filed here or below. */
  total: number;
  children: CategoryNode[];
}

export interface DateNode {
  /** `null` is the "Undated" node. */
  year: number | null;
  count: number;
  months: { month: number; count: number }[];
}

export interface TagCount {
  name: string;
  count: number;
}

/** The `stats` contract of the CLI. */
export interface ArchiveStats {
  posts: number;
  hidden: number;
  problems: { path: string; message: string }[];
  categories: { path: string[]; count: number }[];
  tags: TagCount[];
  years: { year: number | null; count: number }[];
}

/** `date`: newest first; `oldest`: oldest first. Undated posts come last in both. */
export type SortOrder = 'relevance' | 'date' | 'oldest';

/** What the article list shows: a query in Backfile's syntax, combined with tree selections. */
export interface ListQuery {
  query?: string;
  /** A category path: matches posts filed there or below; `null` selects uncategorised posts. */
  category?: string[] | null;
  /** A year; `null` selects undated posts. */
  year?: number | null;
  month?: number;
  /** A tag; `null` selects untagged posts. */
  tag?: string | null;
  /** Several tags (compared case-insensitively): posts with all of them, or any of them with `tagMode: 'any'`. AND-ed with `tag`. */
  tags?: string[];
  tagMode?: TagMode;
  sort?: SortOrder;
  offset?: number;
  limit?: number;
  includeHidden?: boolean;
  /**
   * One row per story (posts linked by other versions at SIMILAR_THRESHOLD, transitively): the story's first post in
   * the list's order stands for it, with `versions` (that post's own versions in the result; hidden posts are in no
   * story); `total`, `offset` and `limit` count stories. Facets and the
   * timeline still count posts.
   */
  collapse?: boolean;
}

/** How `ListQuery.tags` combine: `all` (the default) or `any`. */
export type TagMode = 'all' | 'any';

/**
 * The trees' counts for the posts a ListQuery finds (offset, limit and sort do not matter). The category and date
 * trees count as if their own selection were not made (a node's count is the total of the list with that node
 * selected instead); the tags count the result as it is (with tagMode `all`, a tag's count is the list's total
 * with that tag added). Nodes no post reaches are left out; the nodes are named as in getCategories/getDates/getTags.
 */
export interface Facets {
  categories: CategoryNode[];
  dates: DateNode[];
  tags: TagCount[];
}

/** The size of a timeline's bars: `2020-01-23`, `2020-W04` (ISO week), `2020-01`, `2020`. */
export const TIMELINE_UNITS = ['day', 'week', 'month', 'year'] as const;
export type TimelineUnit = (typeof TIMELINE_UNITS)[number];

/**
 * How many posts a ListQuery finds per period (offset, limit and sort do not matter): the buckets run from the
 * oldest dated hit's period to the newest's, empty periods included, so their counts add up to `total - undated`.
 */
export interface Timeline {
  total: number;
  undated: number;
  by: TimelineUnit;
  buckets: { period: string; count: number }[];
}

/** One line of a batch search: a full query, its hits, and the dates of its oldest and newest dated hit. */
export interface BatchTerm {
  term: string;
  total: number;
  first: string | null;
  last: string | null;
}

/** The most terms one batchSearch call takes (a longer list goes in several calls, which gives progress and cancel). */
export const MAX_BATCH_TERMS = 1000;

/**
 * Another version of a story: a post whose text is nearly the same as the asked one's (a reprint of the same wire
 * copy under another outlet's category, an edited repost). `score` is the estimated Jaccard similarity of the two
 * bodies' character 5-shingles (0..1, from MinHash signatures kept in the index; boilerplate lines left out).
 */
export interface SimilarPost {
  path: string;
  title: string;
  date: PostDate;
  categories: string[];
  score: number;
}

/** The other versions of the post at `path`: best first, only those at or above SIMILAR_THRESHOLD, at most SIMILAR_LIMIT. */
export interface SimilarResult {
  path: string;
  similar: SimilarPost[];
}

/** The least score a post needs to count as another version (README "Other versions" says why this value). */
export const SIMILAR_THRESHOLD = 0.35;
/** The most versions getSimilar answers. */
export const SIMILAR_LIMIT = 50;

export interface ListResult {
  total: number;
  items: SearchHit[];
  /** The query could not be understood as written; the message says how it was read instead. */
  notice?: string;
}

export interface ArchiveInfo {
  /** Absolute path of the archive folder. */
  root: string;
  name: string;
  posts: number;
  hidden: number;
  problems: number;
  /** Index file in use. */
  indexPath: string;
  /** The site's canonical address from `_config.yml` (`url` + `baseurl`), or null. */
  siteUrl?: string | null;
  /** What this host can do beyond reading: desktop-only actions are absent in browser mode. */
  capabilities: { showInFolder: boolean; chooseFolder: boolean; importPaths: boolean; importFiles: boolean };
  /** The index update's progress when this was asked (a page that opens mid-indexing knows before the next event). */
  indexProgress?: IndexProgress | null;
  /** Which index answers (the local SQLite file, or a team index on PostgreSQL), as getIndexInfo tells. */
  index?: IndexInfo;
}

/**
 * The index the open archive is read from. `local`: Backfile's own SQLite file, kept up to date by this app.
 * `postgres`: a team index on PostgreSQL (issue 15), kept up to date by the team's indexer (`cli index --store`);
 * this app then never indexes by itself and sees the indexer's changes as `archiveChanged` events.
 */
export interface IndexInfo {
  kind: 'local' | 'postgres';
  /** A team index whose role may only read (no import, no indexing: "read-only team index"); always false for local. */
  readOnly: boolean;
  /** `local`: the index file's path. `postgres`: the URL without its password, then ` schema NAME` (`postgres://ann@db:5432/news schema backfile`). */
  location: string;
  /** `postgres` only: where, in parts (never the password). */
  team?: { host: string; port: number; database: string; schema: string; user: string; workspace?: 'team' };
  /**
   * How this host keeps a team-index password, for the connect dialog (set by the desktop app's main process, absent
   * elsewhere): `keychain` (Electron's safeStorage can encrypt it), `unavailable` (no protected keychain: nothing is
   * stored). Absent: browser mode, where the server holds it in memory for the session only.
   */
  passwordStorage?: 'keychain' | 'unavailable';
  /** Desktop: a password is remembered for the team index last connected (the dialog may be sent without one). */
  passwordRemembered?: boolean;
  /** Desktop: the team indexes (URL as in `location`, schema) a password is remembered for, so the dialog can tick "Remember" for the typed one. */
  passwordsRememberedFor?: Array<{ url: string; schema: string }>;
  /** Desktop: connected, but the keychain refused to keep or forget the password (the dialog says so). */
  passwordNote?: string;
  /**
   * Desktop: the team index this archive was last read from (remembered per archive), while it is not read again yet:
   * being reconnected, waiting for a password, or unreachable when the archive opened. Absent when none is remembered
   * or it is connected; Disconnect forgets it.
   */
  reconnect?: TeamReconnect;
}

/**
 * Reconnecting an archive to its remembered team index, as it stands. `connecting`: tried in the background (the
 * local index answers meanwhile). `password`: none is remembered for it, the reader is asked (the dialog, filled in).
 * `failed`: it could not be reached or refused (`error`, STORE_UNAVAILABLE for a server that is down); the local index
 * answers, and connectTeamIndex with `url` and `schema` tries again.
 */
export interface TeamReconnect {
  /** The URL without its password, as in `location`. */
  url: string;
  schema: string;
  state: 'connecting' | 'password' | 'failed';
  error?: ApiError;
  /** The connection kept the reader's marks in the team database: so does the reconnection. */
  teamWorkspace?: boolean;
}

/** How to reach a team index: `postgres://USER[:PASSWORD]@HOST:PORT/DB`, the schema (default `backfile`), the password. */
export interface TeamIndexRequest {
  url: string;
  /** Default `backfile`; a name matching /^[a-z_][a-z0-9_]{0,62}$/. */
  schema?: string;
  /** Given here or inside the URL (this one wins); never sent back, never logged. */
  password?: string;
  /** Desktop only: keep the password for next time (through Electron's safeStorage); ignored elsewhere. */
  remember?: boolean;
  /** Desktop only: forget the password remembered for this address and schema (the reader unticked "Remember"). */
  forgetPassword?: boolean;
  /** Keep the reader's stars, labels, notes and saved searches in the team database (per role) instead of on this computer. */
  teamWorkspace?: boolean;
}

export interface IndexProgress {
  phase: 'scanning' | 'indexing' | 'ready' | 'error';
  /** Files found so far. */
  scanned: number;
  /** Files that need (re)reading in this run. */
  toIndex: number;
  indexed: number;
  message?: string;
}

export interface ImportProgress {
  phase: 'scanning' | 'copying' | 'indexing' | 'done' | 'cancelled' | 'error';
  scanned: number;
  copied: number;
  indexed: number;
}

export interface ImportReport {
  added: number;
  duplicates: number;
  renamed: number;
  skipped: number;
  problems: { path: string; message: string }[];
  /** Archive-relative paths of the posts added (to show them). */
  addedPaths: string[];
  /** Each post skipped as already there: `path` as dropped (source folder's name, then its path inside), `existing` the archive-relative copy. */
  duplicateFiles: { path: string; existing: string }[];
  cancelled: boolean;
}

/** A file dropped on the page in browser mode, where the page sees contents but no paths on disk. */
export interface UploadedFile {
  /** Relative path inside the drop (`colleague/_posts/x.md`, or just `x.md`), `/`-separated. */
  path: string;
  /** The bytes, base64-encoded. */
  data: string;
}

/**
 * Where a link inside an article leads: a post or a category page of the open archive (opened in Backfile), a web
 * address (the system browser). `null` from resolveLink: nowhere (an unknown relative link, `mailto:`, …).
 */
export type LinkTarget =
  | { kind: 'post'; path: string }
  | { kind: 'category'; path: string[] }
  | { kind: 'external'; url: string };

/**
 * How `citeArticle` cites a post: GB/T 7714-2015 (`[EB/OL]`), APA 7, Chicago notes-bibliography (bibliography
 * entry) or a Markdown link.
 */
export const CITATION_STYLES = ['gb7714', 'apa', 'chicago', 'markdown'] as const;
export type CitationStyle = (typeof CITATION_STYLES)[number];

/**
 * What `exportToFile` writes. `csv`: UTF-8 with BOM, columns path,title,date,categories,tags,url,snippet. `json`: one
 * array of records. `ris`, `csl-json`, `bibtex`: for reference managers (Zotero, EndNote, Mendeley). `dossier`: a
 * self-contained folder (index.html, one page per article, a lunr search index) that opens offline from `file://`.
 */
export const EXPORT_FORMATS = ['csv', 'json', 'ris', 'csl-json', 'bibtex', 'dossier'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What to export: the whole current result of `query` (any size; its offset and limit are ignored), or exactly `paths`. */
export interface ExportRequest {
  format: ExportFormat;
  /** The current result (query + tree filters + sort + includeHidden); `offset`/`limit` are ignored. */
  query?: ListQuery;
  /** Or exactly these posts (the checked rows), in this order. Exactly one of `query` and `paths` is given. */
  paths?: string[];
  /** The language of the dossier's pages (and nothing else); default `en`. */
  lang?: 'en' | 'zh';
}

export interface ExportResult {
  /** Desktop and CLI: the absolute path written (a file, or the dossier's folder). Browser mode: the file's name (the dossier's .zip). */
  path: string;
  /** Posts written. */
  count: number;
  /** Bytes written (the dossier: every file in it; browser mode: its .zip). */
  bytes: number;
  /** Cancelled with `cancelExport`: nothing was left behind, `count` and `bytes` are 0. */
  cancelled: boolean;
  /**
   * Browser mode only: the same-origin URL path (`/api/export/<id>`) the page downloads the file from, with the run's
   * token; the bridge's `exportToFile` starts that download itself, so the renderer need not look at it.
   */
  download?: string;
}

export interface ExportProgress {
  /** `packing`: browser mode only, the dossier's folder is being packed into its .zip (after `writing`, before `done`). */
  phase: 'writing' | 'packing' | 'done' | 'cancelled' | 'error';
  /** Posts written so far (`packing`: files packed into the zip). */
  written: number;
  /** Posts to write (`packing`: files to pack). */
  total: number;
  message?: string;
}

export interface RecentArchive {
  root: string;
  name: string;
  openedAt: string;
}

/**
 * Every error that crosses the contract carries one of these codes (adapters map them: HTTP statuses below,
 * the renderer to messages in the reader's language). The message is for people: never a stack trace.
 */
export const ERROR_CODES = [
  /** No such post, file or method. */
  'NOT_FOUND',
  /** The arguments do not have the contract's shape. */
  'INVALID_ARGUMENT',
  /** A path outside the archive, a link leading out of it, or an index path Backfile may not use. */
  'UNSAFE_PATH',
  /** A file that Backfile did not create: it will not delete or rewrite it. */
  'NOT_OURS',
  /** No archive is open, or the call names another archive than the one served. */
  'NO_ARCHIVE',
  /** Something of the same kind is already running (one import at a time). */
  'BUSY',
  /** The archive (or the index folder) cannot be written to. */
  'READ_ONLY',
  /** The index was damaged or deleted and is being rebuilt from the posts; try again shortly. */
  'INDEX_REBUILDING',
  /** The request is larger than allowed. */
  'TOO_LARGE',
  /** The caller is not allowed to ask: a browser-mode request without this run's token, or from another site. */
  'FORBIDDEN',
  /** The team index (PostgreSQL) cannot be reached, refused the login, or holds no Backfile index in that schema. */
  'STORE_UNAVAILABLE',
  /** A bug or an unexpected failure of the machine; the message says what. */
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** How the browser-mode server answers each code. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  UNSAFE_PATH: 403,
  NOT_OURS: 409,
  NO_ARCHIVE: 409,
  BUSY: 409,
  READ_ONLY: 409,
  INDEX_REBUILDING: 503,
  TOO_LARGE: 413,
  FORBIDDEN: 403,
  STORE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** An error as it travels over IPC and HTTP. */
export interface ApiError {
  code: ErrorCode;
  message: string;
}

/** A contract call's answer as it travels over IPC (and HTTP): Electron's invoke would drop an error's code. */
export type ApiReply<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiError };

/**
 * Electron's contextBridge copies only the message of an error thrown in the preload, so the preload writes the
 * code in front of it too (`[BUSY] an import is already running`); the renderer's bridge reads it back.
 */
export const bridgeErrorMessage = (error: ApiError): string => `[${error.code}] ${error.message}`;

/** The error every service throws for a failure a person should hear about; anything else is INTERNAL. */
export class ArchiveError extends Error {
  override name = 'ArchiveError';
  constructor(readonly code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);

/** Any thrown value as an ApiError: ArchiveError keeps its code; anything else is INTERNAL, message only. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ArchiveError) return { code: error.code, message: error.message };
  if (error && typeof error === 'object' && isErrorCode((error as { code?: unknown }).code) && typeof (error as { message?: unknown }).message === 'string') {
    return { code: (error as ApiError).code, message: (error as ApiError).message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: message.split('\n')[0]!.slice(0, 2000) || 'internal error' };
}

/** Request/response methods. Every method is async; every argument is plain JSON. */
export interface ArchiveApi extends WorkspaceApi {
  /** Open an archive folder (absolute path). In browser mode the served archive is the only one allowed. */
  openArchive(root: string): Promise<ArchiveInfo>;
  /** The open archive, or `null` before one is opened. */
  getArchiveInfo(): Promise<ArchiveInfo | null>;
  getRecentArchives(): Promise<RecentArchive[]>;
  getCategories(includeHidden?: boolean): Promise<CategoryNode[]>;
  getDates(includeHidden?: boolean): Promise<DateNode[]>;
  getTags(includeHidden?: boolean): Promise<TagCount[]>;
  /** The trees' counts for what this query and these selections find (Facets). */
  getFacets(query: ListQuery): Promise<Facets>;
  getProblems(): Promise<Problem[]>;
  /** Posts per day, week, month or year for what this query finds; `by` absent: chosen from the result's span. */
  getTimeline(query: ListQuery, by?: TimelineUnit): Promise<Timeline>;
  /** Each term searched on its own (as listArticles would), at most MAX_BATCH_TERMS a call, in order. */
  batchSearch(terms: string[]): Promise<{ terms: BatchTerm[] }>;
  listArticles(query: ListQuery): Promise<ListResult>;
  /** One article; `highlight` is the current search query, whose terms are marked in the body. */
  getArticle(path: string, highlight?: string): Promise<Article>;
  /** Other versions of this story (near-duplicate posts, found in the index), best first; `[]` when it has none.
   * Hidden posts (drafts, unpublished) are among them only with `includeHidden`, as in the list. */
  getSimilar(path: string, includeHidden?: boolean): Promise<SimilarResult>;
  /**
   * A post's body as plain text for comparing versions side by side: one paragraph (block) a line, whitespace inside a
   * line collapsed, no markup; the same text the similarity signature is computed from, before normalisation.
   */
  getVersionText(path: string): Promise<string>;
  /** Desktop: a folder picker, then opens it. Browser mode: not available (returns `null`). */
  chooseAndOpenArchive(): Promise<ArchiveInfo | null>;
  /** Desktop: reveal the post file in the system file manager. */
  showInFolder(path: string): Promise<boolean>;
  /**
   * Where a link (`href` as written) in the post at `fromPath` leads: a post of this archive by its permalink or
   * its file, a category page, the site's own URL from `_config.yml`, or another web address.
   */
  resolveLink(fromPath: string, href: string): Promise<LinkTarget | null>;
  /** The post cited in one line in `style`, accessed today (site name from `_config.yml`, else the folder's name). */
  citeArticle(path: string, style: CitationStyle): Promise<string>;
  /** Open an http(s) link in the system browser. Other schemes are refused. */
  openExternal(url: string): Promise<boolean>;
  /**
   * The reader allows (or withdraws) remote images for one article. Desktop: the main process then lets exactly
   * that article's remote URLs through its request filter; everything else remote stays blocked.
   */
  setRemoteContentAllowed(path: string, allowed: boolean): Promise<boolean>;
  /** Import folders or post files (absolute paths on this machine) into the open archive. */
  importPaths(paths: string[]): Promise<ImportReport>;
  /** Browser mode: import dropped files (contents, not paths). Limited to 64 MiB per call. */
  importFiles(files: UploadedFile[]): Promise<ImportReport>;
  cancelImport(): Promise<void>;
  /**
   * Export a result or a selection. Desktop: a save dialog (a folder for the dossier; an existing file is replaced
   * only when the dialog asked), then writes there; `null` when the dialog is cancelled. Browser mode: the server
   * writes into its own temporary folder and the bridge downloads the file (`ExportResult.download`, served once with
   * `Content-Disposition: attachment`; the dossier as one `<name>-dossier.zip`). Written under a temporary name and renamed into place; never inside the archive
   * folder (UNSAFE_PATH); one export at a time (BUSY). Progress comes as `exportProgress` events.
   */
  exportToFile(request: ExportRequest): Promise<ExportResult | null>;
  /** Stops the running export; it leaves no partial file and answers `{ cancelled: true }`. */
  cancelExport(): Promise<void>;
  /** Which index the open archive is read from (NO_ARCHIVE before one is open). */
  getIndexInfo(): Promise<IndexInfo>;
  /**
   * Reads the open archive from a team index on PostgreSQL instead of the local file (kept, not deleted): the app stops
   * indexing by itself and follows the team indexer's changes. STORE_UNAVAILABLE when the server cannot be reached, the
   * login fails or the schema holds no Backfile index; INVALID_ARGUMENT for a malformed URL or schema; NO_ARCHIVE, BUSY.
   */
  connectTeamIndex(request: TeamIndexRequest): Promise<IndexInfo>;
  /** Back to the local index (brought up to date as on open); answers its IndexInfo. Harmless when already local. */
  disconnectTeamIndex(): Promise<IndexInfo>;
}

/** Events pushed from the services to the renderer. */
export interface ArchiveEvents {
  indexProgress: IndexProgress;
  importProgress: ImportProgress;
  exportProgress: ExportProgress;
  /** The archive's content changed (indexing finished, an import landed, files changed on disk). */
  archiveChanged: ArchiveInfo;
}

export type ArchiveMethod = keyof ArchiveApi;
export type ArchiveEvent = keyof ArchiveEvents;

/** Every method name, for adapters that register handlers or build bridges by name. */
export const ARCHIVE_METHODS = [
  'openArchive',
  'getArchiveInfo',
  'getRecentArchives',
  'getCategories',
  'getDates',
  'getTags',
  'getFacets',
  'getTimeline',
  'batchSearch',
  'getProblems',
  'listArticles',
  'getArticle',
  'getSimilar',
  'getVersionText',
  'chooseAndOpenArchive',
  'showInFolder',
  'resolveLink',
  'citeArticle',
  'openExternal',
  'setRemoteContentAllowed',
  'importPaths',
  'importFiles',
  'cancelImport',
  'exportToFile',
  'cancelExport',
  'getIndexInfo',
  'connectTeamIndex',
  'disconnectTeamIndex',
  ...WORKSPACE_METHODS,
] as const satisfies readonly ArchiveMethod[];

// Compile-time check that the list above names every method exactly.
type Missing = Exclude<ArchiveMethod, (typeof ARCHIVE_METHODS)[number]>;
const _allMethodsListed: Missing extends never ? true : Missing = true;
void _allMethodsListed;

export const ARCHIVE_EVENTS = ['indexProgress', 'importProgress', 'exportProgress', 'archiveChanged'] as const satisfies readonly ArchiveEvent[];

/** IPC channel names are derived, never typed by hand. */
export const channelFor = (method: ArchiveMethod | ArchiveEvent): string => `backfile:${method}`;

/**
 * What the desktop app's menu asks of the page, on `MENU_CHANNEL` (main to page only): File › Export… opens the
 * page's export dialog, since only the page knows the current result and the checked rows; File › Connect to a Team
 * Index… opens the page's connect dialog.
 */
export const MENU_COMMANDS = ['export', 'connectTeamIndex'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];
export const MENU_CHANNEL = 'backfile:menu';

/** What the preload puts on `window.backfile`: the methods plus one `on…` subscription per event. */
export type BackfileBridge = ArchiveApi & {
  subscribe<E extends ArchiveEvent>(event: E, listener: (payload: ArchiveEvents[E]) => void): () => void;
  /** Electron only: the file-system path of a dropped `File` (via `webUtils.getPathForFile`). */
  getPathForFile?(file: File): string;
  /** Electron only: the app menu's commands for the page (`MENU_COMMANDS`). */
  onMenuCommand?(listener: (command: MenuCommand) => void): () => void;
};
