/**
 * The workspace half of the contract over an ArchiveService: opens the workspace of whichever archive the service
 * has open (its file in the data folder, or the one a person gave: `--workspace`), and after each finished index
 * update lets the marks follow their posts (reconcile.ts). With a team index connected the workspace is the same
 * file on this computer, and the marks follow the team index's posts (index-view.ts reads them ahead, by path and
 * content hash): the mark words, counts and saved searches answer over the team index's results as over the local's.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ArchiveError, type ListQuery, type ListResult } from '../../shared/archive-api';
import type { IndexReader } from '../index/index-reader';
import type { HighlightInput, Label, MarkCounts, PostMarks, SavedQuery, WorkspaceApi, WorkspaceImportReport } from '../../shared/workspace-api';
import type { ArchiveService } from '../archive/archive-service';
import { exportWorkspace, importWorkspace } from './exchange';
import { indexViewOf, withIndexView, type ViewKeys } from './index-view';
import { listWithMarks, markClausesOf, markedResult, markFilterOf, type ResultIndex } from './mark-filter';
import type { IndexView, IndexedPost } from './reconcile';
import { addSavedSearch, listSavedSearches, markSavedSearchOpened, removeSavedSearch, type FindPaths } from './saved-searches';
import { locateWorkspace } from './workspace-file';
import { WorkspaceStore } from './workspace-store';
import type { PgWorkspaceStore } from './pg-workspace-store';

/** Set inside a team workspace call (teamCall): the calls it makes run in it, not after it. */
const inTeamCall = new AsyncLocalStorage<true>();

export interface WorkspaceServiceOptions {
  /** A workspace file a person chose (the CLI's `--workspace`); default: one per archive in the data folder. */
  workspaceFile?: string;
  /** The data folder (default data-dir.ts dataDir()). */
  dataDir?: string;
}

export class WorkspaceService {
  private store: WorkspaceStore | null = null;
  private pending: Promise<number> = Promise.resolve(0);
  private storeRoot: string | null = null;
  private readonly stopListening: () => void;
  /** The team workspace's calls, one at a time; the copy a write changes; the copy last read (and of which). */
  private teamQueue: Promise<unknown> = Promise.resolve();
  private writing: WorkspaceStore | null = null;
  private teamCopy: { of: PgWorkspaceStore; store: WorkspaceStore } | null = null;

  constructor(private readonly archive: ArchiveService, private readonly options: WorkspaceServiceOptions = {}) {
    this.stopListening = archive.on('archiveChanged', () => this.reconcileQuietly());
  }

  /** The open archive's workspace, opened (or created) on first use and again when another archive is opened. */
  workspace(): WorkspaceStore {
    const team = this.teamWorkspace();
    if (team) {
      const copy = this.writing ?? (this.teamCopy?.of === team ? this.teamCopy.store : null);
      if (!copy) throw new ArchiveError('BUSY', 'the team workspace is being read; try again');
      return copy;
    }
    const root = this.archive.root;
    if (root === null) throw new ArchiveError('NO_ARCHIVE', 'no archive is open');
    if (this.store && this.storeRoot === root) return this.store;
    this.store?.close();
    this.store = null;
    const store = WorkspaceStore.open(locateWorkspace(root, this.options.workspaceFile, this.options.dataDir));
    this.store = store;
    this.storeRoot = root;
    this.reconcileQuietly();
    return store;
  }

  /**
   * Marks follow their posts through the index's last update; returns how many changed (at once on the local index,
   * a promise on the team index).
   */
  reconcile(): number | Promise<number> {
    if (this.teamWorkspace()) return this.reconcileTeamWorkspace();
    const store = this.workspace();
    return this.archive.teamIndex ? this.reconcileWithTeam(store) : store.reconcile(indexViewOf(this.archive) as IndexView);
  }

  /**
   * Marks follow the team index's posts, read ahead (index-view.ts); not while its indexer's cold build is under way
   * (the posts table holds part of the archive: the rest would look deleted). Returns how many changed.
   */
  private async reconcileWithTeam(store: WorkspaceStore): Promise<number> {
    const team = this.archive.teamIndex;
    if (!team || (await team.partial())) return 0;
    return withIndexView(this.archive, () => store.markedKeys(), (read) => (store.db.open ? store.reconcile(read) : 0));
  }

