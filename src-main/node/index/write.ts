/**
 * Writing one post into the index, or taking one out: the post row, its text, its FTS5 row (tokens and facets)
 * and the count tables of the trees, always together. Runs inside IndexStore.applyBatch's transaction.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Statement } from 'better-sqlite3';
import type { ParsedPost, Problem } from '../../core/types';
import { normalizeName } from '../../core/query';
import { tokenize, tokensToFts } from '../../core/tokenize';
import { DATED_BASE, ID_SPAN, MAX_ID_SPAN, categoryKey, dateKey, dayEnd, dayStart, idBase, pathFromCategoryKey, postFacets } from './list';
import { describeError } from '../fs-safety';
import { type BucketFilter, moveSignature, postSignature, rebucketSignatures, removeSignature, writePendingBuckets, writeSignature } from './similar';
import { StoryChanges } from './story';

type Sql = (text: string) => Statement;

/** What removing a post must undo. */
interface IndexedPost {
  id: number;
  sort_key: string;
  hidden: number;
  year: number | null;
  month: number | null;
  category_key: string;
  tag_keys: string;
}

/** Distinct tags by normalised name, first spelling kept: [normalised, as written]. */
export function tagKeys(tags: readonly unknown[]): [string, string][] {
  const keys = new Map<string, string>();
  for (const tag of tags) {
    const name = String(tag).trim();
    const norm = normalizeName(name);
    if (norm !== '' && !keys.has(norm)) keys.set(norm, name);
  }
  return [...keys];
}

/**
 * What one write transaction keeps in memory: the tree counts' changes, summed and written once at its end
 * (a 2,000-post transaction touches a few hundred count rows instead of writing one per post, category and tag),
 * and the highest id handed out per date key (one query per key instead of one per post).
 */
export class WriteContext {
  private readonly categories = new Map<string, number>();
  private readonly dates = new Map<string, number>();
  private readonly tags = new Map<string, { name: string; delta: number }>();
  /** Ids given a signature in this transaction: their LSH buckets are written at flush, sorted (similar.ts). */
  readonly unbucketed = new Set<number>();
  /** Stories that lost a member; new posts join their versions' stories at flush (story.ts). */
  readonly stories = new StoryChanges();

  /**
   * `maxIds` shared with the transaction's context when this one holds the changes of one post's savepoint;
   * `buckets`: the store's BucketFilter (similar.ts), kept across its transactions, for the one that flushes.
   * `deferred`: SIMILARITY_PENDING is set (a big update, similar.ts): posts get their signature only, no bucket rows
   * and no story upkeep; story.ts runStoryPass makes both at the update's end.
   */
  constructor(readonly maxIds = new Map<number, number>(), private readonly buckets?: BucketFilter, readonly deferred = false) {}

  /** Takes over the count changes of a post's own context, once its savepoint was released. */
  absorb(other: WriteContext): void {
    for (const [key, delta] of other.categories) add(this.categories, key, delta);
    for (const [key, delta] of other.dates) add(this.dates, key, delta);
    for (const [key, { name, delta }] of other.tags) {
      const entry = this.tags.get(key);
      if (entry) entry.delta += delta;
      else this.tags.set(key, { name, delta });
    }
    for (const id of other.unbucketed) this.unbucketed.add(id);
    this.stories.absorb(other.stories);
  }

  /** Adds `delta` to the post's rows in the tree count tables (at flush). */
  count(p: Omit<IndexedPost, 'id' | 'sort_key'>, delta: number): void {
    if (p.category_key !== '') add(this.categories, `${p.hidden}\x1e${p.category_key}`, delta);
    add(this.dates, `${p.hidden} ${p.year ?? 0} ${p.month ?? 0}`, delta);
    for (const [norm, name] of JSON.parse(p.tag_keys) as [string, string][]) {
      const key = `${p.hidden}\x1e${norm}`;
      const entry = this.tags.get(key);
      if (entry) entry.delta += delta;
      // The first spelling seen is kept (the row's own name wins when the row exists).
      else this.tags.set(key, { name, delta });
    }
  }

