/**
 * One exported post: the fields every format shares, gathered as the citations gather them (core/citation.ts:
 * untitled posts by file name, the author never invented, front matter `source`/`url` before the canonical URL).
 */
import { citationFields } from '../citation';
import { unescapeHtml } from '../html-escape';
import type { Article, PostDate } from '../../shared/archive-api';

export interface ExportRecord {
  path: string;
  /** The title as written, or the file name of an untitled post (`untitled` says which). */
  title: string;
  untitled: boolean;
  date: PostDate;
  categories: string[];
  tags: string[];
  url: string | null;
  /** The site's name (`_config.yml` `title`, else the archive's folder name). */
  site: string;
  author: string | null;
  /** Plain text: the search's snippet for this post, else its excerpt. */
  snippet: string;
  /** The export's day, `YYYY-MM-DD` (the access date of reference managers). */
  accessed: string;
}

/** A search snippet (`<mark>`ed, HTML-escaped) as plain text. */
export function plainSnippet(html: string): string {
  return unescapeHtml(html.replace(/<\/?mark>/g, '')).replace(/\s+/g, ' ').trim();
}

export function exportRecord(article: Article, site: string, accessed: string, snippetHtml?: string): ExportRecord {
  const fields = citationFields(article, site, accessed);
  const snippet = snippetHtml ? plainSnippet(snippetHtml) : '';
  return {
    path: article.path,
    title: fields.title,
    untitled: fields.untitled,
    date: article.date,
    categories: article.categories,
    tags: article.tags,
    url: fields.url,
    site,
    author: fields.author,
    snippet: snippet || article.excerpt.replace(/\s+/g, ' ').trim(),
    accessed,
  };
}

/** The written day as numbers (`2021-12-08T10:46:18` → 2021, 12, 8), or null when undated or unreadable. */
export function dayParts(date: PostDate): [number, number, number] | null {
  const match = date ? /^(\d{4})-(\d{2})-(\d{2})/.exec(date) : null;
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

/** One file format, written in pieces so that a whole result streams through it: head, one piece per post, tail. */
export interface ExportFormatter {
  extension: string;
  mediaType: string;
  head(): string;
  /** `index` counts from 0 (JSON needs it for its commas, BibTeX for unique keys). */
  item(record: ExportRecord, index: number): string;
  tail(count: number): string;
}
