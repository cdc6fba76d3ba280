/**
 * The workspace file (real SQLite files on disk): marks, labels, saved searches, reconciliation written back,
 * migrations from a version-1 file, refusal (never deletion) of files that are not ours, damaged or newer, and a
 * seeded fuzz test that note and label text round-trips exactly.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { IndexView, IndexedPost } from '../../src-main/node/workspace/reconcile';
import { addSavedSearch, listSavedSearches, markSavedSearchOpened } from '../../src-main/node/workspace/saved-searches';
import { WORKSPACE_APPLICATION_ID, WORKSPACE_VERSION } from '../../src-main/node/workspace/schema';
import { defaultWorkspacePath, locateWorkspace } from '../../src-main/node/workspace/workspace-file';
import { WorkspaceStore } from '../../src-main/node/workspace/workspace-store';
import { int, mulberry32, type Rng } from '../bench/prng';
import { tempDir } from '../helpers/temp';

const dir = tempDir('backfile-workspace-');
let n = 0;
const fresh = () => path.join(dir, `ws-${++n}.sqlite`);
const stores: WorkspaceStore[] = [];
const open = (file: string) => {
  const store = WorkspaceStore.open(file);
  stores.push(store);
  return store;
};
afterEach(() => stores.splice(0).forEach((s) => s.close()));

const post = (p: string, hash: string, title = `T ${p}`): IndexedPost => ({ path: p, hash, title, date: '2021-02-03' });
const view = (posts: IndexedPost[]): IndexView => ({ byPath: (p) => posts.find((x) => x.path === p), byHash: (h) => posts.filter((x) => x.hash === h) });
const bytesOf = (file: string) => fs.readFileSync(file).toString('base64');

describe('marks', () => {
  it('refuses a label name holding a double quote (label:"…" could not list it), on adding and on renaming', () => {
    const ws = open(fresh());
    const a = post('_posts/a.md', 'h1');
    expect(() => ws.mark(a, (id) => ws.addLabel(id, 'say "hi"'))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('double quote') }));
    expect(ws.listLabels()).toEqual([]);
    ws.mark(a, (id) => ws.addLabel(id, 'say hi'));
    expect(() => ws.renameLabel('say hi', 'say "hi"')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(ws.listLabels().map((l) => l.name)).toEqual(['say hi']);
  });

  it('stars, labels, notes and highlights a post, and forgets a post whose last mark is cleared', () => {
    const ws = open(fresh());
    const a = post('_posts/a.md', 'h1');
    ws.mark(a, (id) => ws.setStar(id, true));
    ws.mark(a, (id) => ws.addLabel(id, 'Steel story'));
    ws.mark(a, (id) => ws.addLabel(id, 'steel STORY')); // the same label, whatever the case
    ws.mark(a, (id) => ws.setNote(id, '## 笔记\n*important*'));
    const marks = ws.mark(a, (id) => ws.addHighlight(id, { exact: '钢材价格', prefix: '今天', suffix: '上涨', comment: 'check' }));
    expect(marks).toMatchObject({ path: '_posts/a.md', starred: true, labels: ['Steel story'], note: '## 笔记\n*important*' });
    expect(marks.highlights).toEqual([expect.objectContaining({ exact: '钢材价格', prefix: '今天', suffix: '上涨', comment: 'check' })]);
    expect(ws.listMarks()).toEqual([expect.objectContaining({ path: '_posts/a.md', title: 'T _posts/a.md', hash: 'h1', missing: false })]);

    ws.mark(a, (id) => {
      ws.setStar(id, false);
      ws.setLabels(id, []);
      ws.setNote(id, '');
      ws.removeHighlight(id, marks.highlights[0]!.id);
    });
    expect(ws.listMarks()).toEqual([]);
    expect(ws.listLabels()).toEqual([{ name: 'Steel story', color: expect.stringMatching(/^#[0-9a-f]{6}$/), count: 0 }]);
  });

  it('renames, merges and deletes labels', () => {
    const ws = open(fresh());
    ws.mark(post('a.md', 'h1'), (id) => ws.setLabels(id, ['x', 'y']));
    ws.mark(post('b.md', 'h2'), (id) => ws.setLabels(id, ['y']));
    expect(ws.renameLabel('x', 'X story').map((l) => [l.name, l.count])).toEqual([['X story', 1], ['y', 2]]);
    expect(ws.mergeLabels('y', 'X story').map((l) => [l.name, l.count])).toEqual([['X story', 2]]);
    expect(ws.getMarks('b.md').labels).toEqual(['X story']);
    ws.setLabelColor('X story', '#ABCDEF');
    expect(ws.listLabels()[0]!.color).toBe('#abcdef');
    expect(ws.deleteLabel('X story')).toEqual([]);
    expect(ws.listMarks()).toEqual([]); // the posts had no other mark
    expect(() => ws.deleteLabel('nope')).toThrow(/no label/);
  });

  it('writes reconciliation back: moves, deletes, reattaches and edits', () => {
    const ws = open(fresh());
    ws.mark(post('moved.md', 'm'), (id) => ws.setStar(id, true));
    ws.mark(post('deleted.md', 'd', 'Deleted title'), (id) => ws.setNote(id, 'n'));
    ws.mark(post('edited.md', 'e1'), (id) => ws.addLabel(id, 'L'));
    ws.reconcile(view([post('new/place.md', 'm'), post('edited.md', 'e2', 'Edited')]));
    const byPath = Object.fromEntries(ws.listMarks().map((m) => [m.path, m]));
    expect(byPath['new/place.md']).toMatchObject({ starred: true, missing: false });
    expect(byPath['deleted.md']).toMatchObject({ title: 'Deleted title', note: 'n', missing: true });
    expect(byPath['edited.md']).toMatchObject({ title: 'Edited', hash: 'e2', labels: ['L'], missing: false });
    expect(Object.keys(byPath)).toHaveLength(3);
    // The deleted post's content comes back under another name.
    ws.reconcile(view([post('new/place.md', 'm'), post('edited.md', 'e2', 'Edited'), post('again.md', 'd', 'Back')]));
    expect(ws.getMarks('again.md')).toMatchObject({ note: 'n' });
    expect(ws.listMarks().every((m) => !m.missing)).toBe(true);
  });
});

describe('saved searches', () => {
  it('counts what is new since the search was last opened', async () => {
    const ws = open(fresh());
    let found = ['a.md', 'b.md'];
    const find = () => found;
    expect(await addSavedSearch(ws, '钢铁', { query: '钢铁', category: ['news'] }, find)).toMatchObject({ total: 2, new: 2, lastOpenedAt: null });
    expect(await markSavedSearchOpened(ws, '钢铁', find, '2026-01-01T00:00:00.000Z')).toMatchObject({ total: 2, new: 0 });
    found = ['a.md', 'b.md', 'c.md', 'd.md'];
    expect(await listSavedSearches(ws, find)).toEqual([{ name: '钢铁', query: { query: '钢铁', category: ['news'] }, lastOpenedAt: '2026-01-01T00:00:00.000Z', total: 4, new: 2 }]);
  });

  it('does not count what the old query found as seen when the search is replaced while it is being opened', async () => {
    const ws = open(fresh());
    await addSavedSearch(ws, 's', { query: 'a' }, () => ['a.md']);
    // The index answers later (a team index over the network); meanwhile another window saves a new query under the name.
    const opening = markSavedSearchOpened(ws, 's', async () => {
      await addSavedSearch(ws, 's', { query: 'b' }, () => ['a.md', 'b.md']);
      return ['a.md'];
    });
    await expect(opening).rejects.toMatchObject({ code: 'BUSY' });
    expect(await listSavedSearches(ws, () => ['a.md', 'b.md'])).toEqual([{ name: 's', query: { query: 'b' }, lastOpenedAt: null, total: 2, new: 2 }]);
  });
});

describe('the workspace file', () => {
  it('lives in the data folder, never inside the archive', () => {
    const archive = tempDir('backfile-archive-');
    expect(defaultWorkspacePath(archive, '/data')).toMatch(/^\/data\/workspaces\/.+-[0-9a-f]{16}\.sqlite$/);
    expect(() => locateWorkspace(fs.realpathSync(archive), path.join(archive, 'ws.sqlite'))).toThrow(/inside the archive/);
  });

  it('migrates a version-1 workspace, keeping its marks and saved searches', async () => {
    const file = fresh();
    // A version-1 file as Backfile 1 wrote it.
    const old = new Database(file);
    old.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE posts (id INTEGER PRIMARY KEY, path TEXT NOT NULL, hash TEXT, title TEXT NOT NULL DEFAULT '', date TEXT,
        missing INTEGER NOT NULL DEFAULT 0, starred INTEGER NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL);
      CREATE UNIQUE INDEX posts_present_path ON posts (path) WHERE missing = 0;
      CREATE INDEX posts_hash ON posts (hash);
      CREATE TABLE labels (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, color TEXT NOT NULL);
      CREATE TABLE post_labels (post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        label_id INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE, PRIMARY KEY (post_id, label_id)) WITHOUT ROWID;
      CREATE TABLE highlights (id TEXT PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        exact TEXT NOT NULL, prefix TEXT NOT NULL, suffix TEXT NOT NULL, comment TEXT, created_at TEXT NOT NULL);
      CREATE INDEX highlights_post ON highlights (post_id);
      CREATE TABLE saved_searches (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, query TEXT NOT NULL, created_at TEXT NOT NULL);
      INSERT INTO posts (path, hash, title, starred, note, updated_at) VALUES ('a.md', 'h1', 'Old', 1, 'v1 note', '2025-01-01');
      INSERT INTO labels (name, color) VALUES ('story', '#123456');
      INSERT INTO post_labels VALUES (1, 1);
      INSERT INTO saved_searches (name, query, created_at) VALUES ('s', '{"query":"x"}', '2025-01-01');
      PRAGMA application_id = ${WORKSPACE_APPLICATION_ID};
      PRAGMA user_version = 1;
    `);
    old.close();
    const ws = open(file);
    expect(ws.db.pragma('user_version', { simple: true })).toBe(WORKSPACE_VERSION);
    expect(ws.getMarks('a.md')).toMatchObject({ starred: true, note: 'v1 note', labels: ['story'] });
    expect(await listSavedSearches(ws, () => ['a.md'])).toEqual([{ name: 's', query: { query: 'x' }, lastOpenedAt: null, total: 1, new: 1 }]);
  });

  const refused: [string, (file: string) => void, RegExp][] = [
    ['a text file', (f) => fs.writeFileSync(f, 'my notes\n'.repeat(100)), /not a SQLite database/],
    ["another program's SQLite database", (f) => { const db = new Database(f); db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);'); db.close(); }, /not a Backfile workspace/],
    ['a workspace from a newer Backfile', (f) => {
      const ws = WorkspaceStore.open(f);
      ws.mark(post('a.md', 'h'), (id) => ws.setStar(id, true));
      ws.db.pragma(`user_version = ${WORKSPACE_VERSION + 1}`);
      ws.close();
    }, /newer Backfile/],
    ['a damaged workspace', (f) => {
      const ws = WorkspaceStore.open(f);
      for (let i = 0; i < 200; i++) ws.mark(post(`p${i}.md`, `h${i}`), (id) => ws.setNote(id, 'x'.repeat(500)));
      ws.db.pragma('wal_checkpoint(TRUNCATE)');
      ws.close();
      const bytes = fs.readFileSync(f);
      bytes.fill(0xab, 4096 * 2, 4096 * 6); // pages in the middle overwritten
      fs.writeFileSync(f, bytes);
    }, /damaged|malformed/],
  ];
  it.each(refused)('refuses %s and leaves it exactly as it was', (_what, make, message) => {
    const file = fresh();
    make(file);
    const before = fs.readdirSync(dir).filter((f) => f.startsWith(path.basename(file))).map((f) => [f, bytesOf(path.join(dir, f))]);
    expect(() => WorkspaceStore.open(file)).toThrow(message);
    expect(() => WorkspaceStore.open(file)).toThrow(/leaves it as it is/);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(path.basename(file))).map((f) => [f, bytesOf(path.join(dir, f))])).toEqual(before);
  });

  it('takes writes from two connections (two windows) in turn, losing none', () => {
    const file = fresh();
    const one = open(file);
    const two = open(file);
    for (let i = 0; i < 50; i++) {
      const writer = i % 2 === 0 ? one : two;
      writer.mark(post(`p${i}.md`, `h${i}`), (id) => writer.addLabel(id, i % 2 === 0 ? 'one' : 'two'));
      // A transaction left open by one window makes the other wait (busy timeout), not fail.
    }
    expect(one.listMarks()).toHaveLength(50);
    expect(two.listLabels().map((l) => [l.name, l.count])).toEqual([['one', 25], ['two', 25]]);
  });
});

/** Text of every awkward kind: CJK, emoji and astral characters, combining marks, RTL, HTML and Markdown, controls, lone surrogates excluded (SQLite stores UTF-8). */
const PIECES = ['钢铁', '新闻', '😀', '𠀀', 'e\u0301', 'שלום', '<script>alert(1)</script>', '**bold**', '[x](javascript:alert(1))', '\t', '\n', '\r\n', ' ', '"', "'", '\\', '%', '_', '\u200b', '\u0001', '\u007f', 'ﬀ', 'İ'];
const text = (rng: Rng, max: number): string => {
  let out = '';
  const count = int(rng, 0, max);
  for (let i = 0; i < count; i++) out += rng() < 0.5 ? PIECES[int(rng, 0, PIECES.length - 1)] : String.fromCodePoint(int(rng, 0x20, 0x9fff));
  return out;
};

