import { describe, expect, it } from 'vitest';
import { stripLiquid } from '../../src-main/core/liquid';
import { cpuTime } from '../helpers/cpu-time';

describe('stripLiquid', () => {
  it('returns a body without Liquid unchanged', () => {
    const body = '离岸人民币兑美元升至6.3512。\n\n<http://finance.eastmoney.com/news/11060,1.html>\n{ not liquid } }}';
    expect(stripLiquid(body, 'markdown')).toBe(body);
  });

  it('removes output tags inside a link, leaving a usable URL', () => {
    expect(stripLiquid('See the [archive]({{ site.baseurl }}/archive/) for more.', 'markdown')).toBe(
      'See the [archive](/archive/) for more.',
    );
  });

  it('turns highlight into a fenced code block, keeping the language', () => {
    const body = 'Intro\n\n{% highlight js %}\nconst answer = 42;\n{% endhighlight %}\n\nOutro';
    expect(stripLiquid(body, 'markdown')).toBe('Intro\n\n```js\nconst answer = 42;\n```\n\nOutro');
  });

  it('reads highlight options after the language and whitespace-control dashes', () => {
    const body = '{%- highlight ruby linenos -%}\ndef a; end\n{%- endhighlight -%}';
    expect(stripLiquid(body, 'markdown')).toBe('```ruby\ndef a; end\n```');
  });

  it('uses a fence longer than any backtick run in the code', () => {
    const body = '{% highlight md %}\n```js\nx\n```\n{% endhighlight %}';
    expect(stripLiquid(body, 'markdown')).toBe('````md\n```js\nx\n```\n````');
  });

  it('puts a highlight written mid-line on its own lines', () => {
    expect(stripLiquid('x {% highlight sh %}ls -la{% endhighlight %} y', 'markdown')).toBe('x \n```sh\nls -la\n```\n y');
  });

  it('writes highlight as escaped <pre><code> in HTML posts', () => {
    const body = '<p>a</p>{% highlight html %}\n<b>&amp;</b>\n{% endhighlight %}';
    expect(stripLiquid(body, 'html')).toBe('<p>a</p><pre><code>&lt;b&gt;&amp;amp;&lt;/b&gt;</code></pre>');
  });

  it('keeps raw content literally, also inside highlight', () => {
    expect(stripLiquid('Write {% raw %}{{ page.title }}{% endraw %} in a layout.', 'markdown')).toBe(
      'Write {{ page.title }} in a layout.',
    );
    const body = '{% highlight liquid %}{% raw %}{% if user %}{{ user.name }}{% endif %}{% endraw %}{% endhighlight %}';
    expect(stripLiquid(body, 'markdown')).toBe('```liquid\n{% if user %}{{ user.name }}{% endif %}\n```');
  });

  it('removes Liquid inside highlight that is not raw, as Jekyll would have run it', () => {
    expect(stripLiquid('{% highlight html %}<a href="{{ url }}">{% endhighlight %}', 'markdown')).toBe('```html\n<a href="">\n```');
  });

  it('drops comment blocks with their content', () => {
    expect(stripLiquid('a {% comment %}secret {{ x }}{% endcomment %}b', 'markdown')).toBe('a b');
  });

  it('removes a tag alone on its line together with the line, keeping block content', () => {
    const body = 'Before\n\n{% include figure.html src="chart.png" %}\n\n  {% if page.show %}  \nShown text\n{% endif %}\nAfter';
    expect(stripLiquid(body, 'markdown')).toBe('Before\n\n\nShown text\nAfter');
  });

  it('handles CRLF line endings when removing tag lines', () => {
    expect(stripLiquid('a\r\n{% include x.html %}\r\nb', 'markdown')).toBe('a\r\nb');
  });

  it('leaves unterminated Liquid as text and treats an unclosed block as a lone tag', () => {
    expect(stripLiquid('open {{ never closed and {% also', 'markdown')).toBe('open {{ never closed and {% also');
    expect(stripLiquid('a {% raw %} b {{ c }}', 'markdown')).toBe('a  b ');
    expect(stripLiquid('{% highlight js %}x = 1', 'markdown')).toBe('x = 1');
  });

  it('keeps stray braces in prose: a close across a blank line or far away is not a tag', () => {
    const prose = '价格区间为{{下限\n\n第二段内容}}结束';
    expect(stripLiquid(prose, 'markdown')).toBe(prose);
    const far = `a {% ${'x'.repeat(2_000)} %} b`;
    expect(stripLiquid(far, 'markdown')).toBe(far);
    expect(stripLiquid('{{ a }}\n\n{{ b\n\n}} {{ c }}', 'markdown')).toBe('\n{{ b\n\n}} ');
    expect(stripLiquid('{% include card.html\n   title="x"\n   image="y.png" %}\ntext', 'markdown')).toBe('text');
  });

  it('does not treat similar names as blocks', () => {
    expect(stripLiquid('{% rawish %}x{% endraw %}', 'markdown')).toBe('x');
  });

  it('stays linear on adversarial input', () => {
    const hostile =
      '{% raw %}'.repeat(20_000) + '{% highlight %}'.repeat(20_000) + '{{\n\n'.repeat(50_000) + '}}' + '{% x %} '.repeat(20_000) + 'end';
    // CPU time, not wall time (a busy machine must not fail it): about 60 ms; quadratic work would take minutes.
    const { result: out, ms } = cpuTime(() => stripLiquid(hostile, 'markdown'));
    expect(ms).toBeLessThan(2_000);
    expect(out.endsWith('end')).toBe(true);
    expect(out).not.toContain('{%');
  });
});
