import { describe, expect, it } from 'vitest';
import { highlightHtml } from '../../src-main/core/highlight-html';

describe('highlightHtml', () => {
  it('marks English words by stem, as the search matched them', () => {
    const html = '<p>Thousands of runners ran through town; running is popular.</p>';
    const out = highlightHtml(html, ['run']);
    expect(out).toContain('<mark>ran</mark>');
    expect(out).toContain('<mark>running</mark>');
    expect(out).not.toContain('<mark>run</mark>ners');
  });

  it('marks Chinese substrings and leaves tags and attributes alone', () => {
    const html = '<p>钢铁行业<a href="https://example.com/钢铁">钢铁价格</a></p>';
    const out = highlightHtml(html, ['钢铁']);
    expect(out).toBe('<p><mark>钢铁</mark>行业<a href="https://example.com/钢铁"><mark>钢铁</mark>价格</a></p>');
  });

  it('keeps entities escaped and never lets text become markup', () => {
    const html = '<p>AT&amp;T &lt;script&gt;alert(1)&lt;/script&gt; market</p>';
    const out = highlightHtml(html, ['market']);
    expect(out).toContain('AT&amp;T &lt;script&gt;');
    expect(out).not.toContain('<script>');
    expect(out).toContain('<mark>market</mark>');
  });

  it('returns the HTML unchanged when there is nothing to mark', () => {
    const html = '<p>Nothing here</p>';
    expect(highlightHtml(html, [])).toBe(html);
    expect(highlightHtml(html, ['absent'])).toBe(html);
  });
});
