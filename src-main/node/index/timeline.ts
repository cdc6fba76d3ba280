/**
 * The coverage timeline (issue 14): how many posts a ListQuery finds per day, ISO week, month or year.
 *
 * Counted from the rowids alone, never the posts table: a dated post's id lies in its day's id range (list.ts:
 * idBase/dayStart — `span` ids a minute, 1440 minutes a day), so `(rowid - DATED_BASE - span) / (span * 1440)`
 * is the day's index in dateKey's calendar (31 days a month, 12 months a year). FTS5 gives the matching rowids
 * in the same MATCH and rowid range as list(), grouped by that day in SQLite; the days are then summed into the
 * wanted periods here. Undated posts are the ids below DATED_BASE.
 */
import type { Statement } from 'better-sqlite3';
import type { Timeline, TimelineUnit } from '../../shared/archive-api';
import { DATED_BASE, type ListPlan } from './list';

const MINUTES_A_DAY = 24 * 60;
/** Empty periods are filled in between the first and the last hit up to this many buckets (a histogram's gaps matter). */
export const MAX_FILLED_BUCKETS = 5000;

/** A calendar day as dateKey reads it. */
export interface Day {
  year: number;
  month: number;
  day: number;
}

const dayOfIndex = (index: number): Day => ({ year: Math.floor(index / 372), month: Math.floor((index % 372) / 31) + 1, day: (index % 31) + 1 });
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
/** Milliseconds of a day at 00:00 UTC (setUTCFullYear: Date.UTC would read years 0-99 as 1900-1999). */
const utc = (d: Day): number => {
  const date = new Date(0);
  date.setUTCFullYear(d.year, d.month - 1, d.day);
  return date.getTime();
};
const MS_A_DAY = 86_400_000;

/** The ISO 8601 week of a day: `2020-W04`; 2020-12-31 and 2021-01-03 are both `2020-W53`. */
export function isoWeek(d: Day): string {
  const t = utc(d);
  const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(t + (3 - weekday) * MS_A_DAY); // the week's Thursday decides its year
  const year = thursday.getUTCFullYear();
  const jan1 = new Date(0);
  jan1.setUTCFullYear(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1.getTime()) / (7 * MS_A_DAY)) + 1;
  return `${pad(year, 4)}-W${pad(week)}`;
}

/** The period of a day in buckets of `by`. */
export function periodOf(d: Day, by: TimelineUnit): string {
  switch (by) {
    case 'day':
      return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
    case 'week':
      return isoWeek(d);
    case 'month':
      return `${pad(d.year, 4)}-${pad(d.month)}`;
    case 'year':
      return pad(d.year, 4);
  }
}

/** Bars of a readable number for the result's span: days up to three months, weeks up to two years, months up to twenty. */
export function autoUnit(first: Day, last: Day): TimelineUnit {
  const days = (utc(last) - utc(first)) / MS_A_DAY;
  if (days <= 92) return 'day';
  if (days <= 731) return 'week';
  if (days <= 20 * 366) return 'month';
  return 'year';
}

/** Every period from the first day's to the last day's, in order (walking the calendar a day at a time for days and weeks). */
function periodsBetween(first: Day, last: Day, by: TimelineUnit, limit: number): string[] | null {
  const out: string[] = [];
  if (by === 'year' || by === 'month') {
    let y = first.year;
    let m = by === 'year' ? 1 : first.month;
    const endM = by === 'year' ? 1 : last.month;
    while (y < last.year || (y === last.year && m <= endM)) {
      out.push(by === 'year' ? pad(y, 4) : `${pad(y, 4)}-${pad(m)}`);
      if (out.length > limit) return null;
      if (by === 'year' || m === 12) {
        y += 1;
        m = 1;
      } else m += 1;
    }
    return out;
  }
  const end = utc(last);
  const step = by === 'week' ? 7 : 1;
  // Weeks: start from the first day's Monday, so each step lands in the next week.
  let t = utc(first);
  if (by === 'week') t -= ((new Date(t).getUTCDay() + 6) % 7) * MS_A_DAY;
  for (; t <= end; t += step * MS_A_DAY) {
    const date = new Date(t);
    out.push(periodOf({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }, by));
    if (out.length > limit) return null;
  }
  return out;
}

