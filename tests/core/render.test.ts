import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DomUtils, parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import fc from 'fast-check';
import { keepsText, renderBody, renderText } from '../../src-main/core/render';
import { sanitizeArticleHtml } from '../../src-main/core/sanitize';
import { syntheticPost } from '../bench/synthetic-post';

function elements(html: string): Element[] {
  return DomUtils.findAll(() => true, parseDocument(html).children);
}

function imageAttributes(html: string): Record<string, string>[] {
  return elements(html).filter((element) => element.name === 'img').map((element) => element.attribs);
}

const HOSTILE = `![A local chart](/assets/images/chart.png)

![Outside the archive](../../../../etc/passwd)

<script>document.title = 'pwned'</script>
<img src="x" onerror="document.title='pwned'">
<iframe src="https://example.com/"></iframe>
<a href="javascript:document.title='pwned'">click me</a>
<svg><script>document.title='pwned'</script></svg>
<img src="https://tracker.example.com/pixel.gif" alt="tracking pixel">
<form action="https://example.com/collect"><input name="q"></form>
<style>body { display: none }</style>
`;

const LIQUID = `See the [archive]({{ site.baseurl }}/archive/) for more.

{% highlight js %}
const answer = 42;
{% endhighlight %}

{% include figure.html src="chart.png" %}
`;

const HTML_POST = `<h2>双十一午夜战报</h2>
<p>全天网络零售额再创新高。<a href="https://example.com/report">原文</a></p>
<table><tr><th>平台</th><th>成交额</th></tr><tr><td>甲</td><td>1000亿</td></tr></table>`;

const FINEWS = `<p>记者从省商务厅获悉，山东实现网络零售额294.1亿元，同比增长12.2%。</p>
 <p><strong>借势重点平台，强力拉动消费</strong></p>
 <p style="text-align:center;"><img src="https://dfscdn.dfcfw.com/download/D1_w800h555.jpg" alt="Image" width="552" style="border:#d1d1d1 1px solid;" /></p><p class="em_media">（文章来源：大众网）</p>

<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202205152379572893>

<>

[返回大众网新闻](//finews.withounder.com/category/dazhongwang.html)｜[返回首页](//finews.withounder.com/)`;

