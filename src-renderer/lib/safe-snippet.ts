/**
 * Snippets come from the core as escaped text with matched terms in `<mark>…</mark>`. They are inserted as HTML,
 * so this is the last check before `dangerouslySetInnerHTML`: every `<`, `>`, `"` and stray `&` is escaped again,
 * except the two exact tags `<mark>` and `</mark>` and well-formed character references (already escaped text).
 * Whatever the core sends, the result can hold no element other than `mark` and no attribute at all.
 *
 * ESCAPES repeats the table of src-main/core/html-escape.ts (escapeHtml): the renderer may import only types from
 * src-main (lint). tests/renderer/safe-snippet.test.ts checks that the two escape alike.
 */
const TOKEN = /<mark>|<\/mark>|&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});|[<>"'&]/gi;

const ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '&': '&amp;' };

export function safeSnippet(html: string): string {
  let open = 0;
  const out = html.replace(TOKEN, (token) => {
    const lower = token.toLowerCase();
    if (lower === '<mark>') {
      open += 1;
      return '<mark>';
    }
    if (lower === '</mark>') {
      // A closing tag without an opening one would be dropped by the parser anyway; show nothing for it.
      if (open === 0) return '';
      open -= 1;
      return '</mark>';
    }
    return ESCAPES[token] ?? token;
  });
  // Close what the core left open, so a mark cannot spill into the markup around the snippet.
  return out + '</mark>'.repeat(open);
}