  /**
   * Reconciles when the index is whole: never in the middle of an update (a first index of a big archive is read
   * while it grows, and posts not yet indexed must not look deleted).
   */
  private reconcileQuietly(): void {
    if (this.teamWorkspace()) {
      this.pending = this.reconcileTeamWorkspace().catch(() => 0);
      return;
    }
    try {
      // The team index is read as its indexer committed it; the local one only once its update is done.
      if (!this.archive.teamIndex && !this.archive.localIndexReady()) return;
      const store = this.store;
      if (!store || this.storeRoot !== this.archive.root) return;
      if (this.archive.teamIndex) this.pending = this.reconcileWithTeam(store).catch(() => 0);
      else store.reconcile(indexViewOf(this.archive) as IndexView); // the local index's view answers at once
    } catch {
      // The index is being rebuilt: the next finished update reconciles.
    }
  }

  /** The reader's marks in the team database (pg-workspace-store.ts), when the team index was connected with them. */
  private teamWorkspace(): PgWorkspaceStore | null {
    return this.archive.teamIndex?.workspace ?? null;
  }

  /**
   * In the team workspace, runs `job` alone (one call at a time) on the role's workspace read now ('read'), or read,
   * changed and written back in one transaction ('write'); a call made inside one runs in it. Elsewhere: `job()`.
   */
  private teamCall<T>(kind: 'read' | 'write', job: () => Promise<T>): Promise<T> {
    const team = this.teamWorkspace();
    if (!team || inTeamCall.getStore()) return job();
    const run = () => inTeamCall.run(true, async (): Promise<T> => {
      if (kind === 'read') {
        this.keepCopy(team, await team.copy());
        return job();
      }
      const { value, store } = await team.write(async (copy) => {
        this.writing = copy;
        try {
          return await job();
        } finally {
          this.writing = null;
        }
      });
      this.keepCopy(team, store);
      return value;
    });
    const result = this.teamQueue.then(run, run);
    this.teamQueue = result.catch(() => undefined);
    return result;
  }

  private keepCopy(of: PgWorkspaceStore, store: WorkspaceStore): void {
    // Read between calls, never written: a change made on it would be lost, so SQLite refuses it.
    store.db.pragma('query_only = ON');
    this.teamCopy?.store.close();
    this.teamCopy = { of, store };
  }

  /**
   * Runs `job` on the workspace to change it (the CLI's mark and saved commands): the local file at once, the team
   * workspace in one transaction (its copy read between calls refuses writes).
   */
  change<T>(job: (store: WorkspaceStore) => T | Promise<T>): Promise<T> {
    return this.teamCall('write', async () => job(this.workspace()));
  }

  /** The team workspace read now (pathFilter answers from it); nothing to do for the local one. */
  ready(): Promise<void> {
    return this.teamCall('read', async () => undefined);
  }

  /** Marks follow the team index's posts, in the team database (not while a cold build is under way). */
  private reconcileTeamWorkspace(): Promise<number> {
    return this.teamCall('write', async () => {
      const team = this.archive.teamIndex;
      if (!team || (await team.partial())) return 0;
      return withIndexView(this.archive, () => this.workspace().markedKeys(), (read) => this.workspace().reconcile(read));
    });
  }

  /** The team index's reconcile started last (at open or after the indexer's commit), settled; 0 when none ran. */
  settled(): Promise<number> {
    return this.pending;
  }

  /** The view of the index read now covering `keys` (index-view.ts): the local index's at once, the team's read ahead. */
  private view(keys: () => ViewKeys): IndexView | Promise<IndexView> {
    return indexViewOf(this.archive, keys);
  }

  /** The indexed post at `path` (NOT_FOUND when the index knows none): at once on the local index. */
  post(path: string): IndexedPost | Promise<IndexedPost> {
    const found = (view: IndexView): IndexedPost => {
      const post = view.byPath(path);
      if (!post) throw new ArchiveError('NOT_FOUND', `no post at ${path} in this archive`);
      return post;
    };
    const view = this.view(() => ({ paths: [path], hashes: [] }));
    return view instanceof Promise ? view.then(found) : found(view);
  }

