import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeText } from '../../src-main/core/decode';

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

function utf16(text: string, order: 'le' | 'be'): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (order === 'le') bytes.push(unit & 0xff, unit >> 8);
    else bytes.push(unit >> 8, unit & 0xff);
  }
  return Uint8Array.from(bytes);
}

function utf32(text: string, order: 'le' | 'be'): Uint8Array {
  const codePoints = [...text].map((c) => c.codePointAt(0) ?? 0);
  const bytes = Buffer.alloc(codePoints.length * 4);
  codePoints.forEach((cp, i) => (order === 'le' ? bytes.writeUInt32LE(cp, i * 4) : bytes.writeUInt32BE(cp, i * 4)));
  return Uint8Array.from(bytes);
}

// Byte strings produced once with Python's codecs ('…'.encode('gbk' | 'big5' | 'shift_jis')).
const GBK_NEWS = 'd6d0cec4d0c2cec5a3babdf1ccecccecc6f8badcbac3a1a3'; // 中文新闻：今天天气很好。
const GBK_HELLO = '48656c6c6f20d6d0cec4'; // Hello 中文
const BIG5_SENTENCE = 'a4a4b5d8a5c1b0eaaabab8eaaec6ae77b8cca6b3b35ca668c2c2b3f8afc8bb50c2f8bb78c0c9aed7a143';
const SHIFT_JIS_SENTENCE = '93fa967b8cea82cc8365834c8358836782cd82b182b182c982a082e882dc82b78142938c8b9e82cc93568b43';
const FRONT_MATTER = '---\ntitle: 旧闻\n---\n正文\n';

