// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { clearHighlights, drawHighlights, findQuote, quoteOfRange } from '../../src-renderer/lib/text-quote';

function body(html: string): HTMLDivElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  document.body.appendChild(div);
  return div;
}

describe('text quote anchoring (W3C TextQuoteSelector)', () => {
  test('a selection across elements becomes exact + up to 32 characters of prefix and suffix, from the text content', () => {
    const root = body('<p>城市选举结束了。</p><p>The <em>council</em> met on Monday and voted.</p>');
    const em = root.querySelector('em')!;
    const range = document.createRange();
    range.setStart(em.firstChild!, 2); // "uncil"
    range.setEnd(root.querySelectorAll('p')[1]!.lastChild!, 8); // " met on "
    const quote = quoteOfRange(root, range)!;
    expect(quote.exact).toBe('uncil met on');
    expect(quote.prefix).toBe('城市选举结束了。The co');
    expect(quote.suffix).toBe(' Monday and voted.');
  });

  test('a range outside the root, or only spaces, is no quote', () => {
    const root = body('<p>a   b</p>');
    const other = body('<p>elsewhere</p>');
    const range = document.createRange();
    range.setStart(other.querySelector('p')!.firstChild!, 0);
    range.setEnd(other.querySelector('p')!.firstChild!, 4);
    expect(quoteOfRange(root, range)).toBeNull();
    const spaces = document.createRange();
    spaces.setStart(root.querySelector('p')!.firstChild!, 1);
    spaces.setEnd(root.querySelector('p')!.firstChild!, 4);
    expect(quoteOfRange(root, spaces)).toBeNull();
  });

  test('of several occurrences, the one whose context agrees is found', () => {
    const text = 'the result was close. A second count: the result was clear.';
    expect(findQuote(text, { exact: 'the result', prefix: 'second count: ', suffix: ' was clear' })).toEqual({ start: 38, end: 48 });
    expect(findQuote(text, { exact: 'the result', prefix: '', suffix: ' was close' })).toEqual({ start: 0, end: 10 });
    expect(findQuote(text, { exact: 'absent', prefix: '', suffix: '' })).toBeNull();
  });

  test('drawn as <mark class="hl"> over every text node it crosses, found again after the body is re-rendered', () => {
    const html = '<p>The <em>council</em> met on Monday.</p><p>It voted.</p>';
    const root = body(html);
    const h = { id: 'h1', exact: 'council met on Monday.It', prefix: 'The ', suffix: ' voted.', comment: 'key' };
    expect(drawHighlights(root, [h])).toEqual([]);
    const marks = [...root.querySelectorAll('mark.hl')];
    expect(marks.map((m) => m.textContent).join('')).toBe('council met on Monday.It');
    expect(marks.every((m) => (m as HTMLElement).dataset.highlight === 'h1' && (m as HTMLElement).title === 'key')).toBe(true);
    expect(root.querySelector('em mark.hl')?.textContent).toBe('council');
    // A new render (the same HTML): DOM offsets are gone, the quote is not.
    root.innerHTML = html;
    expect(drawHighlights(root, [h])).toEqual([]);
    expect(root.querySelectorAll('mark.hl').length).toBe(marks.length);
    clearHighlights(root);
    expect(root.innerHTML).toBe(html);
    expect(drawHighlights(root, [{ ...h, id: 'gone', exact: 'not in the text' }])).toEqual(['gone']);
  });

  test('a passage inside one text node is cut out of it exactly (the node is split at both ends)', () => {
    const root = body('<p>ended with a narrow result. Then</p>');
    drawHighlights(root, [{ id: 'h', exact: 'narrow result', prefix: 'with a ', suffix: '.' }]);
    expect(root.innerHTML).toBe('<p>ended with a <mark class="hl" data-highlight="h">narrow result</mark>. Then</p>');
  });
  test('a highlight across list items and table rows marks their text only, never the whitespace between rows', () => {
    const root = body('<ul>\n  <li>一号</li>\n  <li>二号</li>\n</ul><table><tbody>\n<tr>\n<td>甲</td>\n<td>乙</td>\n</tr>\n<tr><td>丙</td></tr>\n</tbody></table>');
    const text = root.textContent ?? '';
    const exact = text.slice(text.indexOf('一号'), text.indexOf('丙') + 1);
    expect(drawHighlights(root, [{ id: 'h1', exact, prefix: '', suffix: '' }])).toEqual([]);
    for (const mark of root.querySelectorAll('mark.hl')) {
      expect(['UL', 'OL', 'TABLE', 'TBODY', 'TR']).not.toContain(mark.parentElement!.tagName);
    }
    expect([...root.querySelectorAll('mark.hl')].map((m) => m.textContent).join('')).toContain('一号');
    expect(root.querySelector('tbody')!.children.length).toBe(2);
    expect([...root.querySelector('ul')!.children].every((c) => c.tagName === 'LI')).toBe(true);
    clearHighlights(root);
    expect(root.textContent).toBe(text);
  });
});
