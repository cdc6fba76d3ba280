/**
 * Marks the current search terms in an article body that is already in the DOM. Only text nodes change:
 * a term is never searched for inside tags or attributes, and text already inside a `<mark>` is left alone.
 */
const HAN = /\p{Script=Han}/u;
const OPERATORS = new Set(['AND', 'OR', 'NOT']);
const TOKEN = /-?(?:[A-Za-z_]+:)?(?:"[^"]*"?|\S+)/g;
const SKIP_INSIDE = new Set(['MARK', 'SCRIPT', 'STYLE', 'TEMPLATE', 'TEXTAREA']);

/** The words and phrases of a query worth marking: no operators, no excluded (`-word`) terms, no field prefixes. */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const raw of query.match(TOKEN) ?? []) {
    if (raw.startsWith('-') || OPERATORS.has(raw)) continue;
    const withoutField = raw.replace(/^[A-Za-z_]+:(?!\/\/)/, '');
    const term = withoutField.replace(/^["'(（“]+|["')）”*]+$/g, '').trim();
    if (!term) continue;
    // A single Latin letter would light up the whole page; a single Han character is a real word.
    if (term.length < 2 && !HAN.test(term)) continue;
    terms.add(term);
  }
  return [...terms];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Latin terms match at the start of a word (`run` marks `running`); Han terms match anywhere (no spaces in Chinese). */
function termPattern(term: string): string {
  const escaped = escapeRegExp(term);
  return /^[\p{L}\p{N}]/u.test(term) && !HAN.test(term[0] ?? '') ? `(?<![\\p{L}\\p{N}])${escaped}` : escaped;
}

/**
 * The terms as they can be found in this text. A long Han term the index matched by its pieces (the index
 * splits Chinese into overlapping pairs) is marked by those pieces when it does not appear whole.
 */
function findableTerms(text: string, terms: string[]): string[] {
  const lower = text.toLowerCase();
  const result = new Set<string>();
  for (const term of terms) {
    if (lower.includes(term.toLowerCase())) {
      result.add(term);
    } else if (HAN.test(term) && term.length > 2) {
      for (let i = 0; i + 2 <= term.length; i += 1) {
        const pair = term.slice(i, i + 2);
        if (lower.includes(pair.toLowerCase())) result.add(pair);
      }
    }
  }
  return [...result];
}

function insideSkipped(node: Node, root: Node): boolean {
  for (let el = node.parentElement; el && el !== root; el = el.parentElement) {
    if (SKIP_INSIDE.has(el.tagName)) return true;
  }
  return false;
}

/** Wraps every occurrence of the terms in `<mark class="search-hit">`. Returns the number of marks added. */
export function highlightTerms(root: HTMLElement, terms: string[]): number {
  const doc = root.ownerDocument;
  const found = findableTerms(root.textContent ?? '', terms);
  if (found.length === 0) return 0;
  // Longest first, so a phrase wins over a word it contains.
  found.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(found.map(termPattern).join('|'), 'giu');

  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
  const textNodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!insideSkipped(node, root)) textNodes.push(node as Text);
  }

  let marks = 0;
  for (const node of textNodes) {
    const text = node.data;
    pattern.lastIndex = 0;
    let match = pattern.exec(text);
    if (!match) continue;
    const fragment = doc.createDocumentFragment();
    let last = 0;
    while (match) {
      if (match[0].length === 0) {
        pattern.lastIndex += 1;
      } else {
        if (match.index > last) fragment.append(doc.createTextNode(text.slice(last, match.index)));
        const mark = doc.createElement('mark');
        mark.className = 'search-hit';
        mark.textContent = match[0];
        fragment.append(mark);
        marks += 1;
        last = match.index + match[0].length;
      }
      match = pattern.exec(text);
    }
    if (last < text.length) fragment.append(doc.createTextNode(text.slice(last)));
    node.replaceWith(fragment);
  }
  return marks;
}
