/**
 * Property tests: random and mutated HTML/Markdown, assembled from pieces that have broken sanitisers before,
 * must always come out with nothing that runs, restyles, escapes the archive or fetches remote content.
 * The default run is bounded (about two seconds); BACKFILE_FUZZ_RUNS=20000 runs longer.
 */
/* eslint-disable no-control-regex -- the check looks for control characters in URLs on purpose. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomUtils, parseDocument } from 'htmlparser2';
import { renderBody } from '../../src-main/core/render';
import { sanitizeArticleHtml } from '../../src-main/core/sanitize';

const RUNS = Number(process.env.BACKFILE_FUZZ_RUNS) || 250;

const ALLOWED_TAGS = new Set([
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'a', 'img', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote',
  'pre', 'code', 'kbd', 'q', 'cite', 'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'mark', 'small',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'figure', 'figcaption', 'div', 'span',
]);
const FORBIDDEN_TAGS = ['script', 'style', 'iframe', 'object', 'embed', 'form', 'svg', 'math', 'base', 'meta', 'link'];
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'rel'],
  img: ['src', 'alt', 'title', 'width', 'height', 'data-remote-src'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan'],
  ol: ['start'],
};
const ASSET_PREFIX = 'backfile-asset://archive/';

/** Throws with a readable message when the sanitised HTML breaks a safety rule; counts the held-back remote images. */
function assertSafe(html: string): { remoteImages: number } {
  let remoteImages = 0;
  for (const element of DomUtils.findAll(() => true, parseDocument(html).children)) {
    const name = element.name;
    if (FORBIDDEN_TAGS.includes(name) || !ALLOWED_TAGS.has(name)) throw new Error(`element <${name}> in ${html}`);
    for (const [attribute, value] of Object.entries(element.attribs)) {
      if (/^on|^(style|srcset|srcdoc|class|id)$/i.test(attribute) || !(ALLOWED_ATTRIBUTES[name] ?? []).includes(attribute)) {
        throw new Error(`attribute ${attribute} on <${name}> in ${html}`);
      }
      // A browser ignores these characters when it reads a URL; so must the check.
      const url = value.replace(/[\u0000-\u0020\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]/g, '');
      const scheme = /^([a-z][a-z\d+.-]*):/i.exec(url)?.[1]?.toLowerCase();
      if (attribute === 'href' && scheme !== undefined && !['http', 'https', 'mailto'].includes(scheme)) {
        throw new Error(`href ${value} in ${html}`);
      }
      if (attribute === 'src') {
        const path = decodeURIComponent(value.slice(ASSET_PREFIX.length));
        if (!value.startsWith(ASSET_PREFIX) || path.split('/').includes('..') || /[\\\u0000]/.test(path)) {
          throw new Error(`img src ${value} in ${html}`);
        }
      }
      if (attribute === 'data-remote-src') {
        if (!/^https?:\/\/[^/]/.test(value)) throw new Error(`data-remote-src ${value} in ${html}`);
        remoteImages++;
      }
    }
  }
  return { remoteImages };
}

const URLS = [
  'javascript:alert(1)', 'JaVaScRiPt:alert(1)', '&#106;avascript:alert(1)', '&#x6A;avascript&#x3A;alert(1)',
  'java&#x09;script:alert(1)', 'java&#10;script:alert(1)', 'java\tscript:alert(1)', '&#1;javascript:alert(1)',
  ' \u0001javascript:alert(1)', 'javascript&colon;alert(1)', 'java&shy;script:x', 'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>', 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=', 'file:///etc/passwd',
  'smb://evil.example/share', 'ms-msdt:/id PCWDiagnostic', 'backfile-asset://archive/../../x', 'C:\\Windows\\x.png',
  '\\\\server\\share\\x.png', '//evil.example/x.png', '/\\evil.example/x.png', 'https:\\\\evil.example', 'http://a.example/p.gif',
  'https://tracker.example/pixel.gif?u=1&amp;v=2', 'mailto:a@example.com', '../../../../etc/passwd', '/assets/images/chart.png',
  'chart.png', '%2e%2e/%2e%2e/etc/passwd', '..%5c..%5cwin.ini', 'x.png%00.jpg', '#top', '', ' ', '"><script>alert(1)</script>',
  "'onerror='alert(1)", '{{ site.baseurl }}/x.png',
];
const TAGS = [
  'script', 'style', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'option', 'svg', 'math',
  'template', 'noscript', 'base', 'meta', 'link', 'frame', 'frameset', 'xmp', 'plaintext', 'noembed', 'title', 'img',
  'image', 'a', 'p', 'div', 'span', 'table', 'td', 'center', 'picture', 'source', 'video', 'audio', 'foreignObject',
  'annotation-xml', 'mi', 'desc', 'animate', 'set', 'use', 'isindex', 'keygen', 'marquee', 'details', 'dialog', 'slot',
];
const ATTRIBUTES = [
  'href', 'src', 'srcset', 'srcdoc', 'style', 'onerror', 'onload', 'OnClick', 'onmouseover', 'formaction', 'action', 'data',
  'xlink:href', 'poster', 'background', 'class', 'id', 'data-remote-src', 'http-equiv', 'content', 'rel', 'alt', 'title',
  'width', 'to', 'values', 'attributeName', 'is', 'target', 'ping',
];
const TEXT = [
  '<', '>', '"', "'", '&', '<!--', '-->', '--!>', '<![CDATA[', ']]>', '</', '<?', '?>', '=', '/', '\n', '\n\n', '\t', '\u0000',
  'background:url(javascript:alert(1))', 'expression(alert(1))', '@import url(https://evil.example/x.css);',
  '{{ x }}', '{% raw %}', '{% endraw %}', '{% highlight html %}', '{% endhighlight %}', '```', '    ', '> ', '- ', '* ',
  '[x](javascript:alert(1))', '![i](https://tracker.example/p.gif)', '![i](../../../../etc/passwd)', '<http://a.example/x>',
  '<>', '[a]: javascript:alert(1)', '[a][a]', '<javascript:alert(1)>', 'pwned', '双十一', '零售', '&lt;script&gt;',
];

