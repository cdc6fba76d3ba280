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
const LEADING = /^[(（【[]?(本文|本篇|文章|稿件|内容|信息)?(转载|转自|来源|出处|摘自|选自|编辑|作者|责编|责任编辑|原标题)/;
const ANYWHERE = [
  /(转载自|转载于|来源[:：]|來源[:：]|文章来源|稿件来源|本文来源|内容来源|图片来源|来源于)/.source,
  /(版权所有|版权归|版权声明|免责声明|特别声明|未经(授权|许可|允许)|不得转载|禁止转载|转载请注明|侵权|联系删除)/.source,
  /(责任编辑|编辑[:：]|校对[:：]|审核[:：]|记者[:：]|通讯员[:：])/.source,
  /(返回首页|返回顶部|返回列表|返回目录|返回.{0,6}频道|点击(查看|阅读|进入|这里)|阅读原文|查看原文|扫码|扫描二维码|二维码|关注(我们|公众号|微信)|微信公众号|下载.{0,4}(app|客户端))/.source,
  /(copyright|allrightsreserved|©|\(c\)\d{4}|sourcereference|readmore|clickhere|backtohome)/.source,
];
/** The whole test as one expression (the reference the faster test below is checked against). */
export const BOILERPLATE = new RegExp([LEADING.source, ...ANYWHERE].join('|'));
/** ANYWHERE tried at one position only (sticky), */
const ANYWHERE_AT = new RegExp(ANYWHERE.join('|'), 'y');
/** at the positions of the characters its alternatives can start with: a table lookup a character instead of a regular expression's try. */
export const ANYWHERE_FIRST = '转来來文稿本内图版免特未不禁侵联责编校审记通返点阅查扫二关微下ca©(srb';
const STARTS = new Uint8Array(0x10000);
for (let i = 0; i < ANYWHERE_FIRST.length; i++) STARTS[ANYWHERE_FIRST.charCodeAt(i)] = 1;

/** BOILERPLATE.test(form), faster. */
export function isBoilerplateForm(form: string): boolean {
  if (LEADING.test(form)) return true;
  for (let at = 0; at < form.length; at++) {
    if (STARTS[form.charCodeAt(at)] === 0) continue;
    ANYWHERE_AT.lastIndex = at;
    if (ANYWHERE_AT.test(form)) return true;
  }
  return false;
}

/** Is this line boilerplate (see above)? `line` as written. */
export function isBoilerplateLine(line: string): boolean {
  return isBoilerplateForm(boilerplateForm(line));
}

/**
 * What the boilerplate test reads: the line NFKC-folded, lower-cased, without whitespace. A line of only "stable"
 * characters (ASCII, Latin-1, general and CJK punctuation, CJK ideographs, full-width ASCII: nearly every line of
 * Chinese news) is mapped unit by unit through a table made once from the same three steps, which for these
 * characters (starters that neither compose nor reorder) equals the steps on the whole line; any other line
 * takes the steps themselves.
 */
function boilerplateForm(line: string): string {
  let units: Uint16Array | null = null;
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    const mapped = STABLE[line.charCodeAt(i)]!;
    if (mapped === UNSTABLE) return line.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
    if (mapped === DROPPED) continue;
    (units ??= new Uint16Array(line.length))[n++] = mapped;
  }
  return units ? unitsToString(units, n) : '';
}

const UNSTABLE = 0xffff;
const DROPPED = 0xfffe;
/** Each UTF-16 unit's boilerplate form when it is one unit (or none: DROPPED), UNSTABLE for the others. */
const STABLE = new Uint16Array(0x10000).fill(UNSTABLE);
for (const [from, to] of [[0x00, 0xff], [0x2000, 0x206f], [0x3000, 0x3029], [0x3030, 0x303f], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xff01, 0xff5e]]) {
  for (let c = from!; c <= to!; c++) {
    const form = String.fromCharCode(c).normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
    if (form.length === 0) STABLE[c] = DROPPED;
    else if (form.length === 1 && form.charCodeAt(0) < DROPPED) STABLE[c] = form.charCodeAt(0);
  }
}

const UTF16 = new TextDecoder('utf-16le');

/** A string of the first `n` units (little-endian bytes: the typed array's order on every platform Node runs on). */
function unitsToString(units: Uint16Array, n: number): string {
  return UTF16.decode(units.subarray(0, n));
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
  const kept = keptUnits(text);
  return unitsToString(kept.units, kept.length);
}

/** The kept text's UTF-16 units (normaliseForSimilarity without making a string), in a buffer reused by the next call. */
export function keptUnits(text: string): { units: Uint16Array; length: number } {
  let n = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const lineStart = n;
    n = foldInto(text, start, end, n);
    if (n - lineStart < MIN_LINE_CHARS || isBoilerplateLine(text.slice(start, end))) n = lineStart;
    start = end + 1;
  }
  return { units: buffer, length: n };
}

let buffer = new Uint16Array(1 << 14);

const UNKNOWN = 0;
const EMPTY = 0xfffe;
const MANY = 0xffff;
/** foldLine of one unit (never a surrogate's half: those take foldLine each time), UNKNOWN until first met. */
const FOLDED = new Uint16Array(0x10000);

/** foldLine of text[start, end) written into the buffer from `n` (grown when needed); the new length. */
function foldInto(text: string, start: number, end: number, n: number): number {
  if (buffer.length < n + 2 * (end - start) + 16) {
    const grown = new Uint16Array(2 * (n + 2 * (end - start) + 16));
    grown.set(buffer.subarray(0, n));
    buffer = grown;
  }
  const out = buffer;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) {
      out[n++] = c;
      continue;
    }
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    if (c < 0x80) {
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) out[n++] = c;
      else if (c >= 0x41 && c <= 0x5a) out[n++] = c | 0x20;
      continue;
    }
    // Anything else as foldLine does it, through a table of each unit's fold filled as units are met.
    const known = FOLDED[c]!;
    if (known === EMPTY) continue;
    if (known !== UNKNOWN && known !== MANY) {
      out[n++] = known;
      continue;
    }
    const wide = c >= 0xd800 && c <= 0xdbff && i + 1 < end;
    const folded = foldLine(text.slice(i, wide ? i + 2 : i + 1));
    if (!wide && known === UNKNOWN) FOLDED[c] = folded.length === 0 ? EMPTY : folded.length === 1 ? folded.charCodeAt(0) : MANY;
    if (wide) i++;
    if (n + folded.length > out.length) return foldInto(text, i + 1 - (wide ? 2 : 1), end, n);
    for (let k = 0; k < folded.length; k++) out[n++] = folded.charCodeAt(k);
  }
  return n;
}
