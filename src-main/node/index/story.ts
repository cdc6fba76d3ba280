/**
 * Stories: the connected groups of visible posts linked by "is a version of" (similar.ts VersionLookup: estimated
 * Jaccard at or above SIMILAR_THRESHOLD; core/similarity/versions.ts storyEdges: a hidden post is in no story and
 * never links two posts), so that the list can show one row per story (ListQuery
 * `collapse`). Kept in post_story (schema v6) for the posts of stories of two or more only: a post without a row
 * is a story of its own. Story numbers are not post ids, so they stay put when write.ts moves ids.
 *
 * Kept right by write.ts's transaction, in its flush (after the bucket rows are written, so a batch's posts see
 * each other):
 * - insert: a post given a signature looks up its versions; it and they, with their whole stories, become one story
 *   (the smallest story number among them, else a new one). Every edge is found from its newer end, so the groups
 *   are exactly the connected components.
 * - delete (also the old half of a rewrite): the post's row goes and its story is marked; at flush the story's
 *   remaining members are walked by their versions; when they no longer hang together the largest group keeps
 *   the number, the others get new ones, and a member left alone loses its row.
 * - move (makeRoom, widenIds): the row follows the id (similar.ts moveSignature, write.ts widenIds), number kept.
 */
import type { Statement } from 'better-sqlite3';
import { groupsOf } from '../../core/similarity/versions';
import { SIGNATURE_SIZE } from '../../core/similarity/minhash';
import { storyPass } from '../../core/similarity/story-pass';
import { BUCKET_ROWS_A_STATEMENT, SIMILARITY_PENDING, VersionLookup } from './similar';

export { collapseOrder } from '../../core/similarity/versions';

type Sql = (sql: string) => Statement;

/**
 * Set to `1` in the environment of an indexing process, no stories are kept (post_story stays empty): the
 * benchmark's baseline for what they cost a build (tests/bench/story-cost.ts). Never set by the app.
 */
export const STORIES_OFF_ENV = 'BACKFILE_BENCH_NO_STORIES';
const storiesOff = (): boolean => typeof process !== 'undefined' && process.env[STORIES_OFF_ENV] === '1';

const storyOf = (sql: Sql, id: number): number | undefined => sql('SELECT story FROM post_story WHERE id = ?').pluck().get(id) as number | undefined;
const nextStory = (sql: Sql): number => sql('SELECT coalesce(max(story), 0) + 1 FROM post_story').pluck().get() as number;

/** Those of `ids` without a story row, in their order (one statement a chunk, not one an id). */
function withoutStory(sql: Sql, ids: readonly number[]): number[] {
  const storied = new Set<number>();
  for (let start = 0; start < ids.length; start += 10_000) {
    const rows = sql('SELECT id FROM post_story WHERE id IN (SELECT value FROM json_each(?))').pluck()
      .all(JSON.stringify(ids.slice(start, start + 10_000))) as number[];
    for (const id of rows) storied.add(id);
  }
  return storied.size === 0 ? [...ids] : ids.filter((id) => !storied.has(id));
}

/** What a write transaction changes about stories, applied at its end (WriteContext.flush). */
export class StoryChanges {
  /** Stories that lost a member in this transaction: they may have come apart. */
  private readonly dirty = new Set<number>();

  absorb(other: StoryChanges): void {
    for (const story of other.dirty) this.dirty.add(story);
  }

  /** Post `id` leaves the index (deleted, or about to be written again): its row goes, its story is checked at flush. */
  removed(sql: Sql, id: number): void {
    const story = storyOf(sql, id);
    if (story === undefined) return;
    sql('DELETE FROM post_story WHERE id = ?').run(id);
    this.dirty.add(story);
  }

  /**
   * `signed`: the ids given a signature in this transaction (WriteContext.unbucketed: new posts, and posts moved to
   * another id, whose story rows already moved with them). Call after their buckets are written; `knownBuckets`:
   * what writePendingBuckets knows of their members (the buckets new in this transaction).
   */
  flush(sql: Sql, signed: ReadonlySet<number>, knownBuckets?: Map<number, number[]>): void {
    // Moved posts with a story keep it (their versions are unchanged); new posts have no row yet.
    if (storiesOff()) return;
    const fresh = withoutStory(sql, [...signed]);
    if (fresh.length === 0 && this.dirty.size === 0) return;
    const versions = new VersionLookup(sql, knownBuckets);
    versions.prefetch(fresh);
    for (const story of this.dirty) splitStory(sql, story, versions);
    this.dirty.clear();
    const known = new KnownStories();
    for (const id of fresh) joinVersions(sql, id, versions, known);
  }
}

