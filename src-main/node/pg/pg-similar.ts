/**
 * Other versions and stories on the team index (issue 14 on PostgreSQL, schema v2): the SQLite store's rules
 * (node/index/similar.ts, story.ts) over pg-schema.ts's posts.sig, sig_buckets (keyed by the list's order, v7) and
 * post_story (keyed by path),
 * with the same pure code (core/similarity: signature, bands, versions). Ties among candidates go by the list's
 * order of posts, (date_key, seq), as SQLite's go by its ids, which follow that order.
 *
 * The writer's side runs in pg-write.ts's batch transaction, after the post rows:
 * - every path the batch deletes or writes again first loses its bucket rows and its story row (`leave`); a story
 *   that lost a member is checked at the end and split when its remaining members no longer hang together;
 * - a post written with a signature gets its buckets, then joins its versions and their whole stories (the
 *   smallest story number among them, else a new one), so stories are the connected groups of "is a version of".
 * The look-ups of a batch are made in memory (PgVersionLookup): the bucket rows of the posts asked about, and the
 * signatures of the posts in them, are read in a few statements, and story changes are written in a few more.
 */
import type pg from 'pg';

/** A query on the reader's pool or session (pg-read.ts Run). */
type Run = <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<R[]>;
import { SIMILAR_LIMIT, SIMILAR_THRESHOLD, type SimilarPost } from '../../shared/archive-api';
import { bandBuckets } from '../../core/similarity/bands';
import { estimateJaccard } from '../../core/similarity/minhash';
import { unpackSignature } from '../../core/similarity/signature';
import { SIMILAR_CANDIDATES, groupsOf, storyEdges, versionsAmong } from '../../core/similarity/versions';
import { STORY_BUCKET_READ } from '../index/similar';

const bucketsOf = (signature: Uint16Array): number[] => [...new Set(bandBuckets(signature))];

/**
 * Paths a batch takes out or writes again: their buckets and story rows go; the stories they left (to check). A
 * post's bucket rows are the buckets of its stored signature at its stored place (posts.sig, date_key, seq: the
 * rows writeBuckets made of them), deleted by sig_buckets' primary key before the post row changes.
 */
export async function leaveStories(client: pg.ClientBase, s: string, paths: readonly string[]): Promise<Set<number>> {
  if (paths.length === 0) return new Set();
  const { rows: signed } = await client.query({
    text: `SELECT sig, date_key::text, seq::text FROM ${s}.posts WHERE path = ANY($1::text[]) AND sig IS NOT NULL`, values: [paths], rowMode: 'array',
  });
  const gone: [number, string, string][] = [];
  for (const [sig, dateKey, seq] of signed as [Buffer, string, string][]) for (const bucket of bucketsOf(unpackSignature(sig))) gone.push([bucket, dateKey, seq]);
  if (gone.length > 0) {
    await client.query(`DELETE FROM ${s}.sig_buckets b USING unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS u(bucket, date_key, seq)
      WHERE b.bucket = u.bucket AND b.date_key = u.date_key AND b.seq = u.seq`,
    [gone.map((r) => r[0]), gone.map((r) => r[1]), gone.map((r) => r[2])]);
  }
  const { rows } = await client.query<{ story: number }>(`DELETE FROM ${s}.post_story WHERE path = ANY($1::text[]) RETURNING story`, [paths]);
  return new Set(rows.map((r) => r.story));
}

