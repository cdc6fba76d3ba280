/**
 * Store-independent parts of "other versions" and stories, shared by the SQLite store (node/index/similar.ts,
 * story.ts) and the PostgreSQL writer and reader (node/pg/pg-similar.ts), so both keep the same versions and
 * the same stories: which candidates a look-up scores, which it keeps, and the connected groups of posts.
 */
import { SIMILAR_THRESHOLD } from '../../shared/archive-api';
import { estimateJaccard } from './minhash';

/**
 * The most candidates a look-up scores. Posts built from one template (a daily notice, a market table) share most
 * buckets with each other: without a cap every one of them would have its signature read and scored. The ones
 * sharing the most buckets come first; a version worth showing shares many (at SIMILAR_THRESHOLD, most bands).
 */
export const SIMILAR_CANDIDATES = 500;

/**
 * The versions of a post among `shared` (each candidate: how many of the post's buckets it shares): at most
 * SIMILAR_CANDIDATES of them scored, the most shared first, ties in `order` (the list's order of posts: SQLite's
 * ids, PostgreSQL's (date_key, seq)); kept when their estimated Jaccard reaches SIMILAR_THRESHOLD. Unsorted.
 */
export function versionsAmong<K>(signature: Uint16Array, shared: Map<K, number>, signatureOf: (key: K) => Uint16Array | null,
  order: (a: K, b: K) => number): K[] {
  let candidates = [...shared.keys()];
  if (candidates.length > SIMILAR_CANDIDATES) {
    candidates = candidates.sort((a, b) => shared.get(b)! - shared.get(a)! || order(a, b)).slice(0, SIMILAR_CANDIDATES);
  }
  return keptVersions(signature, candidates, signatureOf);
}

/** Those of `candidates` whose signatures estimate a Jaccard similarity of SIMILAR_THRESHOLD or more with `signature`. */
export function keptVersions<K>(signature: Uint16Array, candidates: readonly K[], signatureOf: (key: K) => Uint16Array | null): K[] {
  return candidates.filter((other) => {
    const theirs = signatureOf(other);
    return theirs !== null && estimateJaccard(signature, theirs) >= SIMILAR_THRESHOLD;
  });
}

/**
 * versionsAmong's candidates for keys that are numbers in their own order (SQLite's ids), from the member lists of
 * a post's buckets (distinct keys in each; `self` left out): all of them, or the SIMILAR_CANDIDATES in the most
 * lists, ties by key; in key order within a count. One numeric sort of the members and a pass by count instead of a
 * Map of counts and a comparator sort: a real-text post has up to 32 x 64 members, and that Map and sort were most
 * of a cold build's story upkeep (docs/BENCHMARKS.md, stop 20).
 */
export function candidatesOf(lists: readonly (readonly number[])[], self: number): number[] {
  let total = 0;
  for (const list of lists) total += list.length;
  const all = new Float64Array(total);
  let at = 0;
  for (const list of lists) for (const key of list) all[at++] = key;
  all.sort();
  const keys: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < total;) {
    const key = all[i]!;
    let j = i + 1;
    while (j < total && all[j] === key) j++;
    if (key !== self) {
      keys.push(key);
      counts.push(j - i);
    }
    i = j;
  }
  if (keys.length <= SIMILAR_CANDIDATES) return keys;
  const byCount: number[][] = [];
  keys.forEach((key, k) => (byCount[counts[k]!] ??= []).push(key));
  const chosen: number[] = [];
  for (let count = byCount.length - 1; count > 0 && chosen.length < SIMILAR_CANDIDATES; count--) {
    for (const key of byCount[count] ?? []) {
      if (chosen.length === SIMILAR_CANDIDATES) break;
      chosen.push(key);
    }
  }
  return chosen;
}

/**
 * The edges stories are made of, from a post's versions: only between visible posts. A hidden post (a draft,
 * unpublished) is in no story, and never links two visible posts: a draft sharing a template with two published
 * posts would otherwise make them one story in the default list, where the draft is not shown. Both stores (story.ts,
 * node/pg/pg-similar.ts) make stories from these edges.
 */
export function storyEdges<K>(id: K, versions: readonly K[], isHidden: (key: K) => boolean): K[] {
  return isHidden(id) ? [] : versions.filter((other) => !isHidden(other));
}

/** Union-find over `ids`: the connected groups of the edges `edgesOf` gives (edges to ids not listed are ignored). */
export function groupsOf<K>(ids: readonly K[], edgesOf: (id: K, i: number) => readonly K[]): K[][] {
  const parent = new Map(ids.map((id) => [id, id]));
  const find = (id: K): K => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let at = id; at !== root;) {
      const next = parent.get(at)!;
      parent.set(at, root);
      at = next;
    }
    return root;
  };
  for (const [i, id] of ids.entries()) {
    for (const other of edgesOf(id, i)) {
      if (!parent.has(other)) continue;
      const [a, b] = [find(id), find(other)];
      if (a !== b) parent.set(a, b);
    }
  }
  const groups = new Map<K, K[]>();
  for (const id of ids) {
    const root = find(id);
    const group = groups.get(root);
    if (group) group.push(id);
    else groups.set(root, [id]);
  }
  return [...groups.values()];
}

/**
 * A result collapsed to one row per story, from the story of each post in the result's order: the indices of each
 * story's first post, in order, and how many other posts of its story the result holds.
 */
export function collapseOrder(stories: readonly (number | undefined)[]): { firsts: number[]; versions: number[] } {
  const firsts: number[] = [];
  const versions: number[] = [];
  const rowOfStory = new Map<number, number>();
  stories.forEach((story, i) => {
    if (story !== undefined) {
      const row = rowOfStory.get(story);
      if (row !== undefined) {
        versions[row]! += 1;
        return;
      }
      rowOfStory.set(story, firsts.length);
    }
    firsts.push(i);
    versions.push(0);
  });
  return { firsts, versions };
}
