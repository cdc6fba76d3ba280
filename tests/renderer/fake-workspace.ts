/**
 * The research workspace of FakeApi, in memory: the same answers as the real one (workspace-store.ts) for
 * marks, labels, saved searches and export/import, over the fake's posts, so renderer tests can rely on them.
 */
import type { FakePost } from './fake-posts';
import type {
  Highlight, HighlightInput, Label, MarkedPost, PostMarks, SavedQuery, SavedSearch, WorkspaceExport, WorkspaceImportReport,
} from '../../src-main/shared/workspace-api';

const COLORS = ['#d64545', '#e08a1e', '#c9a400', '#3f9d4a', '#2a9d8f', '#3b7dd8', '#7b5cd6', '#c2509b'];

interface Marks { starred: boolean; labels: Set<string>; note: string; highlights: Highlight[] }
interface Saved { query: SavedQuery; lastOpenedAt: string | null; seen: Set<string> }

export class FakeWorkspace {
  marks = new Map<string, Marks>();
  labels = new Map<string, string>();
  saved = new Map<string, Saved>();
  /** Marked posts whose files are gone (a test puts them here), as listMarks shows them. */
  missing: MarkedPost[] = [];
  private nextId = 1;

  constructor(private readonly posts: () => FakePost[], private readonly find: (query: SavedQuery) => string[]) {}

  private post(path: string): FakePost {
    const post = this.posts().find((p) => p.path === path);
    if (!post) throw new Error(`[NOT_FOUND] no post at ${path} in this archive`);
    return post;
  }

  private labelName(name: string, color?: string): string {
    if (name.trim() === '') throw new Error('[INVALID_ARGUMENT] a label needs a name');
    const existing = [...this.labels.keys()].find((l) => l.toLowerCase() === name.toLowerCase());
    if (existing) return existing;
    this.labels.set(name, color ?? COLORS[this.labels.size % COLORS.length]!);
    return name;
  }

  getMarks(path: string): PostMarks {
    this.post(path);
    const m = this.marks.get(path);
    return { path, starred: m?.starred ?? false, labels: [...(m?.labels ?? [])].sort(), note: m?.note ?? '', highlights: [...(m?.highlights ?? [])] };
  }

  change(path: string, edit: (m: Marks) => void): PostMarks {
    this.post(path);
    const m = this.marks.get(path) ?? { starred: false, labels: new Set<string>(), note: '', highlights: [] };
    edit(m);
    if (m.starred || m.labels.size || m.note || m.highlights.length) this.marks.set(path, m);
    else this.marks.delete(path);
    return this.getMarks(path);
  }

  addLabel(path: string, name: string, color?: string): PostMarks {
    return this.change(path, (m) => void m.labels.add(this.labelName(name, color)));
  }

  setLabels(path: string, names: string[]): PostMarks {
    return this.change(path, (m) => {
      m.labels = new Set(names.map((n) => this.labelName(n)));
    });
  }

  addHighlight(path: string, h: HighlightInput): PostMarks {
    return this.change(path, (m) => {
      m.highlights.push({ id: `h${this.nextId++}`, exact: h.exact, prefix: h.prefix ?? '', suffix: h.suffix ?? '', comment: h.comment ?? null, createdAt: '2024-05-01T10:00:00.000Z' });
    });
  }

  removeHighlight(path: string, id: string): PostMarks {
    return this.change(path, (m) => {
      m.highlights = m.highlights.filter((h) => h.id !== id);
    });
  }

  listMarks(): MarkedPost[] {
    return [...this.marks.keys()].sort().map((path): MarkedPost => {
      const p = this.post(path);
      return { ...this.getMarks(path), title: p.title, date: p.date, hash: null, missing: false };
    }).concat(this.missing);
  }

  forgetMarks(path: string): number {
    const before = this.missing.length;
    this.missing = this.missing.filter((m) => m.path !== path);
    return before - this.missing.length;
  }

  /** Team workspace: labels' sharing by name (`owner`: another role's shared label, read-only). */
  sharing = new Map<string, { shared: boolean; owner?: string; labelledByOthers?: number }>();

