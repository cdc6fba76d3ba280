/**
 * The open archive's index as reconcile.ts and the workspace read it: posts by path, and by content hash. The local
 * SQLite index answers each question as it is asked (synchronous, in this process); the team index on PostgreSQL is
 * read ahead, once, for the paths and hashes the workspace will ask about (a snapshot: a question outside them throws
 * NotRead, and the caller reads again with the new ones).
 */
import type { ArchiveService } from '../archive/archive-service';
import type { TeamIndex } from '../archive/team-index';
import type { IndexStore } from '../index/store';
import type { IndexView, IndexedPost } from './reconcile';

/** A snapshot view was asked about a path or hash it did not read (a mark made meanwhile): read again. */
export class NotRead extends Error {}

/** What a view will be asked: the paths and content hashes of the marks it places. */
export interface ViewKeys {
  paths: Iterable<string>;
  hashes: Iterable<string | null>;
}

/** The local index's view, read as asked (throws the service's error while a team index is read). */
function localView(service: ArchiveService): IndexView {
  const local = <T>(job: (store: IndexStore) => T): T =>
    service.readWorkspaceIndex(job, () => {
      throw new NotRead('the team index is read now');
    });
  const byPath = (path: string): IndexedPost | undefined =>
    local((store) => {
      const post = store.getPost(path);
      if (!post) return undefined;
      return { path, hash: store.fileStatesOf([path]).get(path)?.hash ?? null, title: post.title, date: post.date };
    });
  return {
    byPath,
    byHash(hash) {
      // Only when a mark lost its path: the posts with its hash, one look-up of the index's posts_hash (schema v6).
      return local((store) => store.pathsWithHash(hash)).map(byPath).filter((p): p is IndexedPost => p !== undefined);
    },
  };
}

/** The team index's posts at `keys`' paths and with its hashes, read once (two statements or so). */
async function teamView(team: TeamIndex, keys: ViewKeys): Promise<IndexView> {
  const paths = new Set(keys.paths);
  const hashes = new Set([...keys.hashes].filter((h): h is string => h !== null));
  const [atPaths, withHashes] = await Promise.all([team.postsAt([...paths]), team.postsWithHashes([...hashes])]);
  const byPath = new Map<string, IndexedPost>();
  const byHash = new Map<string, IndexedPost[]>();
  for (const post of [...atPaths, ...withHashes]) byPath.set(post.path, post);
  for (const post of byPath.values()) {
    if (post.hash === null || !hashes.has(post.hash)) continue;
    const list = byHash.get(post.hash) ?? [];
    list.push(post);
    byHash.set(post.hash, list);
  }
  return {
    byPath(path) {
      if (!paths.has(path) && !byPath.has(path)) throw new NotRead(`not read: ${path}`);
      return byPath.get(path);
    },
    byHash(hash) {
      if (!hashes.has(hash)) throw new NotRead(`not read: hash ${hash}`);
      return [...(byHash.get(hash) ?? [])].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
}

/**
 * The view of the index the archive is read from: the local one at once (asked as it goes), or the team index's
 * posts at `keys()`'s paths and hashes (a promise; `keys` is read when the team index is the one read).
 */
export function indexViewOf(service: ArchiveService, keys: () => ViewKeys = () => ({ paths: [], hashes: [] })): IndexView | Promise<IndexView> {
  return service.readWorkspaceIndex<IndexView | Promise<IndexView>>(() => localView(service), (team) => teamView(team, keys()));
}

/**
 * Runs `job` on a view of the index covering `keys()`; on the team index, when the job asks about a path or hash
 * not read (a mark made while the view was read), reads again with the keys as they are now (a few rounds at most).
 */
export async function withIndexView<T>(service: ArchiveService, keys: () => ViewKeys, job: (view: IndexView) => T): Promise<T> {
  for (let round = 0; ; round++) {
    const view = await indexViewOf(service, keys);
    try {
      return job(view);
    } catch (error) {
      if (!(error instanceof NotRead) || round >= 4) throw error;
    }
  }
}
