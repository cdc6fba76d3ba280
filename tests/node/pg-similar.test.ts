/**
 * Other versions and stories on the team index (issue 14 on PostgreSQL, pg-similar.ts) against the SQLite store on
 * the same posts on disk, each indexed by its own writer: for every post, the same other versions (paths and
 * scores, with and without hidden posts); collapsed lists with the same totals, first pages and versions counts;
 * listOrder's stories grouping the posts alike. On the shared corpora, the edge fixture, a planted-reprint archive
 * (tests/bench/reprint-archive.ts, as similar-quality.test.ts), 560 posts of one template (more candidates than
 * SIMILAR_CANDIDATES: the capped look-up on both), and a chain of versions updated step by step
 * (story-index.test.ts's inserts, deletes and rewrites), where stories must split and join as SQLite's do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ListQuery, ListResult } from '../../src-main/shared/archive-api';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { PgIndexReader } from '../../src-main/node/pg/pg-read';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { generateReprintArchive } from '../bench/reprint-archive';
import { syntheticPost } from '../bench/synthetic-post';
import { pgAvailableOrLog, usePgPool } from '../helpers/pg-store';
import { edgeArchive, sharedCorpus, tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('PostgreSQL other versions skipped');
const sharedPresent = fs.existsSync(sharedCorpus);

const paragraphs = Array.from({ length: 40 }, (_, i) => syntheticPost(7, 500 + i).content.replace(/^---\n[\s\S]*?\n---\n/, ''))
  .flatMap((body) => body.split('\n').filter((line) => line.trim().length > 40 && !line.includes('<')));
const text = (from: number, to: number): string => paragraphs.slice(from, to).join('\n\n');
const post = (title: string, date: string, body: string, extra = ''): string => `---\ntitle: ${JSON.stringify(title)}\ndate: ${date}\n${extra}---\n${body}\n`;
const write = (root: string, rel: string, content: string) => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), content);
};

const collapsedQueries: ListQuery[] = [
  {}, { includeHidden: true }, { sort: 'oldest' }, { includeHidden: true, sort: 'oldest' }, { query: '市场' }, { query: '市场', sort: 'date' }, { query: '的', includeHidden: true, sort: 'oldest' }, { query: '公告', sort: 'date' },
  { query: '的', includeHidden: true }, { query: '公告' }, { year: 2021 }, { query: 'the' }, { tag: null },
];
const collapsedPage = (r: ListResult) => ({ total: r.total, notice: r.notice ?? null, page: r.items.map((h) => `${h.path} ${h.versions ?? '-'}`) });
/** Paths grouped by story (a post without one alone), as sorted lists, sorted: story numbers differ between stores. */
const grouping = (paths: readonly string[], stories: readonly (number | undefined)[] | undefined): string[][] => {
  const groups = new Map<string, string[]>();
  paths.forEach((p, i) => {
    const key = stories?.[i] === undefined ? `alone ${p}` : `story ${stories[i]}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  });
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
};

describe.skipIf(!available.ok)('other versions and stories on PostgreSQL agree with the SQLite store', { timeout: 600_000 }, () => {
  const dir = tempDir('backfile-pg-similar-');
  const { pool } = usePgPool({ max: 4, timeout: 120_000 });

  /** Indexes `root` into a fresh-or-updated SQLite file and PostgreSQL schema, then compares everything. */
  async function indexBoth(name: string, root: string): Promise<{ sqlite: IndexStore; pg: PgIndexReader }> {
    const sqlite = IndexStore.open(path.join(dir, `${name}.sqlite`));
    await updateIndex(sqlite, root);
    await updatePgIndex(pool, `s_${name}`, root, { parseThreads: 0 });
    return { sqlite, pg: new PgIndexReader(pool, `s_${name}`) };
  }

  async function expectEqual(label: string, sqlite: IndexStore, reader: PgIndexReader): Promise<number> {
    const paths = sqlite.listOrder({ includeHidden: true, sort: 'date' }).paths;
    let withVersions = 0;
    for (const p of paths) {
      for (const hidden of [false, true]) {
        const want = sqlite.similar(p, hidden);
        expect(await reader.similar(p, hidden), `${label} ${p} ${hidden}`).toEqual(want);
        if (hidden && want!.length > 0) withVersions++;
      }
    }
    expect(await reader.similar('_posts/no-such-post.md')).toBeUndefined();
    for (const q of collapsedQueries) {
      for (const [offset, limit] of [[0, 50], [3, 7]]) {
        const query: ListQuery = { ...q, collapse: true, offset, limit };
        const [got, want] = [collapsedPage(await reader.list(query)), collapsedPage(sqlite.list(query))];
        // Relevance ranks by ts_rank_cd there and bm25 here (pg-read-equality.test.ts): the same stories counted, pages by date.
        if (q.query !== undefined && q.sort === undefined) expect(got.total, `${label} ${JSON.stringify(query)}`).toBe(want.total);
        else expect(got, `${label} ${JSON.stringify(query)}`).toEqual(want);
      }
      if (q.query === undefined || q.sort !== undefined) {
        const want = sqlite.listOrder({ ...q, collapse: true });
        const got = await reader.listOrder({ ...q, collapse: true });
        expect(got.paths, `${label} listOrder ${JSON.stringify(q)}`).toEqual(want.paths);
        expect(grouping(got.paths, got.stories), `${label} stories ${JSON.stringify(q)}`).toEqual(grouping(want.paths, want.stories));
      }
    }
    return withVersions;
  }

  it('on the shared corpora, the edge fixture and planted reprints: the same versions, collapsed lists and stories', async () => {
    const reprints = path.join(dir, 'reprints');
    const planted = generateReprintArchive(reprints, { seed: 14, originals: 40, unrelated: 300 });
    const archives: [string, string][] = [
      ...(sharedPresent ? [['finews', path.join(sharedCorpus, 'finews-sample')], ['edge', path.join(sharedCorpus, 'jekyll-edge-cases')]] as [string, string][] : []),
      ['fixture', edgeArchive], ['reprints', reprints],
    ];
    for (const [name, root] of archives) {
      const { sqlite, pg: reader } = await indexBoth(name, root);
      try {
        const withVersions = await expectEqual(name, sqlite, reader);
        if (name === 'reprints') {
          // Not vacuous: the planted families are found, and collapse to fewer rows.
          expect(withVersions).toBeGreaterThanOrEqual(planted.families.length * 2);
          const all = await reader.list({ includeHidden: true, collapse: true });
          expect(all.total).toBeLessThan(sqlite.list({ includeHidden: true }).total);
          expect(all.items.some((h) => (h.versions ?? 0) > 0)).toBe(true);
        }
      } finally {
        sqlite.close();
      }
    }
  });

  it('on 560 posts of one template (more candidates than a look-up scores): the same versions and stories', async () => {
    const root = path.join(dir, 'template');
    const notice = (i: number) => `沪深两市今日收盘行情公告：本期市场成交情况与主要指数变动如下所列。\n请各位投资者注意市场风险，理性投资，谨慎决策，以上数据仅供参考。\n本公告由交易所信息中心每日发布，如有疑问请咨询客服热线，第${i}期`;
    for (let i = 0; i < 560; i++) write(root, `_posts/2021-0${(i % 9) + 1}-10-t${i}.md`, post(`t${i}`, `2021-0${(i % 9) + 1}-10 0${i % 7}:00:00`, notice(i)));
    const { sqlite, pg: reader } = await indexBoth('template', root);
    try {
      expect(await expectEqual('template', sqlite, reader)).toBeGreaterThan(500);
    } finally {
      sqlite.close();
    }
  });

  it('a chain of versions updated step by step: stories join and split as in SQLite', async () => {
    const root = path.join(dir, 'chain');
    const steps: [string, () => void][] = [
      ['first', () => {
        write(root, '_posts/2021-01-01-x.md', post('X', '2021-01-01', text(0, 10)));
        write(root, '_posts/2021-01-02-y.md', post('Y', '2021-01-02', text(3, 13)));
        write(root, '_posts/2021-01-03-z.md', post('Z', '2021-01-03', text(6, 16)));
        write(root, '_posts/2021-02-01-a.md', post('A', '2021-02-01', text(20, 30)));
        write(root, '_posts/2021-02-02-b.md', post('B', '2021-02-02', `本文转载自新华网，版权归原作者所有。\n\n${text(20, 30)}`));
        write(root, '_posts/2021-02-03-c.md', post('C', '2021-02-03', text(20, 29), 'published: false\n'));
        write(root, '_posts/2021-03-01-d.md', post('D', '2021-03-01', text(40, 50)));
        write(root, '_posts/2021-03-02-e.md', post('E', '2021-03-02', '短'));
      }],
      ['middle deleted', () => fs.rmSync(path.join(root, '_posts/2021-01-02-y.md'))],
      ['middle back', () => write(root, '_posts/2021-01-02-y.md', post('Y', '2021-01-02', text(3, 13)))],
      ['rewritten into a reprint', () => write(root, '_posts/2021-03-01-d.md', post('D', '2021-03-01', text(20, 30)))],
      ['rewritten back out', () => write(root, '_posts/2021-03-01-d.md', post('D', '2021-03-10', text(40, 50)))],
      ['two deleted at once', () => {
        fs.rmSync(path.join(root, '_posts/2021-02-01-a.md'));
        fs.rmSync(path.join(root, '_posts/2021-02-02-b.md'));
      }],
    ];
    const groupsSeen: number[] = [];
    for (const [label, change] of steps) {
      change();
      const { sqlite, pg: reader } = await indexBoth('chain', root);
      try {
        await expectEqual(`chain ${label}`, sqlite, reader);
        groupsSeen.push((await reader.list({ includeHidden: true, collapse: true })).total);
      } finally {
        sqlite.close();
      }
    }
    // 8 posts: {X,Y,Z} {A,B} C (unpublished: in no story) D E; X and Z apart; together again; D joins A's; leaves;
    // the chain, C, D and E.
    expect(groupsSeen).toEqual([5, 6, 5, 4, 5, 4]);
  });
});
