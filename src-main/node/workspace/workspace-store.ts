/**
 * The workspace file of one archive: marks (star, labels, note, highlights) per post, labels, and saved searches
 * (saved-searches.ts). Every write is one SQLite transaction, committed (WAL, synchronous FULL) before the call
 * returns. A post's row exists while it has a mark; clearing its last mark deletes the row.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { ArchiveError } from '../../shared/archive-api';
// Label colours given in turn to new labels without one, and the names a label may not have (shared with the renderer).
import { LABEL_COLORS, labelNameHasQuote } from '../../shared/labels';
import type { Highlight, HighlightInput, Label, MarkedPost, PostMarks } from '../../shared/workspace-api';
import { reconcileMarks, type IndexView, type IndexedPost, type MarkedIdentity } from './reconcile';
import { openWorkspaceDb } from './workspace-file';
import { migrateWorkspace } from './schema';


export const MAX_LABEL = 200;
export const MAX_NOTE = 1024 * 1024;

interface PostRow { id: number; path: string; hash: string | null; title: string; date: string | null; missing: number; starred: number; note: string }
interface HighlightRow { id: string; exact: string; prefix: string; suffix: string; comment: string | null; created_at: string }

/** Text stored as UTF-8 must be well-formed UTF-16 here: a lone surrogate could not come back as it went in. */
export function checkText(text: string, what: string): string {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) throw new ArchiveError('INVALID_ARGUMENT', `${what} holds half of a character (a lone surrogate)`);
  return text;
}

export function checkLabelName(name: string): string {
  checkText(name, 'a label name');
  if (name.trim() === '') throw new ArchiveError('INVALID_ARGUMENT', 'a label needs a name');
  if (name.length > MAX_LABEL) throw new ArchiveError('INVALID_ARGUMENT', `a label name has at most ${MAX_LABEL} characters`);
  if (labelNameHasQuote(name)) throw new ArchiveError('INVALID_ARGUMENT', 'a label name cannot contain a double quote (") — label:"…" could not list it');
  return name;
}

