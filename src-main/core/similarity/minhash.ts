/**
 * MinHash over character shingles (Broder 1997), seeded so that a post's signature is the same on every run and
 * machine: no randomness at run time. Two signatures agree at a position with probability equal to the Jaccard
 * similarity of the two shingle sets.
 *
 * One permutation hashing (Li, Owen and Zhang 2012) with rotation densification (Shrivastava and Li 2014): each
 * shingle is hashed once; the hash's top 6 bits choose one of SIGNATURE_SIZE bins and the bin keeps the least of
 * its other bits; an empty bin (only in short texts) takes the next non-empty bin's value, offset by the distance.
 * One hash a shingle instead of SIGNATURE_SIZE (measured: 0.08 ms a post for 64 hash functions, far more than the
 * writer can spare). Only the low 16 bits of each minimum are kept (b-bit MinHash, Li and König 2010): half the
 * bytes, and a chance agreement of 1 in 65,536 adds nothing measurable to the estimate.
 */

/** UTF-16 code units per shingle: 5 CJK characters are about two or three words. */
export const SHINGLE_CHARS = 5;
/** Bins (16-bit values) per signature: an estimate's standard error is at most 0.0625. */
export const SIGNATURE_SIZE = 64;
/** Fewer shingles than this (about 25 characters of kept text): too little text to call two posts versions. */
export const MIN_SHINGLES = 20;

const BIN_SHIFT = 32 - Math.log2(SIGNATURE_SIZE);
const LOW_MASK = 2 ** BIN_SHIFT - 1;

/** The 32-bit finaliser of MurmurHash3: a good mix of every input bit into every output bit. */
const fmix = (h: number): number => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

/** A fixed seed mixed into every shingle's hash. */
const SEED = 0x5bd1e995;
/** The rolling hash's base, and its power for the unit leaving the window. */
const BASE = 0x01000193;
let outPower = 1;
for (let i = 0; i < SHINGLE_CHARS; i++) outPower = Math.imul(outPower, BASE);

/** The 32-bit hashes of the text's SHINGLE_CHARS-unit shingles, in order (a rolling polynomial hash, mixed). */
export function shingleHashes(text: string): Uint32Array {
  const count = Math.max(0, text.length - SHINGLE_CHARS + 1);
  const out = new Uint32Array(count);
  let h = 0;
  for (let i = 0; i < text.length; i++) {
    h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
    if (i >= SHINGLE_CHARS) h = (h - Math.imul(outPower, text.charCodeAt(i - SHINGLE_CHARS))) | 0;
    if (i >= SHINGLE_CHARS - 1) out[i - SHINGLE_CHARS + 1] = fmix(h ^ SEED);
  }
  return out;
}

/** The MinHash signature of shingle hashes (repeats change nothing): SIGNATURE_SIZE 16-bit values. */
export function minHash(hashes: Uint32Array): Uint16Array {
  const mins = new Float64Array(SIGNATURE_SIZE).fill(Infinity);
  for (let s = 0; s < hashes.length; s++) {
    const h = hashes[s]!;
    const bin = h >>> BIN_SHIFT;
    const low = h & LOW_MASK;
    if (low < mins[bin]!) mins[bin] = low;
  }
  return hashes.length === 0 ? new Uint16Array(SIGNATURE_SIZE) : densified(mins);
}

const unitMins = new Float64Array(SIGNATURE_SIZE);

/**
 * minHash(shingleHashes(text)) of a text given as its first `length` UTF-16 units, without the array of hashes
 * (the parse thread signs every post). Needs at least one shingle.
 */
export function minHashOfUnits(units: Uint16Array, length: number): Uint16Array {
  const mins = unitMins.fill(Infinity);
  let h = 0;
  for (let i = 0; i < length; i++) {
    h = (Math.imul(h, BASE) + units[i]!) | 0;
    if (i >= SHINGLE_CHARS) h = (h - Math.imul(outPower, units[i - SHINGLE_CHARS]!)) | 0;
    if (i >= SHINGLE_CHARS - 1) {
      const hash = fmix(h ^ SEED);
      const bin = hash >>> BIN_SHIFT;
      const low = hash & LOW_MASK;
      if (low < mins[bin]!) mins[bin] = low;
    }
  }
  return densified(mins);
}

/** The signature from each bin's least value (Infinity: empty), empty bins densified by rotation. */
function densified(mins: Float64Array): Uint16Array {
  const signature = new Uint16Array(SIGNATURE_SIZE);
  for (let k = 0; k < SIGNATURE_SIZE; k++) {
    let distance = 0;
    while (mins[(k + distance) % SIGNATURE_SIZE] === Infinity) distance++;
    const value = mins[(k + distance) % SIGNATURE_SIZE]!;
    signature[k] = (fmix(value + Math.imul(distance, 0x9e3779b1)) & 0xffff);
  }
  return signature;
}

/** The Jaccard similarity two signatures estimate: the share of positions where they agree. */
export function estimateJaccard(a: Uint16Array, b: Uint16Array): number {
  let same = 0;
  for (let k = 0; k < SIGNATURE_SIZE; k++) if (a[k] === b[k]) same++;
  return same / SIGNATURE_SIZE;
}
