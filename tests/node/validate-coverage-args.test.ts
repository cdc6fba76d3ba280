import { describe, expect, it } from 'vitest';
import { InvalidArgumentsError, validateArgs } from '../../src-main/node/validate-args';

describe('getTimeline and batchSearch at the IPC and HTTP boundary', () => {
  it('accepts a list query with or without a bar size, and up to 1,000 terms', () => {
    expect(validateArgs('getTimeline', [{ query: '市场', year: 2020 }])).toHaveLength(1);
    for (const by of ['day', 'week', 'month', 'year']) expect(validateArgs('getTimeline', [{}, by])).toHaveLength(2);
    expect(validateArgs('batchSearch', [Array.from({ length: 1000 }, (_, i) => `词${i}`)])).toHaveLength(1);
  });

  it.each([
    ['getTimeline', [{}, 'hour']],
    ['getTimeline', [{ evil: 1 }]],
    ['getTimeline', [{}, 'year', 'extra']],
    ['batchSearch', ['one string']],
    ['batchSearch', [[1]]],
    ['batchSearch', [Array.from({ length: 1001 }, () => 'x')]],
    ['batchSearch', [['a'.repeat(10_001)]]],
  ] as const)('refuses %s(%j)', (method, args) => {
    expect(() => validateArgs(method, args as unknown as unknown[])).toThrow(InvalidArgumentsError);
  });
});
