/**
 * File names as bytes. On Linux a name is any bytes; Node turns one that is not UTF-8 into text with U+FFFD in
 * it, and that text no longer names the file. Such a name is shown with its bad bytes escaped, and reported.
 */

const strict = new TextDecoder('utf-8', { fatal: true });

export interface DecodedName {
  /** The name, or for an invalid one a readable form with each bad byte as `\xNN` (not a usable path). */
  text: string;
  valid: boolean;
}

export function decodeFileName(bytes: Uint8Array): DecodedName {
  try {
    return { text: strict.decode(bytes), valid: true };
  } catch {
    return { text: escapeInvalid(bytes), valid: false };
  }
}

/** Valid UTF-8 sequences as text, every other byte as `\xNN`. */
function escapeInvalid(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] ?? 0;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    const text = length > 0 ? tryDecode(bytes.subarray(i, i + length), length) : null;
    if (text === null) {
      out += `\\x${lead.toString(16).toUpperCase().padStart(2, '0')}`;
      i += 1;
    } else {
      out += text;
      i += length;
    }
  }
  return out;
}

function tryDecode(sequence: Uint8Array, length: number): string | null {
  if (sequence.length < length) return null;
  try {
    return strict.decode(sequence);
  } catch {
    return null;
  }
}
