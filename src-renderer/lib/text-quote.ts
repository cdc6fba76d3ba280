/**
 * Highlights anchored by text, like the W3C Web Annotation `TextQuoteSelector`: the exact passage plus up to 32
 * characters before and after it, taken from the article body's text content. A highlight is found again by that
 * quote every time the article is drawn (never by DOM offsets, which change with every re-render), then wrapped
 * in `<mark class="hl">` elements, one per text node it crosses.
 */

export const CONTEXT_CHARS = 32;

export interface TextQuote {
  exact: string;
  prefix: string;
  suffix: string;
}

/** The text nodes under `root`, in document order, with where each starts in the root's text content. */
function textNodes(root: Node): { node: Text; start: number }[] {
  const doc = root.ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  const out: { node: Text; start: number }[] = [];
  let at = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n as Text;
    out.push({ node: text, start: at });
    at += text.data.length;
  }
  return out;
}

/** The offset in `root`'s text content of a DOM position (a node and an offset in it). */
function textOffset(root: Node, container: Node, offset: number): number {
  const range = (root.ownerDocument ?? (root as Document)).createRange();
  range.setStart(root, 0);
  range.setEnd(container, offset);
  return range.toString().length;
}

/** The quote of a range inside `root`, or null when the range is empty or leaves `root`. */
export function quoteOfRange(root: HTMLElement, range: Range): TextQuote | null {
  if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
  const start = textOffset(root, range.startContainer, range.startOffset);
  const end = textOffset(root, range.endContainer, range.endOffset);
  if (end <= start) return null;
  const text = root.textContent ?? '';
  let s = start;
  let e = end;
  // Spaces at the ends of a selection are not part of the passage.
  while (s < e && /\s/.test(text[s]!)) s += 1;
  while (e > s && /\s/.test(text[e - 1]!)) e -= 1;
  if (e <= s) return null;
  return { exact: text.slice(s, e), prefix: text.slice(Math.max(0, s - CONTEXT_CHARS), s), suffix: text.slice(e, e + CONTEXT_CHARS) };
}

/** Where a quote is in `text`: the occurrence of `exact` whose surroundings agree best with prefix and suffix. */
export function findQuote(text: string, quote: TextQuote): { start: number; end: number } | null {
  if (!quote.exact) return null;
  let best: { start: number; score: number } | null = null;
  for (let i = text.indexOf(quote.exact); i !== -1; i = text.indexOf(quote.exact, i + 1)) {
    const score = sharedSuffix(text.slice(Math.max(0, i - quote.prefix.length), i), quote.prefix) +
      sharedPrefix(text.slice(i + quote.exact.length, i + quote.exact.length + quote.suffix.length), quote.suffix);
    if (!best || score > best.score) best = { start: i, score };
  }
  return best ? { start: best.start, end: best.start + quote.exact.length } : null;
}

function sharedPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

function sharedSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n += 1;
  return n;
}

/** Elements whose only valid children are elements: a `<mark>` there (around the whitespace between rows) breaks the markup. */
const NO_TEXT_PARENTS = new Set(['UL', 'OL', 'TABLE', 'THEAD', 'TBODY', 'TFOOT', 'TR', 'DL', 'SELECT']);

/**
 * Wraps the text from `start` to `end` of `root`'s text content in `<mark class="hl">` elements; whitespace-only
 * text between list items or table rows is left alone (it is still counted, so offsets stay those of textContent).
 */
function wrap(root: HTMLElement, start: number, end: number, id: string, title: string | null): void {
  const doc = root.ownerDocument;
  for (const { node, start: at } of textNodes(root)) {
    const length = node.data.length;
    const from = Math.max(start, at);
    const to = Math.min(end, at + length);
    if (from >= to) continue;
    if (node.data.trim() === '' && NO_TEXT_PARENTS.has(node.parentElement?.tagName.toUpperCase() ?? '')) continue;
    let piece = node;
    if (from > at) piece = piece.splitText(from - at);
    if (to < at + length) piece.splitText(to - from);
    const mark = doc.createElement('mark');
    mark.className = 'hl';
    mark.dataset.highlight = id;
    if (title) mark.title = title;
    piece.parentNode?.insertBefore(mark, piece);
    mark.appendChild(piece);
  }
}

/** Removes the highlight marks drawn earlier (their text goes back where it was). */
export function clearHighlights(root: HTMLElement): void {
  for (const mark of [...root.querySelectorAll('mark.hl')]) {
    const parent = mark.parentNode;
    if (!parent) continue;
    while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
    parent.removeChild(mark);
  }
  root.normalize();
}

/** Draws each highlight found in `root` by its quote; returns the ids of those not found (the text changed). */
export function drawHighlights(root: HTMLElement, highlights: (TextQuote & { id: string; comment?: string | null })[]): string[] {
  clearHighlights(root);
  const lost: string[] = [];
  for (const h of highlights) {
    const at = findQuote(root.textContent ?? '', h);
    if (!at) lost.push(h.id);
    else wrap(root, at.start, at.end, h.id, h.comment ?? null);
  }
  return lost;
}
