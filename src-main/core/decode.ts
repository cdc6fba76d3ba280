/**
 * Turns a post file's bytes into text. Old Chinese archives are often GBK, Windows editors add byte-order marks,
 * and a stray image can be named `.md`: every guess is reported, and text is never silently mangled.
 */
import type { DecodedText, TextEncodingName } from './types';

/** How much of the file the binary / UTF-16 sniffing looks at. */
const SNIFF_BYTES = 64 * 1024;

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) return { text: '', encoding: 'utf-8', uncertain: false };

  const bom = sniffBom(bytes);
  if (bom) return decodeWithBom(bytes, bom.encoding, bom.length);

  const sniff = bytes.subarray(0, SNIFF_BYTES);
  if (sniff.includes(0)) {
    const utf32 = guessUtf32(sniff);
    if (utf32) return decodeUtf32Text(bytes, utf32, false);
    const utf16 = guessUtf16(sniff);
    if (utf16) {
      const decoded = tryDecode(utf16, bytes);
      if (decoded && !looksBinary(decoded.text)) return certain(decoded, utf16);
    }
    return binary();
  }
  if (countControlBytes(sniff) > sniff.length * 0.1) return binary();

  const utf8 = tryDecode('utf-8', bytes);
  if (utf8) return certain(utf8, 'utf-8');

  const gb = tryDecode('gb18030', bytes);
  if (gb) {
    const verdict = judgeGb18030(bytes, gb.text);
    if (verdict.plausible) return certain(gb, 'gb18030');
    return {
      text: gb.text,
      encoding: 'gb18030',
      uncertain: true,
      problem: `encoding uncertain (not UTF-8; read as GB18030/GBK, but ${verdict.reason})`,
    };
  }
  return lossy(bytes);
}

/** Neither UTF-8 nor GB18030 decodes cleanly: keep whichever loses fewer bytes, and say so. */
function lossy(bytes: Uint8Array): DecodedText {
  const utf8 = new TextDecoder('utf-8').decode(bytes);
  const gb = new TextDecoder('gb18030').decode(bytes);
  const badUtf8 = countReplacements(utf8);
  const badGb = countReplacements(gb);
  if (badGb * 4 < badUtf8 && judgeGb18030(bytes, gb).plausible) {
    return {
      text: gb,
      encoding: 'gb18030',
      uncertain: true,
      problem: `encoding uncertain (looks like GB18030/GBK, but ${badGb} undecodable byte sequence(s) are shown as �)`,
    };
  }
  return {
    text: utf8,
    encoding: 'utf-8',
    uncertain: true,
    problem: `encoding uncertain (neither valid UTF-8 nor GB18030; ${badUtf8} undecodable byte sequence(s) are shown as �)`,
  };
}

function decodeWithBom(bytes: Uint8Array, encoding: TextEncodingName, bomLength: number): DecodedText {
  const body = bytes.subarray(bomLength);
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return decodeUtf32Text(body, encoding, true);
  const decoded = tryDecode(encoding, body);
  if (decoded) return certain({ ...decoded, text: stripBom(decoded.text) }, encoding);
  const loose = stripBom(new TextDecoder(encoding).decode(body));
  return {
    text: loose,
    encoding,
    uncertain: true,
    problem: `encoding uncertain (starts with a ${encoding.toUpperCase()} byte-order mark, but ${countReplacements(loose)} byte sequence(s) are not valid ${encoding.toUpperCase()} and are shown as �)`,
  };
}

function sniffBom(bytes: Uint8Array): { encoding: TextEncodingName; length: number } | null {
  const [b0, b1, b2, b3] = bytes;
  // Before UTF-16: the UTF-32LE mark begins with the UTF-16LE one.
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return { encoding: 'utf-32le', length: 4 };
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', length: 2 };
  if (b0 === 0x84 && b1 === 0x31 && b2 === 0x95 && b3 === 0x33) return { encoding: 'gb18030', length: 4 };
  return null;
}

type Utf32 = 'utf-32le' | 'utf-32be';

/**
 * UTF-32 without a byte-order mark: every four bytes are one code point, so the top byte is always 0 and the
 * next one at most 0x10. Taken when nine in ten units of the sample (a damaged file is reported, not refused)
 * are characters in a plane with characters (0-3, 14-16) in one byte order; UTF-16 or binary data almost never
 * passes that.
 */
function guessUtf32(sample: Uint8Array): Utf32 | null {
  const units = Math.floor(sample.length / 4);
  if (units === 0) return null;
  const fits = (order: Utf32) => {
    let used = 0;
    for (let i = 0; i < units; i++) if (isUsedCodePoint(readUnit(sample, i * 4, order))) used++;
    return used >= units * 0.9;
  };
  if (fits('utf-32le')) return 'utf-32le';
  if (fits('utf-32be')) return 'utf-32be';
  return null;
}

