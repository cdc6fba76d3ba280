/**
 * The timeline and the trees' counts (facets) of a query with mark words (is:starred, label:…) count what the list
 * shows, through the contract and the CLI: the index does not know the marks, so it alone would count every post.
 * They are counted in one pass over the index's hits (never by paging the list: that was quadratic).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IndexStore } from '../../src-main/node/index/store';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { createArchiveApi } from '../../src-main/node/archive/create-archive-api';
import { RecentArchives } from '../../src-main/node/recent-archives';
import type { ArchiveApi } from '../../src-main/shared/archive-api';
import { runCliJson } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

describe('timeline with mark words', () => {
  const tmp = tempDir('backfile-timeline-marks-');
  const archive = path.join(tmp, 'archive');
  const workspaceFile = path.join(tmp, 'workspace.sqlite');
  let service: ArchiveService;
  let api: ArchiveApi;

  beforeAll(async () => {
    fs.mkdirSync(path.join(archive, '_posts'), { recursive: true });
    for (let i = 1; i <= 6; i++) {
      fs.writeFileSync(path.join(archive, `_posts/2020-0${i}-01-p${i}.md`), `---\ntitle: "P${i}"\ncategories: [${i % 2 ? 'odd' : 'even'}]\ntags: [t${i % 3}]\n---\n钢铁 ${i}\n`);
    }
    fs.writeFileSync(path.join(archive, '_posts/undated.md'), '---\ntitle: "U"\ncategories: [odd]\n---\n钢铁\n');
    service = new ArchiveService({ indexPathFor: () => path.join(tmp, 'index.sqlite') });
    api = createArchiveApi(service, { allowedRoots: null, recent: new RecentArchives(path.join(tmp, 'recent.json')), workspaceFile });
    await service.open(archive, { waitForIndex: true });
    await api.setStar('_posts/2020-01-01-p1.md', true);
    await api.setStar('_posts/2020-03-01-p3.md', true);
    await api.setStar('_posts/undated.md', true);
  });
  afterAll(() => service?.close());

  it('counts the starred posts only, as listArticles lists them', async () => {
    const timeline = await api.getTimeline({ query: 'is:starred 钢铁' }, 'month');
    expect(timeline).toEqual({ total: 3, undated: 1, by: 'month', buckets: [
      { period: '2020-01', count: 1 }, { period: '2020-02', count: 0 }, { period: '2020-03', count: 1 },
    ] });
    expect((await api.listArticles({ query: 'is:starred 钢铁' })).total).toBe(3);
    expect((await api.getTimeline({ query: '-is:starred' }, 'year')).buckets).toEqual([{ period: '2020', count: 4 }]);
    expect((await api.getTimeline({ query: '钢铁' })).total).toBe(7);
  });

  it('the CLI too', () => {
    const json = runCliJson<{ total: number; buckets: unknown[] }>(['timeline', archive, 'is:starred', '--by', 'year', '--workspace', workspaceFile, '--index', path.join(tmp, 'cli-index.sqlite')]);
    expect(json).toEqual({ total: 3, undated: 1, by: 'year', buckets: [{ period: '2020', count: 2 }] });
  });
  it('the trees count the starred posts only (getFacets and the CLI), as the list finds them', async () => {
    const facets = await api.getFacets({ query: 'is:starred' });
    // Starred: p1 (odd, t1, 2020-01), p3 (odd, t0, 2020-03) and the undated one (odd, untagged).
    expect(facets.categories.map((c) => [c.name, c.total])).toEqual([['odd', 3]]);
    expect(facets.dates.map((d) => [d.year, d.count, d.months.map((m) => [m.month, m.count])])).toEqual([[2020, 2, [[3, 1], [1, 1]]], [null, 1, []]]);
    expect(facets.tags.map((t) => [t.name, t.count]).sort()).toEqual([['', 1], ['t0', 1], ['t1', 1]]);
    const unstarred = await api.getFacets({ query: '-is:starred' });
    expect(unstarred.categories.map((c) => [c.name, c.total]).sort()).toEqual([['even', 3], ['odd', 1]]);

    const cli = runCliJson<{ categories: { name: string; total: number }[]; dates: { year: number | null; count: number }[] }>(
      ['facets', archive, 'is:starred', '--workspace', workspaceFile, '--index', path.join(tmp, 'cli-index.sqlite')]);
    expect(cli.categories.map((c) => [c.name, c.total])).toEqual([['odd', 3]]);
    expect(cli.dates.map((d) => [d.year, d.count])).toEqual([[2020, 2], [null, 1]]);
  });
});

describe('timeline with mark words over a large result', () => {
  const tmp = tempDir('backfile-timeline-marks-big-');
  const archive = path.join(tmp, 'archive');
  let service: ArchiveService;
  let api: ArchiveApi;
  const POSTS = 1_300;

  beforeAll(async () => {
    fs.mkdirSync(path.join(archive, '_posts'), { recursive: true });
    for (let i = 0; i < POSTS; i++) {
      const day = `2021-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      fs.writeFileSync(path.join(archive, `_posts/${day}-p${i}.md`), `---\ntitle: "P${i}"\n---\nsteel ${i}\n`);
    }
    service = new ArchiveService({ indexPathFor: () => path.join(tmp, 'index.sqlite') });
    api = createArchiveApi(service, { allowedRoots: null, recent: new RecentArchives(path.join(tmp, 'recent.json')), workspaceFile: path.join(tmp, 'ws.sqlite') });
    await service.open(archive, { waitForIndex: true });
    for (const i of [3, 400, 900]) await api.setStar(`_posts/2021-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}-p${i}.md`, true);
  }, 120_000);
  afterAll(() => service?.close());

  it('`steel -is:starred` is counted in one pass over the hits: no list pages, each matching row read once', async () => {
    const reads = [vi.spyOn(IndexStore.prototype, 'list'), vi.spyOn(IndexStore.prototype, 'listOrder'), vi.spyOn(IndexStore.prototype, 'hitsOf')];
    try {
      const timeline = await api.getTimeline({ query: 'steel -is:starred' }, 'month');
      const facets = await api.getFacets({ query: 'steel -is:starred' });
      // Paging the workspace's list 500 at a time re-read the whole result for every page (3 pages here).
      expect(reads.map((r) => r.mock.calls.length)).toEqual([0, 0, 0]);
      expect(timeline.total).toBe(POSTS - 3);
      expect(timeline.buckets).toHaveLength(12);
      expect(facets.dates[0]!.count).toBe(POSTS - 3);
    } finally {
      reads.forEach((r) => r.mockRestore());
    }
    expect((await api.listArticles({ query: 'steel -is:starred' })).total).toBe(POSTS - 3);
  });
  it('countMarks counts Starred, Notes and every label of a result in one read of it', async () => {
    await api.addLabel(`_posts/2021-04-04-p3.md`, 'lead');
    await api.setNote(`_posts/2021-04-04-p3.md`, 'check');
    const reads = [vi.spyOn(IndexStore.prototype, 'listOrder'), vi.spyOn(IndexStore.prototype, 'list')];
    try {
      expect(await api.countMarks({ query: 'steel' })).toEqual({ starred: 3, notes: 1, labels: { lead: 1 } });
      expect(await api.countMarks({ query: 'steel -is:starred' })).toEqual({ starred: 0, notes: 0, labels: { lead: 0 } });
      expect(reads.map((r) => r.mock.calls.length)).toEqual([2, 0]);
    } finally {
      reads.forEach((r) => r.mockRestore());
    }
  });
});