/**
 * Day counts → the timeline. Days the calendar does not have (a post dated 2020-02-31) keep their place in
 * day and month buckets as written; weeks read them as JavaScript dates do (2020-03-02).
 */
export function bucketDays(days: { day: number; count: number }[], undated: number, by?: TimelineUnit): Timeline {
  const dated = days.reduce((sum, d) => sum + d.count, 0);
  const sorted = [...days].sort((a, b) => a.day - b.day);
  if (sorted.length === 0) return { total: undated, undated, by: by ?? 'year', buckets: [] };
  const first = dayOfIndex(sorted[0]!.day);
  const last = dayOfIndex(sorted[sorted.length - 1]!.day);
  const unit = by ?? autoUnit(first, last);
  const counts = new Map<string, number>();
  for (const { day, count } of sorted) {
    const period = periodOf(dayOfIndex(day), unit);
    counts.set(period, (counts.get(period) ?? 0) + count);
  }
  const filled = periodsBetween(first, last, unit, MAX_FILLED_BUCKETS);
  const known = new Set(filled);
  const periods = filled && [...counts.keys()].every((p) => known.has(p)) ? filled : [...counts.keys()].sort();
  return { total: dated + undated, undated, by: unit, buckets: periods.map((period) => ({ period, count: counts.get(period) ?? 0 })) };
}

/** Counts the plan's hits per day in FTS5 and buckets them. `sql` prepares (and caches) a statement. */
export function countTimeline(plan: ListPlan, span: number, sql: (text: string) => Statement, by?: TimelineUnit): Timeline {
  const datedFrom = Math.max(plan.minId, DATED_BASE);
  const days = datedFrom < plan.maxId
    // Integers written into the SQL: better-sqlite3 binds numbers as REAL, which would make the division inexact.
    ? (sql(`SELECT (rowid - ${DATED_BASE + Math.trunc(span)}) / ${Math.trunc(span) * MINUTES_A_DAY} AS day, count(*) AS count FROM posts_fts
        WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ? GROUP BY day`)
        .all(plan.expr, datedFrom, plan.maxId) as { day: number; count: number }[])
    : [];
  const undated = plan.minId < DATED_BASE
    ? (sql('SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ?').pluck()
        .get(plan.expr, plan.minId, Math.min(plan.maxId, DATED_BASE)) as number)
    : 0;
  return bucketDays(days, undated, by);
}

/**
 * The timeline of the plan's hits whose paths pass `keep`: the workspace's mark words (is:starred, label:…,
 * mark-filter.ts), which the index does not know. One pass over the matching ids and paths (no ranking, no text),
 * each id's day read from the id as above; memory is the day counts, whatever the size of the result.
 */
export function countTimelineKept(plan: ListPlan, span: number, sql: (text: string) => Statement, keep: (path: string) => boolean, by?: TimelineUnit): Timeline {
  const s = Math.trunc(span);
  const days = new Map<number, number>();
  let undated = 0;
  const rows = sql(`SELECT id, path FROM posts WHERE id IN
    (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? AND rowid >= ? AND rowid < ?)`).raw().iterate(plan.expr, plan.minId, plan.maxId) as IterableIterator<[number, string]>;
  for (const [id, path] of rows) {
    if (!keep(path)) continue;
    if (id < DATED_BASE) undated += 1;
    else {
      // As SQLite's integer division above (truncating toward zero).
      const day = Math.trunc((id - DATED_BASE - s) / (s * MINUTES_A_DAY));
      days.set(day, (days.get(day) ?? 0) + 1);
    }
  }
  return bucketDays([...days].map(([day, count]) => ({ day, count })), undated, by);
}
