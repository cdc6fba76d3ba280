/**
 * BibTeX (biblatex's `@online`, which classic BibTeX styles read as `@misc`): `title`, `author` only when the post
 * names one (in braces: a name as written, never split into first and last), `organization` the site, `date` and
 * `year`, `url` and `urldate`. Special characters are escaped (braces as `\textbraceleft{}`, so every entry's
 * braces balance); keys are unique within the file.
 */
import { dayParts, type ExportFormatter, type ExportRecord } from './record';

const SPECIAL: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  // Not `\{`: BibTeX counts every brace, escaped or not, so one `\{` in a title leaves the entry open and BibTeX
  // reads on into the next ones. These commands keep the braces balanced and print the brace.
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '%': '\\%',
  '&': '\\&',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
};

/** A value's text with TeX's special characters escaped and whitespace made one line. */
export const bibEscape = (text: string): string => text.replace(/\s+/g, ' ').trim().replace(/[\\{}%&$#_^~]/g, (c) => SPECIAL[c]!);

/** A URL as biblatex reads `url` (verbatim): only characters that would break the braces or the line are encoded. */
const bibUrl = (url: string): string => url.replace(/[{}\\\s]/g, (c) => encodeURIComponent(c));

/** `post1`, or `2021-12-08-202112082206672930` from the file name, letters digits `-` only, numbered from the index. */
export function bibKey(record: ExportRecord, index: number): string {
  const name = (record.path.split('/').pop() ?? '').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9-]+/g, '').slice(0, 60);
  return `${name || 'post'}-${index + 1}`;
}

export function bibEntry(record: ExportRecord, index: number): string {
  const issued = dayParts(record.date);
  const field = (name: string, value: string) => `  ${name} = {${value}},\n`;
  const iso = (p: [number, number, number]) => `${p[0]}-${String(p[1]).padStart(2, '0')}-${String(p[2]).padStart(2, '0')}`;
  const accessed = dayParts(record.accessed);
  return [
    `@online{${bibKey(record, index)},\n`,
    field('title', `{${bibEscape(record.title)}}`),
    record.author ? field('author', `{${bibEscape(record.author)}}`) : '',
    field('organization', bibEscape(record.site)),
    issued ? field('date', iso(issued)) + field('year', String(issued[0])) : '',
    record.url ? field('url', bibUrl(record.url)) : '',
    accessed ? field('urldate', iso(accessed)) : '',
    record.tags.length > 0 ? field('keywords', bibEscape(record.tags.join(', '))) : '',
    field('note', bibEscape(`Backfile: ${record.path}`)),
    '}\n\n',
  ].join('');
}

export const bibtexFormat: ExportFormatter = {
  extension: 'bib',
  mediaType: 'application/x-bibtex; charset=utf-8',
  head: () => '',
  item: (record, index) => bibEntry(record, index),
  tail: () => '',
};
