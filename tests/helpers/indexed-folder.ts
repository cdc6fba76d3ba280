/**
 * An archive folder that a test writes post by post, with its SQLite index beside the posts (`.index.sqlite`):
 * write files, bring the index up to date as the app does (updateIndex), and read it through a read-only store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { tempDir } from './temp';

export interface IndexedFolder {
  /** The archive folder (a temp folder, removed after the file's tests). */
  root: string;
  /** Its index file. */
  file: string;
  /** Writes `content` at `rel` (a path under root, folders made as needed). */
  write(rel: string, content: string): void;
  /** Updates the index from the folder: the whole folder, or only `paths` (as the watcher hands them over). */
  update(paths?: string[]): Promise<void>;
  /** Runs `read` on the index opened read-only, closed after. */
  withStore<T>(read: (store: IndexStore) => T): T;
}

export function indexedFolder(prefix: string): IndexedFolder {
  const root = tempDir(prefix);
  const file = path.join(root, '.index.sqlite');
  return {
    root,
    file,
    write(rel, content) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), content);
    },
    async update(paths) {
      const store = IndexStore.open(file);
      try {
        await updateIndex(store, root, paths ? { paths } : {});
      } finally {
        store.close();
      }
    },
    withStore(read) {
      const store = IndexStore.open(file, { readonly: true });
      try {
        return read(store);
      } finally {
        store.close();
      }
    },
  };
}