describe('decodeText', () => {
  it('reads an empty file as empty UTF-8 text', () => {
    expect(decodeText(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8', uncertain: false });
  });

  it('reads UTF-8 and drops a UTF-8 byte-order mark', () => {
    expect(decodeText(utf8(FRONT_MATTER))).toEqual({ text: FRONT_MATTER, encoding: 'utf-8', uncertain: false });
    const withBom = decodeText(concat(hex('efbbbf'), utf8(FRONT_MATTER)));
    expect(withBom).toEqual({ text: FRONT_MATTER, encoding: 'utf-8', uncertain: false });
  });

  it('reads UTF-16 with a byte-order mark, both byte orders', () => {
    expect(decodeText(concat(hex('fffe'), utf16(FRONT_MATTER, 'le')))).toEqual({
      text: FRONT_MATTER,
      encoding: 'utf-16le',
      uncertain: false,
    });
    expect(decodeText(concat(hex('feff'), utf16(FRONT_MATTER, 'be')))).toEqual({
      text: FRONT_MATTER,
      encoding: 'utf-16be',
      uncertain: false,
    });
  });

  it('recognises UTF-16 without a byte-order mark by its NUL bytes', () => {
    expect(decodeText(utf16(FRONT_MATTER, 'le'))).toMatchObject({ text: FRONT_MATTER, encoding: 'utf-16le', uncertain: false });
    expect(decodeText(utf16(FRONT_MATTER, 'be'))).toMatchObject({ text: FRONT_MATTER, encoding: 'utf-16be', uncertain: false });
  });

  it('reads UTF-32 with a byte-order mark, both byte orders (the LE mark is not taken for UTF-16)', () => {
    const text = `${FRONT_MATTER}表情 😀 outside the BMP\n`;
    expect(decodeText(concat(hex('fffe0000'), utf32(text, 'le')))).toEqual({ text, encoding: 'utf-32le', uncertain: false });
    expect(decodeText(concat(hex('0000feff'), utf32(text, 'be')))).toEqual({ text, encoding: 'utf-32be', uncertain: false });
  });

  it('recognises UTF-32 without a byte-order mark, both byte orders', () => {
    const text = `${FRONT_MATTER}表情 😀\n`;
    expect(decodeText(utf32(text, 'le'))).toEqual({ text, encoding: 'utf-32le', uncertain: false });
    expect(decodeText(utf32(text, 'be'))).toEqual({ text, encoding: 'utf-32be', uncertain: false });
    // Pure ASCII too: three NULs after (or before) every byte.
    expect(decodeText(utf32('---\ntitle: x\n---\n', 'le'))).toMatchObject({ text: '---\ntitle: x\n---\n', encoding: 'utf-32le' });
  });

  it('reports UTF-32 damage instead of hiding it: units that are no character, a cut-off last character', () => {
    const damaged = decodeText(concat(hex('fffe0000'), utf32('ab', 'le'), hex('00001100'), utf32('c', 'le')));
    expect(damaged).toMatchObject({ text: 'ab\uFFFDc', encoding: 'utf-32le', uncertain: true, problem: expect.stringMatching(/^encoding uncertain .*UTF-32LE.*1 four-byte unit/) });
    const surrogate = decodeText(concat(utf32('---\ntitle: x\n---\n', 'be'), hex('0000d800')));
    expect(surrogate).toMatchObject({ encoding: 'utf-32be', uncertain: true, problem: expect.stringMatching(/encoding uncertain/) });
    const cut = decodeText(concat(hex('0000feff'), utf32('新闻', 'be'), hex('0000')));
    expect(cut).toMatchObject({ text: '新闻', encoding: 'utf-32be', uncertain: false, problem: expect.stringMatching(/ends in the middle of a character/) });
  });

  it('still refuses binary data that happens to look like UTF-32 (runs of NUL)', () => {
    expect(decodeText(new Uint8Array(64)).problem).toBe('binary file, not a post');
    expect(decodeText(concat(hex('fffe0000'), new Uint8Array(64))).problem).toBe('binary file, not a post');
  });

  it('reads a file cut inside its last character (odd-length UTF-16, a partial UTF-8 or GBK character) with a note', () => {
    const cutNote = /ends in the middle of a character/;
    const utf16Cut = decodeText(concat(hex('fffe'), utf16('abc', 'le'), hex('41')));
    expect(utf16Cut).toMatchObject({ text: 'abc', encoding: 'utf-16le', uncertain: false, problem: expect.stringMatching(cutNote) });
    const utf8Cut = decodeText(utf8('新闻').subarray(0, 5));
    expect(utf8Cut).toMatchObject({ text: '新', encoding: 'utf-8', uncertain: false, problem: expect.stringMatching(cutNote) });
    const gbkCut = decodeText(hex(GBK_NEWS).subarray(0, 7));
    expect(gbkCut).toMatchObject({ text: '中文新', encoding: 'gb18030', uncertain: false, problem: expect.stringMatching(cutNote) });
  });

  it('reports a UTF-16 file with an unpaired surrogate instead of hiding the damage', () => {
    const result = decodeText(concat(hex('fffe'), utf16('ab', 'le'), hex('00d8'), utf16('c', 'le')));
    expect(result.uncertain).toBe(true);
    expect(result.problem).toMatch(/encoding uncertain/);
    expect(result.text).toBe('ab\uFFFDc');
  });

  it('decodes GBK without a byte-order mark', () => {
    expect(decodeText(hex(GBK_NEWS))).toEqual({ text: '中文新闻：今天天气很好。', encoding: 'gb18030', uncertain: false });
  });

  it('decodes GB18030 with its byte-order mark', () => {
    expect(decodeText(concat(hex('84319533'), hex(GBK_NEWS)))).toEqual({
      text: '中文新闻：今天天气很好。',
      encoding: 'gb18030',
      uncertain: false,
    });
  });

  it('decodes a mostly-ASCII GBK file correctly', () => {
    const english = utf8('---\ntitle: Notes\n---\nA long English paragraph about the weather and the markets. '.repeat(20));
    const result = decodeText(concat(english, hex(GBK_HELLO), utf8('\n')));
    expect(result.encoding).toBe('gb18030');
    expect(result.uncertain).toBe(false);
    expect(result.text.endsWith('Hello 中文\n')).toBe(true);
    // A rare character or two in mostly-ASCII text is still believable.
    expect(decodeText(hex('6162fd93'))).toEqual({ text: 'ab龘', encoding: 'gb18030', uncertain: false });
  });

  it('flags Big5 and Shift-JIS bytes that GB18030 happens to accept as an uncertain guess', () => {
    for (const bytes of [BIG5_SENTENCE, SHIFT_JIS_SENTENCE]) {
      const result = decodeText(hex(bytes));
      expect(result.uncertain).toBe(true);
      expect(result.encoding).toBe('gb18030');
      expect(result.problem).toMatch(/^encoding uncertain \(/);
    }
  });

  it('falls back to lossy UTF-8 only with a problem that names the damage', () => {
    const result = decodeText(concat(utf8('title: café '), hex('ff'), utf8(' ok')));
    expect(result.uncertain).toBe(true);
    expect(result.encoding).toBe('utf-8');
    expect(result.problem).toMatch(/encoding uncertain .*1 undecodable/);
    expect(result.text).toBe('title: café \uFFFD ok');
  });

  it('reports a UTF-8 byte-order mark followed by invalid bytes', () => {
    const result = decodeText(concat(hex('efbbbf'), utf8('ok '), hex('ff'), utf8(' more')));
    expect(result.uncertain).toBe(true);
    expect(result.problem).toMatch(/byte-order mark/);
  });

  it('refuses binary content: NUL bytes scattered on both sides, or many control characters', () => {
    const png = hex('89504e470d0a1a0a0000000d49484452000000010000000108020000009077');
    expect(decodeText(png)).toEqual({ text: '', encoding: 'utf-8', uncertain: true, problem: 'binary file, not a post' });
    const controls = Uint8Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41));
    expect(decodeText(controls).problem).toBe('binary file, not a post');
    const scattered = Uint8Array.from({ length: 64 }, (_, i) => (i % 5 === 0 ? 0 : 0x61));
    expect(decodeText(scattered).problem).toBe('binary file, not a post');
  });

  it('keeps a stray control character (DOS end-of-file marker) in otherwise normal text', () => {
    const result = decodeText(concat(utf8('---\ntitle: Old file\n---\nBody text that is long enough.\n'), hex('1a')));
    expect(result.uncertain).toBe(false);
    expect(result.text.endsWith('\u001a')).toBe(true);
  });

  it('round-trips any printable Unicode text written as UTF-8', () => {
    const printable = fc
      .string({ unit: 'grapheme', maxLength: 200 })
      .filter((s) => ![...s].some((c) => (c.charCodeAt(0) < 0x20 && !'\t\n\r'.includes(c)) || c === '\u007f') && !s.startsWith('\uFEFF'));
    fc.assert(
      fc.property(printable, (text) => {
        const result = decodeText(utf8(text));
        expect(result).toEqual({ text, encoding: 'utf-8', uncertain: false });
      }),
    );
  });

  it('never throws, and never returns U+FFFD without marking the text uncertain', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = decodeText(bytes);
        const hadReplacement = Buffer.from(bytes).includes(Buffer.from('efbfbd', 'hex'));
        if (!result.uncertain && !hadReplacement) expect(result.text).not.toContain('\uFFFD');
        if (result.uncertain) expect(result.problem).toBeTruthy();
      }),
      { numRuns: 500 },
    );
  });
});