describe('renderBody', () => {
  it('renders the hostile post safely: local image shown, traversal dropped, tracking pixel held back', () => {
    const result = renderBody(HOSTILE, 'markdown', { postPath: '_posts/2024-04-01-hostile-html.md' });
    const tags = new Set(elements(result.html).map((element) => element.name));
    for (const banned of ['script', 'iframe', 'svg', 'form', 'input', 'style']) expect(tags.has(banned)).toBe(false);
    expect(imageAttributes(result.html)).toEqual([
      { src: 'backfile-asset://archive/assets/images/chart.png', alt: 'A local chart' },
      { alt: 'Outside the archive' },
      { src: 'backfile-asset://archive/_posts/x' },
      { 'data-remote-src': 'https://tracker.example.com/pixel.gif', alt: 'tracking pixel' },
    ]);
    expect(result.hasRemoteContent).toBe(true);
    expect(result.html).not.toMatch(/pwned|javascript:|onerror|display/);
    expect(result.html).toContain('<a>click me</a>');
    expect(result.text).toBe('click me');
  });

  it('renders an HTML post as HTML, keeping its table and Chinese text', () => {
    const result = renderBody(HTML_POST, 'html', { postPath: '_posts/2017-11-11-html-post.html' });
    expect(result.html).toContain('<table><tr><th>平台</th><th>成交额</th></tr><tr><td>甲</td><td>1000亿</td></tr></table>');
    expect(result.html).toContain('<a href="https://example.com/report" rel="noopener noreferrer">原文</a>');
    expect(result.text).toContain('双十一');
    expect(result.text).toContain('零售');
    expect(result.text).toBe('双十一午夜战报\n全天网络零售额再创新高。原文\n平台 成交额\n甲 1000亿');
    expect(result.source).toBeNull();
    expect(result.hasRemoteContent).toBe(false);
  });

  it('shows highlight as a code block and keeps other Liquid out of the HTML and the text', () => {
    const result = renderBody(LIQUID, 'markdown', { postPath: '_posts/2016-05-05-liquid-tags.md' });
    expect(result.html).toContain('<pre><code>const answer = 42;\n</code></pre>');
    expect(result.html).toContain('<a href="/archive/" rel="noopener noreferrer">archive</a>');
    expect(result.text).toBe('See the archive for more.\nconst answer = 42;');
    expect(`${result.html}${result.text}`).not.toMatch(/\{%|\{\{|include|baseurl|highlight/);
  });

  it('renders a scraped raw-HTML body and takes its source URL from the trailing autolink', () => {
    const result = renderBody(FINEWS, 'markdown', { postPath: '_posts/2022-05-15-202205152379572893.md' });
    const source = 'http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202205152379572893';
    expect(result.source).toBe(source);
    expect(result.html).toContain(`<a href="${source}" rel="noopener noreferrer">${source}</a>`);
    expect(result.html).toContain('<p><strong>借势重点平台，强力拉动消费</strong></p>');
    expect(result.html).not.toMatch(/style=|class=|&lt;&gt;/);
    expect(imageAttributes(result.html)).toEqual([
      { 'data-remote-src': 'https://dfscdn.dfcfw.com/download/D1_w800h555.jpg', alt: 'Image', width: '552' },
    ]);
    expect(result.hasRemoteContent).toBe(true);
    expect(result.text.split('\n')).toEqual([
      '记者从省商务厅获悉，山东实现网络零售额294.1亿元，同比增长12.2%。',
      '借势重点平台，强力拉动消费',
      '（文章来源：大众网）',
      // The source link's line is its URL alone: a link target, not text (issue 11, item 12).
      '返回大众网新闻｜返回首页',
    ]);
  });
});

describe('renderBody: source URL', () => {
  const source = (body: string, format: 'markdown' | 'html' = 'markdown') => renderBody(body, format, { postPath: 'a.md' }).source;

  it('is the last http(s) autolink standing on its own line', () => {
    expect(source('Text.\n\n<http://finance.eastmoney.com/news/11060,202112082206672930.html>\n')).toBe(
      'http://finance.eastmoney.com/news/11060,202112082206672930.html',
    );
    expect(source('<http://a.example/1>\n\nText\n\n<https://b.example/2>\n\n[返回](../emnews/)')).toBe('https://b.example/2');
    expect(source('两行快讯。\n<http://a.example/flash>')).toBe('http://a.example/flash');
  });

  it('ignores autolinks inside a sentence, non-http autolinks, code, and the empty autolink', () => {
    expect(source('See <http://a.example/x> for details.')).toBeNull();
    expect(source('<ftp://a.example/x>\n\n<mailto:ed@example.com>')).toBeNull();
    expect(source('```\n<http://a.example/in-code>\n```')).toBeNull();
    expect(source('Text\n\n<>\n')).toBeNull();
    expect(source('No link at all.')).toBeNull();
  });

  it('finds the autolink line inside a raw HTML block and links it', () => {
    const result = renderBody('<p>正文</p>\n<http://a.example/news/1.html>\n<p>尾</p>', 'markdown', { postPath: 'a.md' });
    expect(result.source).toBe('http://a.example/news/1.html');
    expect(result.html).toContain('<a href="http://a.example/news/1.html" rel="noopener noreferrer">');
  });

  it('is found in HTML posts too, where the line becomes a link', () => {
    const result = renderBody('<p>正文</p>\n<http://a.example/news/2.html>\n', 'html', { postPath: 'a.html' });
    expect(result.source).toBe('http://a.example/news/2.html');
    expect(result.text).toBe('正文'); // the URL line is the source, not text
  });

  it('drops the empty autolink instead of showing "<>"', () => {
    expect(renderBody('正文\n\n<>\n\n尾', 'markdown', { postPath: 'a.md' }).html).toBe('<p>正文</p>\n<p>尾</p>\n');
    expect(renderBody('<p>正文</p>\n<>\n<p>尾</p>', 'markdown', { postPath: 'a.md' }).text).toBe('正文\n尾');
    expect(renderBody('<p>正文</p>\n<>\n', 'html', { postPath: 'a.html' }).text).toBe('正文');
    expect(renderBody('a <> b', 'markdown', { postPath: 'a.md' }).text).toBe('a <> b');
  });
});

describe('renderBody: robustness', () => {
  it.each([
    ['empty', ''],
    ['NUL bytes and lone surrogates', 'a\u0000b\ud800c<p\u0000>'],
    ['deep blockquotes', '>'.repeat(5_000) + ' deep'],
    ['deep lists', Array.from({ length: 500 }, (_, i) => `${'  '.repeat(i)}- item`).join('\n')],
    ['unclosed tags', '<div><table><tr><td><a href="'.repeat(200)],
    ['many emphasis markers', '*_'.repeat(20_000)],
    ['entity soup', '&#0;&#xD800;&#x110000;&nosuchentity;&amp'],
  ])('never throws on %s', (_name, body) => {
    for (const format of ['markdown', 'html'] as const) {
      const result = renderBody(body, format, { postPath: '_posts/a.md' });
      expect(typeof result.html).toBe('string');
      expect(typeof result.text).toBe('string');
    }
  });

  it('never throws on bad arguments from untyped callers', () => {
    const untyped = renderBody as unknown as (body: unknown, format: unknown, options: unknown) => { text: string };
    expect(untyped(undefined, 'markdown', undefined).text).toBe('');
    expect(untyped(42, 'rst', null).text).toBe('42');
    const odd = untyped('![a](x.png)', 'markdown', { postPath: 7, assetUrl: 'not a function' }) as unknown as { html: string };
    // Unusable options fall back to the defaults: the archive root and the default asset URL.
    expect(odd.html).toBe('<p><img src="backfile-asset://archive/x.png" alt="a" /></p>\n');
  });

  it('renders a 3 KB post in well under a millisecond on average', () => {
    let body = `${FINEWS}\n\n${'<p>据了解，本次活动以“品牌品质·惠享生活”为主题，开展专题营销。</p>\n'.repeat(60)}`;
    while (new TextEncoder().encode(body).length > 3_072) body = body.slice(0, -20);
    for (let i = 0; i < 50; i++) renderBody(body, 'markdown', { postPath: 'a.md' });
    // CPU time, and the fastest of a few batches: the machine is shared, and contention only ever adds time.
    let perPost = Infinity;
    for (let batch = 0; batch < 6; batch++) {
      const started = process.cpuUsage();
      for (let i = 0; i < 40; i++) renderBody(body, 'markdown', { postPath: 'a.md' });
      perPost = Math.min(perPost, process.cpuUsage(started).user / 1000 / 40);
    }
    console.info(`renderBody: ${perPost.toFixed(2)} ms of CPU for a 3 KB post`);
    // Generous bound (typically a few tenths of a millisecond): this guards against accidental quadratic work.
    expect(perPost).toBeLessThan(5);
  });
});

/** The shared corpus lives beside the repository; these checks run when it is there. */
const corpus = resolve(fileURLToPath(new URL('../..', import.meta.url)), '../shared/corpus');

function postFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return postFiles(path);
    return /\.(md|markdown|html)$/.test(name) && !/^(README|EXPECTED)\.md$/.test(name) ? [path] : [];
  });
}

