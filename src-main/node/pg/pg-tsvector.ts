/**
 * A post's tokens (core/tokenize.ts, the same the SQLite store's FTS5 columns hold) as a PostgreSQL tsvector literal,
 * bound as `$n::tsvector`: never to_tsvector, whose parser would split our tokens again.
 *
 * - Title tokens have weight A, meta (tags, category names, description) B, body D. Positions count tokens, as
 *   FTS5's do inside a column: the title from 1, the meta after it and the body after that, each field one position
 *   apart from the next, so a phrase (`<->`, consecutive positions) never spans two fields.
 * - PostgreSQL's limits, and what is done about them:
 *   - positions stop at 16383: body tokens past BODY_LAST keep no position of their own. A lexeme found only there
 *     gets the single position OVERFLOW_POS (16383, weight D) with 16382 left empty, so a plain word still finds the
 *     post as SQLite does, and no phrase can be made of an overflow position and a real one. A phrase that lies
 *     wholly beyond position 16381 of a post is not found (docs/SCALING.md has how many posts of the corpora reach it).
 *   - a lexeme keeps at most 256 positions (PostgreSQL drops the rest): the first 256 are kept, the same as the server
 *     would. A phrase whose only occurrence needs a later one is not found.
 *     (No lexeme is ever stored without positions: such a lexeme matches any weight, so `title:word` would find it.)
 *   - a lexeme is at most 2047 bytes: longer tokens (a pasted blob) are left out.
 *   - a tsvector is at most 1 MB of lexemes and positions: past TSV_BYTES, body lexemes keep fewer positions
 *     (down to one), then the body's last new lexemes are left out. `lossy` says which of these happened.
 */

/** The last position a body token may have; OVERFLOW_POS marks body lexemes seen only later. */
export const OVERFLOW_POS = 16383;
export const BODY_LAST = OVERFLOW_POS - 2;
export const MAX_POSITIONS = 256;
export const MAX_LEXEME_BYTES = 2047;
/** PostgreSQL refuses more than 1 MiB - 1 of lexemes and positions; a margin below it. */
export const TSV_BYTES = 1_000_000;

const WEIGHTS = ['A', 'B', 'D'] as const;

export interface TsvectorLiteral {
  literal: string;
  /** What did not fit PostgreSQL's limits (each false for nearly every post). */
  lossy: { positions: boolean; perLexeme: boolean; longToken: boolean; bytes: boolean };
}

interface Entry { bytes: number; positions: number[]; weights: number[]; fromBody: boolean }

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Bytes PostgreSQL stores a lexeme in (its WordEntry, its text, its positions aligned to 2 bytes). */
const entryBytes = (e: Entry, positions = e.positions.length): number =>
  4 + e.bytes + (positions > 0 ? (e.bytes % 2) + 2 + 2 * positions : 0);

/** Space-separated tokens (FtsText's columns) → tokens. */
export const splitTokens = (text: string): string[] => (text === '' ? [] : text.split(' ').filter((t) => t !== ''));

/** The tsvector literal of a post's title, meta and body tokens. */
export function tsvectorLiteral(title: readonly string[], meta: readonly string[], body: readonly string[]): TsvectorLiteral {
  const { entries, lossy } = tsvectorEntries(title, meta, body);
  const parts: string[] = [];
  for (const [token, entry] of entries) {
    const positions = entry.positions.map((p, i) => `${p}${WEIGHTS[entry.weights[i]!]}`).join(',');
    parts.push(`'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}':${positions}`);
  }
  return { literal: parts.join(' '), lossy };
}

/** A weight's bits in a binary tsvector position (A 3, B 2, D 0: WEIGHTS' order). */
const WEIGHT_BITS = [3 << 14, 2 << 14, 0];

/**
 * The same tsvector in PostgreSQL's binary form (tsvectorrecv: the number of lexemes, then each lexeme's UTF-8 bytes,
 * a 0, its number of positions and each position with its weight in the top two bits, big-endian), bound as a Buffer
 * (node-postgres sends a Buffer in binary) to `$n::tsvector`: the server reads it without parsing a literal, and the
 * stored value equals the literal's (lexemes sorted as the server sorts them, positions already in order and unique).
 * Undefined when a token holds U+0000 (not in a binary lexeme; the literal leaves it out).
 */
export function tsvectorBinary(title: readonly string[], meta: readonly string[], body: readonly string[]): { value: Buffer; lossy: TsvectorLiteral['lossy'] } | undefined {
  const { entries, lossy } = tsvectorEntries(title, meta, body);
  let size = 4;
  for (const [token, entry] of entries) {
    if (token.includes('\0')) return undefined;
    size += entry.bytes + 3 + 2 * entry.positions.length;
  }
  // The server's order: the lexemes' bytes (UTF-16 order is the same but for characters past U+FFFF, which the
  // server then sorts itself).
  const sorted = inCodeUnitOrder([...entries.keys()]);
  const out = Buffer.allocUnsafe(size);
  let at = out.writeInt32BE(sorted.length, 0);
  for (const token of sorted) {
    const entry = entries.get(token)!;
    at += out.write(token, at, 'utf8');
    out[at++] = 0;
    at = out.writeUInt16BE(entry.positions.length, at);
    for (let i = 0; i < entry.positions.length; i++) at = out.writeUInt16BE(entry.positions[i]! | WEIGHT_BITS[entry.weights[i]!]!, at);
  }
  return { value: out, lossy };
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Distinct strings sorted as `sort()` sorts them (by UTF-16 code units), fast for a post's lexemes (~500, nearly all
 * one or two characters): codeUnitOrder. Array.prototype.sort on the strings themselves was about a third of the
 * writer's own work for a post.
 */