/** The bucket rows of posts just written with these packed signatures, sorted by bucket. */
export async function writeBuckets(client: pg.ClientBase, s: string, signed: ReadonlyMap<string, Uint8Array>): Promise<void> {
  if (signed.size === 0) return;
  const paths = [...signed.keys()];
  const place = new Map<string, [string, string]>();
  for (let start = 0; start < paths.length; start += 10_000) {
    const { rows } = await client.query({
      text: `SELECT path, date_key::text, seq::text FROM ${s}.posts WHERE path = ANY($1::text[])`, values: [paths.slice(start, start + 10_000)], rowMode: 'array',
    });
    for (const [p, dateKey, seq] of rows as [string, string, string][]) place.set(p, [dateKey, seq]);
  }
  const rows: [number, string, string][] = [];
  for (const [path, packed] of signed) {
    const at = place.get(path);
    if (at) for (const bucket of bucketsOf(unpackSignature(packed))) rows.push([bucket, at[0], at[1]]);
  }
  if (rows.length === 0) return;
  // In key order (bucket, date_key, seq): the B-tree's inserts go left to right.
  rows.sort((a, b) => a[0] - b[0] || Number(a[1]) - Number(b[1]) || Number(a[2]) - Number(b[2]));
  for (let start = 0; start < rows.length; start += 50_000) {
    const chunk = rows.slice(start, start + 50_000);
    await client.query(`INSERT INTO ${s}.sig_buckets (bucket, date_key, seq)
      SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) ON CONFLICT DO NOTHING`,
    [chunk.map((r) => r[0]), chunk.map((r) => r[1]), chunk.map((r) => r[2])]);
  }
}

/** Versions of posts by path (hidden ones too) from what `prefetch` read: story.ts's VersionLookup for PostgreSQL. */
export class PgVersionLookup {
  private readonly signatures = new Map<string, Uint16Array | null>();
  private readonly order = new Map<string, [number, number]>();
  private readonly members = new Map<number, string[]>();
  /** Signed posts that are hidden (drafts, unpublished), read with their signatures: they are in no story. */
  private readonly hidden = new Set<string>();

  constructor(private readonly client: pg.ClientBase, private readonly s: string) {}

  private async readSignatures(paths: readonly string[]): Promise<void> {
    for (let start = 0; start < paths.length; start += 10_000) {
      const chunk = paths.slice(start, start + 10_000);
      for (const p of chunk) this.signatures.set(p, null);
      const { rows } = await this.client.query({
        text: `SELECT path, sig, date_key::float8, seq::float8, hidden FROM ${this.s}.posts WHERE path = ANY($1::text[])`, values: [chunk], rowMode: 'array',
      });
      for (const [p, sig, dateKey, seq, hidden] of rows as [string, Buffer | null, number, number, boolean][]) {
        this.signatures.set(p, sig ? unpackSignature(sig) : null);
        this.order.set(p, [dateKey, seq]);
        if (hidden) this.hidden.add(p);
      }
    }
  }

  /**
   * Reads the signatures of `paths`, the members of their buckets (the first STORY_BUCKET_READ of each in the list's
   * order, as SQLite's VersionLookup reads them by id), and those members' signatures.
   */
  async prefetch(paths: Iterable<string>): Promise<void> {
    const batch = [...new Set(paths)];
    await this.readSignatures(batch.filter((p) => !this.signatures.has(p)));
    const wanted = new Set<number>();
    for (const p of batch) for (const bucket of this.bucketsOf(p)) if (!this.members.has(bucket)) wanted.add(bucket);
    const sorted = [...wanted].sort((a, b) => a - b);
    const others = new Set<string>();
    for (let start = 0; start < sorted.length; start += 10_000) {
      const chunk = sorted.slice(start, start + 10_000);
      for (const bucket of chunk) this.members.set(bucket, []);
      const { rows } = await this.client.query({
        text: `SELECT w.bucket::float8, m.path FROM unnest($1::bigint[]) AS w(bucket) CROSS JOIN LATERAL
          (SELECT p.path FROM (SELECT b.date_key, b.seq FROM ${this.s}.sig_buckets b WHERE b.bucket = w.bucket
            ORDER BY b.date_key, b.seq LIMIT ${STORY_BUCKET_READ}) o JOIN ${this.s}.posts p ON p.date_key = o.date_key AND p.seq = o.seq
            ORDER BY o.date_key, o.seq) m`,
        values: [chunk], rowMode: 'array',
      });
      for (const [bucket, p] of rows as [number, string][]) {
        this.members.get(bucket)!.push(p);
        if (!this.signatures.has(p)) others.add(p);
      }
    }
    await this.readSignatures([...others]);
  }

  private bucketsOf(path: string): number[] {
    const signature = this.signatures.get(path);
    return signature ? bucketsOf(signature) : [];
  }

