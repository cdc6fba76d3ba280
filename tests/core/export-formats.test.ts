/**
 * Every export format read back with a real parser (csv-parse; citation-js for RIS, CSL-JSON and BibTeX): the
 * posts, their fields, and the characters that break naive writers (commas, quotes, line breaks, braces, formulas).
 */
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-csl';
import '@citation-js/plugin-ris';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { FILE_FORMATS, suggestedExportName } from '../../src-main/core/export/formats';
import { csvCell, CSV_COLUMNS } from '../../src-main/core/export/csv';
import { plainSnippet, type ExportRecord } from '../../src-main/core/export/record';

const base: Omit<ExportRecord, 'path' | 'title'> = {
  untitled: false,
  date: '2021-12-08T10:46:18',
  categories: ['emnews', '央行'],
  tags: ['东财滚动新闻', 'rates'],
  url: 'http://finance.eastmoney.com/news/11060,202112082206672930.html',
  site: '东方财富网',
  author: null,
  snippet: '离岸人民币兑美元升至6.3512',
  accessed: '2026-11-29',
};

const RECORDS: ExportRecord[] = [
  { ...base, path: '_posts/2021-12-08-a.md', title: '离岸人民币兑美元升至2018年以来最高水平', author: '萧钰' },
  { ...base, path: '_posts/2021-12-09-b.md', title: 'Rates, "quotes" & {braces} 50% #1 $x_y ~ ^ \\ done', snippet: 'line one\nline two, with "quotes"' },
  { ...base, path: '_posts/2021-12-10-c.md', title: '=HYPERLINK("http://evil.example","click")', tags: ['-2+3', '@who'], snippet: '+cmd' },
  { ...base, path: '_posts/no-date.md', title: 'no-date.md', untitled: true, date: null, url: null, categories: [], tags: [], snippet: '' },
];

const write = (format: keyof typeof FILE_FORMATS, records = RECORDS): string => {
  const f = FILE_FORMATS[format];
  return f.head() + records.map((r, i) => f.item(r, i)).join('') + f.tail(records.length);
};

type Csl = Record<string, unknown> & { title?: string; URL?: string; author?: { literal?: string; family?: string }[]; reporter?: unknown };
const cite = (text: string): Csl[] => new Cite(text).data as Csl[];
const nameOf = (n: { literal?: string; family?: string } | undefined) => n?.literal ?? n?.family;

describe('CSV', () => {
  const text = write('csv');
  it('starts with a UTF-8 BOM and the header, and reads back row for row with a real CSV parser', () => {
    expect(text.startsWith('\uFEFFpath,title,date,categories,tags,url,snippet\r\n')).toBe(true);
    const rows = parseCsv(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(RECORDS.length);
    expect(rows[0]).toEqual({
      path: '_posts/2021-12-08-a.md',
      title: '离岸人民币兑美元升至2018年以来最高水平',
      date: '2021-12-08T10:46:18',
      categories: 'emnews/央行',
      tags: '东财滚动新闻; rates',
      url: 'http://finance.eastmoney.com/news/11060,202112082206672930.html',
      snippet: '离岸人民币兑美元升至6.3512',
    });
    expect(rows[1]!.title).toBe(RECORDS[1]!.title);
    expect(rows[1]!.snippet).toBe('line one\nline two, with "quotes"');
    expect(rows[3]).toMatchObject({ title: 'no-date.md', date: '', url: '', categories: '', tags: '' });
  });

  it('guards cells a spreadsheet would run as formulas', () => {
    const rows = parseCsv(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows[2]!.title).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(rows[2]!.tags).toBe(`'-2+3; @who`);
    expect(rows[2]!.snippet).toBe(`'+cmd`);
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${lead}1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('2021-12-08')).toBe('2021-12-08');
  });
});

describe('JSON', () => {
  it('is one array of every record, fields intact', () => {
    const data = JSON.parse(write('json')) as Record<string, unknown>[];
    expect(data).toHaveLength(RECORDS.length);
    expect(data[0]).toEqual({ ...RECORDS[0] });
    expect(data[3]).toMatchObject({ untitled: true, date: null, url: null, author: null });
    expect(JSON.parse(write('json', []))).toEqual([]);
  });
});

describe('RIS', () => {
  it('reads back in citation-js as newspaper articles with site, author, dates, access date, URL and keywords', () => {
    const text = write('ris');
    expect(text).toContain('DA  - 2021/12/08/\r\n');
    expect(text.split('ER  - ')).toHaveLength(RECORDS.length + 1);
    const items = cite(text);
    expect(items).toHaveLength(RECORDS.length);
    const first = items[0]!;
    expect(first).toMatchObject({
      type: 'article-newspaper',
      title: '离岸人民币兑美元升至2018年以来最高水平',
      'container-title': '东方财富网',
      URL: 'http://finance.eastmoney.com/news/11060,202112082206672930.html',
      accessed: { 'date-parts': [[2026, 11, 29]] },
    });
    expect((first.issued as { 'date-parts': number[][] })['date-parts'][0]![0]).toBe(2021);
    // The RIS specification reads AU of a NEWS record as its reporter; the day is in DA, which citation-js skips for NEWS.
    expect(first.reporter).toBe('萧钰');
    expect(String(first.keyword)).toMatch(/东财滚动新闻/);
    expect(items[1]!.title).toBe(RECORDS[1]!.title);
    expect(items[1]!.abstract).toBe('line one line two, with "quotes"');
    // No author is ever invented; no URL or date where the post has none.
    expect(items[3]!.author ?? items[3]!.reporter).toBeUndefined();
    expect(items[3]!.URL).toBeUndefined();
    expect(items[3]!.issued).toBeUndefined();
  });
});

