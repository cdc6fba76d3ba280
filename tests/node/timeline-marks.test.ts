/**
 * The timeline of a query with mark words (is:starred, label:…) counts what the list shows, through the contract
 * and the CLI: the index does not know the marks, so it alone would count every post.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    for (let i = 1; i <= 6; i++) fs.writeFileSync(path.join(archive, `_posts/2020-0${i}-01-p${i}.md`), `---\ntitle: "P${i}"\n---\n钢铁 ${i}\n`);
    fs.writeFileSync(path.join(archive, '_posts/undated.md'), '---\ntitle: "U"\n---\n钢铁\n');
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
});