  private compare = (a: string, b: string): number => {
    const x: [number, number] = this.order.get(a) ?? [0, 0];
    const y: [number, number] = this.order.get(b) ?? [0, 0];
    return x[0] - y[0] || x[1] - y[1];
  };

  /** The versions of the post at `path` (prefetched), unsorted; empty when it has no signature. */
  of(path: string): string[] {
    const signature = this.signatures.get(path);
    if (!signature) return [];
    const shared = new Map<string, number>();
    // Each bucket's first STORY_BUCKET_READ posts (the members read), as SQLite's story look-up counts them.
    for (const bucket of this.bucketsOf(path)) {
      for (const other of this.members.get(bucket) ?? []) if (other !== path) shared.set(other, (shared.get(other) ?? 0) + 1);
    }
    return versionsAmong(signature, shared, (other) => this.signatures.get(other) ?? null, this.compare);
  }

  /** The edges stories are made of (core/similarity/versions.ts storyEdges): none for a hidden post, no hidden post among them. */
  storyEdges(path: string): string[] {
    return storyEdges(path, this.of(path), (other) => this.hidden.has(other));
  }
}

/**
 * A batch's story changes, after its buckets are written: `dirty` stories (they lost a member) are split where
 * they came apart, then each `fresh` path (written with a signature) joins its versions' stories (story.ts).
 */
export async function updateStories(client: pg.ClientBase, s: string, dirty: ReadonlySet<number>, fresh: readonly string[]): Promise<void> {
  if (dirty.size === 0 && fresh.length === 0) return;
  const membersOf = new Map<number, string[]>();
  if (dirty.size > 0) {
    const { rows } = await client.query<{ path: string; story: number }>(`SELECT path, story FROM ${s}.post_story WHERE story = ANY($1::int[]) ORDER BY path`, [[...dirty]]);
    for (const story of dirty) membersOf.set(story, []);
    for (const r of rows) membersOf.get(r.story)!.push(r.path);
  }
  const lookup = new PgVersionLookup(client, s);
  await lookup.prefetch([...fresh, ...[...membersOf.values()].flat()]);
  let next = ((await client.query<{ n: number }>(`SELECT coalesce(max(story), 0) + 1 AS n FROM ${s}.post_story`)).rows[0]?.n ?? 1);
  // Splits: the largest group keeps the number, the others get new ones, a member left alone loses its row.
  const regroup: [string, number][] = [];
  const drop: string[] = [];
  for (const members of membersOf.values()) {
    if (members.length < 2) {
      drop.push(...members);
      continue;
    }
    const groups = groupsOf(members, (p) => lookup.storyEdges(p)).sort((a, b) => b.length - a.length);
    for (const group of groups.slice(1)) {
      if (group.length === 1) drop.push(group[0]!);
      else {
        const story = next++;
        for (const p of group) regroup.push([p, story]);
      }
    }
    if (groups[0]!.length === 1) drop.push(groups[0]![0]!);
  }
  if (drop.length > 0) await client.query(`DELETE FROM ${s}.post_story WHERE path = ANY($1::text[])`, [drop]);
  if (regroup.length > 0) {
    await client.query(`UPDATE ${s}.post_story p SET story = m.story FROM unnest($1::text[], $2::int[]) AS m(path, story) WHERE p.path = m.path`,
      [regroup.map((r) => r[0]), regroup.map((r) => r[1])]);
  }
  if (fresh.length > 0) await joinFresh(client, s, fresh, lookup, next);
}

