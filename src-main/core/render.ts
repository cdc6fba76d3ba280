/**
 * A post body → safe HTML for the viewer, plain text for the index, and the article's source URL.
 * Liquid is removed first (it is never executed), then Markdown is rendered (HTML posts are taken as they are),
 * then everything goes through the sanitiser; the text is read from the sanitised HTML, so the index holds
 * exactly what the reader can see.
 */
import { escapeText } from './html-escape';
import { KEPT_TAGS } from './html-tags';
import { htmlToText } from './html-text';
import { stripLiquid } from './liquid';
import { linkAutolinkLines, renderMarkdown } from './markdown';
import { sanitizeArticleHtml } from './sanitize';
import type { RenderedBody, RenderOptions } from './types';

/** Never throws: a body that cannot be rendered shows as escaped plain text. */
export function renderBody(body: string, format: 'markdown' | 'html', options: RenderOptions): RenderedBody {
  return render(body, format, options, false);
}

/**
 * What the index needs of a body: the same `text` and `source` as renderBody, without the HTML (`html` is '' and
 * `hasRemoteContent` false). The sanitiser is skipped when it could not change the text (keepsText), which
 * saves about a third of the rendering time of a typical post.
 */
export function renderText(body: string, format: 'markdown' | 'html'): RenderedBody {
  return render(body, format, { postPath: '' }, true);
}

function render(body: string, format: 'markdown' | 'html', options: RenderOptions, textOnly: boolean): RenderedBody {
  const input = typeof body === 'string' ? body : String(body ?? '');
  const renderOptions: RenderOptions = {
    postPath: typeof options?.postPath === 'string' ? options.postPath : '',
    assetUrl: typeof options?.assetUrl === 'function' ? options.assetUrl : undefined,
  };
  try {
    const withoutLiquid = stripLiquid(input, format === 'html' ? 'html' : 'markdown');
    const raw = format === 'html' ? linkAutolinkLines(withoutLiquid) : renderMarkdown(withoutLiquid);
    if (textOnly && keepsText(raw.html)) return { html: '', text: htmlToText(raw.html), source: raw.source, hasRemoteContent: false };
    const { html, hasRemoteContent } = sanitizeArticleHtml(raw.html, renderOptions);
    return textOnly
      ? { html: '', text: htmlToText(html), source: raw.source, hasRemoteContent: false }
      : { html, text: htmlToText(html), source: raw.source, hasRemoteContent };
  } catch {
    return plainFallback(input);
  }
}

/**
 * Tags the sanitiser keeps as they are (its allow-list in sanitize.ts, less nothing; tests/core/render.test.ts
 * checks each is kept). Attributes it changes or drops never reach the text.
 */
/** The elements the sanitiser keeps with their content (html-tags.ts). */
const KEPT = new Set(KEPT_TAGS);
/** Every tag as the HTML tokenizer starts one (`<` or `</` and an ASCII letter), name up to whitespace, `/` or `>`. */
const TAG = /<\/?([A-Za-z][^\t\n\f\r />]*)/g;
/** Entities that every HTML parser version decodes alike; any other `&…` takes the sanitiser's path. */
const ENTITY = /&(?:#[0-9]{1,6};|#[xX][0-9a-fA-F]{1,6};|amp;|lt;|gt;|quot;|nbsp;)?/g;
/** Under the sanitiser's nestingLimit (100) whatever the nesting: each element is opened by one tag at most. */
const MAX_TAGS = 90;

/**
 * Would htmlToText(sanitize(html)) equal htmlToText(html)? True only when nothing the sanitiser removes or
 * changes could show in the text: every tag is one it keeps (so no script, style, form or other element whose
 * content it drops, and no dropped block element whose line break would go), too few tags to reach its nesting
 * limit, no `<` that is not a tag, and only plain entities (the sanitiser parses with an older htmlparser2 than
 * html-text.ts, which reads comments, bogus tags and rarer entities differently). Conservative: anything else
 * is sanitised as for display.
 */
export function keepsText(html: string): boolean {
  if (html.includes('&')) {
    for (const m of html.matchAll(ENTITY)) {
      if (m[0] === '&' && /[#0-9A-Za-z]/.test(html[m.index + 1] ?? '')) return false;
    }
  }
  let tags = 0;
  for (const m of html.matchAll(TAG)) {
    if (++tags > MAX_TAGS || !KEPT.has(m[1]!.toLowerCase())) return false;
  }
  // Any other `<` (a comment, `</ p>`, `<!DOCTYPE`, a bare `<`) is read differently by the two htmlparser2 versions.
  let lessThan = 0;
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) lessThan++;
  return lessThan === tags;
}

function plainFallback(body: string): RenderedBody {
  const lines = body.split(/\r?\n/).map((line) => line.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const escaped = lines.map(escapeText);
  return {
    html: escaped.map((line) => `<p>${line}</p>`).join('\n'),
    text: lines.join('\n'),
    source: null,
    hasRemoteContent: false,
  };
}
