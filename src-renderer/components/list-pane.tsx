import type { Ref } from 'react';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { ArticleList } from './article-list';
import { BatchButton } from './batch-button';
import { BatchDialog } from './batch-dialog';
import { EmptyState, IndexingNotice } from './empty-state';
import { FilterChips } from './filter-chips';
import { ListHeader } from './list-header';
import { SearchField } from './search-field';
import { TimelinePanel } from './timeline-panel';

export interface ListPaneProps {
  searchRef: Ref<HTMLInputElement>;
  listRef: Ref<HTMLDivElement>;
  onSearchDown(): void;
}

/**
 * The middle pane: search field and Batch search…, match count and sort, active filters, the timeline, then the
 * list (or why it is empty).
 */
export function ListPane({ searchRef, listRef, onSearchDown }: ListPaneProps) {
  const { t } = useI18n();
  const status = useApp((s) => s.listStatus);
  const error = useApp((s) => s.listError);
  const count = useApp((s) => s.results.length);
  const runSearch = useApp((s) => s.runSearch);

  let body;
  if (status === 'error' && count === 0) {
    body = (
      <div className="empty-state" role="alert">
        <p>{t.listFailed(error ?? '')}</p>
        <button type="button" className="button" onClick={() => void runSearch()}>
          {t.retry}
        </button>
      </div>
    );
  } else if (count === 0 && status === 'ready') {
    body = <EmptyState />;
  } else if (count === 0) {
    body = <p className="empty-state">{t.loading}</p>;
  } else {
    body = <ArticleList listRef={listRef} />;
  }

  return (
    <section className="list-pane" aria-label={t.articleList}>
      <div className="search-row">
        <SearchField inputRef={searchRef} onLeaveDown={onSearchDown} />
        <BatchButton />
      </div>
      <ListHeader />
      <FilterChips />
      <TimelinePanel />
      <IndexingNotice />
      {body}
      <BatchDialog />
    </section>
  );
}
