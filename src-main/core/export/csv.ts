/**
 * CSV for spreadsheets: UTF-8 with a BOM (so Excel reads Chinese as UTF-8), CRLF rows, RFC 4180 quoting, and
 * the formula-injection guard spreadsheets need: a cell starting with `=`, `+`, `-`, `@`, tab or carriage return
 * gets a leading `'` so that it is shown as text, never run as a formula (OWASP "CSV injection").
 */
import type { ExportFormatter, ExportRecord } from './record';

export const CSV_COLUMNS = ['path', 'title', 'date', 'categories', 'tags', 'url', 'snippet'] as const;

/** One cell: guarded against formulas, then quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

const row = (cells: string[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** Categories as one path (`Politics/Local`), tags separated by `; `. */
export function csvRow(record: ExportRecord): string {
  return row([record.path, record.title, record.date ?? '', record.categories.join('/'), record.tags.join('; '), record.url ?? '', record.snippet]);
}

export const csvFormat: ExportFormatter = {
  extension: 'csv',
  mediaType: 'text/csv; charset=utf-8',
  head: () => `\uFEFF${row([...CSV_COLUMNS])}`,
  item: (record) => csvRow(record),
  tail: () => '',
};
