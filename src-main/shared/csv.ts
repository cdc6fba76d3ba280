/**
 * CSV for spreadsheets, shared by the host's exports and the renderer's batch table: UTF-8 with a BOM (so Excel
 * reads Chinese as UTF-8), CRLF rows, RFC 4180 quoting, and the formula-injection guard spreadsheets need: a cell
 * starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` so that it is shown as text, never
 * run as a formula (OWASP "CSV injection"). Pure: the renderer imports it too.
 */

export const CSV_BOM = '\uFEFF';

/** One cell: guarded against formulas, then quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** One row of cells, CRLF-terminated. */
export const csvLine = (cells: readonly string[]): string => `${cells.map(csvCell).join(',')}\r\n`;
