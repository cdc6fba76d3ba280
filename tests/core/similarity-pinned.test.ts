import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ANYWHERE_FIRST, BOILERPLATE, isBoilerplateForm, isBoilerplateLine, normaliseForSimilarity } from '../../src-main/core/similarity/normalise';
import { packSignature, signatureOf } from '../../src-main/core/similarity/signature';
import { postMaker, type Corpus } from '../bench/generate-archive';

/**
 * Signatures pinned by value: a faster fold, boilerplate test or MinHash must give every post the signature it had
 * (an index built before would otherwise silently miss versions). The hashes were taken with the code of 4ef44d8
 * over generated posts of both corpora and the fixture archives' files (front matter and all: text of every kind).
 */
const digestOf = (texts: Iterable<string>): string => {
  const hash = createHash('sha256');
  for (const text of texts) {
    const signature = signatureOf(text);
    hash.update(signature ? packSignature(signature) : Uint8Array.of(0));
    hash.update(normaliseForSimilarity(text));
  }
  return hash.digest('hex');
};

function* generated(corpus: Corpus, posts: number): Generator<string> {
  const make = postMaker(corpus);
  for (let i = 0; i < posts; i++) yield make(42, i).content;
}

function* fixtureFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }).sort((a, b) => join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)))) {
    if (entry.isFile() && /\.(md|markdown|html?)$/u.test(entry.name)) yield readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
}

describe('similarity signatures, pinned', () => {
  it.each([
    ['synthetic', '441856641c5349a48e6a94f0da5c323c3fdc9dc2a32558ac8d81145b980b1b5f'],
    ['real', 'd93cfb3f4084b2fc88b927fa2d00efbc7edea149ecd040b100bc1c06c2c55c0e'],
  ] as const)('%s posts keep their signatures', (corpus, digest) => {
    expect(digestOf(generated(corpus, 3000))).toBe(digest);
  });

  it.each([
    ['tests/fixtures/edge-archive', '6c230f6cb5aa7ec3df7d3d62ed4b425ce28d2e65827bd173c69b370a9df8f824'],
    ['tests/fixtures/site-archive', 'bd9c050402f30367eca79dd4e69023fbefebf098c28b2cb51c9712d2328ed5c4'],
  ] as const)('%s keeps its signatures', (dir, digest) => {
    expect(digestOf(fixtureFiles(dir))).toBe(digest);
  });
});

describe('the boilerplate test, faster', () => {
  // Pieces of every alternative, their neighbours, and characters whose NFKC form differs from themselves.
  const pieces = ['本文', '转载', '转自', '来源', '來源', '文章', '稿件', '内容', '图片', '信息', '出处', '摘自', '选自', '编辑', '作者', '责编',
    '责任', '原标题', '版权', '所有', '归', '声明', '免责', '特别', '未经', '授权', '许可', '允许', '不得', '禁止', '请注明', '侵权', '联系删除',
    '校对', '审核', '记者', '通讯员', '返回', '首页', '顶部', '列表', '目录', '频道', '点击', '查看', '阅读', '进入', '这里', '原文', '扫码',
    '扫描', '二维码', '关注', '我们', '公众号', '微信', '下载', 'app', 'APP', '客户端', 'copyright', 'Copyright', 'all', 'rights', 'reserved',
    '©', '(c)', '（Ｃ）', '2021', '２０２１', 'source', 'reference', 'read', 'more', 'click', 'here', 'back', 'to', 'home', ':', '：', '(',
    '（', '【', '[', ' ', '　', '\t', '\u00a0', '国家', '统计局', '，', '。', 'ＣＯＰＹ', 'ⓒ', '㈱', '⽂', '…', 'x', '1', 'é', 'e\u0301', '𠀀'];
  const line = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((parts) => parts.join(''));

  it('reads a line as NFKC, lower case, without whitespace would, and tests it as the one expression does', () => {
    fc.assert(fc.property(line, (text) => {
      expect(isBoilerplateLine(text)).toBe(BOILERPLATE.test(text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '')));
    }), { seed: 21, numRuns: 4000 });
  });

  it('tries the expression at every character an alternative starts with', () => {
    fc.assert(fc.property(line, (text) => {
      const form = text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
      expect(isBoilerplateForm(form)).toBe(BOILERPLATE.test(form));
    }), { seed: 22, numRuns: 4000 });
    // Each alternative's first character is in the list: its shortest match starts with one.
    for (const sample of ['转载自', '来源:', '來源：', '文章来源', '稿件来源', '本文来源', '内容来源', '图片来源', '来源于', '版权所有', '免责声明', '特别声明',
      '未经授权', '不得转载', '禁止转载', '侵权', '联系删除', '责任编辑', '编辑:', '校对:', '审核:', '记者:', '通讯员:', '返回首页', '点击查看', '阅读原文',
      '查看原文', '扫码', '二维码', '关注我们', '微信公众号', '下载app', 'copyright', 'allrightsreserved', '©', '(c)2021', 'sourcereference',
      'readmore', 'clickhere', 'backtohome']) {
      expect(ANYWHERE_FIRST, sample).toContain(sample[0]);
      expect(isBoilerplateForm(`国家统计局${sample}`), sample).toBe(true);
    }
  });
});
