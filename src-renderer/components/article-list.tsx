/**
 * The article list: a listbox that keeps focus itself (aria-activedescendant) and renders only the rows in view,
 * so a result of 100,000 posts scrolls like one of ten. It spans the whole result (the scrollbar is the result's
 * length): the pages under the rows in view are fetched wherever the reader scrolls, drags or jumps, with
 * placeholder rows until they come. Moving the selection opens its article (one current article, as in Mail).
 */
import { useCallback, useEffect, useId, useRef, type KeyboardEvent, type Ref } from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useApp, useAppStore } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { ArticleRow, PlaceholderRow } from './article-row';

export const ROW_HEIGHT = 96;

export function ArticleList({ listRef }: { listRef?: Ref<HTMLDivElement> }) {
  const { t, locale } = useI18n();
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

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const handled = (() => {
      switch (event.key) {
        case 'ArrowDown':
        case 'j':
          moveSelection(1);
          return true;
        case 'ArrowUp':
        case 'k':
          moveSelection(-1);
          return true;
        case 'PageDown':
          moveSelection(pageRows());
          return true;
        case 'PageUp':
          moveSelection(-pageRows());
          return true;
        case 'Home':
          selectIndex(0);
          return true;
        case 'End':
          selectIndex(total - 1);
          return true;
        case 'Enter':
        case ' ':
          void openSelected();
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
              onPick={openIndex}
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
