/**
 * MinHash over character shingles (Broder 1997), seeded so that a post's signature is the same on every run
 * and machine: no randomness at run time. Each of SIGNATURE_SIZE hash functions keeps the least hash of the
 * text's shingles; two signatures agree at a position with probability equal to the Jaccard similarity of the
 * two shingle sets. Only the low 16 bits of each minimum are kept (b-bit MinHash, Li and König 2010): half the
 * bytes, and a chance agreement of 1 in 65,536 adds nothing measurable to the estimate.
 */

/** Characters (code points) per shingle: 5 CJK characters are about two or three words. */
export const SHINGLE_CHARS = 5;
/** Hash functions (and 16-bit values) per signature: an estimate's standard error is at most 0.0625. */
export const SIGNATURE_SIZE = 64;
/** Fewer distinct shingles than this (about 25 characters of kept text): too little text to call two posts versions. */
export const MIN_SHINGLES = 20;

/** The 32-bit finaliser of MurmurHash3: a good mix of every input bit into every output bit. */
const fmix = (h: number): number => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

/** The per-function seeds, fixed: the i-th is fmix of i and a constant. */
const SEEDS = Uint32Array.from({ length: SIGNATURE_SIZE }, (_, i) => fmix(Math.imul(i + 1, 0x9e3779b9) ^ 0x5bd1e995));

/** The distinct 32-bit hashes of the text's SHINGLE_CHARS-character shingles (FNV-1a over the code points, mixed). */
export function shingleHashes(text: string): Uint32Array {
  const codes = Array.from(text, (c) => c.codePointAt(0)!);
  const seen = new Set<number>();
  for (let i = 0; i + SHINGLE_CHARS <= codes.length; i++) {
    let h = 0x811c9dc5;
    for (let j = i; j < i + SHINGLE_CHARS; j++) h = Math.imul(h ^ codes[j]!, 0x01000193);
    seen.add(fmix(h));
  }
  return Uint32Array.from(seen);
}

/** The MinHash signature of a set of shingle hashes: SIGNATURE_SIZE 16-bit values. */
export function minHash(hashes: Uint32Array): Uint16Array {
  const mins = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  for (let s = 0; s < hashes.length; s++) {
    const x = hashes[s]!;
    for (let k = 0; k < SIGNATURE_SIZE; k++) {
      const h = fmix(x ^ SEEDS[k]!);
      if (h < mins[k]!) mins[k] = h;
    }
  }
  return Uint16Array.from(mins, (m) => m & 0xffff);
}

/** The Jaccard similarity two signatures estimate: the share of positions where they agree. */
export function estimateJaccard(a: Uint16Array, b: Uint16Array): number {
  let same = 0;
  for (let k = 0; k < SIGNATURE_SIZE; k++) if (a[k] === b[k]) same++;
  return same / SIGNATURE_SIZE;
}
