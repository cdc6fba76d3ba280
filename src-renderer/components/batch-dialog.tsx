import { useRef } from 'react';
import { useApp } from '../store/store-context';
import { batchCsv, termsFromText } from '../../src-main/shared/batch';
import { downloadText } from '../lib/download-text';
import { BatchSparkline, yearSpan } from './batch-sparkline';
import { Dialog } from './dialog';
import { useCoverageMessages } from './timeline-messages';

const day = (date: string | null): string => (date ? date.slice(0, 10) : '—');

/**
 * Batch search (issue 14): paste or load a list (one search per line), run it a few lines a call with progress
 * and Cancel, read the table (hits, first and last date, hits per year), click a row to search it, export CSV.
 */
export function BatchDialog() {
  const { c, locale } = useCoverageMessages();
  const open = useApp((s) => s.batchOpen);
  const text = useApp((s) => s.batchText);
  const rows = useApp((s) => s.batchRows);
  const status = useApp((s) => s.batchStatus);
  const done = useApp((s) => s.batchDone);
  const total = useApp((s) => s.batchTotal);
  const error = useApp((s) => s.batchError);
  const close = useApp((s) => s.closeBatch);
  const setText = useApp((s) => s.setBatchText);
  const run = useApp((s) => s.runBatch);
  const cancel = useApp((s) => s.cancelBatch);
  const searchTerm = useApp((s) => s.searchTerm);
  const fileRef = useRef<HTMLInputElement>(null);
  const number = (v: number) => v.toLocaleString(locale);
  const span = yearSpan(rows);
  const running = status === 'running';

  return (
    <Dialog open={open} title={c.batch} onClose={close} className="batch-dialog">
      <p className="dialog-intro">{c.batchIntro}</p>
      <label className="visually-hidden" htmlFor="batch-terms">
        {c.batchTerms}
      </label>
      <textarea id="batch-terms" value={text} placeholder={c.batchTerms} disabled={running} onChange={(event) => setText(event.target.value)} />
      <div className="batch-actions">
        <button type="button" className="button button-primary" disabled={running || termsFromText(text).length === 0} onClick={() => void run()}>
          {c.run}
        </button>
        {running && (
          <button type="button" className="button" onClick={cancel}>
            {c.cancel}
          </button>
        )}
        <button type="button" className="button" disabled={running} onClick={() => fileRef.current?.click()}>
          {c.loadList}
        </button>
        <input
          ref={fileRef}
          type="file"
          accept=".txt,.csv,text/plain"
          hidden
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void file.text().then(setText);
            event.target.value = '';
          }}
        />
        <button type="button" className="button" disabled={running || rows.length === 0} onClick={() => downloadText(batchCsv(rows), 'batch-search.csv')}>
          {c.exportCsv}
        </button>
        <span role="status" className="timeline-undated">
          {running ? c.progress(number(done), number(total)) : status === 'cancelled' ? c.cancelled(number(done), number(total)) : ''}
        </span>
      </div>
      {running && <progress max={Math.max(1, total)} value={done} aria-label={c.progress(number(done), number(total))} />}
      {error && <p role="alert">{error}</p>}
      {rows.length > 0 && (
        <div className="batch-table-wrap">
          <table className="batch-table">
            <thead>
              <tr>
                <th scope="col">{c.term}</th>
                <th scope="col">{c.hits}</th>
                <th scope="col">{c.first}</th>
                <th scope="col">{c.last}</th>
                <th scope="col">{span.length > 0 ? `${c.trend} ${span[0]}–${span[span.length - 1]}` : c.trend}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={`${i}:${r.term}`} onClick={() => searchTerm(r.term)}>
                  <td>
                    <button type="button" className="link-button" aria-label={c.searchIt(r.term)} onClick={(event) => (event.stopPropagation(), searchTerm(r.term))}>
                      {r.term}
                    </button>
                  </td>
                  <td className="number">{number(r.total)}</td>
                  <td>{day(r.first)}</td>
                  <td>{day(r.last)}</td>
                  <td>
                    <BatchSparkline years={r.years} span={span} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Dialog>
  );
}
