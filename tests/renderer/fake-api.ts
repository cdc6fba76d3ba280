/**
 * An in-memory archive behind the real `ArchiveApi`/`BackfileBridge` types, for renderer tests. It filters honestly
 * enough to be trusted by them (query words, category prefix, year/month, tag, hidden, sort, paging) and lets a
 * test hold answers back (`gate`) to decide the order in which they arrive.
 */
import type {
  Article,
  ArticleSummary,
  BatchTerm,
  CitationStyle,
  ArchiveEvent,
  ArchiveEvents,
  ArchiveInfo,
  BackfileBridge,
  CategoryNode,
  DateNode,
  ApiError,
  ExportRequest,
  ExportResult,
  Facets,
  ImportReport,
  IndexInfo,
  LinkTarget,
  ListQuery,
  ListResult,
  Problem,
  RecentArchive,
  TeamIndexRequest,
  SearchHit,
  SimilarPost,
  SimilarResult,
  TagCount,
  Timeline,
  TimelineUnit,
  UploadedFile,
} from '../../src-main/shared/archive-api';
import type { HighlightInput, MarkCounts, SavedQuery, WorkspaceExport } from '../../src-main/shared/workspace-api';
import { POSTS, type FakePost } from './fake-posts';
import { FakeWorkspace } from './fake-workspace';

export { POSTS, fillerPosts, type FakePost } from './fake-posts';

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function words(query: string): { include: string[]; exclude: string[] } {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const w of query.trim().split(/\s+/).filter(Boolean)) {
    if (/^(after|before):\d{4}/.test(w)) continue; // dateBounds reads them
    if (w.startsWith('-') && w.length > 1) exclude.push(w.slice(1).toLowerCase());
    else include.push(w.toLowerCase());
  }
  return { include, exclude };
}

/** after:/before: as the index reads them: a day, or the first day of a month or year; before: excludes its own day. */
function dateBounds(query: string): { after: string | null; before: string | null } {
  const day = (v: string): string => (v.length === 4 ? `${v}-01-01` : v.length === 7 ? `${v}-01` : v);
  const after = /(?:^|\s)after:(\d{4}(?:-\d{2}){0,2})(?=\s|$)/.exec(query)?.[1];
  const before = /(?:^|\s)before:(\d{4}(?:-\d{2}){0,2})(?=\s|$)/.exec(query)?.[1];
  return { after: after ? day(after) : null, before: before ? day(before) : null };
}

