/**
 * Saved searches: a name, a query with its filters, and what it found when the reader last opened it, so the
 * list can say how many posts are new since (posts arrive by import, by the watcher, by `git pull`). `find`
 * answers a query with the paths of every post it finds (workspace-service.ts asks the index).
 */
import { ArchiveError } from '../../shared/archive-api';
import type { SavedQuery, SavedSearch } from '../../shared/workspace-api';
import type { WorkspaceStore } from './workspace-store';

export type FindPaths = (query: SavedQuery) => string[] | Promise<string[]>;

interface SavedRow { id: number; name: string; query: string; last_opened_at: string | null }

export const MAX_SAVED_NAME = 200;

function parseQuery(text: string): SavedQuery {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as SavedQuery) : {};
  } catch {
    return {};
  }
}

/** Paging is the list's: a saved query keeps the rest. */
export function savedQueryOf(query: SavedQuery & { offset?: unknown; limit?: unknown }): SavedQuery {
  const { offset: _offset, limit: _limit, ...rest } = query;
  return rest;
}

async function counted(store: WorkspaceStore, row: SavedRow, find: FindPaths): Promise<SavedSearch> {
  const query = parseQuery(row.query);
  const paths = await find(query);
  const seen = store.db.prepare('SELECT 1 FROM saved_seen WHERE search_id = ? AND path = ?').pluck();
  const fresh = row.last_opened_at === null ? paths.length : paths.filter((p) => seen.get(row.id, p) === undefined).length;
  return { name: row.name, query, lastOpenedAt: row.last_opened_at, total: paths.length, new: fresh };
}

const rowOf = (store: WorkspaceStore, name: string): SavedRow | undefined =>
  store.db.prepare('SELECT id, name, query, last_opened_at FROM saved_searches WHERE name = ?').get(name) as SavedRow | undefined;

export async function listSavedSearches(store: WorkspaceStore, find: FindPaths): Promise<SavedSearch[]> {
  const rows = store.db.prepare('SELECT id, name, query, last_opened_at FROM saved_searches ORDER BY name').all() as SavedRow[];
  const searches: SavedSearch[] = [];
  for (const row of rows) searches.push(await counted(store, row, find));
  return searches;
}

/** Saves `query` under `name` (replacing a search of that name, which then counts as never opened). */
export async function addSavedSearch(store: WorkspaceStore, name: string, query: SavedQuery, find: FindPaths): Promise<SavedSearch> {
  if (name.trim() === '' || name.length > MAX_SAVED_NAME) throw new ArchiveError('INVALID_ARGUMENT', `a saved search needs a name of 1 to ${MAX_SAVED_NAME} characters`);
  const text = JSON.stringify(savedQueryOf(query));
  store.write(() => {
    const old = rowOf(store, name);
    if (old) {
      store.db.prepare('UPDATE saved_searches SET query = ?, last_opened_at = NULL WHERE id = ?').run(text, old.id);
      store.db.prepare('DELETE FROM saved_seen WHERE search_id = ?').run(old.id);
    } else store.db.prepare('INSERT INTO saved_searches (name, query, created_at) VALUES (?, ?, ?)').run(name, text, new Date().toISOString());
  });
  return counted(store, rowOf(store, name)!, find);
}

export function removeSavedSearch(store: WorkspaceStore, name: string): boolean {
  return store.write(() => store.db.prepare('DELETE FROM saved_searches WHERE name = ?').run(name).changes > 0);
}

/** The reader opened the search: remember what it finds now, so only later arrivals count as new. */
export async function markSavedSearchOpened(store: WorkspaceStore, name: string, find: FindPaths, at: string = new Date().toISOString()): Promise<SavedSearch> {
  const row = rowOf(store, name);
  if (!row) throw new ArchiveError('NOT_FOUND', `no saved search "${name.slice(0, 200)}"`);
  const paths = await find(parseQuery(row.query));
  // Read again after the wait (the team index answers over the network): the search may have been replaced meanwhile,
  // and what the old query found must not count as seen for the new one.
  const now = rowOf(store, name);
  if (!now || now.id !== row.id || now.query !== row.query) throw new ArchiveError('BUSY', `the saved search "${name.slice(0, 200)}" changed while it was opened; open it again`);
  store.write(() => recordSeen(store, row.id, paths, at));
  return counted(store, rowOf(store, name)!, find);
}

export function recordSeen(store: WorkspaceStore, searchId: number, paths: readonly string[], at: string | null): void {
  store.db.prepare('DELETE FROM saved_seen WHERE search_id = ?').run(searchId);
  const insert = store.db.prepare('INSERT OR IGNORE INTO saved_seen (search_id, path) VALUES (?, ?)');
  for (const p of paths) insert.run(searchId, p);
  store.db.prepare('UPDATE saved_searches SET last_opened_at = ? WHERE id = ?').run(at, searchId);
}
