/**
 * Find in the open article, in the DOM of its body: wrap each occurrence of the reader's text in
 * `<mark class="find-match">` (case-insensitive, within one text node), and undo it. The core's own search marks
 * (`<mark>` without that class) are left alone and can be listed with `searchMarks`.
 */
export const FIND_CLASS = 'find-match';
export const CURRENT_CLASS = 'find-current';

/** Removes the find marks, restoring the text nodes they split. */
export function clearFindMarks(root: HTMLElement): void {
  for (const mark of root.querySelectorAll(`mark.${FIND_CLASS}`)) {
    const parent = mark.parentNode;
    if (!parent) continue;
    parent.replaceChild(document.createTextNode(mark.textContent ?? ''), mark);
    parent.normalize();
  }
  for (const el of root.querySelectorAll(`.${CURRENT_CLASS}`)) el.classList.remove(CURRENT_CLASS);
}

/** Offsets of `needle` in `text`, ignoring case where lower-casing keeps the length (it does for CJK and ASCII). */
function occurrences(text: string, needle: string): number[] {
  const lowerText = text.toLowerCase();
  const lowerNeedle = needle.toLowerCase();
  const caseless = lowerText.length === text.length && lowerNeedle.length === needle.length;
  const hay = caseless ? lowerText : text;
  const pin = caseless ? lowerNeedle : needle;
  const found: number[] = [];
  for (let i = hay.indexOf(pin); i >= 0; i = hay.indexOf(pin, i + pin.length)) found.push(i);
  return found;
}

/** Marks every occurrence of `needle` in `root`'s text, in document order; an empty needle marks nothing. */
export function markText(root: HTMLElement, needle: string): HTMLElement[] {
  clearFindMarks(root);
  if (!needle) return [];
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  while (walker.nextNode()) nodes.push(walker.currentNode as Text);
  const marks: HTMLElement[] = [];
  for (const node of nodes) {
    const found = occurrences(node.data, needle);
    const inNode: HTMLElement[] = [];
    // From the last occurrence back, so the offsets of earlier ones stay valid in the shrinking head node.
    for (let k = found.length - 1; k >= 0; k -= 1) {
      const match = node.splitText(found[k] as number);
      match.splitText(needle.length);
      const mark = root.ownerDocument.createElement('mark');
      mark.className = FIND_CLASS;
      match.replaceWith(mark);
      mark.append(match);
      inNode.unshift(mark);
    }
    marks.push(...inNode);
  }
  return marks;
}

/** The core's marks of the search terms (not the reader's highlights, `mark.hl`). */
export function searchMarks(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(`mark:not(.${FIND_CLASS}):not(.hl)`)];
}

/** Makes `matches[index]` the current one and scrolls it to the middle of the reading pane. */
export function showMatch(matches: readonly HTMLElement[], index: number): void {
  matches.forEach((m, i) => m.classList.toggle(CURRENT_CLASS, i === index));
  matches[index]?.scrollIntoView?.({ block: 'center' });
}