function bodyOf(file: string): string {
  const text = readFileSync(file, 'utf8');
  const frontMatter = /^\s*---[^\n]*\n[\s\S]*?\n---[ \t]*\r?\n/.exec(text);
  return frontMatter ? text.slice(frontMatter[0].length) : text;
}

describe.skipIf(!existsSync(corpus))('renderBody on the shared corpus', () => {
  const render = (path: string) =>
    renderBody(bodyOf(join(corpus, path)), path.endsWith('.html') ? 'html' : 'markdown', {
      postPath: path.replace(/^[^/]+\//, ''),
    });

  it('renders every post without markup that could run, restyle or fetch', () => {
    const files = postFiles(corpus);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const result = render(relative(corpus, file));
      for (const element of elements(result.html)) {
        expect(['script', 'style', 'iframe', 'svg', 'form', 'object', 'embed']).not.toContain(element.name);
        expect(Object.keys(element.attribs).filter((name) => /^(on|style$|class$|id$|srcset$)/.test(name))).toEqual([]);
        if (element.name === 'img' && element.attribs.src) expect(element.attribs.src).toMatch(/^backfile-asset:\/\/archive\//);
      }
      expect(result.text).not.toMatch(/\{%|\{\{/);
    }
  });

  it('shows the hostile post\'s local chart and drops the passwd traversal', () => {
    const result = render('jekyll-edge-cases/_posts/2024-04-01-hostile-html.md');
    expect(imageAttributes(result.html)[0]).toEqual({ src: 'backfile-asset://archive/assets/images/chart.png', alt: 'A local chart' });
    expect(imageAttributes(result.html)[1]).toEqual({ alt: 'Outside the archive' });
    expect(result.hasRemoteContent).toBe(true);
  });

  it('takes the source URL of the finews posts, and none from the empty autolink', () => {
    expect(render('finews-sample/2022-05-15-202205152379572893.md').source).toBe(
      'http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202205152379572893',
    );
    expect(render('finews-sample/2021-12-08-202112082206672930.md').source).toBe(
      'http://finance.eastmoney.com/news/11060,202112082206672930.html',
    );
    const noDate = render('finews-sample/-202205262391921712.md');
    expect(noDate.source).toBeNull();
    expect(noDate.hasRemoteContent).toBe(true);
    expect(noDate.text.split('\n')[0]).toMatch(/^据霍尼韦尔官网消息/);
  });

  it('keeps the Liquid post\'s code and the HTML post\'s table', () => {
    expect(render('jekyll-edge-cases/_posts/2016-05-05-liquid-tags.md').html).toContain('<pre><code>const answer = 42;');
    const html = render('jekyll-edge-cases/_posts/2017-11-11-html-post.html');
    expect(html.html).toContain('<td>1000亿</td>');
    expect(html.text).toContain('零售');
  });
});

describe('renderText: the index\'s text without the HTML', () => {
  /** The text and source the index gets must be exactly what the reader sees (renderBody). */
  const same = (body: string, format: 'markdown' | 'html' = 'markdown') => {
    const full = renderBody(body, format, { postPath: '_posts/x.md' });
    const text = renderText(body, format);
    expect(text).toEqual({ html: '', text: full.text, source: full.source, hasRemoteContent: false });
  };

  it('gives renderBody\'s text for the awkward bodies above', () => {
    for (const body of [HOSTILE, LIQUID, FINEWS, '', '   ', '<>', 'a < b & c > d', '&copy; &amp; &#x41; &#0; &#128; &#xD800;']) same(body);
    for (const body of [HTML_POST, HOSTILE, FINEWS]) same(body, 'html');
  });

  it('skips the sanitiser only for markup it keeps as it is', () => {
    expect(keepsText('<p>市场 <strong>同比</strong> &amp; <a href="javascript:x">y</a><img src=x onerror=y></p>')).toBe(true);
    expect(keepsText(renderBody(FINEWS, 'markdown', { postPath: '' }).html)).toBe(true);
    for (const html of ['<script>x</script>', '<STYLE>x</STYLE>', '<form>x</form>', '<section>a</section>', '<center>x</center>',
      '<font>x</font>', '<p>&copy;</p>', '<p>AT&T</p>', '<!-- x -->', '</ p>', 'a < b', `${'<span>'.repeat(95)}x`]) {
      expect(keepsText(html)).toBe(false);
    }
  });

  it('lists only tags the sanitiser keeps', () => {
    const tags = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'a', 'img', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre',
      'code', 'kbd', 'q', 'cite', 'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'mark', 'small', 'table', 'thead', 'tbody',
      'tfoot', 'tr', 'th', 'td', 'caption', 'figure', 'figcaption', 'div', 'span'];
    for (const tag of tags) {
      expect(keepsText(`<${tag}>x</${tag}>`)).toBe(true);
      expect(sanitizeArticleHtml(`<${tag}>x</${tag}>`, { postPath: '' }).html).toMatch(new RegExp(`^<${tag}[ >]`));
    }
  });

  it('gives renderBody\'s text for the benchmark\'s synthetic posts, most of them without the sanitiser', () => {
    let fast = 0;
    for (let i = 0; i < 300; i++) {
      const body = syntheticPost(42, i).content.replace(/^---[\s\S]*?\n---\n/, '');
      same(body);
      if (keepsText(renderBody(body, 'markdown', { postPath: '' }).html)) fast++;
    }
    expect(fast).toBeGreaterThan(200);
  });

  it.skipIf(!existsSync(corpus))('gives renderBody\'s text for every post of the shared corpus', () => {
    for (const file of postFiles(corpus)) same(bodyOf(file), file.endsWith('.html') ? 'html' : 'markdown');
  });

  it('gives renderBody\'s text for generated markup, hostile or not', () => {
    const piece = fc.constantFrom(
      '<p>', '</p>', '<div>', '</div>', '<span>', '</span>', '<b>', '</b>', '<br>', '<br/>', '<pre>', '</pre>', '<li>', '<ul>', '</ul>',
      '<table>', '<tr>', '<td>', '</td>', '</tr>', '</table>', '<h2>', '</h2>', '<a href="x">', '</a>', '<img src="x" alt="y">',
      '<script>', '</script>', '<style>', '<form>', '</form>', '<section>', '</section>', '<center>', '<font>', '<textarea>', '<title>',
      '<!--', '-->', '<![CDATA[', ']]>', '<?x ?>', '<P>', '<Div >', '</ p>', '<p/>', '<', '>', '&', '&amp;', '&lt;', '&nbsp;', '&copy;',
      '&#65;', '&#x4e2d;', '&#0;', '&#128;', '&amp', '\n', '\n\n', '  ', '\t', '市场', 'text', '{{ x }}', '{% raw %}', '*', '_', '#', '> ',
      '- ', '1. ', '`', '    ', '<http://example.com/a>', '[l](http://x)', '|', '---', '\r\n',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((p) => p.join('')), fc.boolean(), (body, html) => same(body, html ? 'html' : 'markdown')),
      { numRuns: 3000 },
    );
  });
});
