import { useEffect, useState } from 'react';
import { useApp } from '../store/store-context';

/** Below this height or width the timeline starts folded, so the list keeps its rows (issue 11). */
export const TIMELINE_FOLD = { height: 760, width: 1000 } as const;

/** Whether a window of this size shows the timeline open before the reader has chosen. */
export const timelineOpenByDefault = (width: number, height: number): boolean => width >= TIMELINE_FOLD.width && height >= TIMELINE_FOLD.height;

function useWindowRoomy(): boolean {
  const roomy = () => timelineOpenByDefault(window.innerWidth, window.innerHeight);
  const [open, setOpen] = useState(roomy);
  useEffect(() => {
    const onResize = () => setOpen(roomy());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return open;
}

/**
 * The timeline's open state and its switch: the reader's choice once made (kept with the other settings),
 * until then open only in a window of at least 1000×760.
 */
export function useTimelineOpen(): [boolean, () => void] {
  const chosen = useApp((s) => s.timelineOpen);
  const setOpen = useApp((s) => s.setTimelineOpen);
  const roomy = useWindowRoomy();
  const open = chosen ?? roomy;
  return [open, () => setOpen(!open)];
}
