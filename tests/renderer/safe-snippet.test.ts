// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { safeSnippet } from '../../src-renderer/lib/safe-snippet';
import { escapeHtml } from '../../src-main/core/html-escape';
import { highlightTerms } from '../../src-main/core/snippet';

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

  // The renderer keeps its own copy of the escape table (it may import only types from src-main): it must agree
  // with the core's html-escape.ts, or text the core escaped would change on its way into the page.
  describe('agrees with the core’s escaping (src-main/core/html-escape.ts)', () => {
    const tricky = [
      'AT&T & <b>bold</b> "quoted" \'single\'', '&amp;lt; &#39; &#x4e2d; &copy; &bogus', '<mark>x</mark>', '<MARK>', '</mark>',
      '价格 < 100 & > 50', '&', '&&;', '&#;', '&#x;', '<<>>', '"\'"\'', '',
    ];

    test.each(tricky)('leaves the core’s escaping of %j as it is', (text) => {
      expect(safeSnippet(escapeHtml(text))).toBe(escapeHtml(text));
    });

    test.each(tricky.filter((t) => !t.includes('&') && !/<\/?mark>/i.test(t)))('escapes raw %j as the core does', (text) => {
      expect(safeSnippet(text)).toBe(escapeHtml(text));
    });

    test('keeps a real snippet of the core as it is, marks included', () => {
      const snippet = highlightTerms('AT&T 价格 <上涨> "trade" & \'经济\' &amp;', ['价格', 'trade', '经济']);
      expect(snippet).toContain('<mark>');
      expect(safeSnippet(snippet)).toBe(snippet);
    });

    test('agree on any text', () => {
      const piece = fc.constantFrom('<', '>', '&', '"', "'", '&amp;', '&lt;', '&#39;', '&#x27;', '&copy;', '<mark>', '</mark>', 'a', '中', ' ');
      fc.assert(
        fc.property(fc.array(fc.oneof(piece, fc.string()), { maxLength: 30 }), (parts) => {
          const text = parts.join('');
          expect(safeSnippet(escapeHtml(text))).toBe(escapeHtml(text));
          if (!text.includes('&') && !/<\/?mark>/i.test(text)) expect(safeSnippet(text)).toBe(escapeHtml(text));
        }),
        { numRuns: 300 },
      );
    });
  });
});
