/**
 * The HTML of a dossier: index.html (header, search box, results) and one page per article (its sanitised HTML,
 * metadata, citations and canonical URL), in English or Chinese. Pure strings; the writer puts them on disk.
 * Every page carries a Content-Security-Policy that allows only the dossier's own files: no network request can
 * leave the folder, and remote images (kept in `data-remote-src` by the sanitiser, never in `src`) stay blocked.
 */
import type { ListQuery } from '../../shared/archive-api';
import { escapeAttribute, escapeText } from '../html-escape';

export type DossierLang = 'en' | 'zh';

/**
 * Measured from file:// in Chromium and Firefox ESR 153 (tests/e2e/dossier-{file,firefox}.test.ts): 'self' allows
 * the page's sibling files (scripts, styles, images); nothing else loads (http, https, data:, blob:, inline scripts
 * and styles).
 */
export const DOSSIER_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'";

export const DOSSIER_STRINGS = {
  en: {
    dossier: 'Dossier',
    from: 'From the archive',
    query: 'Query',
    filters: 'Filters',
    category: 'Category',
    uncategorised: 'Uncategorised',
    year: 'Date',
    undatedFilter: 'Undated',
    tag: 'Tag',
    untagged: 'Untagged',
    allTags: 'all of',
    anyTag: 'any of',
    withHidden: 'Unpublished posts included',
    everything: '(everything)',
    checked: '(posts chosen one by one)',
    made: 'Made',
    postsLabel: 'Posts',
    search: 'Search',
    results: 'Results',
    one: '1 result',
    many: '{n} results',
    more: 'Show more',
    loading: 'Loading the search…',
    noScript: 'Searching needs JavaScript; every article is listed below.',
    back: '← All results',
    date: 'Date',
    undated: 'Undated',
    categories: 'Categories',
    tags: 'Tags',
    url: 'URL',
    original: 'Original',
    cite: 'Cite',
    gb7714: 'GB/T 7714-2015',
    apa: 'APA 7',
    remoteBlocked: 'Remote images of this article are not shown (the dossier never loads anything from the network).',
    syntax: 'Words must all match; "exact phrase", -exclude, a OR b, title:, tag:, category:, after:, before: as in Backfile.',
  },
  zh: {
    dossier: '资料包',
    from: '来源档案',
    query: '检索式',
    filters: '筛选条件',
    category: '分类',
    uncategorised: '未分类',
    year: '日期',
    undatedFilter: '无日期',
    tag: '标签',
    untagged: '无标签',
    allTags: '全部包含',
    anyTag: '包含任一',
    withHidden: '包括未发布文章',
    everything: '（全部）',
    checked: '（逐篇选定的文章）',
    made: '生成日期',
    postsLabel: '文章数',
    search: '搜索',
    results: '结果',
    one: '1 条结果',
    many: '{n} 条结果',
    more: '显示更多',
    loading: '正在加载搜索…',
    noScript: '搜索需要 JavaScript；下面列出全部文章。',
    back: '← 全部结果',
    date: '日期',
    undated: '无日期',
    categories: '分类',
    tags: '标签',
    url: '网址',
    original: '原文',
    cite: '引用',
    gb7714: 'GB/T 7714-2015',
    apa: 'APA 7',
    remoteBlocked: '本文的远程图片不显示（资料包从不联网加载任何内容）。',
    syntax: '所有词都须匹配；"精确短语"、-排除、a OR b、title:、tag:、category:、after:、before: 与 Backfile 相同。',
  },
} as const;

