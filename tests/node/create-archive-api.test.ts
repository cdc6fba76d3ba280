import { describe, expect, it } from 'vitest';
import { remoteUrlsOf } from '../../src-main/node/archive/create-archive-api';

describe('remoteUrlsOf', () => {
  it('reads each remote image URL once, with its entities decoded in one pass', () => {
    const html = [
      '<img data-remote-src="https://example.com/a.png?x=1&amp;y=2">',
      '<img data-remote-src="https://example.com/a.png?x=1&amp;y=2">',
      // The sanitiser escaped a literal "&lt;" in the URL: it must come back as "&lt;", not "<".
      '<img data-remote-src="https://example.com/q?s=&amp;lt;b&amp;gt;">',
      '<img data-remote-src="javascript:alert(1)">',
    ].join('');
    expect(remoteUrlsOf(html)).toEqual(['https://example.com/a.png?x=1&y=2', 'https://example.com/q?s=&lt;b&gt;']);
  });
});