/** Each fresh post and its versions, with their whole stories, become one story (story.ts joinVersions). */
async function joinFresh(client: pg.ClientBase, s: string, fresh: readonly string[], lookup: PgVersionLookup, next: number): Promise<void> {
  const versions = new Map(fresh.map((p) => [p, lookup.storyEdges(p)]));
  const involved = new Set<string>();
  for (const [p, found] of versions) if (found.length > 0) [p, ...found].forEach((q) => involved.add(q));
  if (involved.size === 0) return;
  const storyOf = new Map<string, number>();
  const { rows } = await client.query<{ path: string; story: number }>(`SELECT path, story FROM ${s}.post_story WHERE path = ANY($1::text[])`, [[...involved]]);
  for (const r of rows) storyOf.set(r.path, r.story);
  // Merged stories as a union-find on story numbers: a number's members move to its root's at the end.
  const alias = new Map<number, number>();
  const root = (story: number): number => {
    let at = story;
    while (alias.has(at)) at = alias.get(at)!;
    return at;
  };
  const added = new Map<string, number>();
  for (const [p, found] of versions) {
    if (found.length === 0) continue;
    const stories = new Set<number>();
    const loose: string[] = [];
    for (const member of [p, ...found]) {
      const story = storyOf.get(member);
      if (story === undefined) loose.push(member);
      else stories.add(root(story));
    }
    const target = stories.size > 0 ? Math.min(...stories) : next++;
    for (const story of stories) if (story !== target) alias.set(story, target);
    for (const member of loose) {
      storyOf.set(member, target);
      added.set(member, target);
    }
  }
  const merged = [...alias.keys()];
  if (merged.length > 0) {
    await client.query(`UPDATE ${s}.post_story p SET story = m.target FROM unnest($1::int[], $2::int[]) AS m(story, target) WHERE p.story = m.story`,
      [merged, merged.map(root)]);
  }
  if (added.size > 0) {
    const paths = [...added.keys()];
    await client.query(`INSERT INTO ${s}.post_story (path, story) SELECT * FROM unnest($1::text[], $2::int[])`,
      [paths, paths.map((p) => root(added.get(p)!))]);
  }
}

interface CandidateRow { path: string; sig: Buffer; title: string; date: string | null; categories: string[] }

/**
 * The other versions of the post at `path`, best first (then by path), at most SIMILAR_LIMIT; undefined when no
 * such post is indexed (similar.ts findSimilar): the candidates sharing a bucket, the most shared first, at most
 * SIMILAR_CANDIDATES, hidden posts only with `includeHidden`, kept at SIMILAR_THRESHOLD.
 */
export async function findSimilarPg(run: Run, s: string, path: string,
  includeHidden: boolean): Promise<SimilarPost[] | undefined> {
  const [post] = await run<{ sig: Buffer | null }>(`SELECT sig FROM ${s}.posts WHERE path = $1`, [path]);
  if (!post) return undefined;
  if (!post.sig) return [];
  const signature = unpackSignature(post.sig);
  const candidates = await run<CandidateRow>(`SELECT p.path, p.sig, p.title, p.date, p.categories FROM
      (SELECT b.date_key, b.seq, count(*) AS shared FROM ${s}.sig_buckets b WHERE b.bucket = ANY($1::bigint[]) GROUP BY b.date_key, b.seq) c
      JOIN ${s}.posts p ON p.date_key = c.date_key AND p.seq = c.seq
      WHERE p.path <> $2 ${includeHidden ? '' : 'AND NOT p.hidden'}
      ORDER BY c.shared DESC, c.date_key, c.seq LIMIT ${SIMILAR_CANDIDATES}`, [bucketsOf(signature), path]);
  return candidates
    .map((c) => ({ c, score: estimateJaccard(signature, unpackSignature(c.sig)) }))
    .filter(({ score }) => score >= SIMILAR_THRESHOLD)
    .map(({ c, score }): SimilarPost => ({ path: c.path, title: c.title, date: c.date, categories: c.categories, score }))
    .sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .slice(0, SIMILAR_LIMIT);
}

/** The story of each of these paths (undefined: a story of its own), read at once (the whole table when they are many). */
export async function pgStoriesOf(run: Run, s: string,
  paths: readonly string[]): Promise<(number | undefined)[]> {
  const stories = new Map<string, number>();
  const rows = paths.length > 2_000
    ? await run<{ path: string; story: number }>(`SELECT path, story FROM ${s}.post_story`)
    : paths.length > 0 ? await run<{ path: string; story: number }>(`SELECT path, story FROM ${s}.post_story WHERE path = ANY($1::text[])`, [paths]) : [];
  for (const r of rows) stories.set(r.path, r.story);
  return paths.map((p) => stories.get(p));
}
