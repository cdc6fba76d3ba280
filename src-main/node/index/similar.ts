/**
 * Other versions of a story in the index: each post's MinHash signature (core/similarity) in post_sig, and its
 * LSH band buckets in sig_buckets, both keyed by posts.id. A post's versions are the posts sharing one of its
 * buckets (BANDS primary-key look-ups, not a scan), kept when the Jaccard similarity their signatures estimate
 * reaches SIMILAR_THRESHOLD. The write side runs inside write.ts's transaction, with the post row.
 */
import type { Statement } from 'better-sqlite3';
import { SIMILAR_LIMIT, SIMILAR_THRESHOLD, type SimilarPost } from '../../shared/archive-api';
import { bandBuckets } from '../../core/similarity/bands';
import { estimateJaccard } from '../../core/similarity/minhash';
import { packSignature, signatureOf, unpackSignature } from '../../core/similarity/signature';
import { SIMILAR_CANDIDATES, candidatesOf, keptVersions, storyEdges } from '../../core/similarity/versions';
import { STORY_BUCKET_READ } from '../../core/similarity/story-pass';

type Sql = (sql: string) => Statement;

/**
 * Set to `1` in the environment of an indexing process, no signatures are made: the benchmark's baseline for what
 * they cost a build (tests/bench/similarity-cost.ts). Never set by the app.
 */
export const SIMILARITY_OFF_ENV = 'BACKFILE_BENCH_NO_SIMILARITY';
const similarityOff = (): boolean => typeof process !== 'undefined' && process.env[SIMILARITY_OFF_ENV] === '1';

/** A post's packed signature from its plain text; null when it has too little text to have versions. */
export function postSignature(text: string): Uint8Array | null {
  if (similarityOff()) return null;
  const signature = signatureOf(text);
  return signature ? packSignature(signature) : null;
}

const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

const bucketsOf = (packed: Uint8Array): number[] => [...new Set(bandBuckets(unpackSignature(packed)))];

const storedSignature = (sql: Sql, id: number): Buffer | undefined => sql('SELECT sig FROM post_sig WHERE id = ?').pluck().get(id) as Buffer | undefined;

/**
 * Stores the signature of the post with this (new) id. Its buckets are written with the transaction's others
 * (`unbucketed`, writePendingBuckets): sorted, a batch's rows go into the bucket index leaf by leaf instead of
 * each to a random page (measured at 20,000 posts: the bucket rows were most of what signatures cost a build).
 */
export function writeSignature(sql: Sql, id: number, packed: Uint8Array | null | undefined, unbucketed: Set<number>): void {
  if (!packed) return;
  sql('INSERT INTO post_sig (id, sig) VALUES (?, ?)').run(id, asBuffer(packed));
  unbucketed.add(id);
}

/** The stored signatures of these ids (those that have one), read in one statement a chunk. */
function storedSignatures(sql: Sql, ids: readonly number[]): [number, Buffer][] {
  const rows: [number, Buffer][] = [];
  for (let start = 0; start < ids.length; start += 10_000) {
    rows.push(...(sql('SELECT id, sig FROM post_sig WHERE id IN (SELECT value FROM json_each(?))').raw()
      .all(JSON.stringify(ids.slice(start, start + 10_000))) as [number, Buffer][]));
  }
  return rows;
}

/**
 * Writes the buckets of the ids given a signature in this transaction, from the signatures stored there now
 * (an id whose post was deleted or moved on meanwhile has none, or another post's), sorted by bucket.
 * With a `filter` that can answer (BucketFilter): returns the members (sorted ids, at most STORY_BUCKET_READ) of
 * the buckets no earlier transaction wrote, which are then exactly this transaction's posts in them, for the
 * story look-up (VersionLookup) to know without reading them back.
 */
export function writePendingBuckets(sql: Sql, unbucketed: Set<number>, filter?: BucketFilter): Map<number, number[]> | undefined {
  if (unbucketed.size === 0) return undefined;
  const known = filter?.usable(sql) ? new Map<number, number[]>() : undefined;
  const rows: [number, number][] = [];
  for (const [id, packed] of storedSignatures(sql, [...unbucketed])) for (const bucket of bucketsOf(packed)) rows.push([bucket, id]);
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  insertBucketRows(sql, rows);
  if (!known || !filter) return undefined;
  // Rows are sorted by bucket, then id: a new bucket's members come in the order membersOf reads them.
  for (const [bucket, id] of rows) {
    if (filter.has(bucket)) continue;
    const members = known.get(bucket);
    if (!members) known.set(bucket, [id]);
    else if (members.length < STORY_BUCKET_READ) members.push(id);
  }
  for (const [bucket] of rows) filter.add(bucket);
  return known;
}

