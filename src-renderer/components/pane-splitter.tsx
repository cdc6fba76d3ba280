import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { PANE_LIMITS, type Pane } from '../store/settings-slice';
import { useApp } from '../store/store-context';

/** A window splitter (WAI-ARIA separator): drag it, or focus it and use ←/→ (Shift for bigger steps), Home/End. */
export function PaneSplitter({ pane, label }: { pane: Pane; label: string }) {
  const width = useApp((s) => (pane === 'nav' ? s.navWidth : s.listWidth));
  const setPaneWidth = useApp((s) => s.setPaneWidth);
  const drag = useRef<{ x: number; width: number } | null>(null);
  const limits = PANE_LIMITS[pane];

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const step = event.shiftKey ? 64 : 16;
    const next = (
      { ArrowLeft: width - step, ArrowRight: width + step, Home: limits.min, End: limits.max } as Record<string, number>
    )[event.key];
    if (next === undefined) return;
    event.preventDefault();
    setPaneWidth(pane, next);
  }

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={width}
      aria-valuemin={limits.min}
      aria-valuemax={limits.max}
      tabIndex={0}
      className="pane-splitter"
      data-pane={pane}
      onKeyDown={onKeyDown}
      onPointerDown={(event: PointerEvent<HTMLDivElement>) => {
        drag.current = { x: event.clientX, width };
        event.currentTarget.setPointerCapture?.(event.pointerId);
      }}
      onPointerMove={(event) => {
        if (drag.current) setPaneWidth(pane, drag.current.width + event.clientX - drag.current.x);
      }}
      onPointerUp={(event) => {
        drag.current = null;
        event.currentTarget.releasePointerCapture?.(event.pointerId);
      }}
      onDoubleClick={() => setPaneWidth(pane, limits.default)}
    />
  );
}
