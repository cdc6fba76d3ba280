import { describe, expect, it } from 'vitest';
import { InvalidArgumentsError, validateArgs } from '../../src-main/node/validate-args';

describe('getFacets and several tags at the IPC and HTTP boundary', () => {
  it('accepts a list query with tags and a tag mode, for listArticles and getFacets alike', () => {
    for (const method of ['listArticles', 'getFacets'] as const) {
      expect(validateArgs(method, [{ query: '市场', tags: ['经济', 'MeToo'], tagMode: 'any', year: 2020 }])).toHaveLength(1);
      expect(validateArgs(method, [{ tags: [], tagMode: 'all' }])).toHaveLength(1);
    }
  });

  it.each([
    [[{ tags: 'one tag' }]],
    [[{ tags: [1] }]],
    [[{ tags: Array.from({ length: 65 }, (_, i) => `t${i}`) }]],
    [[{ tagMode: 'xor' }]],
    [[null]],
    [[{ tag: 'x', evil: true }]],
  ])('refuses getFacets(%j)', (args) => {
    expect(() => validateArgs('getFacets', args)).toThrow(InvalidArgumentsError);
  });
});
