/** A batch search's table as CSV: the export's rules (UTF-8 with a BOM, CRLF rows, RFC 4180 quoting, formula guard). */
import { csvCell } from '../../core/export/csv';
import type { BatchTerm } from '../../shared/archive-api';

export const BATCH_CSV_COLUMNS = ['term', 'total', 'first', 'last'] as const;

const row = (cells: string[]): string => `${cells.map(csvCell).join(',')}\r\n`;

export function batchCsv(terms: readonly BatchTerm[]): string {
  return `\uFEFF${row([...BATCH_CSV_COLUMNS])}${terms.map((t) => row([t.term, String(t.total), t.first ?? '', t.last ?? ''])).join('')}`;
}
