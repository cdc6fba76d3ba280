import { ArchiveError } from '../../shared/archive-api';
import { IndexStore, IndexUnusableError } from '../index/store';
import {
  INDEX_SUFFIXES, identityOf, inspectIndexFile, removeOwnIndexFiles, sameFile, type FileIdentity,
} from '../index/ownership';
import type { IndexLocation } from './index-location';

const rebuilding = (cause?: unknown): ArchiveError =>
  new ArchiveError('INDEX_REBUILDING', 'The search index was damaged or removed and is being rebuilt from the posts; try again shortly.', { cause });

const notOurs = (file: string, reason: string): ArchiveError =>
  new ArchiveError('NOT_OURS', `${file} is not a Backfile index (${reason}); Backfile will not overwrite or delete it. Choose another index file.`);

/**
 * The index of the open archive as the service reads it: the one connection, which file (inode) it has open,
 * and whether it may be read now. Damage met by any read, or the file deleted or replaced under it, hands
 * the index to a rebuild (`onUnusable`) and answers INDEX_REBUILDING meanwhile. Only files proven to be
 * Backfile's are ever deleted (index/ownership.ts).
 */
export class LiveIndex {
  private store: IndexStore | null = null;
  /** The files this connection opened (the index and its -wal/-shm), which are Backfile's whatever they now hold. */
  private opened = new Map<string, FileIdentity>();
  private state: 'ready' | 'rebuilding' | 'failed' = 'ready';
  private failure: ArchiveError | null = null;
  /**
   * The last rebuild failed (`failed`): its error is the answer until the next rebuild succeeds, even though the
   * new, empty index it left looks like a usable one of Backfile's.
   */
  private rebuildFailed = false;
  /** Called when the index must be rebuilt (set by the service to its scheduler's rebuild). */
  onUnusable: () => void = () => undefined;
  /** Called when another file, proven Backfile's, took the index's place (it may lag behind the disk). */
  onReplaced: () => void = () => undefined;

  private constructor(readonly location: IndexLocation) {}

  get file(): string {
    return this.location.file;
  }

  /**
   * Opens the index at `location`, creating it when there is none. A damaged or outdated index of Backfile's is
   * replaced by an empty one (the caller's first update then fills it); anything else is refused (NOT_OURS).
   */
  static open(location: IndexLocation): LiveIndex {
    const index = new LiveIndex(location);
    const ownership = inspectIndexFile(location.file);
    if (ownership.kind === 'ours' || ownership.kind === 'absent' || ownership.kind === 'empty') {
      try {
        index.connect();
        return index;
      } catch (error) {
        if (!(error instanceof IndexUnusableError)) throw error;
      }
    }
    index.recreate(ownership.kind === 'absent' || ownership.kind === 'empty' ? { kind: 'ours' } : ownership);
    return index;
  }

  private connect(): void {
    this.store = IndexStore.open(this.file);
    this.opened = new Map();
    for (const suffix of INDEX_SUFFIXES) {
      const identity = identityOf(this.file + suffix);
      if (identity) this.opened.set(suffix, identity);
    }
  }

  /** Is this file (or, the index being gone, this leftover -wal/-shm) one Backfile opened itself? */
  private openedByUs(suffix: string): boolean {
    return sameFile(identityOf(this.file + suffix), this.opened.get(suffix) ?? null);
  }

  /**
   * Deletes the index (proven Backfile's: its marks, or the very file this connection opened, or an unreadable
   * file at the path Backfile chose) and opens a new, empty one. Throws NOT_OURS, leaving every file as it is.
   */
  recreate(known = inspectIndexFile(this.file)): void {
    this.closeStore();
    let ours = known.kind === 'ours' || known.kind === 'empty' || this.openedByUs('');
    if (!ours && known.kind === 'unproven' && this.location.chosenByBackfile) ours = true;
    if (known.kind === 'absent') {
      // Only SQLite's files beside a deleted index are left: ours if we opened them or they lie in our own folder.
      const strangers = INDEX_SUFFIXES.filter((s) => s !== '' && identityOf(this.file + s) && !this.openedByUs(s));
      ours = strangers.length === 0 || this.location.chosenByBackfile;
      if (!ours) this.fail(notOurs(`${this.file}${strangers[0]}`, 'it was not made by this Backfile'));
    } else if (!ours) {
      this.fail(notOurs(this.file, known.kind === 'foreign' || known.kind === 'unproven' ? known.reason : 'unknown owner'));
    }
    removeOwnIndexFiles(this.file);
    this.connect();
  }