  /** Writes the summed count changes; rows that reach 0 go. Call once, at the end of the transaction. */
  flush(sql: Sql): void {
    for (const [key, delta] of this.categories) {
      if (delta === 0) continue;
      const split = key.indexOf('\x1e');
      const [hidden, categoryKey] = [Number(key.slice(0, split)), key.slice(split + 1)];
      sql(`INSERT INTO category_counts (category_key, hidden, count) VALUES (?, ?, ?)
        ON CONFLICT DO UPDATE SET count = count + excluded.count`).run(categoryKey, hidden, delta);
      if (delta < 0) sql('DELETE FROM category_counts WHERE category_key = ? AND hidden = ? AND count <= 0').run(categoryKey, hidden);
    }
    for (const [key, delta] of this.dates) {
      if (delta === 0) continue;
      const [hidden, year, month] = key.split(' ').map(Number) as [number, number, number];
      sql(`INSERT INTO date_counts (year, month, hidden, count) VALUES (?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET count = count + excluded.count`).run(year, month, hidden, delta);
      if (delta < 0) sql('DELETE FROM date_counts WHERE year = ? AND month = ? AND hidden = ? AND count <= 0').run(year, month, hidden);
    }
    for (const [key, { name, delta }] of this.tags) {
      if (delta === 0) continue;
      const split = key.indexOf('\x1e');
      const [hidden, norm] = [Number(key.slice(0, split)), key.slice(split + 1)];
      sql(`INSERT INTO tag_counts (tag_norm, hidden, name, count) VALUES (?, ?, ?, ?)
        ON CONFLICT DO UPDATE SET count = count + excluded.count`).run(norm, hidden, name, delta);
      if (delta < 0) sql('DELETE FROM tag_counts WHERE tag_norm = ? AND hidden = ? AND count <= 0').run(norm, hidden);
    }
    this.categories.clear();
    this.dates.clear();
    this.tags.clear();
    if (!this.deferred) {
      const knownBuckets = writePendingBuckets(sql, this.unbucketed, this.buckets);
      this.stories.flush(sql, this.unbucketed, knownBuckets);
    }
    this.unbucketed.clear();
  }
}

const add = (map: Map<string, number>, key: string, delta: number): void => void map.set(key, (map.get(key) ?? 0) + delta);

const findPost = (sql: Sql, path: string): IndexedPost | undefined =>
  sql('SELECT id, sort_key, hidden, year, month, category_key, tag_keys FROM posts WHERE path = ?').get(path) as IndexedPost | undefined;

function remove(sql: Sql, context: WriteContext, old: IndexedPost): void {
  sql('DELETE FROM posts_fts WHERE rowid = ?').run(old.id);
  sql('DELETE FROM post_text WHERE id = ?').run(old.id);
  if (!context.deferred) context.stories.removed(sql, old.id);
  removeSignature(sql, old.id, context.deferred);
  sql('DELETE FROM posts WHERE id = ?').run(old.id);
  context.count(old, -1);
}

/** Takes the post at `path` out of the index, if it is there. */
export function deletePost(sql: Sql, context: WriteContext, path: string): void {
  const old = findPost(sql, path);
  if (old) remove(sql, context, old);
}

/**
 * The post text as stored in post_text: UTF-16LE (two bytes a CJK character instead of UTF-8's three), deflated.
 * Level 1: measured on 20,000 synthetic posts, 0.60 of the UTF-8 bytes at every level from 1 to 6 (0.65 for
 * deflated UTF-8), and the writer is the bottleneck of an index build. Only a result page's texts are inflated.
 */
export const packText = (text: string): Buffer => deflateRawSync(Buffer.from(text, 'utf16le'), { level: 1 });
export const unpackText = (packed: Uint8Array | null | undefined): string =>
  packed ? inflateRawSync(packed).toString('utf16le') : '';

const keyOfRow = (sortKey: string): number => dateKey(sortKey === '' ? null : sortKey);

const DAY_FULL = 'no free id left on this day (too many posts share one day)';

/** A stored post's FTS5 row (tokens and facets), made again from its stored title, text and front matter. */
function storedFtsRow(sql: Sql, id: number): { fts: FtsText; facets: string } {
  const row = sql('SELECT title, hidden, year, month, categories, tags, tag_keys, description FROM posts WHERE id = ?').get(id) as
    { title: string; hidden: number; year: number | null; month: number | null; categories: string; tags: string; tag_keys: string; description: string };
  const fts = ftsText({
    title: row.title, text: unpackText(sql('SELECT text FROM post_text WHERE id = ?').pluck().get(id) as Buffer | undefined),
    tags: JSON.parse(row.tags) as string[], categories: JSON.parse(row.categories) as string[], description: row.description,
  });
  const facets = postFacets({
    hidden: row.hidden !== 0, year: row.year, month: row.month, categories: JSON.parse(row.categories) as string[],
    tagKeys: (JSON.parse(row.tag_keys) as [string, string][]).map(([norm]) => norm),
  });
  return { fts, facets };
}

const insertFts = (sql: Sql, id: number, { fts, facets }: { fts: FtsText; facets: string }): void =>
  void sql('INSERT INTO posts_fts (rowid, title, meta, body, facets) VALUES (?, ?, ?, ?, ?)').run(id, fts.title, fts.meta, fts.body, facets);

