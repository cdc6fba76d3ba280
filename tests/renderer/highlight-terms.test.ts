// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { highlightTerms, queryTerms } from '../../src-renderer/lib/highlight-terms';

function body(html: string): HTMLElement {
  const el = document.createElement('div');
  el.innerHTML = html;
  return el;
}

const marked = (el: HTMLElement): string[] => [...el.querySelectorAll('mark.search-hit')].map((m) => m.textContent ?? '');

describe('queryTerms', () => {
  test('keeps words and phrases; drops operators, exclusions, field names and lone letters', () => {
    expect(queryTerms('trade AND "rice prices" -tariff OR title:farmers a 经 (city)')).toEqual([
      'trade',
      'rice prices',
      'farmers',
      '经',
      'city',
    ]);
    expect(queryTerms('   ')).toEqual([]);
  });
});

describe('highlightTerms', () => {
  test('marks text only: never inside a tag or an attribute', () => {
    const el = body('<p>The <a href="https://x.example/trade" title="trade">trade talks</a> on Trade.</p>');
    expect(highlightTerms(el, ['trade'])).toBe(2);
    expect(marked(el)).toEqual(['trade', 'Trade']);
    const link = el.querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://x.example/trade');
    expect(link?.getAttribute('title')).toBe('trade');
  });

  test('Latin terms match at the start of words; Han terms anywhere', () => {
    const el = body('<p>Runners were running; the rerun was 中国经济的增长.</p>');
    highlightTerms(el, ['run', '经济']);
    expect(marked(el)).toEqual(['Run', 'run', '经济']);
  });

  test('a long Han query that is not in the text whole is marked by its pairs', () => {
    const el = body('<p>经济稳步增长</p>');
    highlightTerms(el, ['经济增长']);
    expect(marked(el)).toEqual(['经济', '增长']);
  });

  test('leaves text already marked alone and marks a phrase as one', () => {
    const el = body('<p><mark>rice</mark> prices and rice prices</p>');
    highlightTerms(el, ['rice prices', 'rice']);
    expect(marked(el)).toEqual(['rice prices']);
    expect(el.querySelectorAll('mark')).toHaveLength(2);
  });

  test('regex characters in terms are literal', () => {
    const el = body('<p>C++ (and c) a.b</p>');
    expect(highlightTerms(el, ['c++', 'a.b'])).toBe(2);
    expect(marked(el)).toEqual(['C++', 'a.b']);
  });
});
