/** The open archive's index as reconcile.ts and the workspace read it: posts by path, and by content hash. */
import type { ArchiveService } from '../archive/archive-service';
import type { IndexView, IndexedPost } from './reconcile';

export function indexViewOf(service: ArchiveService): IndexView {
  const byPath = (path: string): IndexedPost | undefined =>
    service.readLocalIndex((store) => {
      const post = store.getPost(path);
      if (!post) return undefined;
      return { path, hash: store.fileStatesOf([path]).get(path)?.hash ?? null, title: post.title, date: post.date };
    });
  return {
    byPath,
    byHash(hash) {
      // Only when a mark lost its path: the posts with its hash, one look-up of the index's posts_hash (schema v6).
      return service.readLocalIndex((store) => store.pathsWithHash(hash)).map(byPath).filter((p): p is IndexedPost => p !== undefined);
    },
  };
}