describe('fuzz: note and label text round-trips exactly (seeded)', () => {
  const SEED = Number(process.env.BACKFILE_FUZZ_SEED) || 1313;
  it(`seed ${SEED}`, () => {
    const rng = mulberry32(SEED);
    const file = fresh();
    const ws = open(file);
    const expected = new Map<string, { note: string; label: string }>();
    for (let i = 0; i < 200; i++) {
      const note = text(rng, 40);
      let label = text(rng, 8);
      if (label.trim() === '') label = `L${i}`;
      // Distinct labels (a label's name is matched without regard to ASCII case), without `"` (refused: label:"…" could not list it).
      label = `${i}:${label.replace(/"/g, '')}`;
      const p = `_posts/${i}.md`;
      ws.mark(post(p, `h${i}`), (id) => {
        ws.setNote(id, note);
        ws.addLabel(id, label);
        ws.addHighlight(id, { exact: `${label}x`, prefix: note.slice(-32), suffix: note.slice(0, 32), comment: note });
      });
      expected.set(p, { note, label });
    }
    ws.close();
    const again = open(file);
    for (const [p, { note, label }] of expected) {
      const marks = again.getMarks(p);
      expect(marks.note).toBe(note);
      expect(marks.labels).toEqual([label]);
      // A context cut in the middle of a surrogate pair (as slicing a selection's text can) loses the lone half.
      expect(marks.highlights[0]).toMatchObject({ exact: `${label}x`, prefix: note.slice(-32).replace(/^[\uDC00-\uDFFF]/, ''), suffix: note.slice(0, 32).replace(/[\uD800-\uDBFF]$/, ''), comment: note });
    }
  });
});
