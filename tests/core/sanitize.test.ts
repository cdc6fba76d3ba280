import { describe, expect, it } from 'vitest';
import { parseDocument, DomUtils } from 'htmlparser2';
import type { Element } from 'domhandler';
import { defaultAssetUrl, resolveLocalPath, safeLinkHref, sanitizeArticleHtml } from '../../src-main/core/sanitize';

const POST = '_posts/2024-04-01-hostile-html.md';

function clean(html: string, postPath = POST): string {
  return sanitizeArticleHtml(html, { postPath }).html;
}

/** Every element of the output, as a parser sees it. */
function elements(html: string): Element[] {
  return DomUtils.findAll(() => true, parseDocument(html).children);
}

function tagNames(html: string): string[] {
  return elements(html).map((element) => element.name);
}

function attributeNames(html: string): string[] {
  return elements(html).flatMap((element) => Object.keys(element.attribs));
}

function hrefs(html: string): string[] {
  return elements(html).flatMap((element) => (element.attribs.href === undefined ? [] : [element.attribs.href]));
}

function images(html: string): Record<string, string>[] {
  return elements(html).filter((element) => element.name === 'img').map((element) => element.attribs);
}

describe('sanitizeArticleHtml: dangerous markup', () => {
  it('drops event handlers (onerror) but keeps the image', () => {
    const out = clean('<img src="x.png" onerror="document.title=\'pwned\'" onload="x()">');
    expect(tagNames(out)).toEqual(['img']);
    expect(attributeNames(out).filter((name) => name.startsWith('on'))).toEqual([]);
    expect(out).not.toContain('pwned');
  });

  it.each([
    ['plain', 'javascript:alert(1)'],
    ['mixed case', 'JaVaScRiPt:alert(1)'],
    ['decimal entity', '&#106;avascript:alert(1)'],
    ['hex entity without semicolon', '&#x6A&#x61vascript:alert(1)'],
    ['entity tab inside the scheme', 'java&#x09;script:alert(1)'],
    ['entity newline inside the scheme', 'java&#x0A;script:alert(1)'],
    ['literal tab inside the scheme', 'java\tscript:alert(1)'],
    ['entity colon', 'javascript&colon;alert(1)'],
    ['leading control characters', '&#x01;&#x20;javascript:alert(1)'],
    ['soft hyphen inside the scheme', 'java&shy;script:alert(1)'],
    ['vbscript', 'vbscript:msgbox(1)'],
    ['data URL', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['file URL', 'file:///etc/passwd'],
    ['smb share', 'smb://attacker.example/share'],
    ['ms-msdt (Follina)', 'ms-msdt:/id PCWDiagnostic /skip force'],
    ['Windows drive', 'C:\\Windows\\System32\\calc.exe'],
    ['the asset scheme itself', 'backfile-asset://archive/../../etc/passwd'],
  ])('drops a %s href but keeps the link text readable', (_name, href) => {
    const out = clean(`<p><a href="${href}">click me</a></p>`);
    expect(hrefs(out)).toEqual([]);
    expect(out).toContain('click me');
    expect(out.toLowerCase()).not.toMatch(/script:|data:|file:|smb:|ms-msdt:|backfile-asset:/);
  });

  it('keeps http, https, mailto, relative, protocol-relative and fragment links, with rel="noopener noreferrer"', () => {
    const out = clean(
      '<a href="http://a.example/x">1</a><a href="HTTPS://b.example/">2</a><a href="mailto:ed@example.com">3</a>' +
        '<a href="../emnews/">4</a><a href="/archive/">5</a><a href="//finews.example/emnews/">6</a><a href="#top">7</a>',
    );
    expect(hrefs(out)).toEqual([
      'http://a.example/x',
      'HTTPS://b.example/',
      'mailto:ed@example.com',
      '../emnews/',
      '/archive/',
      '//finews.example/emnews/',
      '#top',
    ]);
    for (const link of elements(out)) expect(link.attribs.rel).toBe('noopener noreferrer');
  });

  it('drops <svg><script> with everything inside the svg', () => {
    const out = clean('<p>before</p><svg><script>document.title="pwned"</script><a href="https://x.example">in svg</a></svg><p>after</p>');
    expect(tagNames(out)).toEqual(['p', 'p']);
    expect(out).not.toContain('pwned');
    expect(out).not.toContain('in svg');
  });

  it('drops <iframe srcdoc> and <iframe src> with their content', () => {
    const out = clean('<iframe srcdoc="<script>parent.pwned=1</script>">fallback</iframe><iframe src="https://example.com/"></iframe>ok');
    expect(tagNames(out)).toEqual([]);
    expect(out).toBe('ok');
  });

  it('drops <base href>, <meta http-equiv=refresh> and <link rel=prefetch>', () => {
    const out = clean(
      '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">' +
        '<link rel="prefetch" href="https://tracker.example/p"><link rel="stylesheet" href="https://evil.example/x.css"><p>text</p>',
    );
    expect(tagNames(out)).toEqual(['p']);
    expect(out).not.toMatch(/evil|tracker|refresh/);
  });

  it('drops <form action=javascript:> with its inputs and buttons', () => {
    const out = clean(
      '<form action="javascript:alert(1)"><input name="q" formaction="javascript:alert(2)"><button>Send</button>' +
        '<textarea>t</textarea><select><option>o</option></select></form><p>after</p>',
    );
    expect(tagNames(out)).toEqual(['p']);
    expect(out).not.toContain('Send');
    expect(out).not.toContain('javascript');
  });

  it('drops CSS: style attributes (with url()) and <style> elements', () => {
    const out = clean(
      '<p style="background:url(javascript:alert(1)); display:none">visible</p>' +
        '<div style="background-image:url(https://tracker.example/p.gif)">x</div>' +
        '<style>@import url(https://evil.example/x.css); body { background: url(https://tracker.example/b.gif) }</style>',
    );
    expect(attributeNames(out)).toEqual([]);
    expect(out).not.toContain('url(');
    expect(out).not.toContain('tracker');
    expect(out).toContain('visible');
  });

  it('drops srcset, including inside <picture>', () => {
    const out = clean(
      '<img src="a.png" srcset="https://tracker.example/1.png 1x, javascript:alert(1) 2x">' +
        '<picture><source srcset="https://tracker.example/2.png"><img src="b.png" alt="b"></picture>',
    );
    expect(attributeNames(out)).not.toContain('srcset');
    expect(tagNames(out)).toEqual(['img', 'img']);
    expect(out).not.toContain('tracker');
  });

  it('drops <object data>, <embed src> and <applet>', () => {
    const out = clean(
      '<object data="https://evil.example/x.swf"><param name="a" value="b">fallback</object>' +
        '<embed src="https://evil.example/y.swf"><applet code="X.class">a</applet><p>ok</p>',
    );
    expect(tagNames(out)).toEqual(['p']);
    expect(out).not.toContain('evil');
  });

  it('drops template, noscript, math, frames and media elements with their content', () => {
    const out = clean(
      '<template><img src=x onerror=alert(1)></template><noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>' +
        '<math><mi xlink:href="javascript:alert(1)">m</mi></math><frameset><frame src="javascript:alert(1)"></frameset>' +
        '<video poster="https://tracker.example/p.png"><source src="https://tracker.example/v.mp4">no video</video><p>ok</p>',
    );
    expect(tagNames(out)).toEqual(['p']);
    expect(out).not.toMatch(/onerror|javascript|tracker|no video/);
  });

  it('drops class, id and style so a post cannot restyle or spoof the app, and turns <center> into <div>', () => {
    const out = clean('<center class="app-toolbar" id="search"><span class="keytip" id="stock_1">巨化股份</span></center>');
    expect(out).toBe('<div><span>巨化股份</span></div>');
  });

  it('keeps article structure: headings, lists, quotes, code, tables with spans, figures', () => {
    const html =
      '<h2>午夜战报</h2><ul><li>a</li></ul><ol start="3"><li>b</li></ol><blockquote><p>q</p></blockquote>' +
      '<pre><code>x &lt; y</code></pre><table><caption>c</caption><thead><tr><th colspan="2">平台</th></tr></thead>' +
      '<tbody><tr><td rowspan="1">甲</td><td>1000亿</td></tr></tbody></table><figure><figcaption>f</figcaption></figure>' +
      '<p><em>e</em><strong>s</strong><sub>1</sub><sup>2</sup><mark>m</mark><del>d</del><small>s</small></p>';
    expect(clean(html)).toBe(html);
  });

  it('escapes text so it cannot become markup', () => {
    const out = clean('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; 《&lt;蒙特利尔议定书&gt;基加利修正案》</p>');
    expect(tagNames(out)).toEqual(['p']);
    expect(out).toContain('&lt;script&gt;');
  });

  it('flattens absurdly deep nesting instead of failing', () => {
    const deep = '<div>'.repeat(5000) + 'deep text' + '</div>'.repeat(5000);
    const out = clean(deep);
    expect(out).toContain('deep text');
    expect(out.split('<div>').length - 1).toBeLessThanOrEqual(100);
  });
});

describe('sanitizeArticleHtml: images', () => {
  it('serves a root-relative local image through the asset URL', () => {
    const out = clean('<img src="/assets/images/chart.png" alt="A local chart">');
    expect(images(out)).toEqual([{ src: 'backfile-asset://archive/assets/images/chart.png', alt: 'A local chart' }]);
  });

  it('resolves relative images from the post folder', () => {
    expect(images(clean('<img src="chart.png">', 'world/asia/_posts/a.md'))[0]?.src).toBe(
      'backfile-asset://archive/world/asia/_posts/chart.png',
    );
    expect(images(clean('<img src="../img/x.png">', 'world/asia/_posts/a.md'))[0]?.src).toBe(
      'backfile-asset://archive/world/asia/img/x.png',
    );
    expect(images(clean('<img src="./a/../b.png?v=2#frag">', '_posts/a.md'))[0]?.src).toBe('backfile-asset://archive/_posts/b.png');
  });

  it('percent-decodes the path first, then encodes it once for the URL', () => {
    const out = clean('<img src="/assets/%E5%9B%BE%20%231.png">');
    expect(images(out)[0]?.src).toBe('backfile-asset://archive/assets/%E5%9B%BE%20%231.png');
    expect(resolveLocalPath('/assets/%E5%9B%BE%20%231.png', POST)).toBe('assets/图 #1.png');
  });

  it.each([
    ['passwd traversal', '../../../../etc/passwd'],
    ['root-relative traversal', '/../../etc/passwd'],
    ['encoded traversal', '%2e%2e/%2e%2e/%2e%2e/etc/passwd'],
    ['backslash traversal', '..\\..\\..\\etc\\passwd'],
    ['encoded backslash', '..%5c..%5c..%5cetc%5cpasswd'],
    ['Windows drive', 'C:\\Windows\\win.ini'],
    ['Windows drive with slashes', 'C:/Windows/win.ini'],
    ['encoded drive', 'C%3A%5CWindows%5Cwin.ini'],
    ['UNC path', '\\\\server\\share\\x.png'],
    ['encoded UNC path', '/%2F%2Fserver/share/x.png'],
    ['NUL byte', 'chart.png%00.jpg'],
    ['file URL', 'file:///etc/passwd'],
    ['data URL', 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4='],
    ['javascript URL', 'javascript:alert(1)'],
    ['the asset scheme itself', 'backfile-asset://archive/../../secret.png'],
    ['dots that Windows collapses', '.../secret.png'],
    ['alternate data stream', 'chart.png:hidden'],
    ['malformed percent-encoding', '%E5%9B.png'],
  ])('drops the src of a %s image but keeps its alt text', (_name, src) => {
    const out = clean(`<img src="${src}" alt="Outside the archive">`);
    expect(images(out)).toEqual([{ alt: 'Outside the archive' }]);
  });

  it('never fetches remote images: their URL goes to data-remote-src', () => {
    const result = sanitizeArticleHtml(
      '<img src="https://tracker.example.com/pixel.gif" alt="tracking pixel"><img src="http://a.example/b.jpg"><img src="//cdn.example/c.jpg">',
      { postPath: POST },
    );
    expect(result.hasRemoteContent).toBe(true);
    expect(images(result.html)).toEqual([
      { 'data-remote-src': 'https://tracker.example.com/pixel.gif', alt: 'tracking pixel' },
      { 'data-remote-src': 'http://a.example/b.jpg' },
      { 'data-remote-src': 'https://cdn.example/c.jpg' },
    ]);
  });

  it('does not trust an author-written data-remote-src and reports no remote content for local images', () => {
    const result = sanitizeArticleHtml('<img src="a.png" data-remote-src="javascript:alert(1)"><img data-remote-src="https://x.example/y.png">', {
      postPath: POST,
    });
    expect(result.hasRemoteContent).toBe(false);
    expect(images(result.html)).toEqual([{ src: 'backfile-asset://archive/_posts/a.png' }, {}]);
  });

  it('uses the assetUrl option, and survives one that throws', () => {
    const custom = sanitizeArticleHtml('<img src="/a/b.png">', { postPath: POST, assetUrl: (path) => `/asset/${path}` });
    expect(images(custom.html)[0]?.src).toBe('/asset/a/b.png');
    const failing = sanitizeArticleHtml('<img src="/a/b.png" alt="b">', {
      postPath: POST,
      assetUrl: () => {
        throw new Error('no asset route');
      },
    });
    expect(images(failing.html)).toEqual([{ alt: 'b' }]);
  });

  it('keeps numeric width and height only', () => {
    const out = clean('<img src="a.png" width="552" height="50%"><img src="b.png" width="expression(alert(1))" height="1e9px">');
    expect(images(out)).toEqual([
      { src: 'backfile-asset://archive/_posts/a.png', width: '552', height: '50%' },
      { src: 'backfile-asset://archive/_posts/b.png' },
    ]);
  });
});

describe('URL helpers', () => {
  it('defaultAssetUrl encodes characters that would end the path', () => {
    expect(defaultAssetUrl('a/图 #1?.png')).toBe('backfile-asset://archive/a/%E5%9B%BE%20%231%3F.png');
  });

  it('safeLinkHref reads hrefs the way a browser does', () => {
    expect(safeLinkHref('  https://a.example/x \n')).toBe('https://a.example/x');
    expect(safeLinkHref('java\nscript:alert(1)')).toBeNull();
    expect(safeLinkHref('')).toBeNull();
    expect(safeLinkHref(undefined)).toBeNull();
    expect(safeLinkHref('2021年报告.html')).toBe('2021年报告.html');
  });

  it('resolveLocalPath treats a post at the root and odd post paths safely', () => {
    expect(resolveLocalPath('x.png', 'post.md')).toBe('x.png');
    expect(resolveLocalPath('../x.png', 'post.md')).toBeNull();
    expect(resolveLocalPath('x.png', '')).toBe('x.png');
    expect(resolveLocalPath('.', 'post.md')).toBeNull();
    expect(resolveLocalPath('x.png', '../../outside/post.md')).toBe('x.png');
    expect(resolveLocalPath('.', 'post.md')).toBeNull();
    expect(resolveLocalPath('x.png', '../../outside/post.md')).toBe('x.png');
  });
});