function readUnit(bytes: Uint8Array, at: number, order: Utf32): number {
  const [a = 0, b = 0, c = 0, d = 0] = bytes.subarray(at, at + 4);
  return order === 'utf-32le' ? (a | (b << 8) | (c << 16) | (d << 24)) >>> 0 : ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

const isScalar = (cp: number) => cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
/** Unicode scalar values outside planes 4-13, where no characters are assigned. */
const isUsedCodePoint = (cp: number) => isScalar(cp) && (cp < 0x40000 || cp >= 0xe0000);

/** UTF-32 by hand (TextDecoder does not know it): invalid units become U+FFFD and are counted. */
function decodeUtf32(bytes: Uint8Array, order: Utf32): { text: string; invalid: number; cutShort: boolean } {
  const units = Math.floor(bytes.length / 4);
  const parts: string[] = [];
  let chunk: number[] = [];
  let invalid = 0;
  for (let i = 0; i < units; i++) {
    const cp = readUnit(bytes, i * 4, order);
    if (isScalar(cp)) chunk.push(cp);
    else {
      chunk.push(0xfffd);
      invalid++;
    }
    if (chunk.length === 4096) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return { text: parts.join(''), invalid, cutShort: bytes.length % 4 !== 0 };
}

/** UTF-32 text, from a byte-order mark (`marked`) or a guess; undecodable units or binary content are reported. */
function decodeUtf32Text(bytes: Uint8Array, encoding: Utf32, marked: boolean): DecodedText {
  const { text: raw, invalid, cutShort } = decodeUtf32(bytes, encoding);
  const text = stripBom(raw);
  const name = encoding.toUpperCase();
  if (looksBinary(text)) return binary();
  if (invalid > 0) {
    const why = marked ? `starts with a ${name} byte-order mark` : `looks like ${name}`;
    return { text, encoding, uncertain: true, problem: `encoding uncertain (${why}, but ${invalid} four-byte unit(s) are not characters and are shown as �)` };
  }
  return certain({ text, cutShort }, encoding);
}

/**
 * UTF-16 without a byte-order mark: ASCII characters (the `---`, `title:` of front matter) put a NUL in every
 * other byte, always on the same side. NULs scattered on both sides mean a binary file.
 */
function guessUtf16(sample: Uint8Array): TextEncodingName | null {
  let even = 0;
  let odd = 0;
  const length = sample.length - (sample.length % 2);
  for (let i = 0; i < length; i += 2) {
    if (sample[i] === 0) even++;
    if (sample[i + 1] === 0) odd++;
  }
  const pairs = length / 2;
  const enough = Math.max(2, pairs * 0.05);
  if (odd >= enough && even <= odd / 10) return 'utf-16le';
  if (even >= enough && odd <= even / 10) return 'utf-16be';
  return null;
}

/** C0 control bytes other than tab, line feed, form feed, carriage return and escape; plus DEL. */
function countControlBytes(sample: Uint8Array): number {
  let count = 0;
  for (const b of sample) {
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f) count++;
  }
  return count;
}

function looksBinary(text: string): boolean {
  const sample = text.slice(0, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d && c !== 0x1b) || c === 0x7f) control++;
  }
  return control > sample.length * 0.1;
}

interface Decoded {
  text: string;
  /** The bytes end inside a character (a file cut short, or read only up to a size limit). */
  cutShort: boolean;
}

/** Strict decoding; an incomplete character at the very end is left out (and reported), not treated as invalid. */
function tryDecode(encoding: TextEncodingName, bytes: Uint8Array): Decoded | null {
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes), cutShort: false };
  } catch {
    try {
      // In streaming mode a trailing partial sequence waits for more input instead of failing.
      return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: true }), cutShort: true };
    } catch {
      return null;
    }
  }
}

function certain(decoded: Decoded, encoding: TextEncodingName): DecodedText {
  if (!decoded.cutShort) return { text: decoded.text, encoding, uncertain: false };
  return {
    text: decoded.text,
    encoding,
    uncertain: false,
    problem: 'the file ends in the middle of a character (cut short?); the incomplete character is left out',
  };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function countReplacements(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) count++;
  return count;
}

function binary(): DecodedText {
  return { text: '', encoding: 'utf-8', uncertain: true, problem: 'binary file, not a post' };
}

/**
 * A GB18030 decoder accepts most byte soup, so a successful decode proves little. Real Chinese prose is almost all
 * GB2312 level-1 hanzi (the 3,755 common characters, lead bytes B0–D7) and CJK punctuation/full-width forms
 * (A1–A3); mojibake from Big5, Shift-JIS or damaged UTF-8 lands all over the extension and user-defined areas.
 */
export function judgeGb18030(bytes: Uint8Array, text: string): { plausible: boolean; reason: string } {
  let nonAscii = 0;
  let common = 0;
  let strange = 0;
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    nonAscii++;
    const trail = bytes[i + 1] ?? 0;
    if (lead === 0x80 || lead === 0xff) {
      strange++;
      i++;
    } else if (trail >= 0x30 && trail <= 0x39) {
      i += 4; // four-byte sequence: characters outside GBK, rare in real archives
    } else {
      if (trail >= 0xa1 && trail <= 0xfe && ((lead >= 0xa1 && lead <= 0xa3) || (lead >= 0xb0 && lead <= 0xd7))) common++;
      // User-defined areas (AAA1–AFFE, F8A1–FEFE, A140–A7A0) decode to private-use characters.
      i += 2;
    }
  }
  strange += countPrivateUse(text);
  if (nonAscii === 0) return { plausible: true, reason: '' };
  if (strange > 0) return { plausible: false, reason: `${strange} character(s) fall in unused or private areas` };
  const rare = nonAscii - common;
  const plausible = nonAscii >= 8 ? common / nonAscii >= 0.6 : rare <= 2;
  const share = Math.round((rare / nonAscii) * 100);
  return { plausible, reason: `${share}% of its ${nonAscii} non-ASCII characters are rare` };
}

function countPrivateUse(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xe000 && c <= 0xf8ff) count++;
  }
  return count;
}
