/**
 * Post dates are shown as the author wrote them (the wall clock and day of the original), formatted for the
 * reader's locale. Converting to the reader's time zone would move a post written late on 31 December into
 * the next year, away from where the date tree files it.
 */
import type { PostDate } from '../../src-main/shared/archive-api';

export interface WrittenDate {
  year: number;
  month: number;
  day: number;
  /** Present when the post gives a time of day. */
  time: { hour: number; minute: number; second: number } | null;
  /** `+01:00`, `-05:00`, `+00:00` for `Z`; `null` when no offset was written. */
  offset: string | null;
}

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export function parsePostDate(date: PostDate): WrittenDate | null {
  if (!date) return null;
  const m = PATTERN.exec(date.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, zone] = m;
  const time = h !== undefined && mi !== undefined ? { hour: Number(h), minute: Number(mi), second: Number(s ?? 0) } : null;
  let offset: string | null = null;
  if (zone) {
    offset = zone.toUpperCase() === 'Z' ? '+00:00' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  }
  return { year: Number(y), month: Number(mo), day: Number(d), time, offset };
}

/** The written wall clock as a `Date` in UTC, so `Intl` with `timeZone: 'UTC'` prints it unchanged. */
function wallClock(date: WrittenDate): Date {
  const t = date.time ?? { hour: 0, minute: 0, second: 0 };
  return new Date(Date.UTC(date.year, date.month - 1, date.day, t.hour, t.minute, t.second));
}

export interface FormattedDate {
  /** For people, in their locale. */
  text: string;
  /** The date as written, compact: `2019-03-01 09:15`. */
  written: string;
  offset: string | null;
  hasTime: boolean;
}

/** `long`: the article header (date and time); `short`: list rows and citations (date only). */
export function formatPostDate(date: PostDate, locale: string, style: 'long' | 'short' | 'day'): FormattedDate | null {
  const parsed = parsePostDate(date);
  if (!parsed) return null;
  const options: Intl.DateTimeFormatOptions =
    style === 'long' && parsed.time
      ? { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }
      : { dateStyle: style === 'short' ? 'medium' : 'long', timeZone: 'UTC' };
  const pad = (n: number): string => String(n).padStart(2, '0');
  const day = `${parsed.year}-${pad(parsed.month)}-${pad(parsed.day)}`;
  const written = parsed.time ? `${day} ${pad(parsed.time.hour)}:${pad(parsed.time.minute)}` : day;
  return {
    text: new Intl.DateTimeFormat(locale, options).format(wallClock(parsed)),
    written,
    offset: parsed.offset,
    hasTime: parsed.time !== null,
  };
}

/** "December 2020" / "2020年12月", or just the year. */
export function formatYearMonth(year: number, month: number | undefined, locale: string): string {
  const options: Intl.DateTimeFormatOptions = month ? { year: 'numeric', month: 'long', timeZone: 'UTC' } : { year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(new Date(Date.UTC(year, (month ?? 1) - 1, 1)));
}
