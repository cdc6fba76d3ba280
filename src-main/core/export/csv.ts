/** The CSV export format, by the shared CSV rules (shared/csv.ts: BOM, CRLF, RFC 4180 quoting, formula guard). */
import { CSV_BOM, csvCell, csvLine as row } from '../../shared/csv';
import type { ExportFormatter, ExportRecord } from './record';

export { csvCell };

export const CSV_COLUMNS = ['path', 'title', 'date', 'categories', 'tags', 'url', 'snippet'] as const;

/** Categories as one path (`Politics/Local`), tags separated by `; `. */
export function csvRow(record: ExportRecord): string {
  return row([record.path, record.title, record.date ?? '', record.categories.join('/'), record.tags.join('; '), record.url ?? '', record.snippet]);
}

export const csvFormat: ExportFormatter = {
  extension: 'csv',
  mediaType: 'text/csv; charset=utf-8',
  head: () => `${CSV_BOM}${row(CSV_COLUMNS)}`,
  item: (record) => csvRow(record),
  tail: () => '',
};
