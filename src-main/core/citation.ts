/**
 * Citations of one post in a real style: GB/T 7714-2015 (electronic resource, `[EB/OL]`), APA 7 (news website
 * article), Chicago notes-bibliography (bibliography entry for a news website) and a Markdown link. Pure: the
 * service gathers the fields (`citationFields`), the CLI and the renderer (through the contract) share the text.
 */
import type { Article, CitationStyle, PostDate } from '../shared/archive-api';

export interface CitationFields {
  /** The title as written; for an untitled post, its file name. */
  title: string;
  /** The post has no title of its own: `title` is its file name, and each style marks it. */
  untitled: boolean;
  /** The site's name: `_config.yml` `title`, else the archive's folder name. */
  site: string;
  /** Front matter `author`, else null (never invented). */
  author: string | null;
  /** The date as written (its first ten characters are the day), or null. */
  date: PostDate;
  url: string | null;
  /** The day the reader cites it, `YYYY-MM-DD`. */
  accessed: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A local calendar day as `YYYY-MM-DD` (the access date). */
export function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const isWebUrl = (value: unknown): value is string => typeof value === 'string' && /^https?:\/\/[^\s/]+\S*$/i.test(value.trim());

/** Front matter `author` as a name: a string, a list of strings, or `{ name }`; anything else is no author. */
function authorOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim().replace(/\s+/g, ' ') || null;
  if (Array.isArray(value)) return value.map(authorOf).filter((a): a is string => a !== null).join(', ') || null;
  if (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') return authorOf((value as { name: string }).name);
  return null;
}

/** What a citation needs of an article: front matter `source`/`url` first, then the body's source, then the canonical URL. */
export function citationFields(article: Article, site: string, accessed: string): CitationFields {
  const title = typeof article.meta.title === 'string' || typeof article.meta.title === 'number' ? String(article.meta.title).trim() : '';
  const url = [article.meta.source, article.meta.url, article.source, article.url].find(isWebUrl)?.trim() ?? null;
  return {
    title: title ? article.title : (article.path.split('/').pop() ?? article.path),
    untitled: !title,
    site,
    author: authorOf(article.meta.author),
    date: article.date,
    url,
    accessed,
  };
}

/** A title once: outer quotes the archive wrapped it in are dropped (each style adds its own). */
function bareTitle(title: string): string {
  const t = title.trim();
  const pairs: [string, string][] = [['"', '"'], ['“', '”'], ["'", "'"], ['‘', '’'], ['「', '」']];
  for (const [open, close] of pairs) {
    if (t.length > 2 && t.startsWith(open) && t.endsWith(close)) return t.slice(open.length, -close.length).trim();
  }
  return t;
}

/** Adds `mark` unless the text already ends with a full stop, question or exclamation mark. */
const close = (text: string, mark = '.'): string => (/[.?!。？！]$/.test(text) ? text : `${text}${mark}`);

const day = (date: PostDate): { y: number; m: number; d: number } | null => {
  const match = date ? /^(\d{4})-(\d{2})-(\d{2})/.exec(date) : null;
  return match ? { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) } : null;
};

const english = (date: PostDate): string | null => {
  const p = day(date);
  return p ? `${MONTHS[p.m - 1]} ${p.d}, ${p.y}` : null;
};

const untitledEn = (f: CitationFields) => `[Untitled: ${f.title}]`;

/** `作者. 题名[EB/OL]. 网站名, 2021-12-08[2026-11-29]. URL.` (GB/T 7714-2015 §4.8: 出版者, 出版年(更新或修改日期)[引用日期]. 获取和访问路径.) */
function gb7714(f: CitationFields): string {
  const title = f.untitled ? `[无题名: ${f.title}]` : bareTitle(f.title);
  const date = f.date ? `, ${f.date.slice(0, 10)}` : '';
  const parts = [f.author ? close(f.author) : '', `${title}[EB/OL].`, `${f.site}${date}[${f.accessed}].`, f.url ? `${f.url}.` : ''];
  return parts.filter(Boolean).join(' ');
}

/** `Author. (2021, December 8). Title. Site Name. URL` — no author: the title comes first; no date: `(n.d.)`. */
function apa(f: CitationFields): string {
  const p = day(f.date);
  const date = p ? `(${p.y}, ${MONTHS[p.m - 1]} ${p.d}).` : '(n.d.).';
  const title = close(f.untitled ? untitledEn(f) : bareTitle(f.title));
  const lead = f.author ? [close(f.author), date, title] : [title, date];
  return [...lead, close(f.site), f.url ?? ''].filter(Boolean).join(' ');
}

/** `Author. "Title." Site Name, December 8, 2021. URL.` — undated: `Accessed November 29, 2026.` */
function chicago(f: CitationFields): string {
  const inner = bareTitle(f.title).replace(/"([^"]*)"/g, '‘$1’').replace(/“([^”]*)”/g, '‘$1’');
  const title = f.untitled ? close(untitledEn(f)) : `“${close(inner)}”`;
  const published = english(f.date);
  const site = published ? `${f.site}, ${published}.` : `${close(f.site)} Accessed ${english(f.accessed)}.`;
  return [f.author ? close(f.author) : '', title, site, f.url ? `${f.url}.` : ''].filter(Boolean).join(' ');
}

/** `[Title](URL)`; without a URL, the title with the site and day. */
function markdown(f: CitationFields): string {
  const text = (f.untitled ? untitledEn(f) : bareTitle(f.title)).replace(/([\\[\]])/g, '\\$1');
  if (f.url) return `[${text}](${f.url.replace(/[()\s]/g, (c) => encodeURIComponent(c).replace('(', '%28').replace(')', '%29'))})`;
  return `${text} (${[f.site, f.date?.slice(0, 10)].filter(Boolean).join(', ')})`;
}

const FORMATTERS: Record<CitationStyle, (fields: CitationFields) => string> = { gb7714, apa, chicago, markdown };

/** One line citing the post in `style`. */
export function formatCitation(fields: CitationFields, style: CitationStyle): string {
  return FORMATTERS[style](fields).replace(/\s+/g, ' ').trim();
}
