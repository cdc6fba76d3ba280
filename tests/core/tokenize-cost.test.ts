/**
 * What tokenising costs, counted (no clock): CJK runs and words are read a character at a time from a table of
 * classes, not by a regular expression a run (the pattern's Unicode set classes cost more than the rest of the
 * tokenizer together: 0.038 of 0.048 ms a post of synthetic text). A character's class is worked out by a regular
 * expression once, the first time it is seen; tokenize-equivalence.test.ts checks the tokens are unchanged.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tokenize } from '../../src-main/core/tokenize';

afterEach(() => vi.restoreAllMocks());

describe('tokenize: cost', () => {
  it('runs no regular expression for CJK text whose characters it has seen', () => {
    const text = '中国钢铁工业，同比增长。𠀀カタカナ한국 '.repeat(1000);
    tokenize(text);
    const exec = vi.spyOn(RegExp.prototype, 'exec');
    const tokens = tokenize(text);
    expect(tokens.length).toBeGreaterThan(10_000);
    expect(exec).not.toHaveBeenCalled();
  });

});
