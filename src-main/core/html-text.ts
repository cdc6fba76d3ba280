/**
 * Plain text from HTML, for the search index, excerpts and snippets: every piece of readable text, no markup.
 * Block elements end a line; inside a line whitespace collapses to one space (markup line breaks are just
 * whitespace, as in a browser); inside `<pre>` line breaks are kept. Empty lines are dropped.
 * Not text: the content of script/style and other non-rendered elements, and image alt text (in scraped news
 * it is mostly "Image" or a stock code, which would pollute excerpts and search). Nor are link targets and
 * Markdown left unrendered (in raw HTML blocks and HTML posts): bare URLs are dropped and `[label](url)` keeps only
 * its label (see withoutLinkNoise), outside `<pre>`.
 */
import { Parser } from 'htmlparser2';
import { DROPPED_WITH_CONTENT } from './html-tags';

const BREAK = '\n';

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'center', 'dd', 'details', 'div', 'dl', 'dt',
  'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav',
  'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'ul',
]);
const CELL = new Set(['td', 'th']);
/** Elements whose content is never shown as text: those the sanitiser drops with their content (html-tags.ts). */
const HIDDEN = new Set(DROPPED_WITH_CONTENT);

export function htmlToText(html: string): string {
  const parts: string[] = [];
  let hiddenDepth = 0;
  let preDepth = 0;
  // Running text outside <pre>, across inline elements, cleaned as one piece (a link's label may sit in an <a>).
  let pending = '';
  const flush = () => {
    if (pending) parts.push(withoutLinkNoise(pending));
    pending = '';
  };
  const parser = new Parser(
    {
      onopentag(name) {
        // htmlparser2 closes every element it opens (void and implied ones too), so depths stay balanced.
        if (hiddenDepth > 0 || HIDDEN.has(name)) {
          hiddenDepth++;
          return;
        }
        if (name === 'pre' || BLOCK.has(name)) flush();
        if (name === 'pre') preDepth++;
        if (BLOCK.has(name)) parts.push(BREAK);
      },
      onclosetag(name) {
        if (hiddenDepth > 0) {
          hiddenDepth--;
          return;
        }
        if (name === 'pre' || BLOCK.has(name) || CELL.has(name)) flush();
        if (name === 'pre' && preDepth > 0) preDepth--;
        if (BLOCK.has(name)) parts.push(BREAK);
        else if (CELL.has(name)) parts.push(' ');
      },
      ontext(text) {
        if (hiddenDepth > 0) return;
        // Outside <pre>, a line break in the markup is whitespace; inside, it is a line of the text.
        if (preDepth > 0) parts.push(text.replace(/\r\n?/g, BREAK));
        else pending += text.replace(/[\r\n]+/g, ' ');
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  flush();

  const lines: string[] = [];
  for (const line of parts.join('').split(BREAK)) {
    const collapsed = line.replace(/\s+/g, ' ').trim();
    if (collapsed) lines.push(collapsed);
  }
  return lines.join('\n');
}

/** A URL as written in running text: up to whitespace, a quote, an angle bracket or CJK punctuation. */
const URL_TEXT = /\b(?:https?|ftp):\/\/[^\s<>"'\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f\uff3b-\uff40\uff5b-\uff65]+/gi;
/** `![alt](url)`: an image the Markdown renderer never saw. */
const MD_IMAGE = /!\[[^\]\n]*\]\([^()\s]*(?:\s+"[^"\n]*")?\)/g;
/** `[label](url "title")` and `[label][ref]`: keep the label. */
const MD_LINK = /\[([^\]\n]+)\](?:\([^()\s]*(?:\s+"[^"\n]*")?\)|\[[^\]\n]*\])/g;
/** `[ref]: url` once the URL is gone. */
const MD_DEFINITION = /\[[^\]\n]{1,40}\]:(?=\s|$)/g;
/** Brackets left empty once their URL is gone: `()`, `（）`, `<>`, `[]`. */
const EMPTY_BRACKETS = /\(\s*\)|（\s*）|<\s*>|\[\s*\]/g;

/**
 * Running text without what a reader does not read as text: Markdown image and link syntax (the label stays),
 * reference definitions and bare URLs (a link's target, or a URL as its own label). Exported for tests.
 */
export function withoutLinkNoise(text: string): string {
  if (!text.includes('://') && !text.includes('](') && !text.includes('][')) return text;
  return text
    .replace(MD_IMAGE, '')
    .replace(MD_LINK, '$1')
    .replace(URL_TEXT, '')
    .replace(MD_DEFINITION, '')
    .replace(EMPTY_BRACKETS, '');
}
