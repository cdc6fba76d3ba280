/**
 * candidatesOf (core/similarity/versions.ts), the story look-up's fast path, against versionsAmong (what getSimilar's
 * SQL and PostgreSQL score): the same versions from the same bucket members, on seeded lists with few and with more
 * than SIMILAR_CANDIDATES candidates (ties by shared count cut at the limit), ids as large as SQLite's dated ids.
 */
import { describe, expect, it } from 'vitest';
import { BANDS } from '../../src-main/core/similarity/bands';
import { SIGNATURE_SIZE } from '../../src-main/core/similarity/minhash';
import { SIMILAR_CANDIDATES, candidatesOf, keptVersions, versionsAmong } from '../../src-main/core/similarity/versions';
import { int, mulberry32 } from '../bench/prng';

describe('candidatesOf', () => {
  it('keeps exactly the versions versionsAmong keeps, for 300 seeded posts', () => {
    const rng = mulberry32(20);
    let overCap = 0;
    for (let round = 0; round < 300; round++) {
      const pool = int(rng, 1, 3_000);
      const ids = Array.from({ length: pool }, (_, i) => 2 ** 32 + i * int(rng, 1, 7) + int(rng, 0, 3) * 2 ** 20);
      const self = ids[int(rng, 0, ids.length - 1)]!;
      const signature = Uint16Array.from({ length: SIGNATURE_SIZE }, () => int(rng, 0, 3));
      // Each candidate's signature made when first asked for (in the order versionsAmong asks: seeded either way).
      const signatures = new Map<number, Uint16Array | null>();
      const made = (id: number): Uint16Array | null => {
        if (!signatures.has(id)) {
          const change = 0.3 + rng() * 0.6;
          signatures.set(id, rng() < 0.05 ? null : Uint16Array.from(signature, (v) => (rng() < change ? int(rng, 0, 3) : v)));
        }
        return signatures.get(id)!;
      };
      // Up to BANDS buckets of up to 64 distinct members, drawn from a pool so that members repeat across buckets.
      const spread = int(rng, 50, ids.length);
      const lists = Array.from({ length: int(rng, 0, BANDS) }, () => {
        const members = new Set<number>();
        const size = int(rng, 0, 64);
        for (let k = 0; k < size; k++) members.add(ids[int(rng, 0, Math.min(ids.length, spread) - 1)]!);
        if (rng() < 0.5) members.add(self);
        return [...members].sort((a, b) => a - b);
      });
      const shared = new Map<number, number>();
      for (const list of lists) for (const other of list) if (other !== self) shared.set(other, (shared.get(other) ?? 0) + 1);
      if (shared.size > SIMILAR_CANDIDATES) overCap++;
      for (const id of [...shared.keys()].sort((a, b) => a - b)) made(id);
      const signatureOf = (id: number): Uint16Array | null => made(id);
      const expected = versionsAmong(signature, shared, signatureOf, (a, b) => a - b).sort((a, b) => a - b);
      const actual = keptVersions(signature, candidatesOf(lists, self), signatureOf).sort((a, b) => a - b);
      expect(actual).toEqual(expected);
    }
    // The cut at SIMILAR_CANDIDATES (ties broken by id) was exercised.
    expect(overCap).toBeGreaterThan(30);
  });
});
