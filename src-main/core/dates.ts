/**
 * Post dates as the author wrote them. A date keeps its wall clock and offset (`2020-12-31 23:30:00 -0500` is a
 * December 2020 post everywhere), impossible days are refused instead of rolled over, and nothing here reads the
 * process time zone: only string arithmetic and `Date.UTC`.
 */
import type { PostDate } from './types';

export interface NormalizedDate {
  date: PostDate;
  /** Why a written date was not used, e.g. `date '2021-02-30' does not exist` (the caller says what it did instead). */
  problem?: string;
}

const DATE_PATTERN =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{1,2})?$/;

export function normalizeDate(value: unknown): NormalizedDate {
  if (value === undefined || value === null || value === '') return { date: null };
  if (value instanceof Date) return fromDateObject(value);
  if (typeof value === 'number' || typeof value === 'boolean') {
    return { date: null, problem: `date ${String(value)} is not a date (expected YYYY-MM-DD)` };
  }
  if (typeof value !== 'string') return { date: null, problem: 'date is not a date (expected YYYY-MM-DD)' };

  const written = value.trim();
  if (written === '') return { date: null };
  const match = DATE_PATTERN.exec(written);
  if (!match) {
    const message = /^[+-]\d{2}:?\d{2}$|^(Z|UTC|GMT)$/i.test(written)
      ? `date '${written}' has no day, only a time zone`
      : `date '${written}' is not a date (expected YYYY-MM-DD)`;
    return { date: null, problem: message };
  }
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const day = isoDay(Number(y), Number(mo), Number(d));
  if (!day) return { date: null, problem: `date '${written}' does not exist` };
  if (h === undefined || mi === undefined) return { date: day };

  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) {
    return { date: null, problem: `date '${written}' has an impossible time of day` };
  }
  const fraction = frac ? `.${frac.slice(0, 3)}` : '';
  const offset = zone === undefined ? '' : normalizeOffset(zone);
  if (offset === null) return { date: null, problem: `date '${written}' has an impossible time zone offset` };
  return { date: `${day}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}${offset}` };
}

/** `YYYY-MM-DD` when the day exists in the (proleptic Gregorian) calendar, else null. */
export function isoDay(year: number, month: number, day: number): string | null {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

export function dateYear(date: PostDate): number | null {
  return date ? Number(date.slice(0, 4)) : null;
}

export function dateMonth(date: PostDate): number | null {
  return date ? Number(date.slice(5, 7)) : null;
}

/** The exact instant in UTC (`…Z`) when the date carries an offset; null for days and offset-less times. */
export function dateInstant(date: PostDate): string | null {
  if (!date) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.exec(date);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Math.round(Number(`0${frac}`) * 1000) : 0;
  // setUTCFullYear rather than Date.UTC, which would read years 0–99 as 1900–1999.
  const wall = new Date(0);
  wall.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  wall.setUTCHours(Number(h), Number(mi), Number(s), ms);
  const utc = new Date(wall.getTime() - offsetMinutes(zone ?? 'Z') * 60_000);
  return utc.toISOString().replace('.000Z', 'Z');
}

function fromDateObject(value: Date): NormalizedDate {
  if (Number.isNaN(value.getTime())) return { date: null, problem: 'date is not a valid date' };
  const iso = value.toISOString(); // UTC wall clock, independent of the process time zone
  return { date: `${iso.slice(0, 19)}Z` };
}

/** `+0800`, `+08:00`, `+8`, `Z`, `UTC` → `+08:00` / `Z`; null when out of range. */
function normalizeOffset(zone: string): string | null {
  if (/^(z|utc|gmt)$/i.test(zone)) return 'Z';
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
  if (!m) return null;
  const [, sign, hh, mm] = m;
  const hours = Number(hh);
  const minutes = mm === undefined ? 0 : Number(mm);
  if (hours > 14 || minutes > 59) return null;
  return `${sign}${pad(hours)}:${pad(minutes)}`;
}

function offsetMinutes(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
