// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { BatchDialog } from '../../src-renderer/components/batch-dialog';
import { BATCH_CHUNK } from '../../src-renderer/store/coverage-slice';
import { FakeApi } from './fake-api';
import { makeStore, renderWithStore, settle } from './test-utils';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function setUp(api = new FakeApi()) {
  const store = makeStore(api, { debounceMs: 0 });
  renderWithStore(<BatchDialog />, store);
  await store.getState().init();
  store.getState().openBatch();
  await settle();
  return { api, store, dialog: () => screen.getByRole('dialog', { name: 'Batch search' }) };
}

describe('batch search dialog (issue 14)', () => {
  test('runs each line, shows hits, first and last date; a row searches its line; CSV as the export writes it', async () => {
    const { api, store, dialog } = await setUp();
    fireEvent.change(within(dialog()).getByRole('textbox'), { target: { value: 'trade\n\n  fireworks  \nzzqx\n' } });
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Run' }));
    await settle(10);
    const rows = within(dialog()).getAllByRole('row').slice(1);
    expect(rows.map((r) => [...r.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent))).toEqual([
      ['trade', String((await api.listArticles({ query: 'trade' })).total), '2020-01-15', '2020-01-15'],
      ['fireworks', '1', '2020-12-31', '2020-12-31'],
      ['zzqx', '0', '—', '—'],
    ]);
    expect(api.callsTo('batchSearch')).toEqual([[['trade', 'fireworks', 'zzqx']]]);
    // Sparklines from the timeline by year, for the lines with hits.
    expect(api.callsTo('getTimeline')).toEqual([[{ query: 'trade' }, 'year'], [{ query: 'fireworks' }, 'year']]);
    expect(rows[0]!.querySelector('svg.batch-spark rect')).not.toBeNull();

    let csv = '';
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      void (blob as Blob).text().then((t) => (csv = t));
      return 'blob:test';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Export CSV' }));
    await settle();
    expect(clicked).toHaveBeenCalledTimes(1);
    expect(csv).toBe('\uFEFFterm,total,first,last\r\ntrade,1,2020-01-15,2020-01-15\r\nfireworks,1,2020-12-31T23:30:00-05:00,2020-12-31T23:30:00-05:00\r\nzzqx,0,,\r\n');

    fireEvent.click(within(dialog()).getByRole('button', { name: 'Search for fireworks' }));
    await settle();
    expect(store.getState().query).toBe('fireworks');
    expect(store.getState().batchOpen).toBe(false);
    expect(store.getState().total).toBe(1);
  });

  test(`a long list goes ${BATCH_CHUNK} lines a call with progress; Cancel stops between calls`, async () => {
    const api = new FakeApi();
    const { store, dialog } = await setUp(api);
    const held = api.holdCalls();
    const terms = Array.from({ length: BATCH_CHUNK * 2 + 5 }, (_, i) => `zz${i}`);
    store.getState().setBatchText(terms.join('\n'));
    await settle();
    void store.getState().runBatch();
    await settle();
    expect(held.map((h) => h.method)).toEqual(['batchSearch']);
    expect((held[0]!.args[0] as string[])).toHaveLength(BATCH_CHUNK);
    held.shift()!.release();
    await settle();
    expect(within(dialog()).getByRole('status').textContent).toBe(`${BATCH_CHUNK} of ${terms.length} searched`);
    expect(held.map((h) => h.method)).toEqual(['batchSearch']);
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Cancel' }));
    held.shift()!.release();
    await settle();
    expect(held).toHaveLength(0);
    expect(store.getState().batchRows).toHaveLength(BATCH_CHUNK);
    expect(within(dialog()).getByRole('status').textContent).toBe(`Cancelled after ${BATCH_CHUNK} of ${terms.length}`);
  });
});
