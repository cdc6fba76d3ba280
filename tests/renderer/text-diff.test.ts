// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { diffStory, htmlToText, MAX_SENTENCE_EDITS, splitSentences } from '../../src-renderer/lib/text-diff';

describe('splitSentences', () => {
  test('splits Chinese text at 。！？；… and line breaks, closing quotes staying with their sentence', () => {
    expect(splitSentences('新华社北京电。他说：“好！”然后走了；\n第二行没有句号\n省略……结束？ok')).toEqual([
      '新华社北京电。',
      '他说：“好！”',
      '然后走了；',
      '第二行没有句号',
      '省略……',
      '结束？',
      'ok',
    ]);
  });

  test('never splits at spaces: a Chinese sentence with spaces in it stays whole', () => {
    expect(splitSentences('上证指数 收于 3000 点。深证成指 上涨。')).toEqual(['上证指数 收于 3000 点。', '深证成指 上涨。']);
  });
});

describe('htmlToText', () => {
  test('one line per block, markup dropped, nothing of it kept as HTML', () => {
    const text = htmlToText('<h2>标题</h2><p>第一段<strong>加粗</strong>。</p><p>第二段<br>换行</p><ul><li>甲</li><li>乙</li></ul><p>&lt;script&gt;</p>');
    expect(text).toBe('标题\n第一段加粗。\n第二段\n换行\n甲\n乙\n<script>');
  });
});

describe('diffStory', () => {
  test('by sentence, then by character inside a changed pair', () => {
    const d = diffStory('央行今日宣布降息。市场反应平稳。分析人士认为利好股市。', '央行今日宣布降准。市场反应平稳。本文转载自某网。');
    expect(d.rows).toEqual([
      {
        kind: 'changed',
        left: [
          { text: '央行今日宣布降', change: 'same' },
          { text: '息', change: 'removed' },
          { text: '。', change: 'same' },
        ],
        right: [
          { text: '央行今日宣布降', change: 'same' },
          { text: '准', change: 'added' },
          { text: '。', change: 'same' },
        ],
      },
      { kind: 'same', text: '市场反应平稳。' },
      { kind: 'removed', text: '分析人士认为利好股市。' },
      { kind: 'added', text: '本文转载自某网。' },
    ]);
    expect([d.changed, d.removed, d.added, d.same]).toEqual([1, 1, 1, 1]);
  });

  test('an added boilerplate line and a dropped sentence among unchanged ones', () => {
    const d = diffStory('甲。乙。丙。', '甲。丙。\n（文章来源：某报）');
    expect(d.rows.map((r) => r.kind)).toEqual(['same', 'removed', 'same', 'added']);
  });

  test('identical texts: only unchanged rows', () => {
    const d = diffStory('一样。\n一样的第二句。', '一样。\n一样的第二句。');
    expect(d.rows.every((r) => r.kind === 'same')).toBe(true);
    expect(d.added + d.removed + d.changed).toBe(0);
  });
});

describe('diffStory on texts too unlike to compare', () => {
  test('past MAX_SENTENCE_EDITS it gives up at once instead of freezing the window', () => {
    const many = (tag: string): string => Array.from({ length: MAX_SENTENCE_EDITS + 10 }, (_, i) => `${tag}第${i}句。`).join('');
    const d = diffStory(many('甲'), many('乙'));
    expect(d.tooDifferent).toBe(true);
    expect(d.rows).toEqual([]);
  });

  test('a pair of sentences alike by half but in hundreds of scattered characters is one dropped and one added, not a character soup', () => {
    const han = (base: number, i: number): string => String.fromCodePoint(base + i);
    const a = Array.from({ length: 600 }, (_, i) => han(0x4e00, i) + han(0x5e00, i)).join('') + '。';
    const b = Array.from({ length: 600 }, (_, i) => han(0x4e00, i) + han(0x6e00, i)).join('') + '。';
    expect(diffStory(a, b).rows.map((r) => r.kind)).toEqual(['removed', 'added']);
  });
});
