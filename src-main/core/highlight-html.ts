/**
 * Marks search terms in an article's sanitised HTML with the same matching as the snippets (stems for English,
 * substrings for Chinese), so the body highlights exactly what the search matched. Only text between tags is
 * touched; tags and attributes pass through unchanged. Matches that span two elements are not marked.
 */
import { decodeEntities } from './html-escape';
import { highlightTerms } from './snippet';

/** Sanitised HTML in, the same HTML with `<mark>` around every match out. */
export function highlightHtml(html: string, highlight: readonly string[]): string {
  if (highlight.length === 0 || html.length === 0) return html;
  let out = '';
  let inRaw = false; // never mark inside a tag-like context such as <title> (the sanitiser leaves none, but be safe)
  for (const piece of html.split(/(<[^>]*>)/)) {
    if (piece.startsWith('<') && piece.endsWith('>')) {
      out += piece;
      if (/^<(script|style|textarea|title)\b/i.test(piece)) inRaw = true;
      else if (/^<\/(script|style|textarea|title)\b/i.test(piece)) inRaw = false;
    } else if (piece && !inRaw) {
      out += highlightTerms(decodeEntities(piece), highlight);
    } else {
      out += piece;
    }
  }
  return out;
}