function head(lang: DossierLang, title: string, prefix: string): string {
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${DOSSIER_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeText(title)}</title>
<link rel="stylesheet" href="${prefix}dossier.css">
</head>`;
}

export interface DossierIndexPage {
  lang: DossierLang;
  archiveName: string;
  /** The query the selection came from ('' for everything), or null for posts checked one by one. */
  query: string | null;
  /** The tree selections the selection came from, as `describeFilters` words them (none: the line is left out). */
  filters?: string[];
  /** `YYYY-MM-DD`. */
  madeAt: string;
  /** Every article, in the dossier's order (shown before the script runs, and without JavaScript). */
  docs: { href: string; title: string; date: string | null }[];
}

export function indexPage(p: DossierIndexPage): string {
  const s = DOSSIER_STRINGS[p.lang];
  const title = `${s.dossier}: ${p.archiveName}`;
  const items = p.docs
    .map((d) => `<li><a href="${escapeAttribute(d.href)}">${escapeText(d.title)}</a><div class="meta">${escapeText(d.date?.slice(0, 10) ?? '')}</div></li>`)
    .join('\n');
  return `${head(p.lang, title, '')}
<body>
<header>
<h1>${escapeText(title)}</h1>
<dl class="facts">
<dt>${s.from}</dt><dd>${escapeText(p.archiveName)}</dd>
<dt>${s.query}</dt><dd>${p.query === null ? s.checked : p.query.trim() ? `<code>${escapeText(p.query)}</code>` : s.everything}</dd>
${p.filters && p.filters.length > 0 ? `<dt>${s.filters}</dt><dd>${p.filters.map(escapeText).join('; ')}</dd>\n` : ''}<dt>${s.made}</dt><dd><time datetime="${escapeAttribute(p.madeAt)}">${escapeText(p.madeAt)}</time></dd>
<dt>${s.postsLabel}</dt><dd>${p.docs.length.toLocaleString(p.lang)}</dd>
</dl>
</header>
<main>
<search>
<input id="q" type="search" aria-label="${s.search}" placeholder="${s.search}" autocomplete="off" spellcheck="false" disabled>
<p class="hint">${escapeText(s.syntax)}</p>
</search>
<p id="status" role="status" data-one="${escapeAttribute(s.one)}" data-many="${escapeAttribute(s.many)}">${escapeText(s.loading)}</p>
<noscript><p>${escapeText(s.noScript)}</p></noscript>
<ol id="results" aria-label="${s.results}">
${items}
</ol>
<button id="more" type="button" hidden>${s.more}</button>
</main>
<script src="lunr.min.js"></script>
<script src="dossier-data.js"></script>
<script src="dossier.js"></script>
</body>
</html>
`;
}

export interface DossierArticlePage {
  lang: DossierLang;
  archiveName: string;
  title: string;
  date: string | null;
  categories: string[];
  tags: string[];
  /** Sanitised HTML, local images pointing into the dossier. */
  html: string;
  hasRemoteContent: boolean;
  /** The canonical URL (`_config.yml`) and the post's own source link, where known. */
  url: string | null;
  source: string | null;
  citations: { gb7714: string; apa: string };
}

const link = (url: string): string =>
  /^https?:\/\//i.test(url) ? `<a href="${escapeAttribute(url)}" rel="noopener noreferrer">${escapeText(url)}</a>` : escapeText(url);

export function articlePage(p: DossierArticlePage): string {
  const s = DOSSIER_STRINGS[p.lang];
  const facts = [
    `<dt>${s.date}</dt><dd>${p.date ? `<time datetime="${escapeAttribute(p.date)}">${escapeText(p.date)}</time>` : s.undated}</dd>`,
    p.categories.length > 0 ? `<dt>${s.categories}</dt><dd>${escapeText(p.categories.join(' › '))}</dd>` : '',
    p.tags.length > 0 ? `<dt>${s.tags}</dt><dd>${p.tags.map((t) => `<span class="tag">${escapeText(t)}</span>`).join(' ')}</dd>` : '',
    p.url ? `<dt>${s.url}</dt><dd>${link(p.url)}</dd>` : '',
    p.source && p.source !== p.url ? `<dt>${s.original}</dt><dd>${link(p.source)}</dd>` : '',
  ].filter(Boolean).join('\n');
  return `${head(p.lang, p.title, '../')}
<body class="article">
<nav><a href="../index.html">${s.back}</a> <span class="from">${escapeText(p.archiveName)}</span></nav>
<article>
<h1>${escapeText(p.title)}</h1>
<dl class="facts">
${facts}
</dl>
${p.hasRemoteContent ? `<p class="remote">${escapeText(s.remoteBlocked)}</p>\n` : ''}<div class="body">
${p.html}
</div>
</article>
<section class="cite" aria-label="${s.cite}">
<h2>${s.cite}</h2>
<dl>
<dt>${s.gb7714}</dt><dd>${escapeText(p.citations.gb7714)}</dd>
<dt>${s.apa}</dt><dd>${escapeText(p.citations.apa)}</dd>
</dl>
</section>
</body>
</html>
`;
}

export const DOSSIER_CSS = `:root { color-scheme: light dark; --fg: #1d1d1f; --muted: #6e6e73; --bg: #fff; --line: #d8d8dc; --accent: #0b62c4; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8ed; --muted: #a1a1a6; --bg: #1c1c1e; --line: #3a3a3c; --accent: #6cb4ff; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 52rem; padding: 1.5rem 1.25rem 4rem; font: 16px/1.7 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
h1 { font-size: 1.6rem; line-height: 1.3; margin: 0 0 .75rem; }
h2 { font-size: 1.1rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem; color: var(--muted); font-size: .92rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
#q { width: 100%; font: inherit; font-size: 1.1rem; padding: .55rem .8rem; border: 1px solid var(--line); border-radius: 8px; background: var(--bg); color: var(--fg); }
.hint { color: var(--muted); font-size: .82rem; margin: .35rem 0 1rem; }
#status { font-weight: 600; margin: 0 0 .5rem; }
#results { list-style: none; padding: 0; margin: 0; }
#results li { padding: .6rem 0; border-bottom: 1px solid var(--line); }
#results li > a { font-size: 1.05rem; font-weight: 600; text-decoration: none; }
#results li > a:hover { text-decoration: underline; }
#more { margin: 1rem 0; font: inherit; padding: .4rem 1rem; border: 1px solid var(--line); border-radius: 8px; background: var(--bg); color: var(--accent); cursor: pointer; }
.meta { color: var(--muted); font-size: .85rem; }
#results p { margin: .2rem 0 0; font-size: .92rem; }
nav { margin-bottom: 1rem; font-size: .92rem; }
nav .from { color: var(--muted); margin-left: .75rem; }
.tag { display: inline-block; padding: 0 .45rem; margin: 0 .2rem .2rem 0; border: 1px solid var(--line); border-radius: 999px; font-size: .85rem; }
.body img { max-width: 100%; height: auto; }
.body pre { overflow-x: auto; }
.body table { border-collapse: collapse; }
.body td, .body th { border: 1px solid var(--line); padding: .2rem .4rem; }
.remote { color: var(--muted); font-size: .85rem; border-left: 3px solid var(--line); padding-left: .6rem; }
.cite { margin-top: 2rem; padding-top: 1rem; border-top: 1px solid var(--line); font-size: .92rem; }
.cite dt { font-weight: 600; }
.cite dd { margin: 0 0 .6rem; overflow-wrap: anywhere; }
`;

/** The tree selections of a ListQuery in words for a dossier's header (`Category: Politics › Local`, `Tag: all of a, b`). */
export function describeFilters(q: Pick<ListQuery, 'category' | 'year' | 'month' | 'tag' | 'tags' | 'tagMode' | 'includeHidden'>, lang: DossierLang): string[] {
  const s = DOSSIER_STRINGS[lang];
  const out: string[] = [];
  if (q.category === null) out.push(`${s.category}: ${s.uncategorised}`);
  else if (q.category && q.category.length > 0) out.push(`${s.category}: ${q.category.join(' › ')}`);
  if (q.year === null) out.push(`${s.year}: ${s.undatedFilter}`);
  else if (typeof q.year === 'number') out.push(`${s.year}: ${q.year}${typeof q.month === 'number' ? `-${String(q.month).padStart(2, '0')}` : ''}`);
  if (q.tag === null) out.push(`${s.tag}: ${s.untagged}`);
  const tags = [...(typeof q.tag === 'string' && q.tag.trim() ? [q.tag] : []), ...(q.tags ?? [])];
  if (tags.length === 1) out.push(`${s.tag}: ${tags[0]}`);
  else if (tags.length > 1) out.push(`${s.tag}: ${q.tagMode === 'any' ? s.anyTag : s.allTags} ${tags.join(', ')}`);
  if (q.includeHidden) out.push(s.withHidden);
  return out;
}