/** Moves one post from id `from` to the free id `to`: its FTS5 row is written again from its stored title and text. */
function moveId(sql: Sql, from: number, to: number, context: WriteContext): void {
  const row = storedFtsRow(sql, from);
  sql('DELETE FROM posts_fts WHERE rowid = ?').run(from);
  sql('UPDATE posts SET id = ? WHERE id = ?').run(to, from);
  sql('UPDATE post_text SET id = ? WHERE id = ?').run(to, from);
  moveSignature(sql, from, to, context.unbucketed, context.deferred);
  insertFts(sql, to, row);
}

/** The index's ids a minute (list.ts): ID_SPAN until a day outgrew it (widenIds). */
export function idSpan(sql: Sql): number {
  const stored = Number(sql("SELECT value FROM meta WHERE key = 'id_span'").pluck().get());
  return Number.isInteger(stored) && stored > ID_SPAN && stored <= MAX_ID_SPAN ? stored : ID_SPAN;
}

/** How much a full day widens the span: one widening takes a day from 23,040 posts to 92,160. */
const WIDEN = 4;

/**
 * Gives every day WIDEN times the ids (a day had none left): every dated post gets the id a build in date order
 * would give it with the wider span (its minute's first id, or the next after the post before it; the last
 * posts of a crowded day below their minute's, as makeRoom does), so each stays in its day, in the same order,
 * and the crowded day's free ids are after its posts, where the next post of its busiest minute goes. Every
 * FTS5 row is written again from the stored posts, in id order, so the doclists stay as dense as a fresh build's.
 * As costly as re-tokenising the archive, and only ever needed by an archive with a day of more than
 * span * 1440 posts (a scraper that gave every post the same date): normal archives keep ID_SPAN and their bytes.
 */
