/**
 * Plain text from HTML, for the search index, excerpts and snippets: every piece of readable text, no markup.
 * Block elements end a line; inside a line whitespace collapses to one space (markup line breaks are just
 * whitespace, as in a browser); inside `<pre>` line breaks are kept. Empty lines are dropped.
 * Not text: the content of script/style and other non-rendered elements, and image alt text (in scraped news
 * it is mostly "Image" or a stock code, which would pollute excerpts and search).
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
  const parser = new Parser(
    {
      onopentag(name) {
        // htmlparser2 closes every element it opens (void and implied ones too), so depths stay balanced.
        if (hiddenDepth > 0 || HIDDEN.has(name)) {
          hiddenDepth++;
          return;
        }
        if (name === 'pre') preDepth++;
        if (BLOCK.has(name)) parts.push(BREAK);
      },
      onclosetag(name) {
        if (hiddenDepth > 0) {
          hiddenDepth--;
          return;
        }
        if (name === 'pre' && preDepth > 0) preDepth--;
        if (BLOCK.has(name)) parts.push(BREAK);
        else if (CELL.has(name)) parts.push(' ');
      },
      ontext(text) {
        if (hiddenDepth > 0) return;
        // Outside <pre>, a line break in the markup is whitespace; inside, it is a line of the text.
        parts.push(preDepth > 0 ? text.replace(/\r\n?/g, BREAK) : text.replace(/[\r\n]+/g, ' '));
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();

  const lines: string[] = [];
  for (const line of parts.join('').split(BREAK)) {
    const collapsed = line.replace(/\s+/g, ' ').trim();
    if (collapsed) lines.push(collapsed);
  }
  return lines.join('\n');
}
