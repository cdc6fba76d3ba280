import { useApp } from '../store/store-context';
import { useCoverageMessages } from './timeline-messages';

/**
 * The way into batch search, beside the search field: a search tool, one Tab from the field. Its name is always
 * "Batch search…"; a narrow list shows the short "Batch…" so the field keeps its width.
 */
export function BatchButton() {
  const { c } = useCoverageMessages();
  const openBatch = useApp((s) => s.openBatch);
  return (
    <button type="button" className="button button-small batch-button" aria-label={`${c.batch}…`} title={`${c.batch}…`} aria-haspopup="dialog" onClick={openBatch}>
      <span className="batch-long">{c.batch}…</span>
      <span className="batch-short" aria-hidden="true">
        {c.batchShort}…
      </span>
    </button>
  );
}
