/**
 * HTML escaping and entity decoding, written once for the main side (Markdown, Liquid, snippets, the plain
 * fallback, article highlighting, the CLI). The renderer cannot import it at run time (lint: type-only imports
 * from src-main) and keeps a copy in src-renderer/lib/safe-snippet.ts; tests/renderer/safe-snippet.test.ts
 * checks that the two agree.
 */

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeChar = (c: string): string => ESCAPES[c]!;

/** Text for between tags: `&`, `<` and `>` escaped; quotes left as they are. */
export const escapeText = (text: string): string => text.replace(/[&<>]/g, escapeChar);

/** Text for a double-quoted attribute value (and between tags): `&`, `<`, `>` and `"` escaped. */
export const escapeAttribute = (text: string): string => text.replace(/[&<>"]/g, escapeChar);

/** Text safe anywhere in markup, quoted attributes of either kind included: `&`, `<`, `>`, `"` and `'` escaped. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, escapeChar);

const UNESCAPES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(ESCAPES).map(([c, e]) => [e, c]));

/** The exact inverse of escapeHtml (and of escapeText, escapeAttribute): only the five references they write. */
export const unescapeHtml = (html: string): string => html.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => UNESCAPES[entity]!);

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * Character references in text between tags decoded: every numeric one (`&#60;`, `&#x3c;`) and the few names
 * sanitised HTML holds (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;`, any case). Anything else stays.
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED[name.toLowerCase()] ?? entity;
  });
}