  private fail(error: ArchiveError): never {
    this.state = 'failed';
    this.failure = error;
    throw error;
  }

  /** Stops reading (the rebuild is about to delete the file): reads answer INDEX_REBUILDING until `resume`. */
  suspend(): void {
    this.state = 'rebuilding';
    this.failure = null;
    this.rebuildFailed = false;
    this.closeStore();
  }

  resume(): void {
    if (this.state === 'rebuilding' && this.store) this.state = 'ready';
  }

  /** The rebuild could not be done: reads say why until the next attempt. */
  failed(error: unknown): void {
    this.state = 'failed';
    this.rebuildFailed = true;
    this.failure = error instanceof ArchiveError ? error
      : new ArchiveError('INTERNAL', `the search index could not be rebuilt: ${error instanceof Error ? error.message : String(error)}`);
  }

  get rebuilding(): boolean {
    return this.state === 'rebuilding';
  }

  /**
   * Is the file at the index path still the one this connection reads? (A stat: deleted, or replaced by
   * another program or another Backfile.) A replacement proven Backfile's is read from now on.
   */
  private followFile(): void {
    if (this.state === 'rebuilding') return;
    const now = identityOf(this.file);
    if (this.state === 'ready' && sameFile(now, this.opened.get('') ?? null)) return;
    // The file the failed rebuild left (empty, or half-built): not to be shown as the archive. Another file in its
    // place (another Backfile's rebuild) is followed as below.
    if (this.rebuildFailed && sameFile(now, this.opened.get('') ?? null)) return;
    if (now === null) {
      this.onUnusable();
      throw rebuilding();
    }
    const ownership = inspectIndexFile(this.file);
    if (ownership.kind !== 'ours') {
      if (this.location.chosenByBackfile && ownership.kind !== 'foreign') {
        this.onUnusable();
        throw rebuilding();
      }
      this.closeStore();
      this.fail(notOurs(this.file, ownership.kind === 'foreign' || ownership.kind === 'unproven' ? ownership.reason : 'it is empty'));
    }
    this.closeStore();
    try {
      this.connect();
    } catch (error) {
      if (!(error instanceof IndexUnusableError)) throw error;
      this.onUnusable();
      throw rebuilding(error);
    }
    this.state = 'ready';
    this.failure = null;
    this.rebuildFailed = false;
    this.onReplaced();
  }

  /** Runs a read on the index; damage becomes a rebuild and INDEX_REBUILDING. */
  read<T>(run: (store: IndexStore) => T): T {
    this.followFile();
    if (this.state === 'failed' && this.failure) throw this.failure;
    if (this.state === 'rebuilding' || !this.store) throw rebuilding();
    const unusable = (error: unknown): never => {
      if (!(error instanceof IndexUnusableError)) throw error;
      this.onUnusable();
      throw rebuilding(error);
    };
    try {
      const result = run(this.store);
      // An async job (several reads awaited in turn) fails by rejecting: the same damage, the same answer.
      return result instanceof Promise ? (result.catch(unusable) as T) : result;
    } catch (error) {
      return unusable(error);
    }
  }

  /** Must the next update be a rebuild (the file gone, or a rebuild that failed)? */
  needsRebuild(): boolean {
    return this.state === 'failed' || identityOf(this.file) === null;
  }

  private closeStore(): void {
    this.store?.close();
    this.store = null;
  }

  close(): void {
    this.closeStore();
  }
}
