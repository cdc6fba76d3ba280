import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { batchSearch } from '../../src-main/node/analysis/batch-search';
import { batchCsv, termsFromText } from '../../src-main/shared/batch';
import { sharedCorpus, tempDir } from '../helpers/temp';

/** Batch search (issue 14) against single searches over real SQLite. */
const finews = path.join(sharedCorpus, 'finews-sample');
const stores: IndexStore[] = [];
afterAll(() => stores.forEach((s) => s.close()));

function datesOf(store: IndexStore, query: string): string[] {
  const out: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = store.list({ query, offset, limit: 500, sort: 'date' });
    out.push(...page.items.flatMap((i) => (i.date ? [i.date] : [])));
    if (offset + 500 >= page.total) return out.sort();
  }
}

describe.skipIf(!fs.existsSync(finews))('batchSearch on ../shared/corpus/finews-sample', () => {
  it('each line answers as a single search: total, oldest and newest dated hit', async () => {
    const store = IndexStore.open(path.join(tempDir('backfile-batch-'), 'index.sqlite'));
    stores.push(store);
    await updateIndex(store, finews);
    const terms = ['', '市场', '"钢材价格"', '股票 OR 基金', '-市场', 'title:央行', 'after:2021-12-08 before:2022', '没有这个词zzqx', 'tag:东财滚动新闻'];
    const calls: ListQuery[] = [];
    const { terms: rows } = await batchSearch(terms, (q) => (calls.push(q), store.list(q)));
    expect(rows.map((r) => r.term)).toEqual(terms);
    let nonEmpty = 0;
    for (const row of rows) {
      expect(row.total, row.term).toBe(store.list({ query: row.term, limit: 1 }).total);
      const dates = datesOf(store, row.term);
      expect(row.first, row.term).toBe(dates[0] ?? null);
      expect(row.last, row.term).toBe(dates[dates.length - 1] ?? null);
      if (row.total > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(4);
    expect(rows.find((r) => r.term === '没有这个词zzqx')).toEqual({ term: '没有这个词zzqx', total: 0, first: null, last: null });
    // The undated post counts, but has no date to give.
    expect(rows[0]!.total).toBeGreaterThan(datesOf(store, '').length);
    expect(calls.every((q) => q.limit === 1)).toBe(true);
  });
});

describe('batch lists and CSV', () => {
  it('reads one term per line', () => {
    expect(termsFromText('\uFEFF央行\r\n\n  "city hall"  \r-股票 市场\n')).toEqual(['央行', '"city hall"', '-股票 市场']);
  });

  it('writes CSV with a BOM, a header, RFC 4180 quoting and the formula guard', () => {
    expect(batchCsv([
      { term: '"钢材价格"', total: 3, first: '2020-01-02', last: '2021-05-06T10:00:00+08:00' },
      { term: '-股票, 市场', total: 0, first: null, last: null },
    ])).toBe('\uFEFFterm,total,first,last\r\n"""钢材价格""",3,2020-01-02,2021-05-06T10:00:00+08:00\r\n"\'-股票, 市场",0,,\r\n');
  });
});
