/**
 * Batch search's pure pieces, one copy for the CLI and the renderer: the terms of a pasted or loaded list, and the
 * result table as CSV (the export's CSV rules, shared/csv.ts).
 */
import type { BatchTerm } from './archive-api';
import { CSV_BOM, csvLine } from './csv';

/** Terms from a pasted or loaded list: one per line, blank lines and surrounding spaces dropped, a BOM ignored. */
export function termsFromText(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).map((line) => line.trim()).filter((line) => line !== '');
}

export const BATCH_CSV_COLUMNS = ['term', 'total', 'first', 'last'] as const;

export function batchCsv(terms: readonly BatchTerm[]): string {
  return `${CSV_BOM}${csvLine(BATCH_CSV_COLUMNS)}${terms.map((t) => csvLine([t.term, String(t.total), t.first ?? '', t.last ?? ''])).join('')}`;
}
