// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { FilterChips } from '../../src-renderer/components/filter-chips';
import { NavPane } from '../../src-renderer/components/nav-pane';
import { asReaderView, viewOf } from '../../src-renderer/store/navigation-slice';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore, settle } from './test-utils';

afterEach(cleanup);

/** The counts a tree row shows ("2", or "1 / 2" once the list is narrowed), or null when the row is not shown. */
function countOf(tree: string, name: string): string | null {
  const row = within(screen.getByRole('tree', { name: tree })).queryByRole('treeitem', { name });
  return row ? (row.querySelector(':scope > .tree-row .tree-count')?.textContent ?? '') : null;
}

const lastList = (api: FakeApi): ListQuery | undefined => api.callsTo('listArticles').at(-1)?.[0] as ListQuery | undefined;

describe('trees count the current result (issue 11 item 9)', () => {
  test('choosing a tag makes a year count only that tag; tags are chips combined with AND or OR; history carries them', async () => {
    const api = new FakeApi();
    const store = makeStore(api, { debounceMs: 0 });
    renderWithStore(
      <>
        <FilterChips />
        <NavPane />
      </>,
      store,
    );
    await store.getState().init();
    await settle();
    // The whole archive: the trees' own counts, one number each.
    expect(countOf('Dates', '2020')).toBe('2');
    expect(countOf('Categories', 'Politics')).toBe('2');
    expect(api.callsTo('getFacets')).toHaveLength(0);

    fireEvent.click(within(screen.getByRole('tree', { name: 'Tags' })).getByRole('treeitem', { name: 'trade' }).querySelector('.tree-row')!);
    await settle();
    expect(lastList(api)).toMatchObject({ tag: 'trade' });
    // 2020 drops to the result's 1 of its 2; years and categories the result does not reach are gone.
    expect(countOf('Dates', '2020')).toBe('1 / 2');
    expect(countOf('Dates', '2019')).toBeNull();
    expect(countOf('Categories', 'Politics')).toBeNull();
    expect(countOf('Categories', 'world')).toBe('1 / 1');
    expect(countOf('Tags', 'agriculture')).toBe('1 / 1');
    expect(countOf('Tags', 'trade')).toBe('1 / 1');
    expect(screen.getByRole('treeitem', { name: 'trade' }).getAttribute('aria-description')).toBe('1 of 1 posts');

    // A second tag: two chips, AND first, then OR.
    fireEvent.click(screen.getByRole('treeitem', { name: 'agriculture' }).querySelector('.tree-row')!);
    await settle();
    const chips = within(screen.getByRole('list', { name: 'Active filters' }));
    expect(chips.getByText('Tag: trade')).toBeTruthy();
    expect(chips.getByText('Tag: agriculture')).toBeTruthy();
    expect(lastList(api)).toMatchObject({ tags: ['trade', 'agriculture'] });
    expect(lastList(api)?.tagMode).toBeUndefined();
    expect(store.getState().total).toBe(1);
    fireEvent.click(screen.getByRole('button', { name: 'Any tag' }));
    await settle();
    expect(lastList(api)).toMatchObject({ tags: ['trade', 'agriculture'], tagMode: 'any' });

    // The back/forward entry holds both tags and the mode.
    const view = asReaderView(JSON.parse(JSON.stringify(viewOf(store.getState()))));
    expect(view).toMatchObject({ tag: 'trade', moreTags: ['agriculture'], tagMode: 'any' });
    store.getState().clearFilters();
    await settle();
    expect(countOf('Dates', '2020')).toBe('2');
    store.getState().restoreView(view!);
    await settle();
    expect(lastList(api)).toMatchObject({ tags: ['trade', 'agriculture'], tagMode: 'any' });

    // Removing a chip removes that tag only; the chosen tag's row stays visible even at 0.
    fireEvent.click(screen.getByRole('button', { name: 'Remove filter Tag: trade' }));
    await settle();
    expect(lastList(api)).toMatchObject({ tag: 'agriculture' });
    store.getState().setQuery('nothing-matches-this');
    await settle(20);
    expect(store.getState().total).toBe(0);
    expect(countOf('Tags', 'agriculture')).toBe('0 / 1');
    expect(countOf('Tags', 'trade')).toBeNull();
  });
});