/**
 * The LSH buckets the index may hold rows of, as one IndexStore's connection wrote them since it found sig_buckets
 * empty (a cold build): a bit a bucket (hashed into 2^26 bits, 8 MB), set when a row is written, never cleared
 * (a deleted row, a rolled-back transaction leave a bit set: a set bit only means "read it"). A clear bit means no
 * row of the bucket was written before this transaction, so its members are this transaction's own posts: a
 * cold build's story look-ups read back only the buckets shared with earlier posts (synthetic posts: 3 % of their
 * buckets; reading them all was a third of what other versions cost a build). Given up for good when another
 * connection commits (PRAGMA data_version) or when the first transaction that writes buckets finds rows there already.
 */
export class BucketFilter {
  private bits: Int32Array | null = null;
  private state: 'unknown' | 'on' | 'off' = 'unknown';
  private dataVersion: unknown;

  /** Whether has() answers for this transaction: call inside it, before it writes its bucket rows (at flush). */
  usable(sql: Sql): boolean {
    if (this.state === 'off') return false;
    const version = sql('PRAGMA data_version').pluck().get();
    if (this.state === 'on' && version !== this.dataVersion) this.off();
    this.dataVersion = version;
    if (this.state === 'unknown') {
      if (sql('SELECT EXISTS (SELECT 1 FROM sig_buckets)').pluck().get() === 1) this.off();
      else {
        this.state = 'on';
        this.bits = new Int32Array(FILTER_BITS / 32);
      }
    }
    return this.state === 'on';
  }

  private off(): void {
    this.state = 'off';
    this.bits = null;
  }

