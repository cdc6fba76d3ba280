/**
 * The text a post's similarity signature is computed from: its plain text (one block a line) without the lines
 * that say nothing about the story, and without case, whitespace and punctuation, so that a reprint that
 * re-spaces, re-punctuates or converts full-width characters still reads the same.
 *
 * Left out, line by line:
 * - boilerplate: lines that name a source, a copyright, an editor or a "back to" link ("本文转载自…", "（文章来源：…）",
 *   "返回首页", "版权所有", "责任编辑：…", "Copyright …"). Outlets put these under every post, so two unrelated posts
 *   of one outlet would share them; a reprint adds its own, so keeping them would also lower a true pair's score.
 * - short lines (fewer than MIN_LINE_CHARS letters and digits): datelines, "图片", bylines, stock codes and link
 *   labels, which repeat across unrelated posts.
 * A fixed list rather than a document-frequency table of lines: it needs no second pass over the archive, gives
 * a post the same signature whatever else is indexed (so an update never re-signs old posts), and measured on
 * generated reprints (tests/node/similar-quality.test.ts) keeps unrelated posts far below the threshold.
 */

/** Lines with fewer letters and digits than this are left out (datelines, bylines, captions, link labels). */
export const MIN_LINE_CHARS = 10;

/** Boilerplate that outlets add to every post: tested against a line (NFKC, lower case) with its whitespace removed. */
const BOILERPLATE = new RegExp([
  /^[(（【[]?(本文|本篇|文章|稿件|内容|信息)?(转载|转自|来源|出处|摘自|选自|编辑|作者|责编|责任编辑|原标题)/.source,
  /(转载自|转载于|来源[:：]|來源[:：]|文章来源|稿件来源|本文来源|内容来源|图片来源|来源于)/.source,
  /(版权所有|版权归|版权声明|免责声明|特别声明|未经(授权|许可|允许)|不得转载|禁止转载|转载请注明|侵权|联系删除)/.source,
  /(责任编辑|编辑[:：]|校对[:：]|审核[:：]|记者[:：]|通讯员[:：])/.source,
  /(返回首页|返回顶部|返回列表|返回目录|返回.{0,6}频道|点击(查看|阅读|进入|这里)|阅读原文|查看原文|扫码|扫描二维码|二维码|关注(我们|公众号|微信)|微信公众号|下载.{0,4}(app|客户端))/.source,
  /(copyright|allrightsreserved|©|\(c\)\d{4}|sourcereference|readmore|clickhere|backtohome)/.source,
].join('|'));

/** Is this line boilerplate (see above)? `line` as written. */
export function isBoilerplateLine(line: string): boolean {
  return BOILERPLATE.test(line.normalize('NFKC').toLowerCase().replace(/\s+/gu, ''));
}

const WORD = /[\p{L}\p{N}]/u;

/**
 * Letters and digits (any script) of a line, lower-cased and NFKC-folded: full-width ＡＢＣ１２３ read as abc123.
 * One pass over the char codes: CJK ideographs, ASCII and full-width ASCII directly (nearly every character of
 * Chinese news), anything else through NFKC and a Unicode class test.
 */
export function foldLine(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    let c = line.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) {
      out += line[i];
      continue;
    }
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0; // full-width ASCII (NFKC gives the ASCII character)
    if (c < 0x80) {
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) out += String.fromCharCode(c);
      else if (c >= 0x41 && c <= 0x5a) out += String.fromCharCode(c | 0x20);
      continue;
    }
    const wide = c >= 0xd800 && c <= 0xdbff && i + 1 < line.length;
    const char = wide ? line.slice(i, i + 2) : line[i]!;
    if (wide) i++;
    for (const folded of char.normalize('NFKC').toLowerCase()) if (WORD.test(folded)) out += folded;
  }
  return out;
}

/** The post's text as the signature sees it: kept lines folded and joined (no separator: a re-wrapped paragraph reads alike). */
export function normaliseForSimilarity(text: string): string {
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    const folded = foldLine(line);
    if (folded.length < MIN_LINE_CHARS || isBoilerplateLine(line)) continue;
    kept.push(folded);
  }
  return kept.join('');
}