  listLabels(): Label[] {
    return [...this.labels].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, color]) => ({
      name, color, count: [...this.marks.values()].filter((m) => m.labels.has(name)).length, ...this.sharing.get(name),
    }));
  }

  setLabelShared(name: string, shared: boolean): Label[] {
    this.requireLabel(name);
    const owner = this.sharing.get(name)?.owner;
    if (owner !== undefined) throw new Error(`[READ_ONLY] the label "${name}" is shared by ${owner}`);
    if (shared) this.sharing.set(name, { shared });
    else this.sharing.delete(name);
    return this.listLabels();
  }

  private requireLabel(name: string): void {
    if (!this.labels.has(name)) throw new Error(`[NOT_FOUND] no label "${name}"`);
  }

  setLabelColor(name: string, color: string): Label[] {
    this.requireLabel(name);
    this.labels.set(name, color.toLowerCase());
    return this.listLabels();
  }

  renameLabel(from: string, to: string): Label[] {
    this.requireLabel(from);
    const existing = [...this.labels.keys()].find((l) => l !== from && l.toLowerCase() === to.toLowerCase());
    if (existing) return this.mergeLabels(from, existing);
    const color = this.labels.get(from)!;
    this.labels.delete(from);
    this.labels.set(to, color);
    for (const m of this.marks.values()) if (m.labels.delete(from)) m.labels.add(to);
    return this.listLabels();
  }

  mergeLabels(from: string, into: string): Label[] {
    this.requireLabel(from);
    this.requireLabel(into);
    if (from === into) return this.listLabels();
    for (const m of this.marks.values()) if (m.labels.delete(from)) m.labels.add(into);
    this.labels.delete(from);
    return this.listLabels();
  }

  deleteLabel(name: string): Label[] {
    this.requireLabel(name);
    this.labels.delete(name);
    for (const [path, m] of [...this.marks]) {
      m.labels.delete(name);
      if (!m.starred && !m.labels.size && !m.note && !m.highlights.length) this.marks.delete(path);
    }
    return this.listLabels();
  }

  private counted(name: string, s: Saved): SavedSearch {
    const paths = this.find(s.query);
    return { name, query: s.query, lastOpenedAt: s.lastOpenedAt, total: paths.length, new: s.lastOpenedAt === null ? paths.length : paths.filter((p) => !s.seen.has(p)).length };
  }

  listSavedSearches(): SavedSearch[] {
    return [...this.saved].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, s]) => this.counted(name, s));
  }

  addSavedSearch(name: string, query: SavedQuery & { offset?: number; limit?: number }): SavedSearch {
    const { offset: _offset, limit: _limit, ...rest } = query;
    const s = { query: rest, lastOpenedAt: null, seen: new Set<string>() };
    this.saved.set(name, s);
    return this.counted(name, s);
  }

  markSavedSearchOpened(name: string, at = '2024-05-01T10:00:00.000Z'): SavedSearch {
    const s = this.saved.get(name);
    if (!s) throw new Error(`[NOT_FOUND] no saved search "${name}"`);
    s.lastOpenedAt = at;
    s.seen = new Set(this.find(s.query));
    return this.counted(name, s);
  }

  exportWorkspace(): WorkspaceExport {
    return {
      format: 'backfile-workspace',
      version: 1,
      labels: this.listLabels().map(({ name, color }) => ({ name, color })),
      marks: this.listMarks().map((m) => ({ path: m.path, hash: m.hash, title: m.title, date: m.date, starred: m.starred, labels: m.labels, note: m.note,
        highlights: m.highlights.map(({ id: _id, ...h }) => h) })),
      saved: [...this.saved].map(([name, s]) => ({ name, query: s.query, lastOpenedAt: s.lastOpenedAt, seen: [...s.seen] })),
    };
  }

  importWorkspace(data: WorkspaceExport): WorkspaceImportReport {
    const report: WorkspaceImportReport = { merged: 0, missing: 0, labels: 0, saved: 0, conflicts: [] };
    for (const l of data.labels) {
      if (!this.labels.has(l.name)) {
        this.labels.set(l.name, l.color);
        report.labels++;
      } else if (this.labels.get(l.name) !== l.color) report.conflicts.push({ kind: 'label', name: l.name, message: "kept this workspace's colour" });
    }
    for (const m of data.marks) {
      if (!this.posts().some((p) => p.path === m.path)) {
        report.missing++;
        continue;
      }
      report.merged++;
      const note = this.marks.get(m.path)?.note ?? '';
      if (note && m.note && note !== m.note) report.conflicts.push({ kind: 'note', name: m.path, message: "kept this workspace's note" });
      this.change(m.path, (mine) => {
        mine.starred ||= m.starred;
        for (const l of m.labels) mine.labels.add(this.labelName(l));
        if (!mine.note) mine.note = m.note;
        for (const h of m.highlights) mine.highlights.push({ ...h, id: `h${this.nextId++}` });
      });
    }
    for (const s of data.saved) {
      if (!this.saved.has(s.name)) {
        this.saved.set(s.name, { query: s.query, lastOpenedAt: s.lastOpenedAt, seen: new Set(s.seen) });
        report.saved++;
      } else if (JSON.stringify(this.saved.get(s.name)!.query) !== JSON.stringify(s.query)) report.conflicts.push({ kind: 'saved', name: s.name, message: "kept this workspace's query" });
    }
    return report;
  }
}
