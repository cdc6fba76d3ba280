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
import { SIMILAR_CANDIDATES, storyEdges, versionsAmong } from '../../core/similarity/versions';

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

/**
 * Writes the buckets of the ids given a signature in this transaction, from the signatures stored there now
 * (an id whose post was deleted or moved on meanwhile has none, or another post's), sorted by bucket.
 */
export function writePendingBuckets(sql: Sql, unbucketed: Set<number>): void {
  if (unbucketed.size === 0) return;
  const rows: [number, number][] = [];
  for (const id of unbucketed) {
    const packed = storedSignature(sql, id);
    if (packed) for (const bucket of bucketsOf(packed)) rows.push([bucket, id]);
  }
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const insert = sql('INSERT OR IGNORE INTO sig_buckets (bucket, id) VALUES (?, ?)');
  for (const [bucket, id] of rows) insert.run(bucket, id);
}

/** Takes the post's signature and buckets out (the post is being deleted or rewritten). */
export function removeSignature(sql: Sql, id: number): void {
  const packed = storedSignature(sql, id);
  if (!packed) return;
  const remove = sql('DELETE FROM sig_buckets WHERE bucket = ? AND id = ?');
  for (const bucket of bucketsOf(packed)) remove.run(bucket, id);
  sql('DELETE FROM post_sig WHERE id = ?').run(id);
}

/** The post moved from id `from` to the free id `to` (write.ts makeRoom): its signature, buckets and story row follow. */
export function moveSignature(sql: Sql, from: number, to: number, unbucketed: Set<number>): void {
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

/**
 * The most posts of one bucket a story look-up (VersionLookup.of) reads. Buckets of normal posts hold a few; a
 * template (a daily notice that differs only in its figures) puts thousands in each of its buckets, all versions of
 * each other: reading 64 of each of a post's 32 buckets still links it to the template's story, at a bounded cost a
 * post (all of them: 23,000 posts of one template took minutes a batch). getSimilar reads them all (one look-up).
 */
export const STORY_BUCKET_READ = 64;

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
  private readonly members = new Map<number, number[]>();
  /** Signed posts that are hidden (drafts, unpublished), read with their signatures: they never link two stories' posts. */
  private readonly hidden = new Set<number>();
  /** What this look-up has read (tests count them: a template's bucket must not be read whole). */
  readonly reads = { bucketRows: 0, signatures: 0 };

  constructor(private readonly sql: Sql) {}

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
      this.members.set(bucket, ids);
      this.reads.bucketRows += ids.length;
    }
    return ids;
  }

  /** The versions of post `id`, unsorted; empty when it has no signature. */
  of(id: number): number[] {
    const signature = this.signature(id);
    if (!signature) return [];
    const shared = new Map<number, number>();
    for (const bucket of this.bucketsOf(id)) {
      // A template's bucket (thousands of posts, all versions of each other): its first STORY_BUCKET_READ only.
      for (const other of this.membersOf(bucket)) if (other !== id) shared.set(other, (shared.get(other) ?? 0) + 1);
    }
    return versionsAmong(signature, shared, (other) => this.signature(other), (a, b) => a - b);
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
