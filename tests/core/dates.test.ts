import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dateInstant, dateMonth, dateYear, isoDay, normalizeDate } from '../../src-main/core/dates';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('normalizeDate', () => {
  it.each([
    ['2020-01-15', '2020-01-15'],
    ['2020-1-5', '2020-01-05'],
    ['2019/03/01', '2019-03-01'],
    ['2023-03-03 07:00', '2023-03-03T07:00:00'],
    ['2023-03-03 07:00:00', '2023-03-03T07:00:00'],
    ['2023-03-03T07:00:00', '2023-03-03T07:00:00'],
    ['2023-03-03 7:05:09.25', '2023-03-03T07:05:09.25'],
    ['2023-03-03 07:05:09.123456', '2023-03-03T07:05:09.123'],
    ['2019-03-01 09:15:00 +0100', '2019-03-01T09:15:00+01:00'],
    ['2017-11-11 23:59:59 +08:00', '2017-11-11T23:59:59+08:00'],
    ['2017-11-11T23:59:59+0800', '2017-11-11T23:59:59+08:00'],
    ['2020-12-31 23:30:00 -0500', '2020-12-31T23:30:00-05:00'],
    ['2020-12-31 23:30:00   -0500', '2020-12-31T23:30:00-05:00'],
    ['2024-04-01 10:00:00 +0000', '2024-04-01T10:00:00+00:00'],
    ['2024-04-01T10:00:00Z', '2024-04-01T10:00:00Z'],
    ['  2022-05-15 20:59:18 +0800  ', '2022-05-15T20:59:18+08:00'],
    ['2020-01-15 +0800', '2020-01-15'],
    ['2020-02-29', '2020-02-29'],
    ['2000-02-29', '2000-02-29'],
  ])('keeps %j as written: %s', (written, expected) => {
    expect(normalizeDate(written)).toEqual({ date: expected });
  });

  it('treats a missing or empty date as undated without a problem', () => {
    for (const value of [undefined, null, '', '   ']) expect(normalizeDate(value)).toEqual({ date: null });
  });

  it.each([
    ['2021-02-30', /does not exist/],
    ['2019-02-29', /does not exist/],
    ['1900-02-29', /does not exist/],
    ['2021-13-01', /does not exist/],
    ['2021-04-31', /does not exist/],
    ['2021-00-10', /does not exist/],
    ['2021-01-01 25:00:00', /impossible time of day/],
    ['2021-01-01 24:00:00', /impossible time of day/],
    ['2021-01-01 10:60:00', /impossible time of day/],
    ['2021-01-01 10:00:00 +1900', /impossible time zone/],
    ['+0800', /has no day, only a time zone/],
    ['+08:00', /has no day/],
    ['yesterday', /is not a date/],
    ['2021-01-01 and more', /is not a date/],
  ])('refuses %j instead of rolling it over', (written, problem) => {
    const result = normalizeDate(written);
    expect(result.date).toBeNull();
    expect(result.problem).toMatch(problem);
    expect(result.problem).toContain(written.trim());
  });

  it('refuses numbers, booleans and lists', () => {
    expect(normalizeDate(2019)).toEqual({ date: null, problem: 'date 2019 is not a date (expected YYYY-MM-DD)' });
    expect(normalizeDate(true).date).toBeNull();
    expect(normalizeDate(['2019-01-01']).problem).toMatch(/not a date/);
  });

  it('keeps the UTC wall clock of a Date object', () => {
    expect(normalizeDate(new Date(Date.UTC(2019, 2, 1, 8, 15, 0)))).toEqual({ date: '2019-03-01T08:15:00Z' });
    expect(normalizeDate(new Date(Number.NaN)).problem).toMatch(/not a valid date/);
  });
});

describe('date helpers', () => {
  it('read year and month from the written day, never from the instant', () => {
    expect(dateYear('2020-12-31T23:30:00-05:00')).toBe(2020);
    expect(dateMonth('2020-12-31T23:30:00-05:00')).toBe(12);
    expect(dateYear('2021-03-04')).toBe(2021);
    expect(dateMonth('2021-03-04')).toBe(3);
    expect(dateYear(null)).toBeNull();
    expect(dateMonth(null)).toBeNull();
  });

  it('give the UTC instant only when an offset is written', () => {
    expect(dateInstant('2020-12-31T23:30:00-05:00')).toBe('2021-01-01T04:30:00Z');
    expect(dateInstant('2019-03-01T09:15:00+01:00')).toBe('2019-03-01T08:15:00Z');
    expect(dateInstant('2024-04-01T10:00:00Z')).toBe('2024-04-01T10:00:00Z');
    expect(dateInstant('2023-03-03T07:05:09.25+00:00')).toBe('2023-03-03T07:05:09.250Z');
    expect(dateInstant('0050-01-01T00:30:00+01:00')).toBe('0049-12-31T23:30:00Z');
    expect(dateInstant('2023-03-03T07:00:00')).toBeNull();
    expect(dateInstant('2023-03-03')).toBeNull();
    expect(dateInstant(null)).toBeNull();
  });

  it('isoDay accepts exactly the days of the Gregorian calendar', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const day = isoDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
        expect(day).toBe(d.toISOString().slice(0, 10));
        expect(isoDay(d.getUTCFullYear(), d.getUTCMonth() + 1, 32)).toBeNull();
      }),
    );
  });

  it('round-trips: the first ten characters are always the written day', () => {
    const offset = fc.constantFrom('', ' +0800', ' -05:00', 'Z', ' +0000');
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), offset, (y, m, d, h, mi, zone) => {
          const day = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const { date } = normalizeDate(`${day} ${h}:${String(mi).padStart(2, '0')}:00${zone}`);
          expect(date?.slice(0, 10)).toBe(day);
          expect(dateYear(date)).toBe(y);
          expect(dateMonth(date)).toBe(m);
        }),
    );
  });
});

describe('time zone independence', () => {
  // The same inputs, evaluated in processes whose local time zone is far west and far east of UTC.
  const probe = `
    const m = await import(${JSON.stringify(path.join(repoRoot, 'src-main/core/dates.ts'))});
    const inputs = ['2020-12-31 23:30:00 -0500', '2020-12-31 23:30:00', '2021-01-01', '2019-03-10 02:30:00'];
    const out = inputs.map((s) => { const r = m.normalizeDate(s); return [r.date, m.dateYear(r.date), m.dateMonth(r.date), m.dateInstant(r.date)]; });
    out.push([m.normalizeDate(new Date(Date.UTC(2020, 11, 31, 23, 30))).date]);
    console.log(JSON.stringify(out));
  `;
  const runIn = (tz: string) => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
      cwd: repoRoot,
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    return JSON.parse(child.stdout) as unknown;
  };

  it('gives identical results in America/Los_Angeles and Asia/Shanghai', () => {
    const expected = [
      ['2020-12-31T23:30:00-05:00', 2020, 12, '2021-01-01T04:30:00Z'],
      ['2020-12-31T23:30:00', 2020, 12, null],
      ['2021-01-01', 2021, 1, null],
      // 02:30 on the day US clocks spring forward: a local-time Date would shift it.
      ['2019-03-10T02:30:00', 2019, 3, null],
      ['2020-12-31T23:30:00Z'],
    ];
    expect(runIn('America/Los_Angeles')).toEqual(expected);
    expect(runIn('Asia/Shanghai')).toEqual(expected);
  });
});
