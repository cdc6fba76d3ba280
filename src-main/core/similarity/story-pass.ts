/**
 * Other versions of a story made once for a whole index, in memory (the "story pass"): a big build writes only the
 * signatures batch by batch and makes the bucket rows and the stories at its end from them (node/index/similar.ts
 * finishDeferredSimilarity; docs/BENCHMARKS.md, stop 21). Store-independent: posts are ranks (0, 1, …: the list's
 * order, SQLite's ids in order, PostgreSQL's (date_key, seq)), so each store maps ranks to its own keys.
 *
 * The result is exactly what a from-scratch build makes (similar.ts rebucketSignatures + story.ts buildStories,
 * core/similarity/versions.ts): a bucket's members are its first STORY_BUCKET_READ ranks (hidden posts included),
 * a post's candidates are candidatesOf their member lists, its versions keptVersions of them, its story edges
 * storyEdges (a hidden post is in no story and links none), the stories groupsOf those edges, numbered 1, 2, … in
 * the order of their first rank (stories of one post get no number). Typed arrays throughout, no Map per bucket:
 * 100,000 posts are 3.2 million bucket rows.
 */
import { SIMILAR_THRESHOLD } from '../../shared/archive-api';
import { BANDS, bandBuckets } from './bands';
import { SIGNATURE_SIZE } from './minhash';
import { SIMILAR_CANDIDATES } from './versions';

/**
 * The most posts of one bucket a story look-up reads (similar.ts VersionLookup). Buckets of normal posts hold a few;
 * a template (a daily notice that differs only in its figures) puts thousands in each of its buckets, all versions of
 * each other: reading 64 of each of a post's 32 buckets still links it to the template's story, at a bounded cost a
 * post (all of them: 23,000 posts of one template took minutes a batch). getSimilar reads them all (one look-up).
 */
export const STORY_BUCKET_READ = 64;

export interface StoryPassResult {
  /** Every bucket row, sorted by bucket then rank: `buckets[k]` holds rank `ranks[k]` (BANDS rows a post). */
  buckets: Int32Array;
  ranks: Int32Array;
  /** Each rank's story number (1, 2, …), 0 for a post that is a story of its own (or hidden). */
  story: Int32Array;
  /** How many stories (of two posts or more): the highest number in `story`. */
  stories: number;
}

/** Ranks of one band sort by (bucket hash, rank) as one float: 26 bits of hash above RANK_BITS of rank. */
const RANK_BITS = 27;
const RANK_SPAN = 2 ** RANK_BITS;
const BAND_SPAN = 2 ** 26;

/**
 * The bucket rows and stories of `count` signed posts: `signatures` holds SIGNATURE_SIZE values a post (rank by rank,
 * unpacked: signature.ts unpackSignature), `hidden[rank]` is 1 for a hidden post (a draft, unpublished).
 */
export function storyPass(signatures: Uint16Array, hidden: Uint8Array, count = hidden.length): StoryPassResult {
  if (count >= RANK_SPAN) throw new Error(`the story pass takes at most ${RANK_SPAN - 1} posts`);
  if (signatures.length < count * SIGNATURE_SIZE) throw new Error('fewer signatures than posts');
  const rows = count * BANDS;
  // Each post's buckets, band by band (bands.ts: band b's buckets are b * 2^26 + a 26-bit hash).
  const own = new Int32Array(rows);
  for (let rank = 0; rank < count; rank++) {
    const buckets = bandBuckets(signatures.subarray(rank * SIGNATURE_SIZE, (rank + 1) * SIGNATURE_SIZE));
    for (let b = 0; b < BANDS; b++) own[rank * BANDS + b] = buckets[b]!;
  }
  const buckets = new Int32Array(rows);
  const ranks = new Int32Array(rows);
  // Where each post's bucket's rows start (replacing `own` as it is read), and how many of them a look-up reads.
  const runStart = own;
  const members = new Uint8Array(rows);
  const keys = new Float64Array(count);
  for (let b = 0, at = 0; b < BANDS; b++) {
    for (let rank = 0; rank < count; rank++) keys[rank] = (own[rank * BANDS + b]! - b * BAND_SPAN) * RANK_SPAN + rank;
    keys.sort();
    for (let k = 0; k < count;) {
      const hash = Math.floor(keys[k]! / RANK_SPAN);
      let end = k;
      while (end < count && Math.floor(keys[end]! / RANK_SPAN) === hash) end++;
      const read = Math.min(end - k, STORY_BUCKET_READ);
      for (let m = k; m < end; m++) {
        const rank = keys[m]! - hash * RANK_SPAN;
        buckets[at + m] = b * BAND_SPAN + hash;
        ranks[at + m] = rank;
        runStart[rank * BANDS + b] = at + k;
        members[rank * BANDS + b] = read;
      }
      k = end;
    }
    at += count;
  }
  const story = storiesOf(signatures, hidden, count, ranks, runStart, members);
  let stories = 0;
  for (let rank = 0; rank < count; rank++) if (story[rank]! > stories) stories = story[rank]!;
  return { buckets, ranks, story, stories };
}

