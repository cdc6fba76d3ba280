/**
 * The desktop's save dialog for an export: a file with its format's filter, or the dossier's new folder. The
 * dialog itself asks before replacing an existing file (`showOverwriteConfirmation`), which is the consent
 * exportToFile needs to replace it.
 */
import path from 'node:path';
import type { SaveDialogOptions } from 'electron';
import type { ExportFormat } from '../shared/archive-api';

const FILTERS: Record<ExportFormat, { name: string; extensions: string[] }> = {
  csv: { name: 'CSV (Excel, Numbers, LibreOffice)', extensions: ['csv'] },
  json: { name: 'JSON', extensions: ['json'] },
  ris: { name: 'RIS (Zotero, EndNote, Mendeley)', extensions: ['ris'] },
  'csl-json': { name: 'CSL-JSON (Zotero, Mendeley)', extensions: ['json'] },
  bibtex: { name: 'BibTeX', extensions: ['bib'] },
  dossier: { name: 'Folder', extensions: ['*'] },
};

export function exportDialogOptions(format: ExportFormat, suggestedName: string, folder: string): SaveDialogOptions {
  return {
    title: format === 'dossier' ? 'Export a dossier (a new folder)' : 'Export',
    defaultPath: path.join(folder, suggestedName),
    buttonLabel: 'Export',
    filters: format === 'dossier' ? [] : [FILTERS[format], { name: 'All files', extensions: ['*'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}