  private async mark(path: string, change: (store: WorkspaceStore, postId: number) => void): Promise<PostMarks> {
    const store = this.workspace();
    const post = await this.post(path);
    return store.mark(post, (id) => change(store, id));
  }

  /** The open archive's result order and list items, read from the index it is read from now (mark-filter.ts). */
  private readonly resultIndex: ResultIndex = resultIndexOf((job) => this.archive.readIndex(job));

  /** Every path the query finds, newest first (hidden posts as the query says): one read of the result, no text. */
  readonly findPaths: FindPaths = async (query) => (await markedResult(this.workspace(), { ...query, sort: 'date' }, this.resultIndex)).paths;

  /**
   * The article list, with `is:starred`, `label:`, `has:note` and `has:highlight` applied (mark-filter.ts); `from`:
   * a job's captured index (archive-service.ts CapturedIndex) instead of the one read now.
   */
  async list(query: ListQuery, from: { list(query: ListQuery): Promise<ListResult>; read?: ReadIndex } = this.archive): Promise<ListResult> {
    if (markClausesOf(query.query).length === 0) return from.list(query);
    return this.teamCall('read', () => listWithMarks(this.workspace(), query, from.read ? resultIndexOf(from.read) : this.resultIndex));
  }

  /** The mark words' test on paths for `query` (null: it has none): an export filters the index's order with it. */
  pathFilter(query: ListQuery): ((path: string) => boolean) | null {
    return markClausesOf(query.query).length === 0 ? null : markFilterOf(this.workspace(), query.query);
  }

  /** Starred, Notes and each label within what `query` finds: the result's paths read once, the marks once. */
  async countMarks(query: ListQuery): Promise<MarkCounts> {
    const store = this.workspace();
    const inResult = new Set(await this.findPaths(query));
    const counts: MarkCounts = { starred: 0, notes: 0, labels: Object.fromEntries(store.listLabels().map((l) => [l.name, 0])) };
    for (const m of store.listMarks()) {
      if (m.missing || !inResult.has(m.path)) continue;
      if (m.starred) counts.starred += 1;
      if (m.note !== '') counts.notes += 1;
      for (const name of m.labels) counts.labels[name] = (counts.labels[name] ?? 0) + 1;
    }
    return counts;
  }

  /** Merges a workspace export (exchange.ts; checked there) into this workspace, its marks placed on the index read now. */
  importData(data: unknown): Promise<WorkspaceImportReport> {
    return this.teamCall('write', async () => {
      const store = this.workspace();
      return withIndexView(this.archive, () => keysOfImport(data), (view) => importWorkspace(store, data, view));
    });
  }

  /**
   * The labels with their sharing in the team workspace (as read with the copy), one's own with the labellings other
   * roles made with it; the local workspace's as they are.
   */
  private shown(labels: Label[]): Label[] {
    const team = this.teamWorkspace();
    if (!team) return labels;
    const idOf = this.workspace().db.prepare('SELECT id FROM labels WHERE name = ?').pluck();
    return labels.map((label) => {
      const id = idOf.get(label.name) as number | undefined;
      const { shared, owner, others } = id === undefined ? { shared: false, owner: undefined, others: undefined } : team.sharingOf(id);
      // Flags only where there is sharing: an unshared label reads as the local workspace's does. Other roles'
      // labellings of one's own label go with it when it is deleted or merged: the count the confirmation says.
      return { ...label, ...(shared ? { shared } : {}), ...(owner !== undefined ? { owner } : {}), ...(others ? { labelledByOthers: others } : {}) };
    });
  }

  /** Shares one's own label with the team (team workspace only), then the labels as they are now. */
  private async setLabelShared(name: string, shared: boolean): Promise<Label[]> {
    const team = this.teamWorkspace();
    if (!team) throw new ArchiveError('INVALID_ARGUMENT', 'sharing needs the team workspace: connect the team index with "Keep my stars, labels and notes in the team database" (--team-workspace)');
    await this.teamCall('read', () => team.setShared(name, shared));
    return this.teamCall('read', async () => this.shown(this.workspace().listLabels()));
  }

