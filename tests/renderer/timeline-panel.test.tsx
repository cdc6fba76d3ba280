// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { createRef } from 'react';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { ListPane } from '../../src-renderer/components/list-pane';
import { timelineOpenByDefault } from '../../src-renderer/components/timeline-open';
import { TimelinePanel } from '../../src-renderer/components/timeline-panel';
import { SETTINGS_KEY } from '../../src-renderer/store/app-store';
import { periodEnd, periodStart, withPeriods, withoutDates } from '../../src-renderer/components/timeline-periods';
import { FakeApi } from './fake-api';
import { makeStore, memoryStorage, renderWithStore, settle } from './test-utils';

afterEach(cleanup);

const lastList = (api: FakeApi): ListQuery | undefined => api.callsTo('listArticles').at(-1)?.[0] as ListQuery | undefined;

async function setUp() {
  const api = new FakeApi();
  const store = makeStore(api, { debounceMs: 0 });
  renderWithStore(<TimelinePanel />, store);
  await store.getState().init();
  await settle();
  fireEvent.change(screen.getByRole('combobox', { name: 'Bar size' }), { target: { value: 'year' } });
  await settle();
  const chart = () => screen.getByRole('group', { name: /^Posts over time/ });
  const bars = () => within(chart()).getAllByRole('button');
  return { api, store, chart, bars };
}

describe('timeline periods as dates', () => {
  test('a period is an after:/before: pair; the query keeps its words', () => {
    expect([periodStart('2020'), periodEnd('2020')]).toEqual(['2020', '2021']);
    expect([periodStart('2020-12'), periodEnd('2020-12')]).toEqual(['2020-12', '2021-01']);
    expect([periodStart('2020-02-28'), periodEnd('2020-02-29')]).toEqual(['2020-02-28', '2020-03-01']);
    expect([periodStart('2020-W53'), periodEnd('2020-W53')]).toEqual(['2020-12-28', '2021-01-04']);
    expect([periodStart('2020-W01'), periodEnd('2020-W04')]).toEqual(['2019-12-30', '2020-01-27']);
    expect(withPeriods('市场 after:2001 -股票 before:2002-03', '2021', '2019')).toBe('市场 -股票 after:2019 before:2022');
    expect(withoutDates('after:2019 before:2022 "a b"')).toBe('"a b"');
  });
});

describe('the timeline above the list (issue 14)', () => {
  test('bars name their period and count; the undated are counted beside', async () => {
    const { api, bars } = await setUp();
    const timeline = await api.getTimeline({}, 'year');
    expect(bars().map((b) => b.getAttribute('aria-label'))).toEqual(timeline.buckets.map((b) => `${b.period}: ${b.count} ${b.count === 1 ? 'post' : 'posts'}`));
    expect(bars()[0]!.querySelector('title')?.textContent).toBe(bars()[0]!.getAttribute('aria-label'));
    expect(screen.getByText(`${timeline.undated} undated`).getAttribute('title')).toBe(`${timeline.undated} ${timeline.undated === 1 ? 'post' : 'posts'} without a date (not in the chart)`);
    expect(timeline.undated).toBeGreaterThan(0);
    // One tab stop: the newest bar.
    expect(bars().filter((b) => b.getAttribute('tabindex') === '0').map((b) => b.getAttribute('data-period'))).toEqual(['2024']);
  });

  test('arrows move along the bars; Enter narrows the list to the bar; the chip removes it', async () => {
    const { api, store, chart, bars } = await setUp();
    bars().at(-1)!.focus();
    fireEvent.keyDown(chart(), { key: 'ArrowLeft' });
    expect(document.activeElement?.getAttribute('data-period')).toBe('2023');
    fireEvent.keyDown(chart(), { key: 'Home' });
    expect(document.activeElement?.getAttribute('data-period')).toBe('2017');
    fireEvent.keyDown(chart(), { key: 'End' });
    fireEvent.keyDown(chart(), { key: 'ArrowLeft' });
    fireEvent.keyDown(chart(), { key: 'Enter' });
    await settle();
    expect(store.getState().query).toBe('after:2023 before:2024');
    expect(lastList(api)?.query).toBe('after:2023 before:2024');
    expect(store.getState().total).toBe(1);
    const chip = screen.getByText('Dates: 2023 – 2024');
    expect(chip).toBeTruthy();
    // The timeline follows the narrowed result.
    expect(bars().map((b) => b.getAttribute('data-period'))).toEqual(['2023']);
    fireEvent.click(screen.getByRole('button', { name: 'Remove the date range' }));
    await settle();
    expect(store.getState().query).toBe('');
    expect(screen.queryByText(/^Dates:/)).toBeNull();
  });

  test('Shift+arrows then Enter, or a drag across bars, choose a range; a click one bar', async () => {
    const { store, chart, bars } = await setUp();
    bars().at(-1)!.focus();
    fireEvent.keyDown(chart(), { key: 'ArrowLeft', shiftKey: true });
    fireEvent.keyDown(chart(), { key: 'ArrowLeft', shiftKey: true });
    expect(bars().filter((b) => b.classList.contains('in-range')).map((b) => b.getAttribute('data-period'))).toEqual(['2022', '2023', '2024']);
    fireEvent.keyDown(chart(), { key: 'Enter' });
    await settle();
    expect(store.getState().query).toBe('after:2022 before:2025');

    store.getState().clearDateRange();
    await settle();
    const byPeriod = (p: string) => bars().find((b) => b.getAttribute('data-period') === p)!;
    fireEvent.mouseDown(byPeriod('2019'));
    fireEvent.mouseEnter(byPeriod('2020'));
    fireEvent.mouseEnter(byPeriod('2021'));
    fireEvent.mouseUp(window);
    await settle();
    expect(store.getState().query).toBe('after:2019 before:2022');
    expect(store.getState().total).toBe(4);

    store.getState().setQuery('fireworks');
    await settle(10);
    fireEvent.mouseDown(bars()[0]!);
    fireEvent.mouseUp(window);
    await settle();
    expect(store.getState().query).toBe('fireworks after:2020 before:2021');
  });

  test('the table is the text alternative; collapsing hides the chart', async () => {
    const { store } = await setUp();
    fireEvent.click(screen.getByRole('button', { name: 'Table' }));
    const rows = within(screen.getByRole('table')).getAllByRole('row');
    expect(rows.length).toBeGreaterThan(2);
    fireEvent.click(screen.getByRole('button', { name: 'Show 2021 only' }));
    await settle();
    expect(store.getState().query).toBe('after:2021 before:2022');
    fireEvent.click(screen.getByRole('button', { name: /Timeline/ }));
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByRole('button', { name: /Timeline/ }).getAttribute('aria-expanded')).toBe('false');
  });
});

