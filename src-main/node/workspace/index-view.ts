/** The open archive's index as reconcile.ts and the workspace read it: posts by path, and by content hash. */
import type { ArchiveService } from '../archive/archive-service';
import type { IndexView, IndexedPost } from './reconcile';

export function indexViewOf(service: ArchiveService): IndexView {
  let byHash: Map<string, string[]> | null = null;
  const byPath = (path: string): IndexedPost | undefined =>
    service.readIndex((store) => {
      const post = store.getPost(path);
      if (!post) return undefined;
      return { path, hash: store.fileStatesOf([path]).get(path)?.hash ?? null, title: post.title, date: post.date };
    });
  return {
    byPath,
    byHash(hash) {
      // Read once per view, and only when a mark lost its path: every file's hash, from one covering index.
      if (!byHash) {
        byHash = new Map();
        for (const [path, state] of service.readIndex((store) => store.fileStates())) {
          if (state.hash === null) continue;
          const list = byHash.get(state.hash);
          if (list) list.push(path);
          else byHash.set(state.hash, [path]);
        }
      }
      return (byHash.get(hash) ?? []).map(byPath).filter((p): p is IndexedPost => p !== undefined);
    },
  };
}