/** The attributes that matter most on each element, so the risky combinations come up often. */
const TAG_ATTRIBUTES: Record<string, string[]> = {
  img: ['src', 'srcset', 'onerror', 'data-remote-src', 'style', 'alt'],
  a: ['href', 'onclick', 'style', 'target', 'ping'],
  form: ['action'],
  input: ['formaction', 'onfocus', 'autofocus'],
  iframe: ['src', 'srcdoc'],
  object: ['data'],
  embed: ['src'],
  base: ['href'],
  meta: ['http-equiv', 'content'],
  link: ['href', 'rel'],
  svg: ['onload'],
  animate: ['attributeName', 'values', 'to'],
  video: ['poster', 'src'],
  p: ['style', 'class', 'id'],
};

const url = fc.constantFrom(...URLS);
const quote = fc.constantFrom('"', "'", '');
const attributeNamed = (names: string[]) =>
  fc
    .tuple(fc.constantFrom(...names), url, quote, fc.constantFrom(' ', '\n', '/', ' \t'))
    .map(([name, value, q, space]) => `${space}${name}=${q}${value}${q}`);
const tagWith = (tags: string[], attribute: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.constantFrom(...tags), fc.array(attribute, { maxLength: 3 }), fc.boolean())
    .map(([tag, attributes, selfClosing]) => `<${tag}${attributes.join('')}${selfClosing ? '/' : ''}>`);
const openTag = fc.oneof(
  ...Object.entries(TAG_ATTRIBUTES).map(([tag, names]) => tagWith([tag], attributeNamed(names))),
  tagWith(TAGS, attributeNamed(ATTRIBUTES)),
);
const closeTag = fc.constantFrom(...TAGS).map((tag) => `</${tag}>`);
const piece = fc.oneof(
  { weight: 4, arbitrary: openTag },
  { weight: 2, arbitrary: closeTag },
  { weight: 3, arbitrary: fc.constantFrom(...TEXT) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const documentFromPieces = fc.array(piece, { minLength: 1, maxLength: 25 }).map((pieces) => pieces.join(''));

/** Mutations: insert a dangerous character or a piece at some position, delete a span, change case. */
const mutation = fc.oneof(
  fc.tuple(fc.nat(), fc.constantFrom('<', '>', '"', "'", '=', '/', '\t', '\n', '&', '#', ':', '\u0000', ' ', '-->')).map(
    ([at, text]) => (doc: string) => doc.slice(0, at % (doc.length + 1)) + text + doc.slice(at % (doc.length + 1)),
  ),
  fc.tuple(fc.nat(), piece).map(([at, text]) => (doc: string) => doc.slice(0, at % (doc.length + 1)) + text + doc.slice(at % (doc.length + 1))),
  fc.tuple(fc.nat(), fc.nat({ max: 8 })).map(([at, length]) => (doc: string) => doc.slice(0, at % (doc.length + 1)) + doc.slice((at % (doc.length + 1)) + length)),
  fc.constant((doc: string) => doc.toUpperCase()),
);
const mutatedDocument = fc
  .tuple(documentFromPieces, fc.array(mutation, { maxLength: 6 }))
  .map(([doc, mutations]) => mutations.reduce((current, mutate) => mutate(current), doc));
const anyDocument = fc.oneof(documentFromPieces, mutatedDocument);
const postPath = fc.constantFrom('_posts/a.md', 'world/asia/_posts/b.markdown', 'c.html', '../outside/d.md');

describe('sanitiser fuzzing', () => {
  it('the safety check itself rejects unsafe output', () => {
    expect(() => assertSafe('<p onclick="x">a</p>')).toThrow(/onclick/);
    expect(() => assertSafe('<a href="java\tscript:x">a</a>')).toThrow(/href/);
    expect(() => assertSafe('<img src="https://tracker.example/p.gif">')).toThrow(/img src/);
    expect(() => assertSafe('<img src="backfile-asset://archive/a/%2e%2e/b">')).toThrow(/img src/);
    expect(() => assertSafe('<svg></svg>')).toThrow(/svg/);
    expect(() => assertSafe('<p>ok <a href="https://a.example" rel="noopener noreferrer">a</a></p>')).not.toThrow();
  });

  it('sanitizeArticleHtml never lets dangerous markup through', () => {
    fc.assert(
      fc.property(anyDocument, postPath, (doc, path) => {
        const result = sanitizeArticleHtml(doc, { postPath: path });
        if (assertSafe(result.html).remoteImages > 0) expect(result.hasRemoteContent).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('renderBody never lets dangerous markup through, as Markdown or as HTML', () => {
    fc.assert(
      fc.property(anyDocument, postPath, fc.constantFrom('markdown' as const, 'html' as const), (doc, path, format) => {
        const result = renderBody(doc, format, { postPath: path });
        if (assertSafe(result.html).remoteImages > 0) expect(result.hasRemoteContent).toBe(true);
        // Schemes are case-insensitive (`<HTTP://…>` is a web link; the URL parser and isWebUrl read it so).
        if (result.source !== null) expect(result.source).toMatch(/^https?:\/\//i);
      }),
      { numRuns: RUNS },
    );
  });
});