function widenIds(sql: Sql, span: number, context: WriteContext): void {
  const unbucketed = context.unbucketed;
  // Deferred (SIMILARITY_PENDING): no bucket rows or stories to keep, the update's end makes them all.
  const tables = context.deferred ? ['posts', 'post_text', 'post_sig'] : ['posts', 'post_text', 'post_sig', 'post_story'];
  const wider = span * WIDEN;
  if (wider > MAX_ID_SPAN) throw new Error(DAY_FULL);
  const rows = (sql('SELECT id, sort_key FROM posts WHERE id >= ? ORDER BY id').raw().all(DATED_BASE) as [number, string][])
    .map(([id, sortKey]) => ({ id, key: Math.max(1, keyOfRow(sortKey)) }));
  // Through negative ids, so that no id collides with one not yet moved.
  for (const table of tables) sql(`UPDATE ${table} SET id = -id WHERE id >= ?`).run(DATED_BASE);
  let previous = DATED_BASE - 1;
  const moved = new Map<number, number>();
  for (let i = 0, dayEndsAt = 0; i < rows.length; i++) {
    const { id, key } = rows[i]!;
    const end = dayEnd(key, wider);
    if (i >= dayEndsAt) for (dayEndsAt = i; dayEndsAt < rows.length && dayEnd(rows[dayEndsAt]!.key, wider) === end;) dayEndsAt++;
    const next = Math.min(Math.max(idBase(key, wider), previous + 1), end - (dayEndsAt - i));
    for (const table of tables) sql(`UPDATE ${table} SET id = ? WHERE id = ?`).run(next, -id);
    moved.set(id, next);
    previous = next;
  }
  if (!context.deferred) rebucketSignatures(sql);
  // Ids keep their order (each next id is above the one before), so every story row moved with its post stays
  // right; the transaction's new posts (story rows made at flush) are pending under their new ids, nothing else.
  // (Making every story again here cost a look-up per post of the archive: 15 s of CPU at 23,000 posts.)
  const pending = [...unbucketed];
  unbucketed.clear();
  for (const id of pending) unbucketed.add(moved.get(id) ?? id);
  sql("INSERT INTO posts_fts (posts_fts) VALUES ('delete-all')").run();
  for (let after = -1; ;) {
    const ids = sql('SELECT id FROM posts WHERE id > ? ORDER BY id LIMIT 500').pluck().all(after) as number[];
    if (ids.length === 0) break;
    for (const id of ids) insertFts(sql, id, storedFtsRow(sql, id));
    after = ids[ids.length - 1]!;
  }
  sql("INSERT INTO meta (key, value) VALUES ('id_span', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(wider));
}

/**
 * Frees id `at` inside [start, end) by moving the posts packed next to it one id over, up to the first free
 * id above, else down to the first free id below. Order is kept, and no post leaves its day (after:/before:
 * are days). Needed by an update that adds a post to a full stretch of ids, and by a build whose posts crowd the end
 * of a day. Null when the day has no free id at all (nothing was moved).
 */
function makeRoom(sql: Sql, at: number, start: number, end: number, context: WriteContext): number | null {
  let up = at;
  for (const id of sql('SELECT id FROM posts WHERE id >= ? AND id < ? ORDER BY id').pluck().iterate(at, end) as Iterable<number>) {
    if (id !== up) break;
    up++;
  }
  if (up < end) {
    for (let id = up - 1; id >= at; id--) moveId(sql, id, id + 1, context);
    return at;
  }
  // Nothing free above: the posts before `at` move down, and the id just below `at` is the new one.
  let down = at - 1;
  for (const id of sql('SELECT id FROM posts WHERE id <= ? AND id >= ? ORDER BY id DESC').pluck().iterate(down, start) as Iterable<number>) {
    if (id !== down) break;
    down--;
  }
  if (down < start) return null;
  // The run moves down by as many ids as it is long, where they are free, so that the next posts of its minute find
  // free ids after it: one move a post, where moving it by one id would move every earlier post again for each
  // (2,000 posts at 23:59 were 2 million moves).
  const below = sql('SELECT max(id) FROM posts WHERE id < ? AND id >= ?').pluck().get(down, start) as number | null;
  const shift = Math.max(1, Math.min(down - (below ?? start - 1), at - down - 1));
  for (let id = down + 1; id < at; id++) moveId(sql, id, id - shift, context);
  return at - shift;
}

/**
 * A free id for the date key, keeping id order = date order inside the key's day (list.ts): after the day's
 * posts of this minute or earlier, before its later ones, and at idBase(key) when that is free (ids stay
 * spread by minute, leaving room for later additions). When there is no free id between, makeRoom moves the
 * neighbours; when the day has no free id left (span ids a minute), widenIds gives every day more.
 */
function allocateId(sql: Sql, context: WriteContext, key: number): number {
  const span = idSpan(sql);
  const end = dayEnd(key, span);
  const start = dayStart(key, span);
  let last = context.maxIds.get(key);
  if (last === undefined) {
    // Walk from this minute's first id, unless a later minute's post was moved below it (makeRoom): then from the
    // day's start. (Always from the day's start would read a busy day's posts again for every new minute.)
    const below = sql('SELECT sort_key FROM posts WHERE id >= ? AND id < ? ORDER BY id DESC LIMIT 1').pluck().get(start, idBase(key, span)) as string | undefined;
    last = below !== undefined && keyOfRow(below) > key ? start - 1 : idBase(key, span) - 1;
  }
  let upper = end;
  for (const row of sql('SELECT id, sort_key FROM posts WHERE id > ? AND id < ? ORDER BY id').iterate(last, end) as Iterable<{ id: number; sort_key: string }>) {
    if (keyOfRow(row.sort_key) > key) {
      upper = row.id;
      break;
    }
    last = row.id;
  }
  let id: number | null = Math.max(last + 1, idBase(key, span));
  if (id >= upper) {
    id = makeRoom(sql, upper, start, end, context);
    context.maxIds.clear(); // the posts moved may be the ones remembered
    if (id === null) {
      widenIds(sql, span, context);
      return allocateId(sql, context, key);
    }
  }
  context.maxIds.set(key, id);
  return id;
}

/** The problem of a post that could not be indexed (parsing, tokenising or writing it failed). */
export const notIndexed = (path: string, error: unknown): Problem =>
  ({ path, message: `could not be indexed: ${describeError(error)}`, severity: 'error' });

/**
 * The post's `description` and `excerpt` front matter (strings only), one per line: searched with the tags and
 * category names (the `meta` column), stored in posts.description. Nothing from a post whose encoding was a
 * doubtful GB18030 guess (core/parse-post.ts keeps such words out of titles, trees and the index).
 */
export function frontMatterDescription(post: Pick<ParsedPost, 'meta' | 'encoding' | 'problems'>): string {
  if (post.encoding === 'gb18030' && post.problems.some((p) => p.message.startsWith('encoding uncertain'))) return '';
  return [post.meta.description, post.meta.excerpt].filter((v): v is string => typeof v === 'string' && v.trim() !== '').join('\n');
}

/**
 * The post's title, text and meta (tags, category names, description) as FTS5 stores them: core/tokenize.ts tokens,
 * space-separated; and, for a parsed post, its similarity signature (packed, null: too little text), made where
 * it was parsed too.
 */
export interface FtsText {
  title: string; meta: string; body: string; signature?: Uint8Array | null;
  /** packText(post.text), made on the parse thread too: deflating was 7 % of the writer thread's time. */
  packed?: Uint8Array;
  /**
   * frontMatterDescription(post), stored in posts.description: made where the post was parsed, since a parse thread
   * sends the post without its front matter (read-post.ts forTransfer) and a moved post's meta tokens are made
   * again from what is stored (storedFtsRow).
   */
  description?: string;
}

type FtsSource = Pick<ParsedPost, 'title' | 'text'> & Partial<Pick<ParsedPost, 'tags' | 'categories'>> & { description?: string };

const metaText = (post: FtsSource): string =>
  [...(post.tags ?? []), ...pathFromCategoryKey(categoryKey(post.categories ?? [])), post.description ?? ''].map(String).join('\n');

/** `description`: frontMatterDescription(post) for a ParsedPost, posts.description for a stored one. */
export const ftsText = (post: FtsSource): FtsText => ({
  title: tokensToFts(tokenize(post.title)),
  meta: tokensToFts(tokenize(metaText(post))),
  body: tokensToFts(tokenize(post.text)),
});

/** ftsText of a parsed post; `packText: false` leaves out `packed` (the PostgreSQL writer stores text as text). */
export function postFtsText(post: ParsedPost, { packText: pack = true }: { packText?: boolean } = {}): FtsText {
  const description = frontMatterDescription(post);
  const fts: FtsText = { ...ftsText({ ...post, description }), signature: postSignature(post.text), description };
  // A plain Uint8Array of its own bytes: as a parse thread sends it (a small Buffer would take its 8 KB pool along).
  if (pack) fts.packed = new Uint8Array(packText(post.text));
  return fts;
}

/** A Buffer over the same bytes (a Buffer sent to another thread arrives as a plain Uint8Array, which the driver refuses). */
const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/**
 * Writes a post, replacing whatever was indexed at its path (a post or a failure). `fts` is postFtsText(post)
 * when a parse thread already tokenised it (the writer is the bottleneck of an index build).
 */
export function upsertPost(
  sql: Sql, context: WriteContext, post: ParsedPost, size: number, mtimeMs: number, hash: string | null, fts: FtsText = postFtsText(post),
): void {
  const old = findPost(sql, post.path);
  const key = dateKey(post.date);
  if (old) remove(sql, context, old);
  // Keep the id when the date did not move (the common re-index), so ids stay stable.
  const id = old && keyOfRow(old.sort_key) === key ? old.id : allocateId(sql, context, key);
  const hidden = !post.published || post.draft;
  const keys = tagKeys(post.tags);
  const row = {
    id, path: post.path, size, mtime_ms: mtimeMs, hash, title: post.title, date: post.date, sort_key: post.date ?? '',
    year: post.year, month: post.month, categories: JSON.stringify(post.categories), category_key: categoryKey(post.categories),
    tags: JSON.stringify(post.tags), tag_keys: JSON.stringify(keys), hidden: hidden ? 1 : 0, draft: post.draft ? 1 : 0,
    // Not kept: the excerpt is core excerptOf(the stored text), made again by the reader (store.ts; 42 MB of 100,000 posts).
    excerpt: '', source: post.source, problems: JSON.stringify(post.problems), problem_count: post.problems.length,
    description: fts.description ?? frontMatterDescription(post),
  };
  sql(`INSERT INTO posts (id, path, size, mtime_ms, hash, title, date, sort_key, year, month, categories, category_key,
      tags, tag_keys, hidden, draft, excerpt, source, problems, problem_count, description)
    VALUES (@id, @path, @size, @mtime_ms, @hash, @title, @date, @sort_key, @year, @month, @categories, @category_key,
      @tags, @tag_keys, @hidden, @draft, @excerpt, @source, @problems, @problem_count, @description)`).run(row);
  sql('INSERT INTO post_text (id, text) VALUES (?, ?)').run(id, fts.packed ? asBuffer(fts.packed) : packText(post.text));
  writeSignature(sql, id, fts.signature !== undefined ? fts.signature : postSignature(post.text), context.unbucketed);
  const facets = postFacets({ hidden, year: post.year, month: post.month, categories: post.categories, tagKeys: keys.map(([norm]) => norm) });
  sql('INSERT INTO posts_fts (rowid, title, meta, body, facets) VALUES (?, ?, ?, ?, ?)').run(id, fts.title, fts.meta, fts.body, facets);
  context.count(row, 1);
  sql('DELETE FROM file_problems WHERE path = ?').run(post.path);
}
