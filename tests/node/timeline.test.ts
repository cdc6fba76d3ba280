import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TIMELINE_UNITS, type ListQuery, type TimelineUnit } from '../../src-main/shared/archive-api';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { autoUnit, bucketDays, isoWeek } from '../../src-main/node/index/timeline';
import { sharedCorpus, tempDir } from '../helpers/temp';
import { mulberry32 } from '../bench/prng';

/**
 * The coverage timeline (issue 14) on real archives, real parser, real SQLite: every bucket is checked against
 * periods computed here, independently, from the listed posts' dates, and against the list's total with the
 * period as an after:/before: filter.
 */

/** Posts over 2019-2021 (a few undated), and the ISO-week edge days around new year 2021. */
function generatedArchive(): string {
  const root = path.join(tempDir('backfile-timeline-gen-'), 'archive');
  fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
  const next = mulberry32(14);
  const words = ['钢铁', '市场', '价格', 'steel', 'market', '会议'];
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const write = (name: string, fm: string[], body: string) => fs.writeFileSync(path.join(root, '_posts', name), `---\n${fm.join('\n')}\n---\n${body}\n`);
  for (let i = 0; i < 300; i++) {
    const undated = next() < 0.08;
    const date = `${2019 + Math.floor(next() * 3)}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
    const time = next() < 0.5 ? ` ${String(Math.floor(next() * 24)).padStart(2, '0')}:${String(Math.floor(next() * 60)).padStart(2, '0')}` : '';
    write(undated ? `post-${i}.md` : `${date}-p${i}.md`, [`title: 第${i}篇 ${pick(words)}`, undated ? '' : `date: ${date}${time}`].filter(Boolean),
      Array.from({ length: 4 }, () => pick(words)).join(' '));
  }
  for (const [i, date] of ['2020-12-28', '2020-12-31 23:59', '2021-01-01', '2021-01-03 23:00', '2021-01-04 00:01'].entries()) {
    write(`${date.slice(0, 10)}-edge${i}.md`, ['title: 跨年 edge', `date: ${date}`], '跨年');
  }
  return root;
}

const stores: IndexStore[] = [];
afterAll(() => stores.forEach((s) => s.close()));
async function indexOf(archive: string): Promise<IndexStore> {
  const store = IndexStore.open(path.join(tempDir('backfile-timeline-'), 'index.sqlite'));
  stores.push(store);
  await updateIndex(store, archive);
  return store;
}

// Independent calendar arithmetic (not the code under test's): ISO week 1 is the week holding 4 January.
const DAY = 86_400_000;
const ms = (day: string): number => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
const iso = (t: number): string => new Date(t).toISOString().slice(0, 10);
function weekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
}
function weekOf(day: string): string {
  const t = ms(day);
  let year = Number(day.slice(0, 4));
  if (t >= weekOneMonday(year + 1)) year += 1;
  else if (t < weekOneMonday(year)) year -= 1;
  return `${year}-W${String(Math.floor((t - weekOneMonday(year)) / (7 * DAY)) + 1).padStart(2, '0')}`;
}
function periodOf(day: string, by: TimelineUnit): string {
  return by === 'day' ? day : by === 'month' ? day.slice(0, 7) : by === 'year' ? day.slice(0, 4) : weekOf(day);
}
/** A period as `[after, before)` days, for the query language. */
function rangeOf(period: string): [string, string] {
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (week) {
    const start = weekOneMonday(Number(week[1])) + (Number(week[2]) - 1) * 7 * DAY;
    return [iso(start), iso(start + 7 * DAY)];
  }
  if (/^\d{4}$/.test(period)) return [`${period}-01-01`, `${Number(period) + 1}-01-01`];
  if (/^\d{4}-\d{2}$/.test(period)) {
    const [y, m] = period.split('-').map(Number) as [number, number];
    return [`${period}-01`, iso(Date.UTC(y, m, 1))];
  }
  return [period, iso(ms(period) + DAY)];
}

function allDates(store: IndexStore, q: ListQuery): (string | null)[] {
  const dates: (string | null)[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = store.list({ ...q, offset, limit: 500 });
    dates.push(...page.items.map((i) => i.date));
    if (offset + 500 >= page.total) return dates;
  }
}

/** The property for one query and one bar size; returns how many buckets were checked. */
function checkTimeline(store: IndexStore, q: ListQuery, by: TimelineUnit | undefined): number {
  const timeline = store.timeline(q, by);
  const total = store.list({ ...q, limit: 1 }).total;
  const label = `${JSON.stringify(q)} by ${by ?? 'auto'}`;
  expect(timeline.total, label).toBe(total);
  expect(timeline.buckets.reduce((n, b) => n + b.count, 0) + timeline.undated, label).toBe(total);
  if (by) expect(timeline.by).toBe(by);
  const expected = new Map<string, number>();
  let undated = 0;
  for (const date of allDates(store, q)) {
    if (date === null) undated++;
    else expected.set(periodOf(date.slice(0, 10), timeline.by), (expected.get(periodOf(date.slice(0, 10), timeline.by)) ?? 0) + 1);
  }
  expect(timeline.undated, label).toBe(undated);
  const periods = timeline.buckets.map((b) => b.period);
  expect([...periods].sort(), `${label}: periods in order, once each`).toEqual(periods);
  expect(new Set(periods).size).toBe(periods.length);
  for (const b of timeline.buckets) {
    expect(b.count, `${label} ${b.period}`).toBe(expected.get(b.period) ?? 0);
    if (b.count > 0) {
      const [after, before] = rangeOf(b.period);
      const filtered = store.list({ ...q, query: `${q.query ?? ''} after:${after} before:${before}`, limit: 1 }).total;
      expect(filtered, `${label} ${b.period} as after:${after} before:${before}`).toBe(b.count);
    }
  }
  for (const [period, count] of expected) expect(timeline.buckets.find((b) => b.period === period)?.count, `${label} ${period}`).toBe(count);
  return timeline.buckets.length;
}

describe('timeline periods', () => {
  it('ISO weeks at the year edges', () => {
    expect(isoWeek({ year: 2020, month: 12, day: 31 })).toBe('2020-W53');
    expect(isoWeek({ year: 2021, month: 1, day: 3 })).toBe('2020-W53');
    expect(isoWeek({ year: 2021, month: 1, day: 4 })).toBe('2021-W01');
    expect(isoWeek({ year: 2019, month: 12, day: 30 })).toBe('2020-W01');
    expect(isoWeek({ year: 2020, month: 1, day: 23 })).toBe('2020-W04');
    for (let t = Date.UTC(2015, 0, 1); t < Date.UTC(2026, 0, 1); t += DAY) {
      const d = new Date(t);
      expect(isoWeek({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() })).toBe(weekOf(iso(t)));
    }
  });

  it('chooses the bar size from the span', () => {
    const day = (s: string) => ({ year: Number(s.slice(0, 4)), month: Number(s.slice(5, 7)), day: Number(s.slice(8, 10)) });
    expect(autoUnit(day('2020-01-01'), day('2020-03-01'))).toBe('day');
    expect(autoUnit(day('2020-01-01'), day('2021-06-01'))).toBe('week');
    expect(autoUnit(day('2010-01-01'), day('2021-06-01'))).toBe('month');
    expect(autoUnit(day('1950-01-01'), day('2021-06-01'))).toBe('year');
  });

  it('fills empty periods between the first and the last', () => {
    // Day indexes as dateKey counts them: (year * 12 + month - 1) * 31 + day - 1.
    const index = (y: number, m: number, d: number) => (y * 12 + m - 1) * 31 + d - 1;
    const t = bucketDays([{ day: index(2020, 1, 5), count: 2 }, { day: index(2020, 4, 1), count: 1 }], 3, 'month');
    expect(t).toEqual({ total: 6, undated: 3, by: 'month', buckets: [
      { period: '2020-01', count: 2 }, { period: '2020-02', count: 0 }, { period: '2020-03', count: 0 }, { period: '2020-04', count: 1 },
    ] });
    expect(bucketDays([], 4)).toEqual({ total: 4, undated: 4, by: 'year', buckets: [] });
  });
});

describe('timeline over real SQLite', () => {
  it('buckets of a generated archive: each query, each bar size', async () => {
    const store = await indexOf(generatedArchive());
    const queries: ListQuery[] = [{}, { query: '钢铁' }, { query: 'market -steel' }, { query: '价格 after:2020-03' }, { query: 'before:2020' }, { year: 2020 }, { year: 2021, month: 1 }, { query: '跨年' }];
    let checked = 0;
    for (const q of queries) for (const by of [undefined, ...TIMELINE_UNITS]) checked += checkTimeline(store, q, by);
    expect(checked).toBeGreaterThan(500);
    const edge = store.timeline({ query: '跨年' }, 'week');
    expect(edge.buckets).toEqual([{ period: '2020-W53', count: 4 }, { period: '2021-W01', count: 1 }]);
    expect(store.timeline({ query: '跨年' }).by).toBe('day');
  });

  const finews = path.join(sharedCorpus, 'finews-sample');
  it.skipIf(!fs.existsSync(finews))('buckets of ../shared/corpus/finews-sample', async () => {
    const store = await indexOf(finews);
    for (const query of ['', '市场', '股票 OR 基金', '-市场', 'after:2021-12-08']) {
      for (const by of [undefined, ...TIMELINE_UNITS]) checkTimeline(store, { query }, by);
    }
    expect(store.timeline({}).undated).toBeGreaterThan(0);
  });
});
