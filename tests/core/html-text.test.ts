import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src-main/core/html-text';

describe('htmlToText', () => {
  it('ends a line at each block element and joins inline elements without adding spaces', () => {
    const html =
      '<h2>午夜战报</h2><p>国内首款使用超低GWP制冷剂的<span><a href="http://q.example/">新能源</a></span><span></span>汽车来了！</p>' +
      '<ul><li>一</li><li>二</li></ul><blockquote><p>引用</p></blockquote>';
    expect(htmlToText(html)).toBe('午夜战报\n国内首款使用超低GWP制冷剂的新能源汽车来了！\n一\n二\n引用');
  });

  it('decodes entities', () => {
    expect(htmlToText('<p>《&lt;蒙特利尔议定书&gt;基加利修正案》 A&amp;B&nbsp;C &#x4E2D;&#25991;</p>')).toBe(
      '《<蒙特利尔议定书>基加利修正案》 A&B C 中文',
    );
  });

  it('collapses whitespace inside a line, treating markup line breaks as spaces', () => {
    expect(htmlToText('<p>The council\n<strong>postponed</strong>   the\tvote.</p>\n\n\n<p>　　第二段</p>')).toBe(
      'The council postponed the vote.\n第二段',
    );
  });

  it('breaks lines at <br> and <hr>, and keeps the lines of <pre>', () => {
    expect(htmlToText('<p>one<br>two</p><hr><pre><code>const a = 1;\n  const b = 2;\r\n</code></pre>')).toBe(
      'one\ntwo\nconst a = 1;\nconst b = 2;',
    );
  });

  it('separates table cells and rows', () => {
    expect(htmlToText('<table><tr><th>平台</th><th>成交额</th></tr><tr><td>甲</td><td>1000亿</td></tr></table>')).toBe(
      '平台 成交额\n甲 1000亿',
    );
  });

  it('keeps link text and leaves out image alt text', () => {
    expect(htmlToText('<p><a href="x">原文</a><img alt="Image" src="a.png"> 图片来源</p>')).toBe('原文 图片来源');
  });

  it('leaves out the content of script, style and other non-rendered elements', () => {
    const html =
      '<p>shown</p><script>var secret = 1;</script><style>body{display:none}</style><template>tpl</template>' +
      '<noscript>ns</noscript><svg><text>svg text</text></svg><textarea>ta</textarea><p>also shown</p>';
    expect(htmlToText(html)).toBe('shown\nalso shown');
  });

  it('copes with broken markup and empty input', () => {
    expect(htmlToText('')).toBe('');
    expect(htmlToText('<p>unclosed <b>bold <i>both')).toBe('unclosed bold both');
    expect(htmlToText('</div></p>stray<')).toBe('stray<');
  });
});

describe('htmlToText: link targets and Markdown remnants (issue 11, item 12)', () => {
  it('drops bare URLs, also a link whose label is its own URL', () => {
    expect(htmlToText('<p>详见http://206.189.12.34/news/1.html。原文：<a href="http://206.189.12.34/x">http://206.189.12.34/x</a></p>')).toBe(
      '详见。原文：',
    );
  });

  it('keeps only the label of Markdown links left unrendered in raw HTML, and drops unrendered images', () => {
    const html = '<div>\n[RADL](http://206.189.1.2/radl) 发布 ![图](http://img.example/a.png) [报告][1] 全文\n[1]: http://a.example/r\n</div>';
    expect(htmlToText(html)).toBe('RADL 发布 报告 全文');
  });

  it('cleans across inline elements and leaves <pre> as written', () => {
    expect(htmlToText('<p>[<em>RADL</em>](<a href="http://a.example/">http://a.example/</a>)</p><pre>see http://a.example/</pre>')).toBe(
      'RADL\nsee http://a.example/',
    );
  });

  it('leaves ordinary brackets alone', () => {
    expect(htmlToText('<p>【快讯】[注] 市场 (上涨)</p>')).toBe('【快讯】[注] 市场 (上涨)');
  });
});
