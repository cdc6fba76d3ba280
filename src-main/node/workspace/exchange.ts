/**
 * Export and import of a workspace as JSON (WorkspaceExport), to move to another machine or hand a colleague
 * one's labels. Import merges, in one transaction: a mark finds its post by path while the content there agrees,
 * else by content hash among paths no other imported mark holds (placeMarks; a post this archive lacks is kept as
 * missing and attaches when that content appears); stars and labels add up,
 * highlights are added unless already there; a different note, label colour or saved query keeps this side's
 * and is reported as a conflict.
 */
import { ArchiveError } from '../../shared/archive-api';
import type { WorkspaceConflict, WorkspaceExport, WorkspaceImportReport } from '../../shared/workspace-api';
import type { IndexView, IndexedPost } from './reconcile';
import { recordSeen, savedQueryOf } from './saved-searches';
import { checkColor, checkLabelName, type WorkspaceStore } from './workspace-store';

export function exportWorkspace(store: WorkspaceStore): WorkspaceExport {
  const seenOf = store.db.prepare('SELECT path FROM saved_seen WHERE search_id = ? ORDER BY path').pluck();
  const saved = (store.db.prepare('SELECT id, name, query, last_opened_at FROM saved_searches ORDER BY name').all() as { id: number; name: string; query: string; last_opened_at: string | null }[])
    .map((row) => ({ name: row.name, query: JSON.parse(row.query) as WorkspaceExport['saved'][number]['query'], lastOpenedAt: row.last_opened_at, seen: seenOf.all(row.id) as string[] }));
  return {
    format: 'backfile-workspace',
    version: 1,
    labels: store.listLabels().map(({ name, color }) => ({ name, color })),
    marks: store.listMarks().map((m) => ({
      path: m.path, hash: m.hash, title: m.title, date: m.date, starred: m.starred, labels: m.labels, note: m.note,
      highlights: m.highlights.map(({ exact, prefix, suffix, comment, createdAt }) => ({ exact, prefix, suffix, comment, createdAt })),
    })),
    saved,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/** Checks an export's shape before anything is written (a file from elsewhere is untrusted). */
export function checkExport(data: unknown): WorkspaceExport {
  const bad = (what: string): never => {
    throw new ArchiveError('INVALID_ARGUMENT', `not a Backfile workspace export: ${what}`);
  };
  if (!isObject(data) || data.format !== 'backfile-workspace') bad('"format" is not "backfile-workspace"');
  const d = data as Record<string, unknown>;
  if (d.version !== 1) bad(`version ${String(d.version).slice(0, 20)} is not one this Backfile reads (1)`);
  if (!Array.isArray(d.labels) || !Array.isArray(d.marks) || !Array.isArray(d.saved)) bad('"labels", "marks" and "saved" must be lists');
  for (const l of d.labels as unknown[]) if (!isObject(l) || !isString(l.name) || !isString(l.color)) bad('a label needs a name and a colour');
  for (const m of d.marks as unknown[]) {
    if (!isObject(m) || !isString(m.path) || !(m.hash === null || isString(m.hash)) || !isString(m.title) || !(m.date === null || isString(m.date))
      || typeof m.starred !== 'boolean' || !Array.isArray(m.labels) || !m.labels.every(isString) || !isString(m.note) || !Array.isArray(m.highlights)) bad('a mark has the wrong shape');
    for (const h of (m as { highlights: unknown[] }).highlights) {
      if (!isObject(h) || !isString(h.exact) || !isString(h.prefix) || !isString(h.suffix) || !(h.comment === null || isString(h.comment)) || !isString(h.createdAt)) bad('a highlight has the wrong shape');
    }
  }
  for (const s of d.saved as unknown[]) {
    if (!isObject(s) || !isString(s.name) || !isObject(s.query) || !(s.lastOpenedAt === null || isString(s.lastOpenedAt)) || !Array.isArray(s.seen) || !s.seen.every(isString)) bad('a saved search has the wrong shape');
  }
  return data as WorkspaceExport;
}

const byPathName = (a: IndexedPost, b: IndexedPost) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * The indexed post each imported mark belongs to (undefined: none here). Its own path first, when the post there
 * still has the mark's content (or either hash is unknown); else the same content at a path no other imported mark
 * has claimed, as reconcile.ts does, so that reposts with identical content keep their own marks.
 */
export function placeMarks(marks: readonly WorkspaceExport['marks'][number][], index: IndexView): (IndexedPost | undefined)[] {
  const claimed = new Set<string>();
  const placed = marks.map((mark) => {
    const here = index.byPath(mark.path);
    if (!here || (mark.hash !== null && here.hash !== null && here.hash !== mark.hash)) return undefined;
    claimed.add(here.path);
    return here;
  });
  const moved = marks.map((mark, i) => {
    if (placed[i] || mark.hash === null) return placed[i];
    const found = index.byHash(mark.hash).filter((p) => !claimed.has(p.path)).sort(byPathName)[0];
    if (found) claimed.add(found.path);
    return found;
  });
  // Last, a post edited since the export: its own path, when no other mark holds it.
  return marks.map((mark, i) => {
    if (moved[i]) return moved[i];
    const here = index.byPath(mark.path);
    if (!here || claimed.has(here.path)) return undefined;
    claimed.add(here.path);
    return here;
  });
}

export function importWorkspace(store: WorkspaceStore, input: unknown, index: IndexView): WorkspaceImportReport {
  const data = checkExport(input);
  const conflicts: WorkspaceConflict[] = [];
  const report: WorkspaceImportReport = { merged: 0, missing: 0, labels: 0, saved: 0, conflicts };
  const db = store.db;
  store.write(() => {
    for (const label of data.labels) {
      checkLabelName(label.name);
      const color = checkColor(label.color);
      const existing = db.prepare('SELECT name, color FROM labels WHERE name = ?').get(label.name) as { name: string; color: string } | undefined;
      if (!existing) {
        store.labelId(label.name, color);
        report.labels++;
      } else if (existing.color !== color) conflicts.push({ kind: 'label', name: label.name, message: `kept this workspace's colour ${existing.color} (the import says ${color})` });
    }
    const posts = placeMarks(data.marks, index);
    const takenMissing = new Set<number>();
    for (const [i, mark] of data.marks.entries()) {
      const post = posts[i];
      let id: number | undefined;
      if (post) {
        id = db.prepare('SELECT id FROM posts WHERE path = ? AND missing = 0').pluck().get(post.path) as number | undefined;
        id ??= Number(db.prepare('INSERT INTO posts (path, hash, title, date, updated_at) VALUES (?, ?, ?, ?, ?)').run(post.path, post.hash, post.title, post.date, new Date().toISOString()).lastInsertRowid);
        report.merged++;
      } else {
        // A missing mark of this workspace: the one at the same path, else one with the same content that no other
        // imported mark has taken (two reposts stay two marks).
        const candidates = db.prepare('SELECT id FROM posts WHERE missing = 1 AND (path = ? OR hash = ?) ORDER BY path = ? DESC, id').pluck().all(mark.path, mark.hash, mark.path) as number[];
        id = candidates.find((c) => !takenMissing.has(c));
        id ??= Number(db.prepare('INSERT INTO posts (path, hash, title, date, missing, updated_at) VALUES (?, ?, ?, ?, 1, ?)').run(mark.path, mark.hash, mark.title, mark.date, new Date().toISOString()).lastInsertRowid);
        takenMissing.add(id);
        report.missing++;
      }
      if (mark.starred) store.setStar(id, true);
      for (const name of mark.labels) store.addLabel(id, name);
      const note = db.prepare('SELECT note FROM posts WHERE id = ?').pluck().get(id) as string;
      if (note === '') store.setNote(id, mark.note);
      else if (mark.note !== '' && mark.note !== note) conflicts.push({ kind: 'note', name: post?.path ?? mark.path, message: "kept this workspace's note; the imported one differs" });
      const has = db.prepare('SELECT 1 FROM highlights WHERE post_id = ? AND exact = ? AND prefix = ? AND suffix = ?').pluck();
      for (const h of mark.highlights) {
        if (has.get(id, h.exact, h.prefix, h.suffix) === undefined) store.addHighlight(id, h);
      }
    }
    for (const saved of data.saved) {
      const text = JSON.stringify(savedQueryOf(saved.query));
      const existing = db.prepare('SELECT query FROM saved_searches WHERE name = ?').pluck().get(saved.name) as string | undefined;
      if (existing === undefined) {
        const id = Number(db.prepare('INSERT INTO saved_searches (name, query, created_at) VALUES (?, ?, ?)').run(saved.name, text, new Date().toISOString()).lastInsertRowid);
        recordSeen(store, id, saved.seen, saved.lastOpenedAt);
        report.saved++;
      } else if (existing !== text) conflicts.push({ kind: 'saved', name: saved.name, message: "kept this workspace's query; the imported one differs" });
    }
  });
  return report;
}
