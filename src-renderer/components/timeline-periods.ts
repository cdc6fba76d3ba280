/**
 * Timeline periods (`2020`, `2020-01`, `2020-W04`, `2020-01-23`) as the query language's dates, and the
 * query rewritten to a date range: a bar or a dragged range becomes `after:START before:END` (END exclusive,
 * as `before:` is), replacing any after:/before: already in the query.
 */
const DAY = 86_400_000;
const isoDay = (t: number): string => new Date(t).toISOString().slice(0, 10);
const pad = (n: number): string => String(n).padStart(2, '0');

function utcDay(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** The Monday of ISO week `week` of `year` (week 1 holds 4 January). */
function isoWeekMonday(year: number, week: number): number {
  const jan4 = utcDay(year, 1, 4);
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY + (week - 1) * 7 * DAY;
}

/** The first day of a period, as `after:` takes it. */
export function periodStart(period: string): string {
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  return week ? isoDay(isoWeekMonday(Number(week[1]), Number(week[2]))) : period;
}

/** The first day after a period, as `before:` takes it. */
export function periodEnd(period: string): string {
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (week) return isoDay(isoWeekMonday(Number(week[1]), Number(week[2])) + 7 * DAY);
  const [y, m, d] = period.split('-').map(Number) as [number, number | undefined, number | undefined];
  if (m === undefined) return String(y + 1);
  if (d === undefined) return m === 12 ? `${y + 1}-01` : `${y}-${pad(m + 1)}`;
  return isoDay(utcDay(y, m, d) + DAY);
}

const DATE_WORD = /(^|\s)(after|before):(\d{4}(?:-\d{2}){0,2})(?=\s|$)/g;

/** The after:/before: the query holds (the last of each), or null. */
export function dateRangeOf(query: string): { after: string | null; before: string | null } | null {
  let after: string | null = null;
  let before: string | null = null;
  for (const m of query.matchAll(DATE_WORD)) {
    if (m[2] === 'after') after = m[3]!;
    else before = m[3]!;
  }
  return after === null && before === null ? null : { after, before };
}

/** The query without its after:/before: words. */
export const withoutDates = (query: string): string => query.replace(DATE_WORD, ' ').replace(/\s+/g, ' ').trim();

/** The query narrowed to the periods from `first` to `last` (either order). */
export function withPeriods(query: string, first: string, last: string): string {
  const [a, b] = first <= last ? [first, last] : [last, first];
  return `${withoutDates(query)} after:${periodStart(a)} before:${periodEnd(b)}`.trim();
}
