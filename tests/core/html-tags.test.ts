import { describe, expect, it } from 'vitest';
import { DROPPED_WITH_CONTENT, KEPT_TAGS } from '../../src-main/core/html-tags';
import { htmlToText } from '../../src-main/core/html-text';
import { keepsText } from '../../src-main/core/render';
import { sanitizeArticleHtml } from '../../src-main/core/sanitize';

/** One list per job (html-tags.ts): the sanitiser, the text reader and keepsText must read them alike. */
describe('the sanitiser’s tag lists', () => {
  const withContent = DROPPED_WITH_CONTENT.filter((tag) => !['embed', 'input', 'base', 'meta', 'link', 'frame'].includes(tag)); // void: no content

  it.each(withContent)('<%s>: its content is neither shown nor indexed', (tag) => {
    const html = `<p>before <${tag}>hidden words</${tag}> after</p>`;
    expect(sanitizeArticleHtml(html, { postPath: 'a.html' }).html).not.toContain('hidden');
    expect(htmlToText(html)).not.toContain('hidden');
  });

  it.each(KEPT_TAGS)('<%s> is kept by the sanitiser, and keepsText lets it skip the sanitiser', (tag) => {
    const html = `<div><${tag}>x</${tag}></div>`;
    expect(sanitizeArticleHtml(html, { postPath: 'a.html' }).html).toContain(`<${tag}`);
    expect(keepsText(html)).toBe(true);
  });

  it('keeps no tag it also drops', () => {
    expect(KEPT_TAGS.filter((tag) => DROPPED_WITH_CONTENT.includes(tag))).toEqual([]);
  });
});