/**
 * The story rows a flush has read or written, so that a post's versions (hundreds, in a story of near-duplicates,
 * mostly the same posts as the last post's) are read from post_story once a flush, not once a post that has them.
 * A merge relabels the members known here as it relabels their rows (merges are rare; numbers stay those of SQL).
 */
export class KnownStories {
  private readonly stories = new Map<number, number | undefined>();
  private readonly members = new Map<number, number[]>();

  get(sql: Sql, id: number): number | undefined {
    if (this.stories.has(id)) return this.stories.get(id);
    const story = storyOf(sql, id);
    if (story === undefined) this.stories.set(id, undefined);
    else this.set(id, story);
    return story;
  }

  set(id: number, story: number): void {
    this.stories.set(id, story);
    const members = this.members.get(story);
    if (members) members.push(id);
    else this.members.set(story, [id]);
  }

  merge(from: number, into: number): void {
    for (const id of this.members.get(from) ?? []) this.set(id, into);
    this.members.delete(from);
  }
}

/** Post `id` and its versions, with their stories, become one story. */
export function joinVersions(sql: Sql, id: number, lookup: VersionLookup, known = new KnownStories()): void {
  const versions = lookup.storyEdges(id);
  if (versions.length === 0) return;
  const stories = new Set<number>();
  const loose: number[] = [];
  for (const member of [id, ...versions]) {
    const story = known.get(sql, member);
    if (story === undefined) loose.push(member);
    else stories.add(story);
  }
  const target = stories.size > 0 ? Math.min(...stories) : nextStory(sql);
  const merge = sql('UPDATE post_story SET story = ? WHERE story = ?');
  for (const story of stories) {
    if (story === target) continue;
    merge.run(target, story);
    known.merge(story, target);
  }
  const insert = sql('INSERT INTO post_story (id, story) VALUES (?, ?)');
  for (const member of loose) {
    insert.run(member, target);
    known.set(member, target);
  }
}

/**
 * A story that lost a member: still one group, or split. A walk from one member along versions usually reaches
 * every other at once (reprints of one copy are all alike); only when it does not are all members' versions read,
 * as undirected edges (a look-up keeps at most SIMILAR_CANDIDATES, so "A finds B" need not mean "B finds A").
 */
function splitStory(sql: Sql, story: number, lookup: VersionLookup): void {
  const members = sql('SELECT id FROM post_story WHERE story = ?').pluck().all(story) as number[];
  if (members.length < 2) {
    sql('DELETE FROM post_story WHERE story = ?').run(story);
    return;
  }
  const unseen = new Set(members);
  lookup.prefetch([members[0]!]);
  const queue = [members[0]!];
  unseen.delete(members[0]!);
  const known = new Map<number, number[]>();
  while (queue.length > 0 && unseen.size > 0) {
    const id = queue.pop()!;
    const versions = lookup.storyEdges(id);
    known.set(id, versions);
    for (const other of versions) {
      if (unseen.delete(other)) queue.push(other);
    }
  }
  if (unseen.size === 0) return;
  // Every member's versions are needed now: their bucket rows and signatures read at once, not one look-up each.
  lookup.prefetch(members.filter((id) => !known.has(id)));
  const groups = groupsOf(members, (id) => {
    let versions = known.get(id);
    if (!versions) known.set(id, (versions = lookup.storyEdges(id)));
    return versions;
  }).sort((a, b) => b.length - a.length);
  const regroup = sql('UPDATE post_story SET story = ? WHERE id = ?');
  const drop = sql('DELETE FROM post_story WHERE id = ?');
  for (const group of groups.slice(1)) {
    if (group.length === 1) {
      drop.run(group[0]!);
      continue;
    }
    const fresh = nextStory(sql);
    for (const id of group) regroup.run(fresh, id);
  }
  if (groups[0]!.length === 1) drop.run(groups[0]![0]!);
}

