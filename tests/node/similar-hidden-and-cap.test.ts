/**
 * Other versions leave drafts and unpublished posts out unless asked for them (as the list does), and a look-up
 * scores at most SIMILAR_CANDIDATES candidates, the ones sharing the most buckets, however many posts share a template.
 */
import path from 'node:path';
import type { Statement } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { bandBuckets } from '../../src-main/core/similarity/bands';
import { unpackSignature } from '../../src-main/core/similarity/signature';
import { SIMILAR_CANDIDATES, similarCandidates } from '../../src-main/node/index/similar';
import { IndexStore } from '../../src-main/node/index/store';
import { validateArgs } from '../../src-main/node/validate-args';
import { batchOf, textPost } from '../helpers/parsed-posts';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('backfile-similar-hidden-');
const story = (i: number) => Array.from({ length: 3 }, (_, k) => `第${i}号新闻报道的第${k}段内容讲述了某地发生的事件情况说明${i * 7 + k}号`).join('\n');

describe('other versions', () => {
  it('leave hidden posts out unless includeHidden', () => {
    const store = IndexStore.open(path.join(tmp, 'hidden.sqlite'));
    try {
      store.applyBatch(batchOf([
        textPost('a', '2021-05-01', story(1)), textPost('b', '2021-05-02', story(1)),
        textPost('draft', '2021-05-03', story(1), { draft: true }), textPost('unpublished', '2021-05-04', story(1), { published: false }),
      ]));
      expect(store.similar('_posts/a.md')?.map((s) => s.path)).toEqual(['_posts/b.md']);
      expect(store.similar('_posts/a.md', true)?.map((s) => s.path)).toEqual(['_posts/b.md', '_posts/draft.md', '_posts/unpublished.md']);
      // A hidden post's own versions: the visible ones, and the other hidden ones only when asked.
      expect(store.similar('_posts/draft.md')?.map((s) => s.path)).toEqual(['_posts/a.md', '_posts/b.md']);
      // getSimilar's boundary takes the flag as true or false only.
      expect(validateArgs('getSimilar', ['_posts/a.md', true])).toEqual(['_posts/a.md', true]);
      expect(() => validateArgs('getSimilar', ['_posts/a.md', 'yes'])).toThrow(/true or false/);
    } finally {
      store.close();
    }
  });

  it('score at most SIMILAR_CANDIDATES of 2,000 posts of one template, and still find the reprint', () => {
    const file = path.join(tmp, 'template.sqlite');
    const store = IndexStore.open(file);
    // One template: the same notice with one number changed, so all 2,000 share most buckets.
    const template = (i: number) => `沪深两市今日收盘行情公告：本期市场成交情况与主要指数变动如下所列。\n请各位投资者注意市场风险，理性投资，谨慎决策，以上数据仅供参考。\n本公告由交易所信息中心每日发布，如有疑问请咨询客服热线，第${i}期`;
    const posts = Array.from({ length: 2000 }, (_, i) => textPost(`t${i}`, `2021-0${(i % 9) + 1}-10`, template(i)));
    for (let from = 0; from < posts.length; from += 500) store.applyBatch(batchOf(posts.slice(from, from + 500)));
    store.applyBatch(batchOf([textPost('story', '2021-10-01', story(7)), textPost('reprint', '2021-10-02', `${story(7)}\n`)]));
    store.close();
    const readonly = IndexStore.open(file, { readonly: true });
    try {
      expect(readonly.similar('_posts/reprint.md')?.map((s) => s.path)).toEqual(['_posts/story.md']);
      expect(readonly.similar('_posts/t0.md')!.length).toBeGreaterThan(0);
      // The candidates the look-up reads, counted by the same SQL it runs.
      const sql = (text: string) => (readonly as unknown as { stmt(t: string): Statement }).stmt(text);
      const id = sql("SELECT id FROM posts WHERE path = '_posts/t0.md'").pluck().get() as number;
      const sig = sql('SELECT sig FROM post_sig WHERE id = ?').pluck().get(id) as Buffer;
      const buckets = [...new Set(bandBuckets(unpackSignature(sig)))];
      const sharing = sql('SELECT count(DISTINCT id) FROM sig_buckets WHERE bucket IN (SELECT value FROM json_each(?)) AND id != ?').pluck().get(JSON.stringify(buckets), id) as number;
      expect(sharing).toBeGreaterThan(SIMILAR_CANDIDATES);
      const candidates = similarCandidates(sql, id, buckets, false);
      expect(candidates).toHaveLength(SIMILAR_CANDIDATES);
    } finally {
      readonly.close();
    }
  });
});
