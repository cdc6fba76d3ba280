/**
 * The story pass against a plain reference made of versions.ts's own pieces (candidatesOf, keptVersions, storyEdges,
 * groupsOf) over members read as VersionLookup reads them (a bucket's first STORY_BUCKET_READ ranks): on signatures
 * built so that the bucket read limit and the candidate cap decide whether two posts are one story (where most
 * archives would not tell), and on seeded random families of near-duplicates with hidden posts.
 */
import { describe, expect, it } from 'vitest';
import { BANDS, bandBuckets } from '../../src-main/core/similarity/bands';
import { SIGNATURE_SIZE } from '../../src-main/core/similarity/minhash';
import { STORY_BUCKET_READ, storyPass } from '../../src-main/core/similarity/story-pass';
import { SIMILAR_CANDIDATES, candidatesOf, groupsOf, keptVersions, storyEdges } from '../../src-main/core/similarity/versions';

/** A seeded generator of 16-bit values. */
function values(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 16;
  };
}

/** The reference: buckets and stories as similar.ts rebucketSignatures and story.ts buildStories make them. */
function reference(sigs: Uint16Array[], hidden: boolean[]): { rows: [number, number][]; story: number[] } {
  const rows: [number, number][] = [];
  sigs.forEach((sig, rank) => {
    for (const bucket of new Set(bandBuckets(sig))) rows.push([bucket, rank]);
  });
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const members = new Map<number, number[]>();
  for (const [bucket, rank] of rows) {
    const list = members.get(bucket) ?? [];
    if (list.length < STORY_BUCKET_READ) list.push(rank);
    members.set(bucket, list);
  }
  const visible = sigs.map((_, rank) => rank).filter((rank) => !hidden[rank]);
  const edges = (rank: number): number[] => {
    const candidates = candidatesOf([...new Set(bandBuckets(sigs[rank]!))].map((bucket) => members.get(bucket)!), rank);
    return storyEdges(rank, keptVersions(sigs[rank]!, candidates, (other) => sigs[other]!), (other) => hidden[other]!);
  };
  const story = sigs.map(() => 0);
  let next = 0;
  for (const group of groupsOf(visible, edges)) {
    if (group.length < 2) continue;
    next += 1;
    for (const rank of group) story[rank] = next;
  }
  return { rows, story };
}

function expectSameAsReference(sigs: Uint16Array[], hidden: boolean[]): number[] {
  const packed = new Uint16Array(sigs.length * SIGNATURE_SIZE);
  sigs.forEach((sig, rank) => packed.set(sig, rank * SIGNATURE_SIZE));
  const pass = storyPass(packed, Uint8Array.from(hidden, (h) => (h ? 1 : 0)));
  const ref = reference(sigs, hidden);
  expect(pass.buckets.length).toBe(ref.rows.length);
  expect(ref.rows.findIndex(([bucket, rank], k) => pass.buckets[k] !== bucket || pass.ranks[k] !== rank)).toBe(-1);
  expect([...pass.story]).toEqual(ref.story);
  expect(pass.stories).toBe(Math.max(0, ...ref.story));
  return ref.story;
}

const randomSig = (next: () => number): Uint16Array => Uint16Array.from({ length: SIGNATURE_SIZE }, next);

describe('the story pass', () => {
  it('reads no more than STORY_BUCKET_READ members of a bucket: two versions behind a full bucket are no story', () => {
    const next = values(1);
    const sigs: Uint16Array[] = [];
    // 70 unrelated posts sharing band 0's bucket (values 1, 1), nothing else.
    for (let i = 0; i < STORY_BUCKET_READ + 6; i++) sigs.push(randomSig(next).fill(1, 0, 2));
    // P and Q: band 0 too, and the first value of every other band alike (33 of 64 positions: a version), the
    // second different, so that band 0's bucket is the only one they share.
    const p = randomSig(next).fill(1, 0, 2);
    const q = randomSig(next).fill(1, 0, 2);
    for (let b = 1; b < BANDS; b++) {
      q[2 * b] = p[2 * b]!;
      if (q[2 * b + 1] === p[2 * b + 1]) q[2 * b + 1] = p[2 * b + 1]! ^ 1;
    }
    sigs.push(p, q);
    const story = expectSameAsReference(sigs, sigs.map(() => false));
    expect(story.every((s) => s === 0)).toBe(true);
    // With band 0's bucket under the limit they are one story.
    const fewer = [...sigs.slice(STORY_BUCKET_READ - 10, STORY_BUCKET_READ + 6), p, q];
    expect(expectSameAsReference(fewer, fewer.map(() => false)).slice(-2)).toEqual([1, 1]);
  });

  it('scores at most SIMILAR_CANDIDATES candidates, those sharing the most buckets', () => {
    const next = values(2);
    const x = randomSig(next);
    const v = randomSig(next);
    // V: a version of X (all first values of bands alike) sharing only band 0's bucket with it.
    v[0] = x[0]!;
    v[1] = x[1]!;
    for (let b = 1; b < BANDS; b++) {
      v[2 * b] = x[2 * b]!;
      if (v[2 * b + 1] === x[2 * b + 1]) v[2 * b + 1] = x[2 * b + 1]! ^ 1;
    }
    // For each of X and V, more than SIMILAR_CANDIDATES unrelated posts sharing two of its other buckets.
    const crowd = (of: Uint16Array): Uint16Array[] => Array.from({ length: SIMILAR_CANDIDATES + 20 }, (_, i) => {
      const sig = randomSig(next);
      for (const b of [1 + (i % 15), 16 + (i % 16)]) {
        sig[2 * b] = of[2 * b]!;
        sig[2 * b + 1] = of[2 * b + 1]!;
      }
      return sig;
    });
    const sigs = [...crowd(x), ...crowd(v), x, v];
    const story = expectSameAsReference(sigs, sigs.map(() => false));
    expect(story.slice(-2)).toEqual([0, 0]);
    // Without the crowds they are one story.
    expect(expectSameAsReference([x, v], [false, false])).toEqual([1, 1]);
  });

  it('keeps hidden posts out of stories and links nothing through them, on seeded families of near-duplicates', () => {
    for (const seed of [3, 4, 5]) {
      const next = values(seed);
      const sigs: Uint16Array[] = [];
      const hidden: boolean[] = [];
      const families = Array.from({ length: 45 }, () => randomSig(next));
      for (let i = 0; i < 900; i++) {
        if (i % 20 === 0) {
          // A family's own signature among the posts (its near-duplicates are versions of it, not always of each other).
          sigs.push(families[i / 20]!);
          hidden.push(next() % 9 === 0);
        }
        const base = families[next() % families.length]!;
        const sig = randomSig(next);
        // From 0 to 48 positions of the family's signature: some versions, some near misses, some strangers.
        const kept = 10 + (next() % 60);
        for (let k = 0; k < kept; k++) {
          const at = next() % SIGNATURE_SIZE;
          sig[at] = base[at]!;
        }
        sigs.push(sig);
        hidden.push(next() % 9 === 0);
      }
      const story = expectSameAsReference(sigs, hidden);
      expect(new Set(story.filter((s) => s > 0)).size).toBeGreaterThan(5);
      expect(story.some((s, rank) => s > 0 && hidden[rank])).toBe(false);
    }
  });
});
