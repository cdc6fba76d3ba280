/**
 * The batch table as CSV, by the export's rules (src-main/core/export/csv.ts, which the renderer may not import):
 * UTF-8 with a BOM, CRLF rows, RFC 4180 quoting, a leading `'` before a cell that a spreadsheet would run as a formula.
 */
import type { BatchTerm } from '../../src-main/shared/archive-api';

export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

const row = (cells: string[]): string => `${cells.map(csvCell).join(',')}\r\n`;

export function batchCsv(terms: readonly BatchTerm[]): string {
  return `\uFEFF${row(['term', 'total', 'first', 'last'])}${terms.map((t) => row([t.term, String(t.total), t.first ?? '', t.last ?? ''])).join('')}`;
}

/** Saves text as a file (an `<a download>` over a Blob URL: the browser's download, the desktop's save). */
export function downloadText(text: string, name: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
