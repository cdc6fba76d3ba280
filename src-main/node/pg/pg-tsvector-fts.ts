/**
 * A post's binary tsvector made straight from FtsText's space-separated columns: the same bytes as
 * `tsvectorBinary(splitTokens(title), splitTokens(meta), splitTokens(body))` (pg-tsvector.ts, which says what the
 * value holds and why), without the token arrays, a Map entry object and two arrays a lexeme, nor a Buffer call a
 * lexeme or a position, and no string made for a one- or two-unit token seen before in the post: 0.23-0.25 -> 0.09 ms a
 * post (synthetic). It was most of the writer thread's own work for a post (stop 22, docs/BENCHMARKS.md).
 *
 * Each lexeme's positions are a chain in typed arrays reused from post to post, already as the 16-bit words the
 * binary form holds (position | weight bits). The rare post this path does not handle, a token holding U+0000 (no
 * binary form) or a value over TSV_BYTES (shrink's choices), is handed to tsvectorBinary itself.
 */
import { BODY_LAST, MAX_LEXEME_BYTES, MAX_POSITIONS, OVERFLOW_POS, TSV_BYTES, codeUnitOrder, splitTokens, tsvectorBinary } from './pg-tsvector';

/** Title A, meta B, body D: the weight bits of a position word, field by field. */
const FIELD_BITS = [3 << 14, 2 << 14, 0] as const;

/** Reused from post to post (grown when a post needs more). */
let lexemeBytes = new Int32Array(1024);
let counts = new Int32Array(1024);
let heads = new Int32Array(1024);
let tails = new Int32Array(1024);
let words = new Uint16Array(8192);
let nexts = new Int32Array(8192);
const lexemes: string[] = [];
/** Lexemes of three code units or more → their index. */
const indexOf = new Map<string, number>();
/**
 * Lexemes of one or two code units (nearly all: Chinese unigrams and bigrams) → their index, in an open-addressing
 * table keyed by the code units (the second 0 for one), with no string made for a token seen before: a slot holds
 * its key, its index and the post it was set for (`stamps`), so a new post starts with an empty table.
 */
let slotKeys = new Int32Array(4096);
let slotEntries = new Int32Array(4096);
let stamps = new Int32Array(4096);
let stamp = 0;
let shortCount = 0;
/**
 * Multiplicative hashing takes the product's top bits, log2(table size) of them: a fixed shift (16) gave only 65,536
 * start slots, so past that size (a post of > 32,768 distinct short lexemes) probe runs grew quadratically.
 */
let shift = 32 - 12;
/** Probes made for the last post's short lexemes (slots looked at past the first): tests bound it. */
let probes = 0;
/** This post's short lexemes: key, index, key, index… (to fill a grown table). */
const shortKeys: number[] = [];

const slotOf = (key: number, mask: number): number => {
  let slot = (Math.imul(key, 0x9e3779b1) >>> shift) & mask;
  while (stamps[slot] === stamp && slotKeys[slot] !== key) {
    slot = (slot + 1) & mask;
    probes++;
  }
  return slot;
};

/** A table twice as large, with the short lexemes seen so far in this post. */
function growTable(): void {
  const size = slotKeys.length * 2;
  [slotKeys, slotEntries, stamps] = [new Int32Array(size), new Int32Array(size), new Int32Array(size)];
  shift--;
  stamp = 1;
  for (let i = 0; i < shortKeys.length; i += 2) {
    const [key, entry] = [shortKeys[i]!, shortKeys[i + 1]!];
    const slot = slotOf(key, size - 1);
    stamps[slot] = stamp;
    slotKeys[slot] = key;
    slotEntries[slot] = entry;
  }
}

const grown = <T extends Int32Array | Uint16Array>(array: T, size: number): T => {
  if (size <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
  next.set(array);
  return next;
};

/** UTF-8 bytes of a string as Buffer.byteLength counts them (a lone surrogate: 3, written as U+FFFD). */
function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Writes `s` as UTF-8 at `at` (as Buffer.write does, a lone surrogate as U+FFFD); returns the next offset. */
function writeUtf8(out: Buffer, s: string, at: number): number {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) out[at++] = c;
    else if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const low = c <= 0xdbff && i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if ((low & 0xfc00) !== 0xdc00) {
        out[at++] = 0xef;
        out[at++] = 0xbf;
        out[at++] = 0xbd;
        continue;
      }
      i++;
      c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
      out[at++] = 0xf0 | (c >> 18);
      out[at++] = 0x80 | ((c >> 12) & 0x3f);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    } else {
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    }
  }
  return at;
}

