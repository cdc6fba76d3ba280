/** Every file format of `exportToFile` but the dossier (a folder, written by node/export/dossier). */
import type { ExportFormat } from '../../shared/archive-api';
import { bibtexFormat } from './bibtex';
import { cslJsonFormat } from './csl-json';
import { csvFormat } from './csv';
import { jsonFormat } from './json';
import type { ExportFormatter } from './record';
import { risFormat } from './ris';

export const FILE_FORMATS: Readonly<Record<Exclude<ExportFormat, 'dossier'>, ExportFormatter>> = {
  csv: csvFormat,
  json: jsonFormat,
  ris: risFormat,
  'csl-json': cslJsonFormat,
  bibtex: bibtexFormat,
};

/** The file name offered for an export (`backfile-export.csv`; the dossier is a folder: `backfile-dossier`). */
export function suggestedExportName(format: ExportFormat, base = 'backfile-export'): string {
  if (format === 'dossier') return `${base.replace(/-export$/, '')}-dossier`;
  const ext = FILE_FORMATS[format].extension;
  return format === 'csl-json' ? `${base}.csl.json` : `${base}.${ext}`;
}