  /** False only when no earlier transaction wrote a row of this bucket (only after usable() said true). */
  has(bucket: number): boolean {
    const bit = filterBit(bucket);
    return this.bits === null || (this.bits[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  /** Given up for good: the story pass (story.ts) wrote bucket rows this filter never saw. */
  forget(): void {
    this.off();
  }

  add(bucket: number): void {
    const bit = filterBit(bucket);
    if (this.bits) this.bits[bit >>> 5]! |= 1 << (bit & 31);
  }
}

const FILTER_BITS = 2 ** 26;
const filterBit = (bucket: number): number => Math.imul(bucket ^ (bucket >>> 26), 0x9e3779b1) >>> 6;

/**
 * Meta key, set while an update defers other versions to its end (a big update: deferSimilarityFor). Meanwhile
 * write.ts writes each post's signature (post_sig) only: no bucket rows and no story upkeep. At the update's end,
 * or at the end of the next update when a run was killed or cancelled first, story.ts runStoryPass makes every
 * bucket row and every story at once and clears the key. Readers meanwhile see what sig_buckets and post_story hold
 * (emptied when the key was set): no other versions, one row a post when collapsed, never an error.
 */
export const SIMILARITY_PENDING = 'similarity_pending';

/** An update writing fewer posts than this keeps other versions batch by batch (they cost it well under a second). */
export const DEFER_SIMILARITY_FROM = 1_000;

/**
 * Whether an update that writes `toWrite` posts into an index of `indexed` signed posts defers other versions to
 * its end (SIMILARITY_PENDING): when it writes at least DEFER_SIMILARITY_FROM and at least as many as the index
 * holds (a cold build, a rebuild, an archive that doubles). The pass costs about what the index holds; batch by batch
 * upkeep, what the update writes, at several times the rate (docs/BENCHMARKS.md, stop 21).
 */
export const deferSimilarityFor = (toWrite: number, indexed: number): boolean => toWrite >= Math.max(DEFER_SIMILARITY_FROM, indexed);

/** Whether SIMILARITY_PENDING is set (inside a write transaction: whether its posts write signatures only). */
export const similarityPending = (sql: Sql): boolean =>
  sql('SELECT 1 FROM meta WHERE key = ?').pluck().get(SIMILARITY_PENDING) !== undefined;

/** Sets SIMILARITY_PENDING and empties the bucket rows and stories (the pass makes them all). In a transaction. */
export function markSimilarityPending(sql: Sql): void {
  sql("INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO NOTHING").run(SIMILARITY_PENDING);
  sql('DELETE FROM sig_buckets').run();
  sql('DELETE FROM post_story').run();
}

/** Bucket rows a bucket INSERT writes (multi-row VALUES): one statement a row was 640,000 statements at 20,000 posts. */
export const BUCKET_ROWS_A_STATEMENT = 256;

/** Writes these (bucket, id) rows in their order, BUCKET_ROWS_A_STATEMENT a statement (ignoring rows already there). */
function insertBucketRows(sql: Sql, rows: readonly [number, number][]): void {
  const many = sql(`INSERT OR IGNORE INTO sig_buckets (bucket, id) VALUES ${Array(BUCKET_ROWS_A_STATEMENT).fill('(?, ?)').join(', ')}`);
  const params = new Array<number>(2 * BUCKET_ROWS_A_STATEMENT);
  let at = 0;
  for (; at + BUCKET_ROWS_A_STATEMENT <= rows.length; at += BUCKET_ROWS_A_STATEMENT) {
    for (let k = 0; k < BUCKET_ROWS_A_STATEMENT; k++) {
      const [bucket, id] = rows[at + k]!;
      params[2 * k] = bucket;
      params[2 * k + 1] = id;
    }
    many.run(params);
  }
  const one = sql('INSERT OR IGNORE INTO sig_buckets (bucket, id) VALUES (?, ?)');
  for (; at < rows.length; at++) one.run(rows[at]![0], rows[at]![1]);
}

/**
 * Takes the post's signature and buckets out (the post is being deleted or rewritten). `deferred` (a big update,
 * SIMILARITY_PENDING): the signature only, as the bucket rows are all made again at the update's end.
 */
export function removeSignature(sql: Sql, id: number, deferred = false): void {
  if (deferred) {
    sql('DELETE FROM post_sig WHERE id = ?').run(id);
    return;
  }
  const packed = storedSignature(sql, id);
  if (!packed) return;
  const remove = sql('DELETE FROM sig_buckets WHERE bucket = ? AND id = ?');
  for (const bucket of bucketsOf(packed)) remove.run(bucket, id);
  sql('DELETE FROM post_sig WHERE id = ?').run(id);
}

/** The post moved from id `from` to the free id `to` (write.ts makeRoom): its signature, buckets and story row follow. */
export function moveSignature(sql: Sql, from: number, to: number, unbucketed: Set<number>, deferred = false): void {
  // Deferred (SIMILARITY_PENDING): bucket rows and stories are made again at the update's end.
  if (deferred) {
    sql('UPDATE post_sig SET id = ? WHERE id = ?').run(to, from);
    return;
  }
  const packed = storedSignature(sql, from);
  if (!packed) return;
  removeSignature(sql, from);
  writeSignature(sql, to, packed, unbucketed);
  // Its story (story.ts) follows it too: the story number stays, only the member's id changes.
  sql('UPDATE post_story SET id = ? WHERE id = ?').run(to, from);
}

/** Every bucket row made again from post_sig (after write.ts widenIds renumbered every id). */
export function rebucketSignatures(sql: Sql): void {
  sql('DELETE FROM sig_buckets').run();
  const insert = sql('INSERT OR IGNORE INTO sig_buckets (bucket, id) VALUES (?, ?)');
  for (const row of sql('SELECT id, sig FROM post_sig').all() as { id: number; sig: Buffer }[]) {
    for (const bucket of bucketsOf(row.sig)) insert.run(bucket, row.id);
  }
}

interface Row { id: number; path: string; title: string; date: string | null; categories: string }

/** The most candidates a look-up scores (core/similarity/versions.ts). */
export { SIMILAR_CANDIDATES } from '../../core/similarity/versions';

/**
 * The posts sharing a bucket of `buckets` with the post `id`, with their signatures: at most SIMILAR_CANDIDATES,
 * the most shared buckets first (then by id), hidden posts (drafts, unpublished) only when `includeHidden`. All
 * in SQL, so only the kept candidates' signatures are read.
 */
export function similarCandidates(sql: Sql, id: number, buckets: readonly number[], includeHidden: boolean): { id: number; sig: Buffer }[] {
  return sql(`SELECT s.id, s.sig FROM
      (SELECT b.id, count(*) AS shared FROM sig_buckets b JOIN posts p ON p.id = b.id
        WHERE b.bucket IN (SELECT value FROM json_each(?)) AND b.id != ? ${includeHidden ? '' : 'AND p.hidden = 0'}
        GROUP BY b.id ORDER BY shared DESC, b.id LIMIT ${SIMILAR_CANDIDATES}) c
      JOIN post_sig s ON s.id = c.id`)
    .all(JSON.stringify(buckets), id) as { id: number; sig: Buffer }[];
}

/** The most posts of one bucket a story look-up (VersionLookup.of) reads (core/similarity/story-pass.ts says why). */
export { STORY_BUCKET_READ } from '../../core/similarity/story-pass';

/**
 * The versions of posts by id (hidden ones too), for story.ts: the candidates findSimilar scores with includeHidden
 * (those sharing a bucket, at most SIMILAR_CANDIDATES, the most shared buckets first, then by id), kept at
 * SIMILAR_THRESHOLD. Made for many look-ups in one write transaction: the bucket rows of the posts asked about are
 * read at once (`prefetch`, sorted, one walk of the bucket index) and signatures are unpacked once, so a batch of
 * new posts, which are mostly each other's candidates, costs a fraction of one SQL look-up each. Valid while the
 * bucket rows do not change (story.ts only writes post_story).
 */
export class VersionLookup {
  private readonly signatures = new Map<number, ReturnType<typeof unpackSignature> | null>();
  private readonly members: Map<number, number[]>;
  /** Signed posts that are hidden (drafts, unpublished), read with their signatures: they never link two stories' posts. */
  private readonly hidden = new Set<number>();
  /** What this look-up has read (tests count them: a template's bucket must not be read whole). */
  readonly reads = { bucketRows: 0, signatures: 0 };
  /** Buckets whose members every look-up of this process has read from SQL (tests count a cold build's). */
  static bucketsRead = 0;

  /** `known`: members of buckets already known (writePendingBuckets: the buckets new in this transaction). */
  constructor(private readonly sql: Sql, known?: Map<number, number[]>) {
    this.members = known ?? new Map<number, number[]>();
  }

  private signature(id: number): ReturnType<typeof unpackSignature> | null {
    if (!this.signatures.has(id)) this.readSignatures([id]);
    return this.signatures.get(id)!;
  }

  private bucketsOf(id: number): number[] {
    const signature = this.signature(id);
    return signature ? [...new Set(bandBuckets(signature))] : [];
  }

  /**
   * Reads the first STORY_BUCKET_READ ids (by id) of each bucket of these posts, then the signatures of the posts
   * found there, in sorted order: a template's bucket of thousands is read no further than `of` looks.
   */
  prefetch(ids: Iterable<number>): void {
    const batch = [...ids];
    const signed = batch.filter((id) => !this.signatures.has(id));
    for (let start = 0; start < signed.length; start += 10_000) this.readSignatures(signed.slice(start, start + 10_000));
    const wanted = new Set<number>();
    for (const id of batch) for (const bucket of this.bucketsOf(id)) if (!this.members.has(bucket)) wanted.add(bucket);
    const buckets = [...wanted].sort((a, b) => a - b);
    for (let start = 0; start < buckets.length; start += 10_000) this.readMembers(buckets.slice(start, start + 10_000));
    const others = new Set<number>();
    for (const bucket of buckets) {
      for (const id of this.membersOf(bucket)) if (!this.signatures.has(id)) others.add(id);
    }
    const unread = [...others].sort((a, b) => a - b);
    for (let start = 0; start < unread.length; start += 10_000) this.readSignatures(unread.slice(start, start + 10_000));
  }

  private readSignatures(ids: readonly number[]): void {
    for (const id of ids) this.signatures.set(id, null);
    const rows = this.sql(`SELECT s.id, s.sig, coalesce(p.hidden, 0) FROM post_sig s LEFT JOIN posts p ON p.id = s.id
      WHERE s.id IN (SELECT value FROM json_each(?))`).raw().all(JSON.stringify(ids)) as [number, Buffer, number][];
    for (const [id, packed, hidden] of rows) {
      this.signatures.set(id, unpackSignature(packed));
      if (hidden) this.hidden.add(id);
    }
    this.reads.signatures += rows.length;
  }

  /**
   * The first STORY_BUCKET_READ posts of each of these buckets, in one statement (one a bucket was most of a cold
   * build's statements): each bucket still a primary-key range of at most STORY_BUCKET_READ rows.
   */
  private readMembers(buckets: readonly number[]): void {
    // One row a bucket: its first ids as text (one walk of at most STORY_BUCKET_READ rows of the bucket's range).
    const rows = this.sql(`SELECT (SELECT group_concat(id) FROM (SELECT id FROM sig_buckets WHERE bucket = j.value ORDER BY id
      LIMIT ${STORY_BUCKET_READ})) FROM json_each(?) j ORDER BY j.key`).pluck().all(JSON.stringify(buckets)) as (string | null)[];
    VersionLookup.bucketsRead += buckets.length;
    let read = 0;
    buckets.forEach((bucket, i) => {
      const ids = rows[i] ? rows[i].split(',').map(Number) : [];
      this.members.set(bucket, ids);
      read += ids.length;
    });
    this.reads.bucketRows += read;
  }

  /** The first STORY_BUCKET_READ posts of a bucket, by id (a primary-key range, never the whole bucket). */
  private membersOf(bucket: number): number[] {
    let ids = this.members.get(bucket);
    if (!ids) {
      ids = this.sql(`SELECT id FROM sig_buckets WHERE bucket = ? ORDER BY id LIMIT ${STORY_BUCKET_READ}`).pluck().all(bucket) as number[];
      VersionLookup.bucketsRead += 1;
      this.members.set(bucket, ids);
      this.reads.bucketRows += ids.length;
    }
    return ids;
  }

  /** The versions of post `id`, unsorted; empty when it has no signature. */
  of(id: number): number[] {
    const signature = this.signature(id);
    if (!signature) return [];
    // versionsAmong's candidates and versions (ids in id order), without a Map of shared counts or a comparator sort.
    // A template's bucket (thousands of posts, all versions of each other): its first STORY_BUCKET_READ only.
    const candidates = candidatesOf(this.bucketsOf(id).map((bucket) => this.membersOf(bucket)), id);
    return keptVersions(signature, candidates, (other) => this.signature(other));
  }

  /** The edges stories are made of (core/similarity/versions.ts storyEdges): none for a hidden post, no hidden post among them. */
  storyEdges(id: number): number[] {
    return storyEdges(id, this.of(id), (other) => {
      this.signature(other);
      return this.hidden.has(other);
    });
  }
}

/**
 * The other versions of the post at `path`, best first (then by path); undefined when no such post is indexed.
 * Hidden posts (drafts, unpublished) are among them only with `includeHidden`, as in the list.
 */
export function findSimilar(sql: Sql, path: string, includeHidden = false): SimilarPost[] | undefined {
  const id = sql('SELECT id FROM posts WHERE path = ?').pluck().get(path) as number | undefined;
  if (id === undefined) return undefined;
  return similarOf(sql, id, includeHidden).map(({ post }) => post);
}

/**
 * The ids of what getSimilar answers for post `id` (findSimilar: same threshold, hidden rule and SIMILAR_LIMIT):
 * a collapsed row's "+N" counts those of them in its result, so the count is what a click on it shows.
 */
export function similarIds(sql: Sql, id: number, includeHidden: boolean): number[] {
  return similarOf(sql, id, includeHidden).map((s) => s.id);
}

function similarOf(sql: Sql, id: number, includeHidden: boolean): { id: number; post: SimilarPost }[] {
  const packed = storedSignature(sql, id);
  if (!packed) return [];
  const signature = unpackSignature(packed);
  const candidates = similarCandidates(sql, id, bucketsOf(packed), includeHidden);
  const scored = candidates
    .map((c) => ({ id: c.id, score: estimateJaccard(signature, unpackSignature(c.sig)) }))
    .filter((c) => c.score >= SIMILAR_THRESHOLD);
  if (scored.length === 0) return [];
  const rows = new Map((sql('SELECT id, path, title, date, categories FROM posts WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(scored.map((c) => c.id))) as Row[]).map((r) => [r.id, r]));
  return scored
    .filter((c) => rows.has(c.id))
    .map((c) => {
      const r = rows.get(c.id)!;
      return { id: c.id, post: { path: r.path, title: r.title, date: r.date, categories: JSON.parse(r.categories) as string[], score: c.score } };
    })
    .sort((a, b) => b.post.score - a.post.score || (a.post.path < b.post.path ? -1 : a.post.path > b.post.path ? 1 : 0))
    .slice(0, SIMILAR_LIMIT);
}
