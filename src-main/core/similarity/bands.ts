/**
 * Locality-sensitive hashing of MinHash signatures (the banding technique, Leskovec, Rajaraman and Ullman,
 * Mining of Massive Datasets, ch. 3): the signature is cut into BANDS bands of ROWS values; posts whose values agree
 * in a whole band share that band's bucket, so a post's candidates are the posts in its BANDS buckets.
 * A pair of Jaccard similarity s becomes a candidate with probability 1 - (1 - s^ROWS)^BANDS: with 32 bands of
 * 2 rows, 0.985 at s = 0.35 (SIMILAR_THRESHOLD), 0.9999 at 0.5, 0.19 at 0.08 (the most an unrelated pair scored
 * on generated reprints) and 0.01 at 0.02; candidates are then checked by their estimated Jaccard, so a false
 * candidate costs a comparison of two 128-byte signatures, never a wrong answer. (21 bands of 3 rows found only
 * 0.86 of the planted reprints: a reworded reprint often scores 0.35-0.5, where 21x3 makes 0.6-0.94 of pairs candidates.)
 */
import { SIGNATURE_SIZE } from './minhash';

export const BANDS = 32;
export const ROWS = 2;
if (BANDS * ROWS > SIGNATURE_SIZE) throw new Error('bands need more values than a signature has');

/**
 * The bucket of each band: the band's number (0-31) above a 26-bit hash of its values below (a
 * non-negative 31-bit integer, four bytes in SQLite). Two posts collide by chance in a band with probability
 * 2^-26: a few false candidates at 100,000 posts, each dropped by the Jaccard check.
 */
export function bandBuckets(signature: Uint16Array): number[] {
  const buckets: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = Math.imul(b + 1, 0x9e3779b9);
    for (let r = 0; r < ROWS; r++) {
      h = Math.imul(h ^ signature[b * ROWS + r]!, 0x01000193);
      h ^= h >>> 15;
    }
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h ^= h >>> 13;
    buckets.push(b * 2 ** 26 + ((h >>> 0) & 0x3ffffff));
  }
  return buckets;
}
