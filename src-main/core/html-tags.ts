/**
 * The sanitiser's tag lists, written once: sanitize.ts enforces them, render.ts (keepsText) and html-text.ts
 * read the same lists, so what the index holds as text and what the reader shows cannot drift apart.
 */

/** The only elements an article keeps (with their content); any other tag is dropped and its text kept. */
export const KEPT_TAGS: readonly string[] = [
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'a', 'img',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'code', 'kbd', 'q', 'cite',
  'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'mark', 'small',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'figure', 'figcaption', 'div', 'span',
];

/** Dropped together with everything inside them: code, styling, embedded documents, forms, foreign content. */
export const DROPPED_WITH_CONTENT: readonly string[] = [
  'script', 'style', 'iframe', 'object', 'embed', 'applet', 'form', 'input', 'textarea', 'select', 'option',
  'button', 'svg', 'math', 'template', 'noscript', 'noembed', 'noframes', 'xmp', 'base', 'meta', 'link',
  'frame', 'frameset', 'head', 'title', 'audio', 'video', 'canvas', 'map',
];
