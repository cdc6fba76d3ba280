/**
 * Keeps marks on their posts after an index update. A mark is attached to a post's path and to its content hash
 * (the index's SHA-1 of the file's bytes, update.ts/read-post.ts: already computed for every file, so following
 * marks costs no extra reading). The rules, in order:
 * 1. the path is still indexed: the marks stay there (edited in place: the hash, title and date follow the file);
 * 2. the path is gone, or the mark is missing: the same content at a path no other mark holds takes the marks
 *    (moved, renamed, or back after a deletion under any name);
 * 3. a missing mark whose own path is indexed again, with content of its own, and held by no other mark takes
 *    that post (the file came back where it was, edited meanwhile): marks never stay missing beside their post;
 * 4. otherwise the marks are kept, `missing`, with the path, title and date they had.
 * Pure: it reads the index through `IndexView` and returns the changes to write.
 */

export interface IndexedPost {
  path: string;
  hash: string | null;
  title: string;
  date: string | null;
}

export interface MarkedIdentity extends IndexedPost {
  id: number;
  missing: boolean;
}

export interface IndexView {
  byPath(path: string): IndexedPost | undefined;
  /** Every indexed post with this content. */
  byHash(hash: string): IndexedPost[];
}

export type IdentityChange = MarkedIdentity;

const same = (a: MarkedIdentity, b: IdentityChange): boolean =>
  a.path === b.path && a.hash === b.hash && a.title === b.title && a.date === b.date && a.missing === b.missing;

export function reconcileMarks(marked: readonly MarkedIdentity[], index: IndexView): IdentityChange[] {
  const result = new Map<number, IdentityChange>();
  const claimed = new Set<string>();
  const homeless: MarkedIdentity[] = [];
  for (const mark of marked) {
    const here = mark.missing ? undefined : index.byPath(mark.path);
    if (here) {
      claimed.add(here.path);
      result.set(mark.id, { ...mark, hash: here.hash, title: here.title, date: here.date, missing: false });
    } else homeless.push(mark);
  }
  // Marks losing their path only now first (their content is the likelier to have just moved), then the missing
  // ones, oldest first.
  homeless.sort((a, b) => Number(a.missing) - Number(b.missing) || a.id - b.id);
  const unplaced: MarkedIdentity[] = [];
  for (const mark of homeless) {
    const found = mark.hash === null ? undefined : index.byHash(mark.hash).filter((p) => !claimed.has(p.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))[0];
    if (found) {
      claimed.add(found.path);
      result.set(mark.id, { ...mark, path: found.path, hash: found.hash, title: found.title, date: found.date, missing: false });
    } else unplaced.push(mark);
  }
  // Rule 3, after every content match so that a moved post's marks are never taken for an edit.
  for (const mark of unplaced) {
    const back = mark.missing ? index.byPath(mark.path) : undefined;
    if (back && !claimed.has(back.path)) {
      claimed.add(back.path);
      result.set(mark.id, { ...mark, hash: back.hash, title: back.title, date: back.date, missing: false });
    } else result.set(mark.id, { ...mark, missing: true });
  }
  return marked.map((mark) => result.get(mark.id)!).filter((change, i) => !same(marked[i]!, change));
}
