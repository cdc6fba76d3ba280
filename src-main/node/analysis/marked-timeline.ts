/**
 * The timeline of a query with mark words (is:starred, label:…, has:note): the index does not know the marks,
 * so the workspace's list is read page by page (a reader's marked posts are few) and its dates bucketed.
 */
import type { ListQuery, ListResult, Timeline, TimelineUnit } from '../../shared/archive-api';
import { timelineOfDates } from '../index/timeline';

export function markedTimeline(query: ListQuery, by: TimelineUnit | undefined, list: (q: ListQuery) => ListResult): Timeline {
  const dates: (string | null)[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = list({ ...query, sort: 'date', offset, limit: 500 });
    dates.push(...page.items.map((item) => item.date));
    if (page.items.length < 500 || dates.length >= page.total) break;
  }
  return timelineOfDates(dates, by);
}