export function inCodeUnitOrder(strings: string[]): string[] {
  return Array.from(codeUnitOrder(strings), (i) => strings[i]!);
}

/** Reused by codeUnitOrder from call to call (grown when a call needs more). */
let keys = new Uint32Array(1024);
let keysTo = new Uint32Array(1024);
let indexes = new Int32Array(1024);
let indexesTo = new Int32Array(1024);
const digits = new Int32Array(256);

/**
 * The indexes of distinct strings in inCodeUnitOrder's order (pg-tsvector-fts.ts sorts its lexemes by it): a radix
 * sort (four passes of a byte) of each string's first two code units as one 32-bit key (a lone code unit's second
 * is 0, before any real one), then only strings of the same key (longer words sharing their start) compared in
 * full. A Float64Array's sort of the same keys took ~45 µs a post.
 */
export function codeUnitOrder(strings: readonly string[]): Int32Array {
  const n = strings.length;
  if (n > keys.length) {
    const size = Math.max(n, keys.length * 2);
    [keys, keysTo, indexes, indexesTo] = [new Uint32Array(size), new Uint32Array(size), new Int32Array(size), new Int32Array(size)];
  }
  for (let i = 0; i < n; i++) {
    const t = strings[i]!;
    keys[i] = ((t.charCodeAt(0) << 16) | (t.length > 1 ? t.charCodeAt(1) : 0)) >>> 0;
    indexes[i] = i;
  }
  for (let shift = 0; shift < 32; shift += 8) {
    digits.fill(0);
    for (let i = 0; i < n; i++) digits[(keys[i]! >>> shift) & 255]!++;
    // A byte all keys share moves nothing.
    if (n === 0 || digits[(keys[0]! >>> shift) & 255] === n) continue;
    for (let d = 0, at = 0; d < 256; d++) {
      const count = digits[d]!;
      digits[d] = at;
      at += count;
    }
    for (let i = 0; i < n; i++) {
      const to = digits[(keys[i]! >>> shift) & 255]!++;
      keysTo[to] = keys[i]!;
      indexesTo[to] = indexes[i]!;
    }
    [keys, keysTo, indexes, indexesTo] = [keysTo, keys, indexesTo, indexes];
  }
  const order = indexes.slice(0, n);
  const byString = (a: number, b: number): number => byCodeUnits(strings[a]!, strings[b]!);
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && keys[j] === keys[i]) j++;
    if (j - i > 1) order.set(Array.from(order.subarray(i, j)).sort(byString), i);
    i = j;
  }
  return order;
}

/** Each lexeme of a post's tokens with its positions and weights, within PostgreSQL's limits (the file's comment). */
function tsvectorEntries(title: readonly string[], meta: readonly string[], body: readonly string[]): { entries: Map<string, Entry>; lossy: TsvectorLiteral['lossy'] } {
  const lossy = { positions: false, perLexeme: false, longToken: false, bytes: false };
  const entries = new Map<string, Entry>();
  const add = (token: string, position: number, weight: number, fromBody: boolean) => {
    let entry = entries.get(token);
    if (!entry) {
      const bytes = byteLength(token);
      if (bytes > MAX_LEXEME_BYTES) {
        lossy.longToken = true;
        return;
      }
      entry = { bytes, positions: [], weights: [], fromBody };
      entries.set(token, entry);
    }
    if (position === OVERFLOW_POS) {
      if (entry.positions.length === 0) {
        entry.positions.push(position);
        entry.weights.push(weight);
      }
      return;
    }
    if (entry.positions.length >= MAX_POSITIONS) {
      lossy.perLexeme = true;
      return;
    }
    entry.positions.push(position);
    entry.weights.push(weight);
  };
  let position = 1;
  [title, meta, body].forEach((tokens, field) => {
    for (const token of tokens) {
      const overflow = position > BODY_LAST;
      if (overflow) lossy.positions = true;
      add(token, overflow ? OVERFLOW_POS : position, field, field === 2);
      if (!overflow) position++;
    }
    position++; // the gap between fields
  });

  let total = 8;
  for (const entry of entries.values()) total += entryBytes(entry);
  if (total > TSV_BYTES) {
    lossy.bytes = true;
    total = shrink(entries, total);
  }
  return { entries, lossy };
}

/** Fewer positions for body lexemes, then fewer body lexemes, until the tsvector fits TSV_BYTES. */
function shrink(entries: Map<string, Entry>, total: number): number {
  for (const keep of [64, 16, 4, 1]) {
    for (const entry of entries.values()) {
      if (!entry.fromBody || entry.positions.length <= keep) continue;
      const before = entryBytes(entry);
      // Positions of the title and meta come first (lower), so they are the ones kept.
      entry.positions.length = keep;
      entry.weights.length = keep;
      total += entryBytes(entry) - before;
    }
    if (total <= TSV_BYTES) return total;
  }
  const bodyOnly = [...entries].filter(([, e]) => e.fromBody).reverse();
  for (const [token, entry] of bodyOnly) {
    if (total <= TSV_BYTES) break;
    total -= entryBytes(entry);
    entries.delete(token);
  }
  return total;
}
