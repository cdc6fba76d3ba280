import { describe, expect, it } from 'vitest';
import { decodeFileName } from '../../src-main/core/file-name';

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));

describe('decodeFileName', () => {
  it('passes valid UTF-8 names through, Chinese and emoji included', () => {
    const name = '2020-01-01-新闻 😀.md';
    expect(decodeFileName(new TextEncoder().encode(name))).toEqual({ text: name, valid: true });
  });

  it('escapes each byte that is not part of a valid UTF-8 sequence, keeping the rest readable', () => {
    // "café.md" in Latin-1, and "新闻" in GBK followed by ".md".
    expect(decodeFileName(bytes('636166e92e6d64'))).toEqual({ text: 'caf\\xE9.md', valid: false });
    expect(decodeFileName(bytes('d0c2cec52e6d64'))).toEqual({ text: '\\xD0\\xC2\\xCE\\xC5.md', valid: false });
    // A valid character next to a truncated one, an overlong encoding and a UTF-16 surrogate.
    expect(decodeFileName(bytes('e696b0 e9 2e6d64'))).toEqual({ text: '新\\xE9.md', valid: false });
    expect(decodeFileName(bytes('c0af 41'))).toEqual({ text: '\\xC0\\xAFA', valid: false });
    expect(decodeFileName(bytes('eda080 41'))).toEqual({ text: '\\xED\\xA0\\x80A', valid: false });
  });
});
