import { useEffect } from 'react';
import type { TimelineUnit } from '../../src-main/shared/archive-api';
import { useApp } from '../store/store-context';
import { TimelineChart } from './timeline-chart';
import { useCoverageMessages } from './timeline-messages';
import { useTimelineOpen } from './timeline-open';
import { dateRangeOf } from './timeline-periods';
import './timeline.css';

const UNITS: readonly (TimelineUnit | null)[] = [null, 'day', 'week', 'month', 'year'];

/**
 * Above the list: the current result over time (issue 14). One header row (the fold switch, the undated count,
 * the bar size, Table) over a chart of fixed height, so a new result, an empty one or a refresh while the first
 * index runs never moves the list. Folded by default in a small window, then as the reader leaves it (issue 11);
 * a table as the chart's text alternative; the date range in force as a removable chip.
 */
export function TimelinePanel() {
  const { c, locale } = useCoverageMessages();
  const timeline = useApp((s) => s.timeline);
  const [open, toggle] = useTimelineOpen();
  const table = useApp((s) => s.timelineTable);
  const by = useApp((s) => s.timelineBy);
  const error = useApp((s) => s.timelineError);
  const resultSeq = useApp((s) => s.resultSeq);
  const appliedQuery = useApp((s) => s.appliedQuery);
  const loadTimeline = useApp((s) => s.loadTimeline);
  const setBy = useApp((s) => s.setTimelineBy);
  const toggleTable = useApp((s) => s.toggleTimelineTable);
  const filterToPeriods = useApp((s) => s.filterToPeriods);
  const clearDateRange = useApp((s) => s.clearDateRange);

  // Follows every answered search (a new query, selection or archive change).
  useEffect(() => {
    if (open && resultSeq > 0) void loadTimeline();
  }, [open, resultSeq, loadTimeline]);

  const range = dateRangeOf(appliedQuery);
  const number = (v: number) => v.toLocaleString(locale);

  return (
    <section className="timeline" aria-label={c.timeline}>
      <div className="timeline-head">
        <button type="button" className="timeline-toggle" aria-expanded={open} onClick={toggle}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {c.timeline}
        </button>
        {open && (
          <>
            <span className="timeline-undated" title={timeline ? c.undatedTitle(number(timeline.undated)) : undefined}>
              {timeline ? c.undated(number(timeline.undated)) : ''}
            </span>
            <label className="visually-hidden" htmlFor="timeline-by">
              {c.barSize}
            </label>
            <select id="timeline-by" className="timeline-by" value={by ?? 'auto'} onChange={(event) => setBy(event.target.value === 'auto' ? null : (event.target.value as TimelineUnit))}>
              {UNITS.map((unit) => (
                <option key={unit ?? 'auto'} value={unit ?? 'auto'}>
                  {unit === null ? c.auto : c.unit[unit]}
                </option>
              ))}
            </select>
            <button type="button" className="timeline-unit" aria-pressed={table} onClick={toggleTable}>
              {c.showTable}
            </button>
          </>
        )}
      </div>
      {range && (
        <ul className="filter-chips timeline-range">
          <li className="chip chip-filter">
            <span>{c.dateRange(range.after ?? '…', range.before ?? '…')}</span>
            <button type="button" className="chip-remove" aria-label={c.removeRange} onClick={clearDateRange}>
              ×
            </button>
          </li>
        </ul>
      )}
      {open && !table && (
        <div className="timeline-body">
          {error ? (
            <p className="timeline-empty" role="alert">
              {error}
            </p>
          ) : (
            timeline && <TimelineChart timeline={timeline} onRange={filterToPeriods} />
          )}
        </div>
      )}
      {open && table && error && (
        <p className="timeline-empty" role="alert">
          {error}
        </p>
      )}
      {open && timeline && table && (
        <div className="timeline-table-wrap">
          <table className="timeline-table">
            <thead>
              <tr>
                <th scope="col">{c.period}</th>
                <th scope="col">{c.count}</th>
              </tr>
            </thead>
            <tbody>
              {timeline.buckets.filter((b) => b.count > 0).map((b) => (
                <tr key={b.period}>
                  <td>
                    <button type="button" className="link-button" aria-label={c.filterTo(b.period)} onClick={() => filterToPeriods(b.period, b.period)}>
                      {b.period}
                    </button>
                  </td>
                  <td>{number(b.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p id="timeline-hint" hidden>
        {c.timelineHint}
      </p>
    </section>
  );
}
