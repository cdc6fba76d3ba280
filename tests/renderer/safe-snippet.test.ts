// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { safeSnippet } from '../../src-renderer/lib/safe-snippet';

describe('safeSnippet', () => {
  test('keeps the core’s marks and its escaped text as they are', () => {
    const snippet = '价格 &lt;b&gt; 与 <mark>经济</mark> &amp; <mark>trade</mark> &#39;x&#39;';
    expect(safeSnippet(snippet)).toBe(snippet);
  });

  test('escapes every other tag, attributes on mark included', () => {
    expect(safeSnippet('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(safeSnippet('<img src=x onerror="alert(1)">')).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(safeSnippet('<mark onclick="x()">a</mark>')).toBe('&lt;mark onclick=&quot;x()&quot;&gt;a');
  });

  test('escapes a stray ampersand but not a character reference', () => {
    expect(safeSnippet('AT&T &copy; &#x4e2d; & more')).toBe('AT&amp;T &copy; &#x4e2d; &amp; more');
  });

  test('balances marks so none can spill out of the snippet', () => {
    expect(safeSnippet('<mark>open')).toBe('<mark>open</mark>');
    expect(safeSnippet('close</mark> text')).toBe('close text');
    expect(safeSnippet('<MARK>x</MARK>')).toBe('<mark>x</mark>');
  });

  test('whatever the input, the result holds no element but mark and no attribute', () => {
    const piece = fc.constantFrom('<mark>', '</mark>', '<', '>', '&', '"', "'", '<b>', '<img src=x onerror=y>', '&lt;', 'a', '中', ' ', '=', '/');
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string()), { maxLength: 30 }), (parts) => {
        const host = document.createElement('div');
        host.innerHTML = safeSnippet(parts.join(''));
        for (const el of host.querySelectorAll('*')) {
          if (el.tagName !== 'MARK' || el.attributes.length > 0) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
