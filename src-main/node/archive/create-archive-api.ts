import path from 'node:path';
import { unescapeHtml } from '../../core/html-escape';
import { ArchiveError, type ArchiveApi, type ImportReport } from '../../shared/archive-api';
import { checkNoTeamImport, type ArchiveService } from './archive-service';
import { citeArticle } from './cite-article';
import type { RecentArchives } from '../recent-archives';
import { stageUploads, type StagedUploads } from '../import/stage-uploads';
import { createExportMethods, type ExportHost } from '../export/export-methods';
import { WorkspaceService } from '../workspace/workspace-service';
import { batchSearch } from '../analysis/batch-search';

/** What differs between hosts (desktop window, browser mode, tests). */
export interface ArchiveHost extends ExportHost {
  /** Folders the renderer may open; `null` lets the reader open any folder (desktop). */
  allowedRoots: string[] | null;
  recent: RecentArchives;
  chooseFolder?: () => Promise<string | null>;
  showItemInFolder?: (absPath: string) => void;
  openExternalUrl?: (url: string) => Promise<void>;
  /** Desktop: let these remote URLs (one article's images) through the request filter, or stop them again. */
  allowRemoteUrls?: (urls: string[]) => void;
  /** The workspace file a person chose (the CLI's `--workspace`); default: one per archive in the data folder. */
  workspaceFile?: string;
}

/** Only web links leave the app, and only to the system browser. */
export function isWebUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** The contract, implemented once over a service and a host. Every adapter (IPC, HTTP, tests) calls this object. */
export function createArchiveApi(service: ArchiveService, host: ArchiveHost): ArchiveApi {
  const open = async (root: string) => {
    const resolved = path.resolve(root);
    if (host.allowedRoots && !host.allowedRoots.includes(resolved)) {
      throw new ArchiveError('NO_ARCHIVE', 'this Backfile server serves one archive only');
    }
    const info = await service.open(resolved);
    await host.recent.add(info.root).catch(() => undefined);
    return info;
  };

  const workspace = new WorkspaceService(service, { workspaceFile: host.workspaceFile });
  return {
    ...workspace.api(),
    openArchive: open,
    getArchiveInfo: async () => service.infoOrNull(),
    getRecentArchives: async () => {
      const recent = await host.recent.list();
      return host.allowedRoots ? recent.filter((r) => host.allowedRoots?.includes(r.root)) : recent;
    },
    getCategories: async (includeHidden) => service.categories(includeHidden ?? false),
    getDates: async (includeHidden) => service.dates(includeHidden ?? false),
    getTags: async (includeHidden) => service.tags(includeHidden ?? false),
    // Mark words (is:starred, label:…) are the workspace's: the index counts its hits whose paths pass their test,
    // in one pass (the trees and the timeline then agree with the list).
    getFacets: async (query) => (await workspace.ready(), service.facets(query, workspace.pathFilter(query))),
    getTimeline: async (query, by) => (await workspace.ready(), service.timeline(query, by, workspace.pathFilter(query))),
    // One index for the whole call: a term's total and dates never come from two indexes (a disconnect meanwhile).
    batchSearch: async (terms) => {
      const index = service.captureIndex();
      return batchSearch(terms, (q) => workspace.list(q, index));
    },
    getProblems: async () => service.problems(),
    listArticles: async (query) => workspace.list(query),
    getArticle: async (postPath, highlight) => {
      const article = await service.getArticle(postPath, highlight);
      // The reader may follow a link in it next: have the archive's permalinks ready (built once per index update).
      service.prepareLinks();
      if (!host.showItemInFolder) delete article.absolutePath; // browser mode: the page need not know the disk layout
      return article;
    },
    getSimilar: async (postPath, includeHidden) => service.similar(postPath, includeHidden ?? false),
    getVersionText: async (postPath) => service.versionText(postPath),
    chooseAndOpenArchive: async () => {
      if (!host.chooseFolder) return null;
      const folder = await host.chooseFolder();
      return folder ? open(folder) : null;
    },
    showInFolder: async (postPath) => {
      if (!host.showItemInFolder) return false;
      host.showItemInFolder(await service.resolveInside(postPath));
      return true;
    },
    resolveLink: async (fromPath, href) => service.resolveLink(fromPath, href),
    citeArticle: async (postPath, style) => citeArticle(service, postPath, style),
    openExternal: async (url) => {
      if (!host.openExternalUrl || !isWebUrl(url)) return false;
      await host.openExternalUrl(url);
      return true;
    },
    setRemoteContentAllowed: async (postPath, allowed) => {
      if (!host.allowRemoteUrls) return true; // browser mode: the page itself decides when to set a remote src
      host.allowRemoteUrls(allowed ? remoteUrlsOf((await service.getArticle(postPath)).html) : []);
      return true;
    },
    importPaths: async (paths) => {
      if (host.allowedRoots) throw new ArchiveError('INVALID_ARGUMENT', 'browser mode imports dropped files, not paths on this machine');
      checkCanImport(service);
      return service.importPaths(paths);
    },
    importFiles: async (files) => {
      checkCanImport(service);
      return importStagedUploads(service, await stageUploads(files));
    },
    cancelImport: async () => service.cancelImport(),
    // The team workspace's marks read anew (another computer may have changed them since the last read).
    ...createExportMethods(service, host, async (query) => (await workspace.ready(), workspace.pathFilter(query))),
    getIndexInfo: async () => service.indexInfo(),
    connectTeamIndex: async (request) => service.connectTeamIndex(request),
    disconnectTeamIndex: async () => service.disconnectTeamIndex(),
  };
}

/** Refuses an import that cannot start: BUSY while another runs, NO_ARCHIVE before one is open. */
export function checkCanImport(service: ArchiveService): void {
  if (service.root === null) throw new ArchiveError('NO_ARCHIVE', 'no archive is open');
  if (service.isImporting) throw new ArchiveError('BUSY', 'an import is already running; wait for it or cancel it');
  checkNoTeamImport(service.teamIndex);
}

/** Imports files staged from a drop (in memory or streamed by the HTTP adapter), then removes the staging folder. */
export async function importStagedUploads(service: ArchiveService, staged: StagedUploads): Promise<ImportReport> {
  try {
    checkCanImport(service);
    return await service.importPaths(staged.sources);
  } finally {
    await staged.remove();
  }
}

/** The remote URLs a sanitised article asks for (its `data-remote-src` images). */
export function remoteUrlsOf(html: string): string[] {
  const urls = new Set<string>();
  for (const match of html.matchAll(/data-remote-src="([^"]*)"/g)) {
    const url = unescapeHtml(match[1] ?? '');
    if (isWebUrl(url)) urls.add(url);
  }
  return [...urls];
}
