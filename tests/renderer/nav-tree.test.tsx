// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { NavTree } from '../../src-renderer/components/nav-tree';
import type { TreeNode } from '../../src-renderer/components/nav-tree-model';

afterEach(cleanup);

const NODES: TreeNode[] = [
  {
    id: 'politics',
    label: 'Politics',
    count: 3,
    children: [
      { id: 'local', label: 'Local', count: 1 },
      { id: 'national', label: 'National', count: 1 },
    ],
  },
  { id: 'world', label: 'world', count: 2, children: [{ id: 'asia', label: 'asia', count: 2, children: [{ id: 'economy', label: 'economy', count: 2 }] }] },
  { id: 'sports', label: 'Sports', count: 4 },
];

function Harness({ onSelect, initial = null }: { onSelect?: (id: string | null) => void; initial?: string | null }) {
  const [selected, setSelected] = useState<string | null>(initial);
  return (
    <NavTree
      label="Categories"
      nodes={NODES}
      selectedId={selected}
      describeCount={(n) => `${n} posts`}
      onSelect={(node) => {
        setSelected(node?.id ?? null);
        onSelect?.(node?.id ?? null);
      }}
    />
  );
}

const item = (name: string): HTMLElement => screen.getByRole('treeitem', { name });
const key = (k: string): void => {
  fireEvent.keyDown(document.activeElement ?? document.body, { key: k });
};

describe('NavTree', () => {
  test('exposes a named tree with levels, positions and one tab stop', () => {
    render(<Harness />);
    const tree = screen.getByRole('tree', { name: 'Categories' });
    const top = within(tree).getAllByRole('treeitem');
    expect(top.map((t) => t.getAttribute('aria-label'))).toEqual(['Politics', 'world', 'Sports']);
    expect(item('Politics').getAttribute('aria-expanded')).toBe('false');
    expect(item('Sports').hasAttribute('aria-expanded')).toBe(false);
    expect(item('Sports').getAttribute('aria-level')).toBe('1');
    expect(item('Sports').getAttribute('aria-posinset')).toBe('3');
    expect(item('Sports').getAttribute('aria-setsize')).toBe('3');
    expect(item('Sports').getAttribute('aria-selected')).toBe('false');
    expect(item('Sports').getAttribute('aria-description')).toBe('4 posts');
    expect(top.map((t) => t.tabIndex)).toEqual([0, -1, -1]);
  });

  test('arrow keys walk the visible rows, open and close branches, go to parents', () => {
    render(<Harness />);
    item('Politics').focus();
    key('ArrowDown');
    expect(document.activeElement).toBe(item('world'));
    key('ArrowRight');
    expect(item('world').getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(item('world'));
    key('ArrowRight');
    expect(document.activeElement).toBe(item('asia'));
    expect(item('asia').getAttribute('aria-level')).toBe('2');
    key('ArrowRight');
    key('ArrowRight');
    expect(document.activeElement).toBe(item('economy'));
    expect(item('economy').getAttribute('aria-level')).toBe('3');
    key('ArrowLeft');
    expect(document.activeElement).toBe(item('asia'));
    key('ArrowLeft');
    expect(item('asia').getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('treeitem', { name: 'economy' })).toBeNull();
    key('End');
    expect(document.activeElement).toBe(item('Sports'));
    key('ArrowUp');
    expect(document.activeElement).toBe(item('asia'));
    key('Home');
    expect(document.activeElement).toBe(item('Politics'));
    // The focused row is the only one in the tab order.
    expect(screen.getAllByRole('treeitem').filter((t) => t.tabIndex === 0)).toEqual([item('Politics')]);
  });

  test('Enter and Space select; selecting the selected row again clears it', () => {
    const onSelect = vi.fn();
    render(<Harness onSelect={onSelect} />);
    item('Sports').focus();
    key('Enter');
    expect(onSelect).toHaveBeenLastCalledWith('sports');
    expect(item('Sports').getAttribute('aria-selected')).toBe('true');
    key(' ');
    expect(onSelect).toHaveBeenLastCalledWith(null);
    expect(item('Sports').getAttribute('aria-selected')).toBe('false');
  });

  test('a click selects; the toggle only opens', () => {
    const onSelect = vi.fn();
    const { container } = render(<Harness onSelect={onSelect} />);
    const toggle = container.querySelector('.tree-toggle');
    if (!toggle) throw new Error('no toggle');
    fireEvent.click(toggle);
    expect(item('Politics').getAttribute('aria-expanded')).toBe('true');
    expect(onSelect).not.toHaveBeenCalled();
    fireEvent.click(within(item('Local')).getByText('Local'));
    expect(onSelect).toHaveBeenCalledWith('local');
  });

  test('typing a letter jumps to the next label that starts with it; * opens all siblings', () => {
    render(<Harness />);
    item('Politics').focus();
    key('s');
    expect(document.activeElement).toBe(item('Sports'));
    key('*');
    expect(item('Politics').getAttribute('aria-expanded')).toBe('true');
    expect(item('world').getAttribute('aria-expanded')).toBe('true');
  });

  test('a selection made elsewhere opens its ancestors', () => {
    render(<Harness initial="economy" />);
    expect(item('economy').getAttribute('aria-selected')).toBe('true');
    expect(item('economy').tabIndex).toBe(0);
    expect(item('world').getAttribute('aria-expanded')).toBe('true');
  });
});