  close(): void {
    this.stopListening();
    this.teamCopy?.store.close();
    this.teamCopy = null;
    this.store?.close();
    this.store = null;
    this.storeRoot = null;
  }

  api(): WorkspaceApi {
    return {
      getMarks: async (path) => this.teamCall('read', async () => {
        await this.post(path);
        return this.workspace().getMarks(path);
      }),
      setStar: async (path, starred) => this.teamCall('write', async () => this.mark(path, (s, id) => s.setStar(id, starred))),
      setLabels: async (path, labels) => this.teamCall('write', async () => this.mark(path, (s, id) => s.setLabels(id, labels))),
      addLabel: async (path, name, color) => this.teamCall('write', async () => this.mark(path, (s, id) => s.addLabel(id, name, color ?? undefined))),
      removeLabel: async (path, name) => this.teamCall('write', async () => this.mark(path, (s, id) => s.removeLabel(id, name))),
      setNote: async (path, note) => this.teamCall('write', async () => this.mark(path, (s, id) => s.setNote(id, note))),
      addHighlight: async (path, highlight: HighlightInput) => this.teamCall('write', async () => this.mark(path, (s, id) => void s.addHighlight(id, highlight))),
      removeHighlight: async (path, id) => this.teamCall('write', async () => this.mark(path, (s, postId) => s.removeHighlight(postId, id))),
      listMarks: async () => this.teamCall('read', async () => this.workspace().listMarks()),
      countMarks: async (query) => this.teamCall('read', async () => this.countMarks(query)),
      listLabels: async () => this.teamCall('read', async () => this.shown(this.workspace().listLabels())),
      setLabelColor: async (name, color) => this.teamCall('write', async () => this.shown(this.workspace().setLabelColor(name, color))),
      renameLabel: async (from, to) => this.teamCall('write', async () => this.shown(this.workspace().renameLabel(from, to))),
      mergeLabels: async (from, into) => this.teamCall('write', async () => this.shown(this.workspace().mergeLabels(from, into))),
      deleteLabel: async (name) => this.teamCall('write', async () => this.shown(this.workspace().deleteLabel(name))),
      setLabelShared: async (name, shared) => this.setLabelShared(name, shared),
      listSavedSearches: async () => this.teamCall('read', async () => listSavedSearches(this.workspace(), this.findPaths)),
      addSavedSearch: async (name, query: SavedQuery) => this.teamCall('write', async () => addSavedSearch(this.workspace(), name, query, this.findPaths)),
      removeSavedSearch: async (name) => this.teamCall('write', async () => removeSavedSearch(this.workspace(), name)),
      markSavedSearchOpened: async (name) => this.teamCall('write', async () => markSavedSearchOpened(this.workspace(), name, this.findPaths)),
      forgetMarks: async (path) => this.teamCall('write', async () => this.workspace().forgetMissing(path)),
      exportWorkspace: async () => this.teamCall('read', async () => exportWorkspace(this.workspace())),
      importWorkspace: async (data) => this.teamCall('write', async () => this.importData(data)),
    };
  }
}

type ReadIndex = <T>(job: (index: IndexReader) => T) => T;

/** Result order and list items (mark-filter.ts) from an index as `read` reaches it (now, or a job's captured one). */
function resultIndexOf(read: ReadIndex): ResultIndex {
  return {
    order: (q) => read((index) => index.listOrder(q)),
    hits: (paths, query) => read((index) => index.hitsOfPaths(paths, query)),
  };
}

/** The paths and hashes an import's marks name (read leniently: exchange.ts checks the data itself). */
function keysOfImport(data: unknown): ViewKeys {
  const marks = (data as { marks?: unknown } | null)?.marks;
  const list = Array.isArray(marks) ? (marks as { path?: unknown; hash?: unknown }[]) : [];
  return {
    paths: list.map((m) => m?.path).filter((p): p is string => typeof p === 'string'),
    hashes: list.map((m) => m?.hash).filter((h): h is string => typeof h === 'string'),
  };
}
