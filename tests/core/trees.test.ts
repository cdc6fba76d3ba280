import { describe, expect, it } from 'vitest';
import { buildCategoryTree, buildDateTree, sortTags } from '../../src-main/core/trees';

describe('buildCategoryTree', () => {
  it('counts posts filed exactly at a node and totals the subtree', () => {
    const tree = buildCategoryTree([
      { path: ['Politics', 'Local'], count: 3 },
      { path: ['Politics'], count: 1 },
      { path: ['Politics', 'World', 'Asia'], count: 2 },
      { path: ['商业', '电商'], count: 1 },
    ]);
    expect(tree).toEqual([
      {
        name: 'Politics', path: ['Politics'], count: 1, total: 6,
        children: [
          { name: 'Local', path: ['Politics', 'Local'], count: 3, total: 3, children: [] },
          {
            name: 'World', path: ['Politics', 'World'], count: 0, total: 2,
            children: [{ name: 'Asia', path: ['Politics', 'World', 'Asia'], count: 2, total: 2, children: [] }],
          },
        ],
      },
      {
        name: '商业', path: ['商业'], count: 0, total: 1,
        children: [{ name: '电商', path: ['商业', '电商'], count: 1, total: 1, children: [] }],
      },
    ]);
  });

  it('sorts siblings by total (desc), then by name', () => {
    const tree = buildCategoryTree([
      { path: ['b'], count: 1 }, { path: ['a'], count: 1 }, { path: ['c'], count: 5 }, { path: ['a', 'x'], count: 1 },
    ]);
    expect(tree.map((n) => [n.name, n.total])).toEqual([['c', 5], ['a', 2], ['b', 1]]);
  });

  it('adds up repeated paths and puts uncategorised posts in a last node with an empty path (issue 11, item 8)', () => {
    const tree = buildCategoryTree([{ path: ['a'], count: 1 }, { path: ['a'], count: 2 }, { path: [], count: 9 }]);
    expect(tree).toEqual([
      { name: 'a', path: ['a'], count: 3, total: 3, children: [] },
      { name: '', path: [], count: 9, total: 9, children: [] },
    ]);
    // From the archive's total, when the rows hold categorised posts only; none left over, no node.
    expect(buildCategoryTree([{ path: ['a', 'b'], count: 2 }, { path: ['c'], count: 1 }], 10).at(-1)).toEqual({ name: '', path: [], count: 7, total: 7, children: [] });
    expect(buildCategoryTree([{ path: ['a'], count: 2 }], 2)).toHaveLength(1);
  });

  it('lists untagged posts last, as a tag named ""', () => {
    expect(sortTags([{ name: 'x', count: 1 }, { name: 'y', count: 5 }], 3)).toEqual([
      { name: 'y', count: 5 }, { name: 'x', count: 1 }, { name: '', count: 3 },
    ]);
    expect(sortTags([{ name: 'x', count: 1 }], 0)).toEqual([{ name: 'x', count: 1 }]);
  });

  it('keeps same-named categories under different parents apart', () => {
    const tree = buildCategoryTree([{ path: ['a', 'x'], count: 1 }, { path: ['b', 'x'], count: 2 }]);
    expect(tree.map((n) => n.children[0]!.path)).toEqual([['b', 'x'], ['a', 'x']]);
  });
});

describe('buildDateTree', () => {
  it('orders years newest first with Undated last, months newest first', () => {
    const tree = buildDateTree([
      { year: 2019, month: 3, count: 2 },
      { year: null, month: null, count: 4 },
      { year: 2020, month: 12, count: 1 },
      { year: 2019, month: 11, count: 1 },
      { year: 2020, month: 1, count: 5 },
    ]);
    expect(tree).toEqual([
      { year: 2020, count: 6, months: [{ month: 12, count: 1 }, { month: 1, count: 5 }] },
      { year: 2019, count: 3, months: [{ month: 11, count: 1 }, { month: 3, count: 2 }] },
      { year: null, count: 4, months: [] },
    ]);
  });

  it('counts a year without a month in the year only, and adds up repeated rows', () => {
    expect(buildDateTree([{ year: 2021, month: null, count: 2 }, { year: 2021, month: 5, count: 1 }, { year: 2021, month: 5, count: 1 }]))
      .toEqual([{ year: 2021, count: 4, months: [{ month: 5, count: 2 }] }]);
  });

  it('is empty for no rows', () => {
    expect(buildDateTree([])).toEqual([]);
  });
});

describe('sortTags', () => {
  it('sorts by count (desc), then name, merging duplicates', () => {
    expect(sortTags([
      { name: 'b', count: 2 }, { name: 'a', count: 2 }, { name: 'c', count: 3 }, { name: 'a', count: 1 }, { name: 'z', count: 0 },
    ])).toEqual([{ name: 'a', count: 3 }, { name: 'c', count: 3 }, { name: 'b', count: 2 }]);
  });
});
