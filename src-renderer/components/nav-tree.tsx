/**
 * A single-select tree following the WAI-ARIA tree pattern: one tab stop (roving tabindex), ↑/↓ between visible
 * rows, → opens or enters a branch, ← closes or goes to the parent, Home/End, `*` opens all siblings, typing a
 * letter jumps to the next label starting with it, Enter/Space select (selecting the selected row again clears it).
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { ancestorIds, findByPrefix, visibleNodes, type TreeNode, type VisibleNode } from './nav-tree-model';

export interface NavTreeProps {
  label: string;
  nodes: TreeNode[];
  selectedId: string | null;
  /** Several selected rows (the tags): activating one of them passes it to onSelect, to be taken away. */
  selectedIds?: readonly string[];
  /** `null`: the reader cleared the selection. */
  onSelect(node: TreeNode | null): void;
  /** Accessible description of a row's count, e.g. "12 posts". */
  describeCount?: (count: number, of?: number) => string;
  /** Ids open at first render. */
  defaultExpanded?: string[];
}

export function NavTree({ label, nodes, selectedId, selectedIds, onSelect, describeCount, defaultExpanded }: NavTreeProps) {
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(defaultExpanded));
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const items = useRef(new Map<string, HTMLLIElement>());
  const moveFocus = useRef(false);

  // A selection made elsewhere (a chip in the article) must be visible: open its ancestors.
  useEffect(() => {
    if (!selectedId) return;
    const above = ancestorIds(nodes, selectedId);
    if (above.length === 0) return;
    setExpanded((prev) => (above.every((id) => prev.has(id)) ? prev : new Set([...prev, ...above])));
  }, [nodes, selectedId]);

  const rows = useMemo(() => visibleNodes(nodes, expanded), [nodes, expanded]);
  const indexOf = (id: string | null): number => (id === null ? -1 : rows.findIndex((r) => r.node.id === id));
  // The one row in the tab order: the focused one, else the selected one, else the first.
  const tabStopIndex = Math.max(0, indexOf(focusedId) >= 0 ? indexOf(focusedId) : indexOf(selectedId));
  const tabStopId = rows[tabStopIndex]?.node.id ?? null;

  useEffect(() => {
    if (!moveFocus.current || !focusedId) return;
    moveFocus.current = false;
    items.current.get(focusedId)?.focus();
  }, [focusedId, rows]);

  const focusRow = (row: VisibleNode | undefined): void => {
    if (!row) return;
    moveFocus.current = true;
    setFocusedId(row.node.id);
  };

  const toggle = (id: string, open?: boolean): void => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (open ?? !next.has(id)) next.add(id);
      else next.delete(id);
      return next;
    });
  };

  const activate = (node: TreeNode): void => onSelect(node.id === selectedId ? null : node);

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    // The row that has focus is where the key was pressed, even if React has not yet seen its focus event.
    const target = (event.target as Element).closest('[role="treeitem"]');
    let index = tabStopIndex;
    for (const [id, el] of items.current) {
      if (el === target) index = indexOf(id);
    }
    const row = rows[index];
    if (!row) return;
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        focusRow(rows[index + 1]);
        break;
      case 'ArrowUp':
        focusRow(rows[index - 1]);
        break;
      case 'Home':
        focusRow(rows[0]);
        break;
      case 'End':
        focusRow(rows[rows.length - 1]);
        break;
      case 'ArrowRight':
        if (row.hasChildren && !expanded.has(row.node.id)) toggle(row.node.id, true);
        else if (row.hasChildren) focusRow(rows[index + 1]);
        break;
      case 'ArrowLeft':
        if (row.hasChildren && expanded.has(row.node.id)) toggle(row.node.id, false);
        else if (row.parentId !== null) focusRow(rows[indexOf(row.parentId)]);
        break;
      case 'Enter':
      case ' ':
        activate(row.node);
        break;
      case '*': {
        const siblings = rows.filter((r) => r.parentId === row.parentId && r.hasChildren).map((r) => r.node.id);
        setExpanded((prev) => new Set([...prev, ...siblings]));
        break;
      }
      default: {
        // Type-ahead; a character no label starts with (such as `/`) is left to the app's shortcuts.
        const found = event.key.length === 1 && event.key.trim() ? findByPrefix(rows, index, event.key) : -1;
        if (found >= 0) focusRow(rows[found]);
        else handled = false;
      }
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  const renderLevel = (list: TreeNode[], level: number) =>
    list.map((node, i) => {
      const hasChildren = (node.children?.length ?? 0) > 0;
      const open = hasChildren && expanded.has(node.id);
      const selected = node.id === selectedId || (selectedIds?.includes(node.id) ?? false);
      return (
        <li
          key={node.id}
          role="treeitem"
          aria-label={node.label}
          aria-description={node.count !== undefined && describeCount ? describeCount(node.count, node.of) : undefined}
          aria-level={level}
          aria-setsize={list.length}
          aria-posinset={i + 1}
          aria-selected={selected}
          aria-expanded={hasChildren ? open : undefined}
          tabIndex={node.id === tabStopId ? 0 : -1}
          className="tree-item"
          ref={(el) => {
            if (el) items.current.set(node.id, el);
            else items.current.delete(node.id);
          }}
          onFocus={(event) => {
            if (event.target === event.currentTarget) setFocusedId(node.id);
          }}
        >
          <div
            className="tree-row"
            data-selected={selected || undefined}
            style={{ paddingInlineStart: `calc(${level - 1} * var(--tree-indent) + 4px)` }}
            onClick={() => {
              focusRow(rows[indexOf(node.id)]);
              activate(node);
            }}
          >
            <span
              className="tree-toggle"
              aria-hidden="true"
              data-open={hasChildren ? open : undefined}
              onClick={(event) => {
                if (!hasChildren) return;
                event.stopPropagation();
                toggle(node.id);
              }}
            />
            <span className="tree-label" title={node.label}>
              {node.label}
            </span>
            {node.count !== undefined && (
              <span className="tree-count" aria-hidden="true" data-filtered={node.of !== undefined || undefined}>
                {node.count}
                {node.of !== undefined && <span className="tree-count-of"> / {node.of}</span>}
              </span>
            )}
          </div>
          {open && (
            <ul role="group" className="tree-group">
              {renderLevel(node.children ?? [], level + 1)}
            </ul>
          )}
        </li>
      );
    });

  return (
    <ul role="tree" aria-label={label} className="nav-tree" onKeyDown={onKeyDown}>
      {renderLevel(nodes, 1)}
    </ul>
  );
}