export function checkColor(color: string): string {
  if (!/^#[0-9a-f]{6}$/i.test(color)) throw new ArchiveError('INVALID_ARGUMENT', `a label colour is #rrggbb, not "${color.slice(0, 40)}"`);
  return color.toLowerCase();
}

const now = (): string => new Date().toISOString();

export class WorkspaceStore {
  private constructor(readonly db: Database.Database, readonly file: string) {}

  static open(file: string): WorkspaceStore {
    return new WorkspaceStore(openWorkspaceDb(file), file);
  }

  /** A workspace in memory only: the team workspace's copy of one role's rows (pg-workspace-store.ts). */
  static inMemory(): WorkspaceStore {
    const nativeBinding = process.env.BACKFILE_SQLITE_BINDING || undefined;
    const db = new Database(':memory:', nativeBinding ? { nativeBinding } : {});
    migrateWorkspace(db);
    db.pragma('foreign_keys = ON');
    return new WorkspaceStore(db, ':memory:');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Runs `job` as one write transaction (taken at once, so two windows writing wait for each other, never fail). */
  write<T>(job: () => T): T {
    return this.db.transaction(job).immediate();
  }

  private row(path: string): PostRow | undefined {
    return this.db.prepare('SELECT * FROM posts WHERE path = ? AND missing = 0').get(path) as PostRow | undefined;
  }

  private marksOf(row: PostRow): PostMarks {
    const labels = (this.db.prepare('SELECT l.name FROM post_labels pl JOIN labels l ON l.id = pl.label_id WHERE pl.post_id = ? ORDER BY l.name').pluck().all(row.id) as string[]);
    const highlights = (this.db.prepare('SELECT * FROM highlights WHERE post_id = ? ORDER BY created_at, id').all(row.id) as HighlightRow[])
      .map((h): Highlight => ({ id: h.id, exact: h.exact, prefix: h.prefix, suffix: h.suffix, comment: h.comment, createdAt: h.created_at }));
    return { path: row.path, starred: row.starred === 1, labels, note: row.note, highlights };
  }

  getMarks(path: string): PostMarks {
    const row = this.row(path);
    return row ? this.marksOf(row) : { path, starred: false, labels: [], note: '', highlights: [] };
  }

  /**
   * Changes the marks of the indexed post `post` in one transaction: `change` gets the post's row id (the row is
   * made if needed); a row left without marks is deleted.
   */
  mark(post: IndexedPost, change: (postId: number) => void): PostMarks {
    return this.write(() => {
      let row = this.row(post.path);
      if (!row) {
        this.db.prepare('INSERT INTO posts (path, hash, title, date, updated_at) VALUES (?, ?, ?, ?, ?)').run(post.path, post.hash, post.title, post.date, now());
        row = this.row(post.path)!;
      }
      change(row.id);
      this.db.prepare('UPDATE posts SET updated_at = ? WHERE id = ?').run(now(), row.id);
      this.dropIfEmpty(row.id);
      return this.getMarks(post.path);
    });
  }

  private dropIfEmpty(postId: number): void {
    this.db.prepare(`DELETE FROM posts WHERE id = ? AND starred = 0 AND note = ''
      AND NOT EXISTS (SELECT 1 FROM post_labels WHERE post_id = posts.id) AND NOT EXISTS (SELECT 1 FROM highlights WHERE post_id = posts.id)`).run(postId);
  }

  setStar(postId: number, starred: boolean): void {
    this.db.prepare('UPDATE posts SET starred = ? WHERE id = ?').run(starred ? 1 : 0, postId);
  }

  setNote(postId: number, note: string): void {
    if (note.length > MAX_NOTE) throw new ArchiveError('TOO_LARGE', `a note has at most ${MAX_NOTE} characters`);
    checkText(note, 'the note');
    this.db.prepare('UPDATE posts SET note = ? WHERE id = ?').run(note, postId);
  }

  /** The label's id, made (with `color`, or the next colour in turn) when there is none of that name. */
  labelId(name: string, color?: string): number {
    checkLabelName(name);
    const id = this.db.prepare('SELECT id FROM labels WHERE name = ?').pluck().get(name) as number | undefined;
    if (id !== undefined) return id;
    const count = this.db.prepare('SELECT count(*) FROM labels').pluck().get() as number;
    const chosen = color === undefined ? LABEL_COLORS[count % LABEL_COLORS.length]! : checkColor(color);
    return Number(this.db.prepare('INSERT INTO labels (name, color) VALUES (?, ?)').run(name, chosen).lastInsertRowid);
  }

  addLabel(postId: number, name: string, color?: string): void {
    this.db.prepare('INSERT OR IGNORE INTO post_labels (post_id, label_id) VALUES (?, ?)').run(postId, this.labelId(name, color));
  }

  removeLabel(postId: number, name: string): void {
    this.db.prepare('DELETE FROM post_labels WHERE post_id = ? AND label_id = (SELECT id FROM labels WHERE name = ?)').run(postId, name);
  }

  setLabels(postId: number, names: string[]): void {
    this.db.prepare('DELETE FROM post_labels WHERE post_id = ?').run(postId);
    for (const name of names) this.addLabel(postId, name);
  }

  addHighlight(postId: number, input: HighlightInput): string {
    if (input.exact === '') throw new ArchiveError('INVALID_ARGUMENT', 'a highlight needs some text');
    checkText(input.exact, 'the highlighted text');
    if (input.comment) checkText(input.comment, 'the comment');
    // Context cut from the article's text may end in half of a surrogate pair at its outer edge: that half goes.
    const prefix = checkText((input.prefix ?? '').replace(/^[\uDC00-\uDFFF]/, ''), 'the text before');
    const suffix = checkText((input.suffix ?? '').replace(/[\uD800-\uDBFF]$/, ''), 'the text after');
    const id = randomUUID();
    this.db.prepare('INSERT INTO highlights (id, post_id, exact, prefix, suffix, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, postId, input.exact, prefix, suffix, input.comment ?? null, now());
    return id;
  }

  removeHighlight(postId: number, id: string): void {
    const removed = this.db.prepare('DELETE FROM highlights WHERE id = ? AND post_id = ?').run(id, postId).changes;
    if (removed === 0) throw new ArchiveError('NOT_FOUND', `no highlight ${id.slice(0, 100)} on this post`);
  }

  listMarks(): MarkedPost[] {
    const rows = this.db.prepare('SELECT * FROM posts ORDER BY missing, path, id').all() as PostRow[];
    return rows.map((row) => ({ ...this.marksOf(row), title: row.title, date: row.date, hash: row.hash, missing: row.missing === 1 }));
  }

  /** Deletes the missing marked posts last seen at `path` (highlights and labellings go with them); returns how many. */
  forgetMissing(path: string): number {
    return this.write(() => this.db.prepare('DELETE FROM posts WHERE path = ? AND missing = 1').run(path).changes);
  }

  listLabels(): Label[] {
    return this.db.prepare(`SELECT l.name, l.color, count(pl.post_id) AS count FROM labels l LEFT JOIN post_labels pl ON pl.label_id = l.id
      GROUP BY l.id ORDER BY l.name`).all() as Label[];
  }

  private requireLabel(name: string): number {
    const id = this.db.prepare('SELECT id FROM labels WHERE name = ?').pluck().get(name) as number | undefined;
    if (id === undefined) throw new ArchiveError('NOT_FOUND', `no label "${name.slice(0, 200)}"`);
    return id;
  }

  setLabelColor(name: string, color: string): Label[] {
    return this.write(() => {
      this.db.prepare('UPDATE labels SET color = ? WHERE id = ?').run(checkColor(color), this.requireLabel(name));
      return this.listLabels();
    });
  }

  /** Renames `from`; a name another label has (any case) merges `from` into that label. */
  renameLabel(from: string, to: string): Label[] {
    checkLabelName(to);
    return this.write(() => {
      const id = this.requireLabel(from);
      const other = this.db.prepare('SELECT id FROM labels WHERE name = ? AND id != ?').pluck().get(to, id) as number | undefined;
      if (other === undefined) this.db.prepare('UPDATE labels SET name = ? WHERE id = ?').run(to, id);
      else this.mergeInto(id, other);
      return this.listLabels();
    });
  }

  mergeLabels(from: string, into: string): Label[] {
    return this.write(() => {
      const source = this.requireLabel(from);
      const target = this.requireLabel(into);
      if (source !== target) this.mergeInto(source, target);
      return this.listLabels();
    });
  }

  private mergeInto(source: number, target: number): void {
    this.db.prepare('INSERT OR IGNORE INTO post_labels (post_id, label_id) SELECT post_id, ? FROM post_labels WHERE label_id = ?').run(target, source);
    this.db.prepare('DELETE FROM labels WHERE id = ?').run(source);
  }

  deleteLabel(name: string): Label[] {
    return this.write(() => {
      const id = this.requireLabel(name);
      const posts = this.db.prepare('SELECT post_id FROM post_labels WHERE label_id = ?').pluck().all(id) as number[];
      this.db.prepare('DELETE FROM labels WHERE id = ?').run(id);
      for (const postId of posts) this.dropIfEmpty(postId);
      return this.listLabels();
    });
  }

  /** The paths and content hashes of every marked post, missing or not: what reconcile asks the index about. */
  markedKeys(): { paths: string[]; hashes: (string | null)[] } {
    const rows = this.db.prepare('SELECT path, hash FROM posts').all() as { path: string; hash: string | null }[];
    return { paths: rows.map((r) => r.path), hashes: rows.map((r) => r.hash) };
  }

  /** After an index update: marks follow moved content, go missing, come back or take an edited file's new hash (reconcile.ts). */
  reconcile(index: IndexView): number {
    return this.write(() => {
      const marked = (this.db.prepare('SELECT id, path, hash, title, date, missing FROM posts').all() as PostRow[])
        .map((r): MarkedIdentity => ({ id: r.id, path: r.path, hash: r.hash, title: r.title, date: r.date, missing: r.missing === 1 }));
      const changes = reconcileMarks(marked, index);
      // Two steps, so a chain of moves (a -> b while b -> c) never holds one path twice on the way.
      const park = this.db.prepare('UPDATE posts SET missing = 1 WHERE id = ?');
      for (const change of changes) park.run(change.id);
      const set = this.db.prepare('UPDATE posts SET path = ?, hash = ?, title = ?, date = ?, missing = ? WHERE id = ?');
      for (const c of changes) set.run(c.path, c.hash, c.title, c.date, c.missing ? 1 : 0, c.id);
      return changes.length;
    });
  }
}