describe('the timeline folds in a small window and keeps the reader\'s choice (issue 11)', () => {
  const resize = (width: number, height: number) => {
    act(() => {
      (window as unknown as { happyDOM: { setViewport(v: { width: number; height: number }): void } }).happyDOM.setViewport({ width, height });
      window.dispatchEvent(new Event('resize'));
    });
  };
  const toggle = () => screen.getByRole('button', { name: /Timeline/ });
  afterEach(() => resize(1024, 768));

  async function mount(storage = memoryStorage()) {
    const api = new FakeApi();
    const store = makeStore(api, { debounceMs: 0, storage });
    const view = renderWithStore(<TimelinePanel />, store);
    await store.getState().init();
    await settle();
    return { api, store, storage, view };
  }

  test('by default: open from 1000×760 up, folded when shorter or narrower, following the window until chosen', async () => {
    expect([timelineOpenByDefault(1400, 900), timelineOpenByDefault(1000, 760)]).toEqual([true, true]);
    expect([timelineOpenByDefault(900, 700), timelineOpenByDefault(1400, 700), timelineOpenByDefault(999, 900)]).toEqual([false, false, false]);
    resize(900, 700);
    const { api } = await mount();
    expect(toggle().getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('group', { name: /^Posts over time/ })).toBeNull();
    expect(screen.queryByRole('combobox', { name: 'Bar size' })).toBeNull();
    // A folded timeline asks nothing of the index.
    expect(api.callsTo('getTimeline')).toEqual([]);
    resize(1400, 900);
    await settle();
    expect(toggle().getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('group', { name: /^Posts over time/ })).toBeTruthy();
    resize(1400, 700);
    expect(toggle().getAttribute('aria-expanded')).toBe('false');
  });

  test('opening it in a small window, or folding it in a large one, is remembered across sessions and resizes', async () => {
    resize(900, 700);
    const first = await mount();
    fireEvent.click(toggle());
    await settle();
    expect(toggle().getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('group', { name: /^Posts over time/ })).toBeTruthy();
    expect(JSON.parse(first.storage.getItem(SETTINGS_KEY)!).state.timelineOpen).toBe(true);
    first.view.unmount();

    // A new session in the same small window: still open.
    const second = await mount(first.storage);
    expect(second.store.getState().timelineOpen).toBe(true);
    expect(toggle().getAttribute('aria-expanded')).toBe('true');
    // Folded by the reader in a large window: stays folded, there and after a resize.
    resize(1400, 900);
    fireEvent.click(toggle());
    expect(toggle().getAttribute('aria-expanded')).toBe('false');
    resize(1600, 1000);
    expect(toggle().getAttribute('aria-expanded')).toBe('false');
    second.view.unmount();
    await mount(second.storage);
    expect(toggle().getAttribute('aria-expanded')).toBe('false');
  });

  test('a stored value that is not a boolean is ignored', async () => {
    const storage = memoryStorage();
    storage.setItem(SETTINGS_KEY, JSON.stringify({ state: { timelineOpen: 'yes' }, version: 1 }));
    resize(900, 700);
    const { store } = await mount(storage);
    expect(store.getState().timelineOpen).toBeNull();
    expect(toggle().getAttribute('aria-expanded')).toBe('false');
  });
});

describe('Batch search… beside the search field', () => {
  test('the list pane shows it outside the timeline, reachable by Tab from the search field, and it opens the dialog', async () => {
    const api = new FakeApi();
    const store = makeStore(api, { debounceMs: 0 });
    renderWithStore(<ListPane searchRef={createRef()} listRef={createRef()} onSearchDown={() => undefined} />, store);
    await store.getState().init();
    await settle();
    const button = screen.getByRole('button', { name: 'Batch search…' });
    expect(button.closest('.timeline')).toBeNull();
    // Next in the tab order after the search field (and its clear button, when shown).
    const focusables = [...document.querySelectorAll<HTMLElement>('input, button, select')].filter((el) => !el.hidden && el.tabIndex >= 0);
    const search = screen.getByRole('searchbox');
    expect(focusables.indexOf(button)).toBeGreaterThan(focusables.indexOf(search));
    expect(focusables.slice(focusables.indexOf(search) + 1, focusables.indexOf(button)).every((el) => el.closest('.search-field'))).toBe(true);
    fireEvent.click(button);
    await settle();
    expect(screen.getByRole('dialog', { name: 'Batch search' })).toBeTruthy();
  });
});
