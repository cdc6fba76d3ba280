/**
 * The article list: a listbox that keeps focus itself (aria-activedescendant) and renders only the rows in view,
 * so a result of 100,000 posts scrolls like one of ten. It spans the whole result (the scrollbar is the result's
 * length): the pages under the rows in view are fetched wherever the reader scrolls, drags or jumps, with
 * placeholder rows until they come. Moving the selection opens its article (one current article, as in Mail).
 *
 * Apart from the current row, rows can be checked for export (as in Mail or Thunderbird): Space checks the current
 * row, Ctrl/⌘-click one more, Shift-click or Shift+↑/↓ a range (rows not loaded yet included), Ctrl/⌘+A all.
 */
import { useCallback, useEffect, useId, useRef, type KeyboardEvent, type Ref } from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useApp, useAppStore } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { isRowChecked } from '../store/selection-slice';
import { ArticleRow, PlaceholderRow, type PickHow } from './article-row';
import { useCollapseMessages } from './collapse-messages';

export const ROW_HEIGHT = 96;

export function ArticleList({ listRef }: { listRef?: Ref<HTMLDivElement> }) {
  const { t, locale } = useI18n();
  const c = useCollapseMessages();
  const revealVersions = useApp((s) => s.revealVersions);
  const results = useApp((s) => s.results);
  const total = useApp((s) => s.total);
  const selectedIndex = useApp((s) => s.selectedIndex);
  const articlePath = useApp((s) => s.articlePath);
  const listStatus = useApp((s) => s.listStatus);
  const loadingMore = useApp((s) => s.loadingMore);
  const moreError = useApp((s) => s.moreError);
  const selectIndex = useApp((s) => s.selectIndex);
  const moveSelection = useApp((s) => s.moveSelection);
  const openSelected = useApp((s) => s.openSelected);
  const openIndex = useApp((s) => s.openIndex);
  const ensureRows = useApp((s) => s.ensureRows);
  const retryMore = useApp((s) => s.retryMore);
  const checked = useApp((s) => s.checked);
  const toggleChecked = useApp((s) => s.toggleChecked);
  const extendChecked = useApp((s) => s.extendChecked);
  const resetCheckAnchor = useApp((s) => s.resetCheckAnchor);
  const checkAll = useApp((s) => s.checkAll);
  const idPrefix = `article-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const store = useAppStore();

  // The selected row stays rendered even when scrolled out of view, so aria-activedescendant always points at it.
  const rangeExtractor = useCallback(
    (range: Range): number[] => {
      const indexes = defaultRangeExtractor(range);
      if (selectedIndex >= 0 && selectedIndex < range.count && !indexes.includes(selectedIndex)) {
        indexes.push(selectedIndex);
        indexes.sort((a, b) => a - b);
      }
      return indexes;
    },
    [selectedIndex],
  );

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => results[index]?.path ?? index,
    overscan: 10,
    rangeExtractor,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const firstRendered = items[0]?.index ?? 0;
  const lastRendered = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    if (lastRendered >= firstRendered) void ensureRows(firstRendered, lastRendered + 1);
  }, [firstRendered, lastRendered, results, ensureRows]);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  // A new result starts at its top (or at the current article's row), not where the last one was scrolled to.
  const resultSeq = useApp((s) => s.resultSeq);
  useEffect(() => {
    const selected = store.getState().selectedIndex;
    if (selected >= 0) virtualizer.scrollToIndex(selected, { align: 'auto' });
    else virtualizer.scrollToOffset(0);
  }, [resultSeq, virtualizer, store]);

  const pageRows = (): number => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 5) / ROW_HEIGHT) - 1);

  const onPick = useCallback(
    (index: number, how: PickHow): void => {
      if (how.range) extendChecked(index);
      else if (how.toggle) toggleChecked(index);
      else {
        resetCheckAnchor();
        void openIndex(index);
      }
    },
    [extendChecked, toggleChecked, resetCheckAnchor, openIndex],
  );

  const onVersions = useCallback(
    (index: number): void => {
      const path = store.getState().results[index]?.path;
      if (!path) return;
      resetCheckAnchor();
      revealVersions(path);
      void openIndex(index);
    },
    [store, resetCheckAnchor, revealVersions, openIndex],
  );

  const onCheck = useCallback(
    (index: number, how: PickHow): void => (how.range ? extendChecked(index) : toggleChecked(index)),
    [extendChecked, toggleChecked],
  );

  /** Moves the current row; with Shift, the rows passed are checked from where the run of Shift moves began. */
  function move(to: (from: number) => void, extend: boolean): void {
    const from = store.getState().selectedIndex;
    to(from);
    const now = store.getState().selectedIndex;
    if (extend) extendChecked(now, from < 0 ? now : from);
    else resetCheckAnchor();
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.altKey) return;
    if (event.ctrlKey || event.metaKey) {
      if (event.key.toLowerCase() === 'a' && !event.shiftKey) {
        event.preventDefault();
        event.stopPropagation();
        checkAll();
      }
      return;
    }
    const shift = event.shiftKey;
    const handled = (() => {
      switch (event.key) {
        case 'ArrowDown':
        case 'j':
        case 'J':
          move(() => moveSelection(1), shift);
          return true;
        case 'ArrowUp':
        case 'k':
        case 'K':
          move(() => moveSelection(-1), shift);
          return true;
        case 'PageDown':
          move(() => moveSelection(pageRows()), shift);
          return true;
        case 'PageUp':
          move(() => moveSelection(-pageRows()), shift);
          return true;
        case 'Home':
          move(() => selectIndex(0), shift);
          return true;
        case 'End':
          move(() => selectIndex(total - 1), shift);
          return true;
        case 'Enter':
          void openSelected();
          return true;
        case ' ':
          if (selectedIndex >= 0) toggleChecked(selectedIndex);
          else void openSelected();
          return true;
        default:
          return false;
      }
    })();
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  const activeId = selectedIndex >= 0 && selectedIndex < total ? `${idPrefix}-${selectedIndex}` : undefined;

  return (
    <div ref={scrollRef} className="article-list-scroller">
      <div
        ref={listRef}
        role="listbox"
        aria-label={t.articles}
        aria-activedescendant={activeId}
        aria-busy={listStatus === 'loading' || loadingMore}
        tabIndex={0}
        className="article-list"
        data-checking={checked.length > 0 || undefined}
        style={{ height: virtualizer.getTotalSize() }}
        onKeyDown={onKeyDown}
      >
        {items.map((item) => {
          const hit = results[item.index];
          if (!hit) {
            return (
              <PlaceholderRow
                key={item.key}
                index={item.index}
                total={total}
                selected={item.index === selectedIndex}
                start={item.start}
                height={item.size}
                idPrefix={idPrefix}
                label={t.loading}
                checked={isRowChecked(checked, item.index)}
              />
            );
          }
          return (
            <ArticleRow
              key={item.key}
              hit={hit}
              index={item.index}
              total={total}
              selected={item.index === selectedIndex}
              open={hit.path === articlePath}
              start={item.start}
              height={item.size}
              idPrefix={idPrefix}
              t={t}
              locale={locale}
              checked={isRowChecked(checked, item.index)}
              onPick={onPick}
              onCheck={onCheck}
              onVersions={onVersions}
              c={c}
            />
          );
        })}
      </div>
      {loadingMore && <div className="list-footer">{t.loadingMore}</div>}
      {moreError && (
        <div className="list-footer" role="alert">
          {t.listFailed(moreError)}{' '}
          <button type="button" className="link-button" onClick={() => void retryMore()}>
            {t.retry}
          </button>
        </div>
      )}
    </div>
  );
}
