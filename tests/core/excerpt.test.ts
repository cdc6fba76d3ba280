import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excerptOf } from '../../src-main/core/parse-post';

/** excerptOf as it was written with an array of characters (Array.from), before it counted them in place. */
function excerptByArray(text: string): string {
  const collapsed = text.slice(0, 160 * 8).replace(/\s+/g, ' ').trim();
  const chars = Array.from(collapsed.slice(0, 160 * 2 + 2));
  return chars.length <= 160 ? collapsed : `${chars.slice(0, 159).join('').trimEnd()}…`;
}

// Characters that make the cut hard: CJK, astral (surrogate pairs), lone surrogates, whitespace runs, ASCII.
const piece = fc.constantFrom('钢', '铁', '𠀀', '😀', '\ud800', '\udc00', ' ', '  \n\t', '\u3000', 'a', 'word ', '。', '\u00a0');

describe('excerptOf', () => {
  it('gives what the array-of-characters version gave, for any mix of CJK, astral, lone surrogates and whitespace', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 700 }), (pieces) => {
        const text = pieces.join('');
        expect(excerptOf(text)).toBe(excerptByArray(text));
      }),
      { seed: 20261130, numRuns: 3000 },
    );
  });

  it('cuts at 159 characters and an ellipsis, counting a surrogate pair as one', () => {
    expect(excerptOf('𠀀'.repeat(200))).toBe(`${'𠀀'.repeat(159)}…`);
    expect(excerptOf('钢'.repeat(160))).toBe('钢'.repeat(160));
    expect(excerptOf(`${'钢'.repeat(158)}  铁铁`)).toBe(`${'钢'.repeat(158)}…`);
    expect(excerptOf('')).toBe('');
  });
});