describe('CSL-JSON', () => {
  it('reads back in citation-js with every field', () => {
    const items = cite(write('csl-json'));
    expect(items).toHaveLength(RECORDS.length);
    expect(items[0]).toMatchObject({
      type: 'article-newspaper',
      title: '离岸人民币兑美元升至2018年以来最高水平',
      'container-title': '东方财富网',
      author: [{ literal: '萧钰' }],
      issued: { 'date-parts': [[2021, 12, 8]] },
      accessed: { 'date-parts': [[2026, 11, 29]] },
      URL: RECORDS[0]!.url,
    });
    expect(items[1]!.title).toBe(RECORDS[1]!.title);
    expect(items[3]).not.toHaveProperty('author');
    expect(items[3]).not.toHaveProperty('URL');
    expect(items[3]).not.toHaveProperty('issued');
    // A real processor formats it.
    const apa = new Cite(items[0]).format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' }) as string;
    expect(apa).toContain('离岸人民币兑美元升至2018年以来最高水平');
    expect(apa).toContain('东方财富网');
  });
});

describe('BibTeX', () => {
  it('reads back in citation-js: escaped titles intact, keys unique, url and urldate', () => {
    const items = cite(write('bibtex'));
    expect(items).toHaveLength(RECORDS.length);
    expect(new Set(items.map((i) => i.id)).size).toBe(RECORDS.length);
    expect(items[0]).toMatchObject({
      title: '离岸人民币兑美元升至2018年以来最高水平',
      URL: RECORDS[0]!.url,
      accessed: { 'date-parts': [[2026, 11, 29]] },
      issued: { 'date-parts': [[2021, 12, 8]] },
    });
    expect(nameOf(items[0]!.author?.[0])).toBe('萧钰');
    expect(items[0]!.publisher ?? items[0]!['container-title']).toBe('东方财富网');
    expect(items[1]!.title).toBe(RECORDS[1]!.title);
    expect(items[3]!.author).toBeUndefined();
    expect(items[3]!.URL).toBeUndefined();
  });
});

/**
 * Brace depth as BibTeX counts it: every `{` and `}` counts, a backslash before one changes nothing. Answers each
 * entry's text (from `@` to the `}` that closes it) and whether any brace closed below zero.
 */
function bibEntriesByBraces(text: string): { entries: string[]; underflow: boolean; open: number } {
  const entries: string[] = [];
  let depth = 0;
  let start = -1;
  let underflow = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '@' && depth === 0) start = i;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth < 0) {
        underflow = true;
        depth = 0;
      } else if (depth === 0 && start >= 0) {
        entries.push(text.slice(start, i + 1));
        start = -1;
      }
    }
  }
  return { entries, underflow, open: depth };
}

describe('BibTeX braces', () => {
  const unbalanced: ExportRecord[] = [
    { ...base, path: '_posts/2021-12-11-d.md', title: 'Open { never closed 半个括号', author: 'A {B', tags: ['x{'] },
    { ...base, path: '_posts/2021-12-12-e.md', title: 'Closed } never opened', tags: ['}y'] },
    { ...base, path: '_posts/2021-12-13-f.md', title: 'after both 第三条' },
  ];
  it('balances every entry whatever braces the title holds, so BibTeX never reads into the next entry', () => {
    const text = write('bibtex', [...RECORDS, ...unbalanced]);
    const { entries, underflow, open } = bibEntriesByBraces(text);
    expect(underflow).toBe(false);
    expect(open).toBe(0);
    expect(entries).toHaveLength(RECORDS.length + unbalanced.length);
    for (const entry of entries) expect(entry.match(/^@online\{/g)).toHaveLength(1);
    expect(text).toContain('\\textbraceleft{}');
  });
  it('still reads back in citation-js, each title its own and its text kept', () => {
    const items = cite(write('bibtex', unbalanced));
    expect(items).toHaveLength(unbalanced.length);
    expect(items.map((i) => i.title)).toEqual(unbalanced.map((r) => r.title));
  });
});

describe('names and snippets', () => {
  it('offers a file name per format', () => {
    expect(suggestedExportName('csv')).toBe('backfile-export.csv');
    expect(suggestedExportName('csl-json')).toBe('backfile-export.csl.json');
    expect(suggestedExportName('bibtex', 'posts-export')).toBe('posts-export.bib');
    expect(suggestedExportName('dossier', 'posts-export')).toBe('posts-dossier');
  });
  it('a search snippet becomes plain text', () => {
    expect(plainSnippet('离岸<mark>人民币</mark> &amp; &lt;b&gt;\n x')).toBe('离岸人民币 & <b> x');
  });
});