/** The ISO week of a `YYYY-MM-DD` day: `2020-W53`. */
function isoWeekOf(date: string): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  const thursday = new Date(t + (3 - ((new Date(t).getUTCDay() + 6) % 7)) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const haystack = (p: FakePost): string => [p.title, p.text, ...p.tags, ...p.categories].join('\n').toLowerCase();

function snippet(p: FakePost, terms: string[]): string {
  const text = p.text;
  const lower = text.toLowerCase();
  const first = terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? 0;
  const start = Math.max(0, first - 20);
  const piece = text.slice(start, start + 80);
  if (terms.length === 0) return escapeHtml(piece);
  const pattern = new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  let out = '';
  let last = 0;
  for (const m of piece.matchAll(pattern)) {
    out += escapeHtml(piece.slice(last, m.index)) + '<mark>' + escapeHtml(m[0]) + '</mark>';
    last = (m.index ?? 0) + m[0].length;
  }
  return out + escapeHtml(piece.slice(last));
}

/** Like the core: marks whole-word matches of the query's words in the text between tags. */
function markHtml(html: string, query: string): string {
  const words = query.split(/\s+/).filter((w) => /^[\p{L}\p{N}]+$/u.test(w));
  if (words.length === 0) return html;
  const pattern = new RegExp(`\\b(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b`, 'gi');
  return html
    .split(/(<[^>]*>)/)
    .map((piece) => (piece.startsWith('<') ? piece : piece.replace(pattern, '<mark>$1</mark>')))
    .join('');
}

/** What a list row and an article both say of a post. */
const summaryOf = (p: FakePost): ArticleSummary => ({
  path: p.path,
  title: p.title,
  date: p.date,
  categories: p.categories,
  tags: p.tags,
  excerpt: p.text.slice(0, 60),
  hidden: Boolean(p.hidden),
});

const yearOf = (p: FakePost): number | null => (p.date ? Number(p.date.slice(0, 4)) : null);
const monthOf = (p: FakePost): number | null => (p.date ? Number(p.date.slice(5, 7)) : null);

export interface Deferred {
  method: string;
  args: unknown[];
  release(): void;
  fail(error: Error): void;
}

export class FakeApi implements BackfileBridge {
  posts: FakePost[];
  calls: { method: string; args: unknown[] }[] = [];
  /** When set, every call waits for the promise it returns before answering. */
  gate: ((method: string, args: unknown[]) => Promise<void>) | null = null;
  capabilities = { showInFolder: true, chooseFolder: true, importPaths: true, importFiles: false };
  root = '/archives/demo';
  opened = true;
  recent: RecentArchive[] = [
    { root: '/archives/demo', name: 'demo', openedAt: '2024-05-01T10:00:00Z' },
    { root: '/archives/old', name: 'old', openedAt: '2024-04-01T10:00:00Z' },
  ];
  importReport: ImportReport = {
    added: 2,
    duplicates: 1,
    renamed: 0,
    skipped: 0,
    problems: [],
    addedPaths: ['_posts/2019-03-01-list-categories.md', '_posts/2020-12-31-timezone.md'],
    duplicateFiles: [{ path: 'colleague/_posts/2020-01-15-same.md', existing: '_posts/2020-01-15-date-only.md' }],
    cancelled: false,
  };
  failures = new Map<string, string>();
  /** What resolveLink answers, by href (else: an http(s) address is external, anything else null). */
  links = new Map<string, LinkTarget>();
  private listeners = new Map<ArchiveEvent, Set<(payload: never) => void>>();

  /** The research workspace, in memory (fake-workspace.ts); saved searches count with listArticles' own filtering. */
  workspace: FakeWorkspace;

  constructor(posts: FakePost[] = POSTS) {
    this.posts = posts;
    this.workspace = new FakeWorkspace(() => this.posts, (query) => this.found(query).map((p) => p.path));
  }

  /** Makes the next calls wait until the test releases them, in any order it likes. */
  holdCalls(): Deferred[] {
    const held: Deferred[] = [];
    this.gate = (method, args) =>
      new Promise<void>((resolve, reject) => {
        held.push({ method, args, release: resolve, fail: reject });
      });
    return held;
  }

  callsTo(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  emit<E extends ArchiveEvent>(event: E, payload: ArchiveEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (p: ArchiveEvents[E]) => void)(payload);
  }

  subscribe<E extends ArchiveEvent>(event: E, listener: (payload: ArchiveEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  private async answer<T>(method: string, args: unknown[], result: () => T): Promise<T> {
    this.calls.push({ method, args });
    if (this.gate) await this.gate(method, args);
    const failure = this.failures.get(method);
    if (failure) throw new Error(failure);
    return result();
  }

  private visible(includeHidden?: boolean): FakePost[] {
    return this.posts.filter((p) => includeHidden || !p.hidden);
  }

  info(): ArchiveInfo {
    return {
      root: this.root,
      name: this.root.split('/').pop() ?? this.root,
      posts: this.visible().length,
      hidden: this.posts.length - this.visible().length,
      problems: this.problems().length,
      indexPath: `${this.root}/.backfile-index/index.sqlite`,
      capabilities: { ...this.capabilities },
      index: this.indexInfo(),
    };
  }

  /** The team index connected (`null`: the local index); `teamReadOnly` decides the role of the next connection. */
  team: IndexInfo | null = null;
  teamReadOnly = false;
  /** When set, connectTeamIndex fails with this (code and message), as the real service would (STORE_UNAVAILABLE …). */
  teamFailure: ApiError | null = null;
  indexInfo(): IndexInfo {
    return this.team ?? { kind: 'local', readOnly: false, location: `${this.root}/.backfile-index/index.sqlite` };
  }

  problems(): Problem[] {
    return this.posts.flatMap((p) => p.problems ?? []);
  }

  openArchive(root: string) {
    return this.answer('openArchive', [root], () => {
      this.root = root;
      this.opened = true;
      return this.info();
    });
  }
  getArchiveInfo() {
    return this.answer('getArchiveInfo', [], () => (this.opened ? this.info() : null));
  }
  getRecentArchives() {
    return this.answer('getRecentArchives', [], () => this.recent);
  }
  getCategories(includeHidden?: boolean) {
    return this.answer('getCategories', [includeHidden], () => this.categoryTree(this.visible(includeHidden)));
  }
  private categoryTree(posts: FakePost[]): CategoryNode[] {
    {
      const roots: CategoryNode[] = [];
      for (const p of posts) {
        let level = roots;
        p.categories.forEach((name, i) => {
          let node = level.find((n) => n.name === name);
          if (!node) level.push((node = { name, path: p.categories.slice(0, i + 1), count: 0, total: 0, children: [] }));
          node.total += 1;
          if (i === p.categories.length - 1) node.count += 1;
          level = node.children;
        });
      }
      return roots;
    }
  }
  getDates(includeHidden?: boolean) {
    return this.answer('getDates', [includeHidden], () => this.dateTree(this.visible(includeHidden)));
  }
  private dateTree(posts: FakePost[]): DateNode[] {
    {
      const years = new Map<number | null, DateNode>();
      for (const p of posts) {
        const year = yearOf(p);
        let node = years.get(year);
        if (!node) years.set(year, (node = { year, count: 0, months: [] }));
        node.count += 1;
        const month = monthOf(p);
        if (month !== null) {
          const m = node.months.find((x) => x.month === month);
          if (m) m.count += 1;
          else node.months.push({ month, count: 1 });
        }
      }
      return [...years.values()];
    }
  }
  getTags(includeHidden?: boolean) {
    return this.answer('getTags', [includeHidden], () => this.tagCounts(this.visible(includeHidden)));
  }
  private tagCounts(posts: FakePost[]): TagCount[] {
    const counts = new Map<string, number>();
    for (const p of posts) for (const t of p.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
    return [...counts].map(([name, count]): TagCount => ({ name, count })).sort((a, b) => b.count - a.count);
  }
  /** As the index counts: the category and date trees without their own selection, tags over the result. */
  getFacets(query: ListQuery) {
    return this.answer('getFacets', [query], (): Facets => {
      const { category: _category, ...noCategory } = query;
      const { year: _year, month: _month, ...noDate } = query;
      return { categories: this.categoryTree(this.found(noCategory)), dates: this.dateTree(this.found(noDate)), tags: this.tagCounts(this.found(query)) };
    });
  }
  /** Buckets over the same posts listArticles finds (filled between the first and last period for months and years). */
  getTimeline(query: ListQuery, by?: TimelineUnit) {
    return this.answer('getTimeline', by === undefined ? [query] : [query, by], (): Timeline => {
      const found = this.found(query);
      const dated = found.filter((p) => p.date).map((p) => p.date!.slice(0, 10)).sort();
      const unit: TimelineUnit = by ?? (dated.length > 0 && Number(dated[dated.length - 1]!.slice(0, 4)) - Number(dated[0]!.slice(0, 4)) > 20 ? 'year' : 'month');
      const period = (d: string): string => (unit === 'year' ? d.slice(0, 4) : unit === 'month' ? d.slice(0, 7) : unit === 'day' ? d : isoWeekOf(d));
      const counts = new Map<string, number>();
      for (const d of dated) counts.set(period(d), (counts.get(period(d)) ?? 0) + 1);
      const periods = [...counts.keys()];
      if ((unit === 'year' || unit === 'month') && dated.length > 0) {
        const next = (p: string): string => {
          if (unit === 'year') return String(Number(p) + 1);
          const [y, m] = p.split('-').map(Number) as [number, number];
          return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
        };
        const last = period(dated[dated.length - 1]!);
        periods.length = 0;
        for (let p = period(dated[0]!); p <= last; p = next(p)) periods.push(p);
      }
      return { total: found.length, undated: found.length - dated.length, by: unit, buckets: periods.map((p) => ({ period: p, count: counts.get(p) ?? 0 })) };
    });
  }
  batchSearch(terms: string[]) {
    return this.answer('batchSearch', [terms], () => ({
      terms: terms.map((term): BatchTerm => {
        const found = this.found({ query: term, sort: 'date' }).filter((p) => p.date);
        return { term, total: this.found({ query: term }).length, first: found[found.length - 1]?.date ?? null, last: found[0]?.date ?? null };
      }),
    }));
  }
  getProblems() {
    return this.answer('getProblems', [], () => this.problems());
  }
  /** The posts `query` selects, in its order (every page). */
  private found(query: ListQuery): FakePost[] {
    const { include, exclude } = words(query.query ?? '');
    const bounds = dateBounds(query.query ?? '');
    let found = this.visible(query.includeHidden).filter((p) => {
      const text = haystack(p);
      if ((bounds.after || bounds.before) && !p.date) return false;
      if (bounds.after && (p.date ?? '').slice(0, 10) < bounds.after) return false;
      if (bounds.before && (p.date ?? '').slice(0, 10) >= bounds.before) return false;
      if (!include.every((w) => text.includes(w)) || exclude.some((w) => text.includes(w))) return false;
      if (query.category === null && p.categories.length > 0) return false;
      if (query.category && !query.category.every((c, i) => p.categories[i] === c)) return false;
      if (query.year !== undefined && yearOf(p) !== query.year) return false;
      if (query.month !== undefined && monthOf(p) !== query.month) return false;
      if (query.tag === null && p.tags.length > 0) return false;
      if (typeof query.tag === 'string' && !p.tags.includes(query.tag)) return false;
      const tags = query.tags ?? [];
      if (tags.length > 0 && !(query.tagMode === 'any' ? tags.some((t) => p.tags.includes(t)) : tags.every((t) => p.tags.includes(t)))) return false;
      return true;
    });
    const byDate = (a: FakePost, b: FakePost): number => (b.date ?? '').localeCompare(a.date ?? '');
    if (query.sort === 'relevance' && include.length > 0) {
      const score = (p: FakePost): number => include.reduce((n, w) => n + haystack(p).split(w).length - 1, 0);
      found = found.sort((a, b) => score(b) - score(a) || byDate(a, b));
    } else {
      found = found.sort(byDate);
      if (query.sort === 'oldest') found.reverse();
    }
    return found;
  }
  listArticles(query: ListQuery) {
    return this.answer('listArticles', [query], (): ListResult => {
      const { include } = words(query.query ?? '');
      let found = this.found(query);
      // A collapsed list: one row per story (the planted `similar` pairs, linked both ways and transitively).
      const versions = new Map<string, number>();
      if (query.collapse) {
        const storyOf = this.stories();
        const rows = new Map<string, FakePost>();
        for (const p of found) {
          const story = storyOf(p.path);
          if (rows.has(story)) versions.set(rows.get(story)!.path, (versions.get(rows.get(story)!.path) ?? 0) + 1);
          else rows.set(story, p);
        }
        found = [...rows.values()];
      }
      const offset = query.offset ?? 0;
      const items = found.slice(offset, offset + (query.limit ?? 50)).map(
        (p): SearchHit => ({
          ...(query.collapse ? { versions: versions.get(p.path) ?? 0 } : {}),
          ...summaryOf(p),
          snippet: include.length > 0 ? snippet(p, include) : '',
        }),
      );
      return { total: found.length, items };
    });
  }
  getArticle(path: string, highlight?: string) {
    return this.answer('getArticle', highlight === undefined ? [path] : [path, highlight], (): Article => {
      const p = this.posts.find((x) => x.path === path);
      if (!p) throw new Error(`No article at ${path}`);
      return {
        ...summaryOf(p),
        html: markHtml(p.html ?? `<p>${escapeHtml(p.text)}</p>`, highlight ?? ''),
        source: p.source ?? null,
        meta: p.author ? { author: p.author } : {},
        hasRemoteContent: Boolean(p.hasRemoteContent),
        draft: Boolean(p.draft),
        problems: p.problems ?? [],
        absolutePath: `${this.root}/${p.path}`,
      };
    });
  }
  /** Each post's story: the connected groups of the planted `similar` pairs (a post alone is its own). */
  private stories(): (path: string) => string {
    const parent = new Map<string, string>();
    const find = (p: string): string => {
      const up = parent.get(p) ?? p;
      return up === p ? p : find(up);
    };
    for (const [path, versions] of this.similar) for (const v of versions) if (find(path) !== find(v.path)) parent.set(find(path), find(v.path));
    return find;
  }
  /** Other versions per post path, as a test plants them (getSimilar answers `[]` for any other post); hidden posts' only with `includeHidden`. */
  similar = new Map<string, SimilarPost[]>();
  getSimilar(path: string, includeHidden?: boolean) {
    return this.answer('getSimilar', [path, includeHidden], (): SimilarResult => {
      if (!this.posts.some((x) => x.path === path)) throw new Error(`No article at ${path}`);
      const hidden = new Set(this.posts.filter((x) => x.hidden).map((x) => x.path));
      return { path, similar: (this.similar.get(path) ?? []).filter((v) => includeHidden || !hidden.has(v.path)) };
    });
  }
  /** The post's text, one paragraph a line. */
  getVersionText(path: string) {
    return this.answer('getVersionText', [path], (): string => {
      const p = this.posts.find((x) => x.path === path);
      if (!p) throw new Error(`No article at ${path}`);
      return p.text;
    });
  }
  chooseAndOpenArchive() {
    return this.answer('chooseAndOpenArchive', [], () => null);
  }
  showInFolder(path: string) {
    return this.answer('showInFolder', [path], () => true);
  }
  resolveLink(fromPath: string, href: string) {
    return this.answer('resolveLink', [fromPath, href], () => this.links.get(href) ?? (/^https?:\/\/[^/]/i.test(href) ? { kind: 'external' as const, url: href } : null));
  }
  citeArticle(path: string, style: CitationStyle) {
    return this.answer('citeArticle', [path, style], () => {
      const p = this.posts.find((x) => x.path === path);
      if (!p) throw new Error(`No article at ${path}`);
      return `${style}: ${p.title}`;
    });
  }
  openExternal(url: string) {
    return this.answer('openExternal', [url], () => true);
  }
  setRemoteContentAllowed(path: string, allowed: boolean) {
    return this.answer('setRemoteContentAllowed', [path, allowed], () => true);
  }
  importFiles(files: UploadedFile[]) {
    return this.answer('importFiles', [files], () => this.importReport);
  }

  importPaths(paths: string[]) {
    return this.answer('importPaths', [paths], () => this.importReport);
  }
  cancelImport() {
    return this.answer('cancelImport', [], () => undefined);
  }
  /** What `exportToFile` answers (a test may set it; `null` is a cancelled save dialog). */
  exportResult: ExportResult | null = { path: '/tmp/export.csv', count: 0, bytes: 0, cancelled: false };
  exportToFile(request: ExportRequest) {
    return this.answer('exportToFile', [request], () => {
      if (!this.exportResult) return null;
      const count = request.paths ? request.paths.length : this.found(request.query ?? {}).length;
      return { ...this.exportResult, count };
    });
  }
  cancelExport() {
    return this.answer('cancelExport', [], () => undefined);
  }
  getIndexInfo() {
    return this.answer('getIndexInfo', [], () => this.indexInfo());
  }
  /** As the service: the password never comes back (the URL's own is cut out); `archiveChanged` follows. */
  connectTeamIndex(request: TeamIndexRequest) {
    return this.answer('connectTeamIndex', [request], (): IndexInfo => {
      if (this.teamFailure) throw Object.assign(new Error(`[${this.teamFailure.code}] ${this.teamFailure.message}`), { code: this.teamFailure.code });
      const url = new URL(request.url);
      url.password = '';
      this.team = { kind: 'postgres', readOnly: this.teamReadOnly, location: `${url.toString()} schema ${request.schema ?? 'backfile'}` };
      // The team workspace asked for (the connect dialog's box): the host says so in `team.workspace`.
      if (request.teamWorkspace) {
        this.team.team = { host: url.hostname, port: Number(url.port || 5432), database: url.pathname.slice(1), schema: request.schema ?? 'backfile', user: decodeURIComponent(url.username), workspace: 'team' };
      }
      this.emit('archiveChanged', this.info());
      return this.team;
    });
  }
  disconnectTeamIndex() {
    return this.answer('disconnectTeamIndex', [], (): IndexInfo => {
      this.team = null;
      this.emit('archiveChanged', this.info());
      return this.indexInfo();
    });
  }

  // The research workspace.
  getMarks(path: string) { return this.answer('getMarks', [path], () => this.workspace.getMarks(path)); }
  setStar(path: string, starred: boolean) { return this.answer('setStar', [path, starred], () => this.workspace.change(path, (m) => { m.starred = starred; })); }
  setLabels(path: string, labels: string[]) { return this.answer('setLabels', [path, labels], () => this.workspace.setLabels(path, labels)); }
  addLabel(path: string, name: string, color?: string) { return this.answer('addLabel', [path, name, color], () => this.workspace.addLabel(path, name, color)); }
  removeLabel(path: string, name: string) { return this.answer('removeLabel', [path, name], () => this.workspace.change(path, (m) => void m.labels.delete(name))); }
  setNote(path: string, note: string) { return this.answer('setNote', [path, note], () => this.workspace.change(path, (m) => { m.note = note; })); }
  addHighlight(path: string, highlight: HighlightInput) { return this.answer('addHighlight', [path, highlight], () => this.workspace.addHighlight(path, highlight)); }
  removeHighlight(path: string, id: string) { return this.answer('removeHighlight', [path, id], () => this.workspace.removeHighlight(path, id)); }
  listMarks() { return this.answer('listMarks', [], () => this.workspace.listMarks()); }
  countMarks(query: ListQuery) {
    return this.answer('countMarks', [query], (): MarkCounts => {
      const inResult = new Set(this.found(query).map((p) => p.path));
      const counts: MarkCounts = { starred: 0, notes: 0, labels: Object.fromEntries(this.workspace.listLabels().map((l) => [l.name, 0])) };
      for (const m of this.workspace.listMarks()) {
        if (m.missing || !inResult.has(m.path)) continue;
        if (m.starred) counts.starred += 1;
        if (m.note !== '') counts.notes += 1;
        for (const name of m.labels) counts.labels[name] = (counts.labels[name] ?? 0) + 1;
      }
      return counts;
    });
  }
  listLabels() { return this.answer('listLabels', [], () => this.workspace.listLabels()); }
  setLabelColor(name: string, color: string) { return this.answer('setLabelColor', [name, color], () => this.workspace.setLabelColor(name, color)); }
  renameLabel(from: string, to: string) { return this.answer('renameLabel', [from, to], () => this.workspace.renameLabel(from, to)); }
  mergeLabels(from: string, into: string) { return this.answer('mergeLabels', [from, into], () => this.workspace.mergeLabels(from, into)); }
  deleteLabel(name: string) { return this.answer('deleteLabel', [name], () => this.workspace.deleteLabel(name)); }
  setLabelShared(name: string, shared: boolean) { return this.answer('setLabelShared', [name, shared], () => this.workspace.setLabelShared(name, shared)); }
  listSavedSearches() { return this.answer('listSavedSearches', [], () => this.workspace.listSavedSearches()); }
  addSavedSearch(name: string, query: SavedQuery) { return this.answer('addSavedSearch', [name, query], () => this.workspace.addSavedSearch(name, query)); }
  removeSavedSearch(name: string) { return this.answer('removeSavedSearch', [name], () => this.workspace.saved.delete(name)); }
  markSavedSearchOpened(name: string) { return this.answer('markSavedSearchOpened', [name], () => this.workspace.markSavedSearchOpened(name)); }
  forgetMarks(path: string) { return this.answer('forgetMarks', [path], () => this.workspace.forgetMarks(path)); }
  exportWorkspace() { return this.answer('exportWorkspace', [], () => this.workspace.exportWorkspace()); }
  importWorkspace(data: WorkspaceExport) { return this.answer('importWorkspace', [data], () => this.workspace.importWorkspace(data)); }
}