/**
 * The binary tsvector of FtsText's title, meta and body columns (space-separated tokens), as tsvectorBinary makes
 * it; undefined where that is (a token holding U+0000: the writer binds the literal).
 */
export function tsvectorOfFts(title: string, meta: string, body: string): Buffer | undefined {
  if (title.includes('\0') || meta.includes('\0') || body.includes('\0')) return slow(title, meta, body);
  indexOf.clear();
  lexemes.length = 0;
  shortKeys.length = 0;
  shortCount = 0;
  probes = 0;
  if (++stamp === 0x7fffffff) {
    stamps.fill(0);
    stamp = 1;
  }
  let occurrences = 0;
  let position = 1;
  const fields = [title, meta, body];
  for (let field = 0; field < 3; field++) {
    const text = fields[field]!;
    const bits = FIELD_BITS[field]!;
    for (let start = 0; start < text.length;) {
      let end = text.indexOf(' ', start);
      if (end === -1) end = text.length;
      if (end === start) {
        start++;
        continue;
      }
      const length = end - start;
      const overflow = position > BODY_LAST;
      const word = (overflow ? OVERFLOW_POS : position) | bits;
      if (!overflow) position++;
      let entry: number | undefined;
      let token: string | undefined;
      let slot = -1;
      let key = 0;
      if (length <= 2) {
        key = (text.charCodeAt(start) << 16) | (length === 2 ? text.charCodeAt(start + 1) : 0);
        slot = slotOf(key, slotKeys.length - 1);
        if (stamps[slot] === stamp) entry = slotEntries[slot];
      } else {
        token = text.slice(start, end);
        entry = indexOf.get(token);
      }
      const from = start;
      start = end + 1;
      if (entry === undefined) {
        token ??= text.slice(from, end);
        const bytes = utf8Length(token);
        if (bytes > MAX_LEXEME_BYTES) continue;
        entry = lexemes.length;
        if (entry >= counts.length) {
          [lexemeBytes, counts, heads, tails] = [grown(lexemeBytes, entry + 1), grown(counts, entry + 1), grown(heads, entry + 1), grown(tails, entry + 1)];
        }
        lexemes.push(token);
        if (slot === -1) indexOf.set(token, entry);
        else {
          stamps[slot] = stamp;
          slotKeys[slot] = key;
          slotEntries[slot] = entry;
          shortKeys.push(key, entry);
          // At most half full: probes stay short.
          if (++shortCount * 2 > slotKeys.length) growTable();
        }
        lexemeBytes[entry] = bytes;
        counts[entry] = 0;
        heads[entry] = occurrences;
      } else if (overflow || counts[entry]! >= MAX_POSITIONS) {
        // A lexeme already has a position: an overflow adds none, and past MAX_POSITIONS none is kept.
        continue;
      } else nexts[tails[entry]!] = occurrences;
      if (occurrences >= words.length) [words, nexts] = [grown(words, occurrences + 1), grown(nexts, occurrences + 1)];
      words[occurrences] = word;
      tails[entry] = occurrences++;
      counts[entry]!++;
    }
    position++; // the gap between fields
  }

  const n = lexemes.length;
  let stored = 8;
  let size = 4;
  for (let e = 0; e < n; e++) {
    const bytes = lexemeBytes[e]!;
    stored += 4 + bytes + (bytes % 2) + 2 + 2 * counts[e]!;
    size += bytes + 3 + 2 * counts[e]!;
  }
  if (stored > TSV_BYTES) return slow(title, meta, body);

  const order = codeUnitOrder(lexemes);
  const out = Buffer.allocUnsafe(size);
  out.writeInt32BE(n, 0);
  let at = 4;
  for (let k = 0; k < n; k++) {
    const e = order[k]!;
    at = writeUtf8(out, lexemes[e]!, at);
    out[at++] = 0;
    const count = counts[e]!;
    out[at++] = count >> 8;
    out[at++] = count & 0xff;
    for (let o = heads[e]!, i = 0; i < count; i++, o = nexts[o]!) {
      const w = words[o]!;
      out[at++] = w >> 8;
      out[at++] = w & 0xff;
    }
  }
  lexemes.length = 0;
  indexOf.clear();
  return out;
}

/** Probes past the first slot made for the short lexemes of the last post tsvectorOfFts took (tests bound it). */
export const shortLexemeProbes = (): number => probes;

const slow = (title: string, meta: string, body: string): Buffer | undefined =>
  tsvectorBinary(splitTokens(title), splitTokens(meta), splitTokens(body))?.value;
