/**
 * A reader's note, Markdown, rendered for the notes panel. Notes are typed by the reader but may come from a
 * colleague's exported workspace, so they are treated as hostile: markdown-it with raw HTML off (every `<` is
 * escaped), no images (nothing is fetched), only http(s) and mailto links; then the result is parsed and every
 * element not on a short list, and every attribute but a link's `href`, is dropped (the same allowlist idea as
 * the core's sanitiser, which the renderer may not import). No script, handler or style can come through.
 */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, breaks: true });
md.disable(['image']);
md.validateLink = (url: string): boolean => /^(https?:|mailto:)/i.test(url.trim());

const ALLOWED = new Set([
  'P', 'BR', 'EM', 'STRONG', 'S', 'DEL', 'CODE', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'A', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HR',
  'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD',
]);

function clean(el: Element): void {
  for (const child of [...el.children]) {
    if (!ALLOWED.has(child.tagName)) {
      // Its text stays, as text.
      child.replaceWith(el.ownerDocument.createTextNode(child.textContent ?? ''));
      continue;
    }
    for (const attr of [...child.attributes]) {
      const keep = child.tagName === 'A' && attr.name === 'href' && /^(https?:|mailto:)/i.test(attr.value.trim());
      if (!keep) child.removeAttribute(attr.name);
    }
    clean(child);
  }
}

/** Safe HTML for a note (an element tree with no scripts, handlers, styles or fetched resources). */
export function renderNote(markdown: string, doc: Document = document): string {
  const template = doc.createElement('template');
  template.innerHTML = md.render(markdown);
  const holder = doc.createElement('div');
  holder.appendChild(template.content.cloneNode(true));
  clean(holder);
  return holder.innerHTML;
}