/** Positions (of SIGNATURE_SIZE) two signatures must agree in for their estimated Jaccard to reach SIMILAR_THRESHOLD. */
const SAME_NEEDED = (() => {
  let same = 0;
  while (same / SIGNATURE_SIZE < SIMILAR_THRESHOLD) same++;
  return same;
})();

function storiesOf(signatures: Uint16Array, hidden: Uint8Array, count: number, ranks: Int32Array, runStart: Int32Array, members: Uint8Array): Int32Array {
  const parent = new Int32Array(count);
  for (let rank = 0; rank < count; rank++) parent[rank] = rank;
  const find = (rank: number): number => {
    while (parent[rank] !== rank) {
      parent[rank] = parent[parent[rank]!]!;
      rank = parent[rank]!;
    }
    return rank;
  };
  const gathered = new Int32Array(BANDS * STORY_BUCKET_READ);
  const keys = new Int32Array(BANDS * STORY_BUCKET_READ);
  const shared = new Uint8Array(BANDS * STORY_BUCKET_READ);
  const chosen = new Int32Array(SIMILAR_CANDIDATES);
  for (let self = 0; self < count; self++) {
    // storyEdges: a hidden post links nothing (its versions are still read by others' look-ups as candidates).
    if (hidden[self]) continue;
    // candidatesOf: the members of the post's buckets, each once, with how many buckets it shares.
    let total = 0;
    for (let b = 0; b < BANDS; b++) {
      const start = runStart[self * BANDS + b]!;
      const read = members[self * BANDS + b]!;
      for (let m = 0; m < read; m++) gathered[total++] = ranks[start + m]!;
    }
    const all = gathered.subarray(0, total).sort();
    let distinct = 0;
    for (let i = 0; i < total;) {
      const key = all[i]!;
      let j = i + 1;
      while (j < total && all[j] === key) j++;
      if (key !== self) {
        keys[distinct] = key;
        shared[distinct] = j - i;
        distinct++;
      }
      i = j;
    }
    let candidates: Int32Array = keys.subarray(0, distinct);
    if (distinct > SIMILAR_CANDIDATES) {
      // The SIMILAR_CANDIDATES sharing the most buckets, ties by rank.
      let picked = 0;
      for (let want = BANDS; want > 0 && picked < SIMILAR_CANDIDATES; want--) {
        for (let k = 0; k < distinct && picked < SIMILAR_CANDIDATES; k++) if (shared[k] === want) chosen[picked++] = keys[k]!;
      }
      candidates = chosen.subarray(0, picked);
    }
    // keptVersions and storyEdges: visible candidates at SIMILAR_THRESHOLD. One already in the post's group adds
    // no edge that changes the groups, so its signature is not compared.
    for (let c = 0; c < candidates.length; c++) {
      const other = candidates[c]!;
      if (hidden[other]) continue;
      const a = find(self);
      const z = find(other);
      if (a === z) continue;
      let same = 0;
      const x = self * SIGNATURE_SIZE;
      const y = other * SIGNATURE_SIZE;
      for (let k = 0; k < SIGNATURE_SIZE; k++) if (signatures[x + k] === signatures[y + k]) same++;
      if (same >= SAME_NEEDED) parent[a] = z;
    }
  }
  // groupsOf's groups of the visible posts, numbered in the order of their first rank; alone: no number.
  const size = new Int32Array(count);
  for (let rank = 0; rank < count; rank++) if (!hidden[rank]) size[find(rank)]! += 1;
  const numberOf = new Int32Array(count);
  const story = new Int32Array(count);
  let next = 0;
  for (let rank = 0; rank < count; rank++) {
    if (hidden[rank]) continue;
    const root = find(rank);
    if (size[root]! < 2) continue;
    if (numberOf[root] === 0) numberOf[root] = ++next;
    story[rank] = numberOf[root]!;
  }
  return story;
}
