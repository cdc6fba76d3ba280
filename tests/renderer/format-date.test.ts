// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { formatPostDate, formatYearMonth, parsePostDate } from '../../src-renderer/lib/format-date';

describe('post dates', () => {
  test('reads the three written forms and nothing else', () => {
    expect(parsePostDate('2019-03-01T09:15:00+01:00')).toEqual({ year: 2019, month: 3, day: 1, time: { hour: 9, minute: 15, second: 0 }, offset: '+01:00' });
    expect(parsePostDate('2023-03-03T07:00:00')?.offset).toBeNull();
    expect(parsePostDate('2020-01-15')).toEqual({ year: 2020, month: 1, day: 15, time: null, offset: null });
    expect(parsePostDate('2020-01-15T10:00:00Z')?.offset).toBe('+00:00');
    expect(parsePostDate('2020-01-15 10:00:00 +0800')?.offset).toBe('+08:00');
    expect(parsePostDate(null)).toBeNull();
    expect(parsePostDate('last Tuesday')).toBeNull();
  });

  test('shows the wall clock the author wrote, never moved into the reader’s zone', () => {
    const late = formatPostDate('2020-12-31T23:30:00-05:00', 'en-US', 'long');
    expect(late?.text).toMatch(/December 31, 2020/);
    expect(late?.text).toMatch(/11:30/);
    expect(late?.offset).toBe('-05:00');
    expect(late?.written).toBe('2020-12-31 23:30');
    expect(formatPostDate('2020-12-31T23:30:00-05:00', 'zh-CN', 'short')?.text).toBe('2020年12月31日');
  });

  test('a day without a time shows no time', () => {
    const day = formatPostDate('2020-01-15', 'en-US', 'long');
    expect(day?.text).toBe('January 15, 2020');
    expect(day?.hasTime).toBe(false);
  });

  test('year and month labels follow the locale', () => {
    expect(formatYearMonth(2020, 12, 'en-US')).toBe('December 2020');
    expect(formatYearMonth(2020, 12, 'zh-CN')).toBe('2020年12月');
    expect(formatYearMonth(2020, undefined, 'zh-CN')).toBe('2020年');
  });
});
