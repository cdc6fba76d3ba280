/**
 * A post's similarity signature from its plain text (normalise.ts, then minhash.ts), as the index stores it:
 * SIGNATURE_SIZE 16-bit values, little-endian, in a 128-byte BLOB. `null`: too little text once boilerplate and
 * short lines are left out (a two-line flash, a photo post); such a post has no other versions.
 */
import { MIN_SHINGLES, SHINGLE_CHARS, SIGNATURE_SIZE, minHashOfUnits } from './minhash';
import { keptUnits } from './normalise';

export function signatureOf(text: string): Uint16Array | null {
  const kept = keptUnits(text);
  return kept.length - SHINGLE_CHARS + 1 < MIN_SHINGLES ? null : minHashOfUnits(kept.units, kept.length);
}

/** The signature as stored: little-endian bytes (the same on every machine). */
export function packSignature(signature: Uint16Array): Uint8Array {
  const bytes = new Uint8Array(SIGNATURE_SIZE * 2);
  for (let k = 0; k < SIGNATURE_SIZE; k++) {
    bytes[2 * k] = signature[k]! & 0xff;
    bytes[2 * k + 1] = signature[k]! >>> 8;
  }
  return bytes;
}

export function unpackSignature(bytes: Uint8Array): Uint16Array {
  const signature = new Uint16Array(SIGNATURE_SIZE);
  for (let k = 0; k < SIGNATURE_SIZE && 2 * k + 1 < bytes.length; k++) signature[k] = bytes[2 * k]! | (bytes[2 * k + 1]! << 8);
  return signature;
}
