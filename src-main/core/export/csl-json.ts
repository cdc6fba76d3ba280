/**
 * CSL-JSON (what Zotero, Mendeley and citation processors read): one `article-newspaper` item per post, the site as its
 * `container-title`, the author as a literal name (never split or invented), issued and accessed as date parts.
 */
import { dayParts, type ExportFormatter, type ExportRecord } from './record';

export function cslItem(record: ExportRecord, index: number): Record<string, unknown> {
  const issued = dayParts(record.date);
  const accessed = dayParts(record.accessed);
  return {
    id: `post-${index + 1}`,
    type: 'article-newspaper',
    title: record.title,
    'container-title': record.site,
    ...(record.author ? { author: [{ literal: record.author }] } : {}),
    ...(issued ? { issued: { 'date-parts': [issued] } } : {}),
    ...(accessed ? { accessed: { 'date-parts': [accessed] } } : {}),
    ...(record.url ? { URL: record.url } : {}),
    ...(record.tags.length > 0 ? { keyword: record.tags.join(', ') } : {}),
    ...(record.snippet ? { abstract: record.snippet } : {}),
    note: `Backfile: ${record.path}`,
  };
}

export const cslJsonFormat: ExportFormatter = {
  extension: 'json',
  mediaType: 'application/vnd.citationstyles.csl+json; charset=utf-8',
  head: () => '[',
  item: (record, index) => `${index === 0 ? '\n' : ',\n'}${JSON.stringify(cslItem(record, index))}`,
  tail: (count) => (count === 0 ? ']\n' : '\n]\n'),
};
