import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Timeline } from '../../src-main/shared/archive-api';
import { useCoverageMessages } from './timeline-messages';

interface TimelineChartProps {
  timeline: Timeline;
  /** A bar (the same index twice) or a range of bars was chosen. */
  onRange(first: string, last: string): void;
}

const BAR = 10;
const HEIGHT = 100;

/**
 * The histogram: plain SVG, one bar per period, drawn to the full width. Each bar is focusable (one tab stop,
 * arrows move it, Home/End), names its period and count (title and aria-label); click or Enter shows its period;
 * dragging across bars, or Shift+arrows then Enter, chooses a range.
 */
export function TimelineChart({ timeline, onRange }: TimelineChartProps) {
  const { c, locale } = useCoverageMessages();
  const { buckets } = timeline;
  const n = buckets.length;
  const [active, setActive] = useState(n - 1);
  const [anchor, setAnchor] = useState<number | null>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const [focused, setFocused] = useState(false);
  const bars = useRef<(SVGGElement | null)[]>([]);
  const dragRef = useRef(drag);
  dragRef.current = drag;

  // A new result: start from its newest bar, no range.
  useEffect(() => {
    setActive(n - 1);
    setAnchor(null);
  }, [timeline, n]);

  // A drag that ends outside the chart still chooses its range.
  useEffect(() => {
    if (!drag) return;
    const up = () => {
      const d = dragRef.current;
      setDrag(null);
      if (d) onRange(buckets[Math.min(d.from, d.to)]!.period, buckets[Math.max(d.from, d.to)]!.period);
    };
    window.addEventListener('mouseup', up);
    return () => window.removeEventListener('mouseup', up);
  }, [drag !== null, buckets, onRange]);

  if (n === 0) return <p className="timeline-empty">{c.noDated}</p>;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const number = (v: number) => v.toLocaleString(locale);

  const move = (to: number, extend: boolean) => {
    const next = Math.max(0, Math.min(n - 1, to));
    if (extend && anchor === null) setAnchor(active);
    if (!extend) setAnchor(null);
    setActive(next);
    bars.current[next]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const page = Math.max(1, Math.round(n / 10));
    const keys: Record<string, () => void> = {
      ArrowLeft: () => move(active - 1, event.shiftKey),
      ArrowRight: () => move(active + 1, event.shiftKey),
      PageUp: () => move(active - page, event.shiftKey),
      PageDown: () => move(active + page, event.shiftKey),
      Home: () => move(0, event.shiftKey),
      End: () => move(n - 1, event.shiftKey),
      Enter: () => onRange(buckets[Math.min(anchor ?? active, active)]!.period, buckets[Math.max(anchor ?? active, active)]!.period),
      ' ': () => keys.Enter!(),
      Escape: () => setAnchor(null),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  };

  const [lo, hi] = drag ? [Math.min(drag.from, drag.to), Math.max(drag.from, drag.to)] : anchor !== null ? [Math.min(anchor, active), Math.max(anchor, active)] : [-1, -1];

  return (
    <div className="timeline-chart">
      <svg
        role="group"
        aria-label={c.timelineChart(number(timeline.total - timeline.undated), c.unit[timeline.by])}
        aria-describedby="timeline-hint"
        viewBox={`0 0 ${n * BAR} ${HEIGHT}`}
        preserveAspectRatio="none"
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
      >
        {buckets.map((b, i) => {
          const h = b.count === 0 ? 0 : Math.max(2, (b.count / max) * (HEIGHT - 4));
          const label = c.bar(b.period, number(b.count));
          const classes = ['timeline-bar', i >= lo && i <= hi ? 'in-range' : '', focused && i === active ? 'active' : ''].filter(Boolean).join(' ');
          return (
            <g
              key={b.period}
              ref={(el) => {
                bars.current[i] = el;
              }}
              className={classes}
              role="button"
              tabIndex={i === active ? 0 : -1}
              aria-label={label}
              data-period={b.period}
              onMouseDown={(event) => {
                event.preventDefault();
                setActive(i);
                bars.current[i]?.focus();
                setDrag({ from: i, to: i });
              }}
              onMouseEnter={() => {
                if (dragRef.current) setDrag({ from: dragRef.current.from, to: i });
              }}
            >
              <title>{label}</title>
              <rect className="timeline-hit" x={i * BAR} y={0} width={BAR} height={HEIGHT} />
              <rect className="timeline-fill" x={i * BAR + 1} y={HEIGHT - h} width={BAR - 2} height={h} />
            </g>
          );
        })}
      </svg>
      <div className="timeline-axis" aria-hidden="true">
        <span>{buckets[0]!.period}</span>
        <span>{c.peak(number(max))}</span>
        <span>{buckets[n - 1]!.period}</span>
      </div>
    </div>
  );
}
