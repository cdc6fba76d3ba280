import { decodeText } from '../../core/decode';
import { resolveLocalPath } from '../../core/sanitize';

/** A local file a post points at, resolved inside the post's source. */
export interface LocalReference {
  /** Source-relative path, `/`-separated. */
  rel: string;
  /** Written as `/x/y` (relative to the site root) rather than relative to the post. */
  rootRelative: boolean;
}

/** How much of a post is searched for references (a post is rarely larger; a huge one is not read whole). */
export const REFERENCE_SCAN_BYTES = 8 * 1024 * 1024;

// Markdown: `![alt](src "title")`, `[text](<src with spaces>)`, and reference definitions `[id]: src`.
const MD_INLINE = /\]\(\s*(?:<([^>\n]*)>|([^()\s]+(?:\([^()\s]*\)[^()\s]*)*))/g;
const MD_DEFINITION = /^ {0,3}\[[^\]\n]+\]:\s*(?:<([^>\n]*)>|(\S+))/gm;
// HTML: the attributes that load or link a file.
const HTML_ATTRIBUTE = /\s(?:src|href|poster|data-src|data-original)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>`]+))/gi;
const HTML_SRCSET = /\ssrcset\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
// Jekyll's ways of naming the site's own files: `{{ site.baseurl }}/assets/x.png`,
// `{{ '/assets/x.png' | relative_url }}` and `{% link assets/x.png %}` all mean `/assets/x.png`.
const SITE_PREFIX = /\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}/g;
const URL_FILTER = /\{\{-?\s*(['"])([^'"{}]*)\1\s*\|\s*(?:relative_url|absolute_url)\s*-?\}\}/g;
const LINK_TAG = /\{%-?\s*link\s+\/?([^\s%]+)\s*-?%\}/g;

/**
 * The local files a post's text refers to (images, attachments, other pages), as paths inside the source.
 * References that leave the source, remote URLs and anchors are not returned. `postRel` is the post's
 * source-relative path. Never modifies or interprets anything else: the post is copied byte for byte.
 */
export function findLocalReferences(bytes: Uint8Array, postRel: string): LocalReference[] {
  const decoded = decodeText(bytes.subarray(0, REFERENCE_SCAN_BYTES));
  const text = decoded.text
    .replace(SITE_PREFIX, '')
    .replace(URL_FILTER, (_, _quote: string, url: string) => url)
    .replace(LINK_TAG, (_, target: string) => `/${target}`);
  const found = new Map<string, LocalReference>();
  const add = (raw: string | undefined) => {
    if (!raw) return;
    const src = decodeEntities(raw).trim();
    if (src === '' || src.startsWith('#') || src.includes('{{') || src.includes('{%')) return;
    const rel = resolveLocalPath(src, postRel);
    if (rel === null) return;
    const rootRelative = src.startsWith('/');
    found.set(`${rootRelative ? '/' : ''}${rel}`, { rel, rootRelative });
  };
  for (const m of text.matchAll(MD_INLINE)) add(m[1] ?? m[2]);
  for (const m of text.matchAll(MD_DEFINITION)) add(m[1] ?? m[2]);
  for (const m of text.matchAll(HTML_ATTRIBUTE)) add(m[1] ?? m[2] ?? m[3]);
  for (const m of text.matchAll(HTML_SRCSET)) {
    for (const candidate of (m[1] ?? m[2] ?? '').split(',')) add(candidate.trim().split(/\s+/)[0]);
  }
  return [...found.values()];
}

function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(amp|quot|apos|#39|#x27|lt|gt);/gi, (_, name: string) => {
    const map: Record<string, string> = { amp: '&', quot: '"', apos: "'", '#39': "'", '#x27': "'", lt: '<', gt: '>' };
    return map[name.toLowerCase()] ?? _;
  });
}
