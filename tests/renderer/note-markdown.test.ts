// @vitest-environment happy-dom
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { renderNote } from '../../src-renderer/lib/note-markdown';

const ALLOWED = new Set(['p', 'br', 'em', 'strong', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);

function parsed(html: string): HTMLDivElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

function assertSafe(html: string): void {
  for (const el of parsed(html).querySelectorAll('*')) {
    expect(ALLOWED.has(el.tagName.toLowerCase())).toBe(true);
    for (const attr of [...el.attributes]) {
      expect(el.tagName === 'A' && attr.name === 'href').toBe(true);
      expect(attr.value).toMatch(/^(https?:|mailto:)/i);
    }
  }
}

describe('renderNote', () => {
  test('Markdown becomes HTML: emphasis, lists, web links', () => {
    const div = parsed(renderNote('**Key** point\n\n- one\n- [source](https://example.com/a)'));
    expect(div.querySelector('strong')?.textContent).toBe('Key');
    expect(div.querySelectorAll('li')).toHaveLength(2);
    expect(div.querySelector('a')?.getAttribute('href')).toBe('https://example.com/a');
  });

  test('raw HTML stays text; no images, scripts, handlers, styles or javascript: links', () => {
    const note = '<script>alert(1)</script> <img src=x onerror=alert(1)> ![i](https://evil.example/x.png) [x](javascript:alert(1)) <b style="color:red">b</b>';
    const html = renderNote(note);
    assertSafe(html);
    const div = parsed(html);
    expect(div.querySelector('script, img, b')).toBeNull();
    expect(div.textContent).toContain('<script>alert(1)</script>');
    // The javascript: link stays as the text typed; an image is at most a link to its address, never fetched.
    expect([...div.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['https://evil.example/x.png']);
    expect(div.textContent).toContain('[x](javascript:alert(1))');
  });

  test('fuzz: whatever the note, only allowed elements and web links come out', () => {
    const pieces = fc.constantFrom('<script>', '</script>', '<img src=x onerror=alert(1)>', '[a](javascript:x)', '[b](https://ok.example)', '![c](http://x/y.png)',
      '<a href="javascript:1">', '<svg onload=1>', '`code`', '**', '\n\n', '> ', '- ', '<iframe>', '&lt;', '"', "'", '城市', '<style>*{}</style>', '| a | b |\n|---|---|\n| 1 | 2 |');
    fc.assert(fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 12 }), (parts) => assertSafe(renderNote(parts.join('')))), { seed: 13, numRuns: 300 });
  });
});
