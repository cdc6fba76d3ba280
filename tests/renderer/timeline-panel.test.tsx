// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { TimelinePanel } from '../../src-renderer/components/timeline-panel';
import { periodEnd, periodStart, withPeriods, withoutDates } from '../../src-renderer/components/timeline-periods';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore, settle } from './test-utils';

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
    expect(screen.getByText(`Undated: ${timeline.undated}`)).toBeTruthy();
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
