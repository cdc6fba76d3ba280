/**
 * RIS (EndNote, Zotero, Mendeley): one `NEWS` (newspaper article) record per post, as the RIS specification lays
 * it out: `T2` the site (the container title), `AU` the author only when the post names one, `PY` the year and
 * `DA` the written day, `Y2` the access date, `UR` the URL, `KW` one per tag, `AB` the snippet.
 * Every value is one line; the record ends with `ER  - `.
 */
import { dayParts, type ExportFormatter, type ExportRecord } from './record';

const line = (tag: string, value: string): string => {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat ? `${tag}  - ${flat}\r\n` : '';
};

const risDay = (parts: [number, number, number]): string => `${parts[0]}/${String(parts[1]).padStart(2, '0')}/${String(parts[2]).padStart(2, '0')}/`;

export function risRecord(record: ExportRecord): string {
  const issued = dayParts(record.date);
  const accessed = dayParts(record.accessed);
  return [
    'TY  - NEWS\r\n',
    line('TI', record.title),
    line('T2', record.site),
    record.author ? line('AU', record.author) : '',
    issued ? line('PY', String(issued[0])) + line('DA', risDay(issued)) : '',
    accessed ? line('Y2', risDay(accessed)) : '',
    record.url ? line('UR', record.url) : '',
    ...record.tags.map((tag) => line('KW', tag)),
    line('AB', record.snippet),
    line('N1', `Backfile: ${record.path}`),
    'ER  - \r\n\r\n',
  ].join('');
}

export const risFormat: ExportFormatter = {
  extension: 'ris',
  mediaType: 'application/x-research-info-systems; charset=utf-8',
  head: () => '',
  item: (record) => risRecord(record),
  tail: () => '',
};
