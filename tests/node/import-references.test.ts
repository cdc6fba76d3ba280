import { describe, expect, it } from 'vitest';
import { findLocalReferences } from '../../src-main/node/import/references';

const refs = (text: string, post = '_posts/2020-01-01-a.md') =>
  findLocalReferences(Buffer.from(text), post)
    .map((r) => `${r.rootRelative ? 'root:' : ''}${r.rel}`)
    .sort();

describe('findLocalReferences', () => {
  it('finds Markdown images and links, relative to the post or to the site root', () => {
    const text = [
      '---', 'title: x', '---',
      '![chart](images/chart.png "The chart")',
      '![logo](/assets/logo.png)',
      'See [the data](../files/data.csv) and [spaces](<my file.pdf>).',
      '![remote](https://example.com/a.png) ![proto](//cdn.example.com/b.png) [mail](mailto:a@b.c) [anchor](#top)',
      '[ref]: ./refs/r.jpg "title"',
    ].join('\n');
    expect(refs(text)).toEqual(['_posts/images/chart.png', '_posts/my file.pdf', '_posts/refs/r.jpg', 'files/data.csv', 'root:assets/logo.png']);
  });

  it('finds HTML src, href, poster and srcset, with entities and percent-encoding decoded', () => {
    const text = `<p><img src="img/a.png?v=2"> <img src='img/b%20c.png'> <img src=img/d.png>
      <a href="docs/x.pdf">x</a> <video poster="/v/p.jpg" src="/v/v.mp4"></video>
      <img srcset="s/1.png 1x, s/2.png 2x" src="s/0.png"> <a href="a&amp;b.txt">y</a></p>`;
    expect(refs(text, 'page.html')).toEqual([
      'a&b.txt', 'docs/x.pdf', 'img/a.png', 'img/b c.png', 'img/d.png', 'root:v/p.jpg', 'root:v/v.mp4', 's/0.png', 's/1.png', 's/2.png',
    ]);
  });

  it("reads Jekyll's ways of naming the site's own files as root-relative", () => {
    const text = [
      '![a]({{ site.baseurl }}/assets/a.png)',
      '![b]({{ "/assets/b.png" | relative_url }})',
      '![c]({% link assets/c.png %})',
      '![d]({{ page.image }})',
    ].join('\n');
    expect(refs(text)).toEqual(['root:assets/a.png', 'root:assets/b.png', 'root:assets/c.png']);
  });

  it('leaves out references that climb out of the source or are not plain local paths', () => {
    const text = '![a](../../../etc/passwd) ![b](/../../x.png) ![c](C:\\x.png) ![d](data:image/png;base64,AAAA) ![e](javascript:alert(1))';
    expect(refs(text, 'a.md')).toEqual([]);
  });

  it('reads GBK-encoded posts', () => {
    const gbk = Buffer.concat([Buffer.from('---\ntitle: '), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from('\n---\n![x](pic/a.png)\n')]);
    expect(findLocalReferences(gbk, 'a.md')).toEqual([{ rel: 'pic/a.png', rootRelative: false }]);
  });
});
