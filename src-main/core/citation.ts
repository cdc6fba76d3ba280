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
  /** Front matter `author`, else null (never invented): the names joined with `, ` as written. */
  author: string | null;
  /** The same names one by one (a list in front matter, or one string), each as written. */
  authors: string[];
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

/** Front matter `author` as names: a string, a list of strings, or `{ name }`; anything else is no author. */
function authorsOf(value: unknown): string[] {
  if (typeof value === 'string') {
    const name = value.trim().replace(/\s+/g, ' ');
    return name ? [name] : [];
  }
  if (Array.isArray(value)) return value.flatMap(authorsOf);
  if (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') return authorsOf((value as { name: string }).name);
  return [];
}

/** A personal name in Latin letters split as family and given names; null: written as is (see `personName`). */
export interface PersonName {
  family: string;
  given: string;
}

const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'da', 'di', 'du', 'la', 'le', 'dos', 'das', 'bin', 'al']);
/** Words that make a byline an organisation or a desk, never inverted ("Reuters Staff", "Xinhua News Agency"). */
const GROUP_WORDS = /\b(staff|news|agency|press|desk|team|editors?|editorial|bureau|reporters?|correspondents?|service|online|daily|times|post|network|media|group|office|department|ministry|association|center|centre|committee|council|institute|university|wire)\b/i;

/**
 * How a citation style may invert a byline: only a plain personal name in Latin letters (two to four words, each
 * capitalised, particles such as `van` or `de` allowed; or already `Family, Given`). Chinese, Japanese and Korean
 * names, single words, organisations and anything unusual stay exactly as written: a wrong inversion is worse than none.
 */
export function personName(name: string): PersonName | null {
  if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(name) || GROUP_WORDS.test(name)) return null;
  const word = /^\p{Lu}[\p{L}\p{M}'’.-]*$/u;
  if (name.includes(',')) {
    const [family = '', given = '', ...rest] = name.split(',').map((part) => part.trim());
    if (rest.length > 0 || !family || !given) return null;
    return family.split(' ').every((w) => word.test(w) || PARTICLES.has(w)) && given.split(' ').every((w) => word.test(w)) ? { family, given } : null;
  }
  const words = name.split(' ');
  if (words.length < 2 || words.length > 4) return null;
  let first = words.length - 1;
  while (first > 1 && PARTICLES.has(words[first - 1]!)) first -= 1;
  const given = words.slice(0, first);
  const family = words.slice(first);
  if (!given.every((w) => word.test(w)) || !word.test(family[family.length - 1]!) || !family.slice(0, -1).every((w) => PARTICLES.has(w))) return null;
  return { family: family.join(' '), given: given.join(' ') };
}

/** `Jean-Paul Marie` → `J.-P. M.` (APA); `J-P M` without points (GB/T 7714). */
function initials(given: string, points: boolean): string {
  return given
    .split(' ')
    .map((w) =>
      w
        .split('-')
        .filter(Boolean)
        .map((part) => (part.endsWith('.') && part.length <= 3 ? part.replace(/\.$/, '') : part[0]!) + (points ? '.' : ''))
        .join('-'),
    )
    .join(' ');
}

/** `A`, `A, & B`, `A, B, & C` (APA 7 §9.8, up to 20 names). */
function apaAuthors(names: string[]): string {
  const each = names.map((n) => {
    const p = personName(n);
    return p ? `${p.family}, ${initials(p.given, true)}` : n;
  });
  if (each.length === 1) return each[0]!;
  return `${each.slice(0, -1).join(', ')}, & ${each[each.length - 1]}`;
}

/** `Family, Given`, then `Given Family`: `A`, `A, and B`, `A, B, and C` (Chicago 17 §14.76). */
function chicagoAuthors(names: string[]): string {
  const each = names.map((n, i) => {
    const p = personName(n);
    if (!p) return n;
    return i === 0 ? `${p.family}, ${p.given}` : `${p.given} ${p.family}`;
  });
  if (each.length === 1) return each[0]!;
  if (each.length === 2) return `${each[0]}, and ${each[1]}`;
  return `${each.slice(0, -1).join(', ')}, and ${each[each.length - 1]}`;
}

/** `DOE J, LEE K`: family name in capitals, initials without points; more than three: the first three, then `等` / `et al` (GB/T 7714-2015 §8.1). */
function gbAuthors(names: string[]): string {
  const each = names.map((n) => {
    const p = personName(n);
    return p ? `${p.family.toUpperCase()} ${initials(p.given, false)}` : n;
  });
  if (each.length <= 3) return each.join(', ');
  const cjk = /[\p{Script=Han}]/u.test(names[0]!);
  return `${each.slice(0, 3).join(', ')}, ${cjk ? '等' : 'et al'}`;
}

/** What a citation needs of an article: front matter `source`/`url` first, then the body's source, then the canonical URL. */
export function citationFields(article: Article, site: string, accessed: string): CitationFields {
  const title = typeof article.meta.title === 'string' || typeof article.meta.title === 'number' ? String(article.meta.title).trim() : '';
  const url = [article.meta.source, article.meta.url, article.source, article.url].find(isWebUrl)?.trim() ?? null;
  return {
    title: title ? article.title : (article.path.split('/').pop() ?? article.path),
    untitled: !title,
    site,
    author: authorsOf(article.meta.author).join(', ') || null,
    authors: authorsOf(article.meta.author),
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
  const parts = [f.authors.length ? close(gbAuthors(f.authors)) : '', `${title}[EB/OL].`, `${f.site}${date}[${f.accessed}].`, f.url ? `${f.url}.` : ''];
  return parts.filter(Boolean).join(' ');
}

/** `Author. (2021, December 8). Title. Site Name. URL` — no author: the title comes first; no date: `(n.d.)`. */
function apa(f: CitationFields): string {
  const p = day(f.date);
  const date = p ? `(${p.y}, ${MONTHS[p.m - 1]} ${p.d}).` : '(n.d.).';
  const title = close(f.untitled ? untitledEn(f) : bareTitle(f.title));
  const lead = f.authors.length ? [close(apaAuthors(f.authors)), date, title] : [title, date];
  return [...lead, close(f.site), f.url ?? ''].filter(Boolean).join(' ');
}

/** `Author. "Title." Site Name, December 8, 2021. URL.` — undated: `Accessed November 29, 2026.` */
function chicago(f: CitationFields): string {
  const inner = bareTitle(f.title).replace(/"([^"]*)"/g, '‘$1’').replace(/“([^”]*)”/g, '‘$1’');
  const title = f.untitled ? close(untitledEn(f)) : `“${close(inner)}”`;
  const published = english(f.date);
  const site = published ? `${f.site}, ${published}.` : `${close(f.site)} Accessed ${english(f.accessed)}.`;
  return [f.authors.length ? close(chicagoAuthors(f.authors)) : '', title, site, f.url ? `${f.url}.` : ''].filter(Boolean).join(' ');
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