/** Every post's story from scratch (schema v6 on an index built before it): one look-up per signed post. */
export function buildStories(sql: Sql): void {
  sql('DELETE FROM post_story').run();
  // Visible posts only: a hidden one is in no story (storyEdges).
  const ids = sql('SELECT s.id FROM post_sig s JOIN posts p ON p.id = s.id WHERE p.hidden = 0 ORDER BY s.id').pluck().all() as number[];
  const insert = sql('INSERT INTO post_story (id, story) VALUES (?, ?)');
  let story = 0;
  // A fresh look-up every 2,000 posts, each with their bucket rows read at once: memory stays that of one batch.
  let lookup = new VersionLookup(sql);
  const versionsOf = (id: number, i: number): number[] => {
    if (i % 2_000 === 0) {
      lookup = new VersionLookup(sql);
      lookup.prefetch(ids.slice(i, i + 2_000));
    }
    return lookup.storyEdges(id);
  };
  for (const group of groupsOf(ids, versionsOf)) {
    if (group.length < 2) continue;
    story += 1;
    for (const id of group) insert.run(id, story);
  }
}

/** Story rows a post_story INSERT writes (multi-row VALUES). */
const STORY_ROWS_A_STATEMENT = 256;

/**
 * The story pass (core/similarity/story-pass.ts) over the whole index: every bucket row and every story made again
 * from post_sig, in memory, written in key order many rows a statement, and SIMILARITY_PENDING cleared, in one
 * transaction (the caller's, if it is in one). The same rows and stories as rebucketSignatures + buildStories.
 */
export function runStoryPass(sql: Sql): { posts: number; bucketRows: number; storyRows: number } {
  const count = sql('SELECT count(*) FROM post_sig').pluck().get() as number;
  const ids = new Float64Array(count);
  const signatures = new Uint16Array(count * SIGNATURE_SIZE);
  const hidden = new Uint8Array(count);
  let rank = 0;
  for (const [id, sig, isHidden] of sql('SELECT s.id, s.sig, p.hidden FROM post_sig s LEFT JOIN posts p ON p.id = s.id ORDER BY s.id')
    .raw().iterate() as Iterable<[number, Buffer, number | null]>) {
    if (rank === count) break;
    ids[rank] = id;
    const at = rank * SIGNATURE_SIZE;
    for (let k = 0; k < SIGNATURE_SIZE && 2 * k + 1 < sig.length; k++) signatures[at + k] = sig[2 * k]! | (sig[2 * k + 1]! << 8);
    hidden[rank] = isHidden ? 1 : 0;
    rank++;
  }
  const pass = storyPass(signatures, hidden, rank);
  sql('DELETE FROM sig_buckets').run();
  sql('DELETE FROM post_story').run();
  insertRows(sql, 'sig_buckets (bucket, id)', BUCKET_ROWS_A_STATEMENT, pass.buckets.length, (k) => [pass.buckets[k]!, ids[pass.ranks[k]!]!]);
  const storied: number[] = [];
  // The benchmark's baseline without stories (STORIES_OFF_ENV) keeps post_story empty here too.
  if (!storiesOff()) for (let r = 0; r < rank; r++) if (pass.story[r] !== 0) storied.push(r);
  insertRows(sql, 'post_story (id, story)', STORY_ROWS_A_STATEMENT, storied.length, (k) => [ids[storied[k]!]!, pass.story[storied[k]!]!]);
  sql('DELETE FROM meta WHERE key = ?').run(SIMILARITY_PENDING);
  return { posts: rank, bucketRows: pass.buckets.length, storyRows: storied.length };
}

/** Inserts `total` two-column rows, `many` a statement, in the order `row` gives them. */
function insertRows(sql: Sql, into: string, many: number, total: number, row: (k: number) => [number, number]): void {
  const statement = sql(`INSERT INTO ${into} VALUES ${Array(many).fill('(?, ?)').join(', ')}`);
  const params = new Array<number>(2 * many);
  let at = 0;
  for (; at + many <= total; at += many) {
    for (let k = 0; k < many; k++) [params[2 * k], params[2 * k + 1]] = row(at + k);
    statement.run(params);
  }
  const one = sql(`INSERT INTO ${into} VALUES (?, ?)`);
  for (; at < total; at++) one.run(...row(at));
}

/** The story of each post: its number, or undefined for a post that is a story of its own. */
export type StoryOf = (id: number) => number | undefined;

/** The story of each of these ids, read at once (the whole table when the ids are many). */
export function storiesOf(sql: Sql, ids: readonly number[]): StoryOf {
  const stories = new Map<number, number>();
  if (ids.length > 2_000) {
    for (const [id, story] of sql('SELECT id, story FROM post_story').raw().all() as [number, number][]) stories.set(id, story);
  } else if (ids.length > 0) {
    const rows = sql('SELECT id, story FROM post_story WHERE id IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(ids)) as [number, number][];
    for (const [id, story] of rows) stories.set(id, story);
  }
  return (id) => stories.get(id);
}
