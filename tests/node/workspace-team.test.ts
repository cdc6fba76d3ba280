/**
 * The reader's workspace with a team index connected (issue 15's workspace item): stars, labels, notes and
 * highlights are made on the team index's posts, the mark words (`is:starred`, `label:`, `has:note`,
 * `has:highlight`) filter its list, facets, timeline, exports and batch exactly as on the local index of the same
 * archive with the same workspace, marks follow a post the team indexer moved, and a saved search counts the posts
 * it added. Real PostgreSQL (tests/helpers/postgres.ts), real SQLite, real files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveApi, ListQuery } from '../../src-main/shared/archive-api';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { createArchiveApi } from '../../src-main/node/archive/create-archive-api';
import { RecentArchives } from '../../src-main/node/recent-archives';
import { writeExport } from '../../src-main/node/export/write-export';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { WorkspaceService } from '../../src-main/node/workspace/workspace-service';
import { generateArchive } from '../bench/generate-archive';
import { realIfThere } from '../bench/real-paragraphs';
import { runCli, runCliJson } from '../helpers/cli';
import { pgAvailableOrLog, usePgConnection } from '../helpers/pg-store';
import { tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('the workspace on a team index skipped');

const base = tempDir('workspace-team-');
const root = path.join(base, 'archive');
const workspaceFile = path.join(base, 'workspace.sqlite');

/** Every post's path, oldest first, as the local index lists them (the marks are put on every n-th). */
async function allPaths(api: ArchiveApi): Promise<string[]> {
  const paths: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await api.listArticles({ includeHidden: true, sort: 'oldest', limit: 500, offset });
    paths.push(...page.items.map((h) => h.path));
    if (page.items.length < 500) return paths;
  }
}

const MARK_WORDS = ['is:starred', '-is:starred', 'label:lead', 'label:"to check" OR label:lead', 'has:note', 'has:highlight', '-has:note is:starred', 'is:starred OR has:note'];
const TEXT = ['', '市场', '投资', 'category:tech', '银行 OR 保险', 'after:2021'];

/** The list, trees, timeline, counts and batch answers for mark words with and without text (date order: both stores' own). */
async function answers(api: ArchiveApi, service: ArchiveService, ws: WorkspaceService): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const marks of MARK_WORDS) {
    for (const text of TEXT) {
      const query = `${text} ${marks}`.trim();
      for (const q of [{ query, sort: 'date' }, { query, sort: 'oldest', offset: 5, limit: 7 }, { query, sort: 'date', collapse: true }] as ListQuery[]) {
        const list = await api.listArticles(q);
        out[`list ${JSON.stringify(q)}`] = { total: list.total, items: list.items.map((h) => ({ path: h.path, title: h.title, date: h.date, snippet: h.snippet, versions: h.versions })) };
      }
      // Relevance ranks differently on PostgreSQL (ts_rank_cd): the same posts.
      const relevance = await api.listArticles({ query, sort: 'relevance', limit: 500 });
      out[`relevance ${query}`] = { total: relevance.total, paths: relevance.items.map((h) => h.path).sort() };
      out[`facets ${query}`] = await api.getFacets({ query });
      out[`timeline ${query}`] = await api.getTimeline({ query }, 'month');
      out[`counts ${query}`] = await api.countMarks({ query });
    }
  }
  out.batch = (await api.batchSearch(MARK_WORDS.map((m) => `市场 ${m}`))).terms;
  const exported = path.join(base, `export-${service.teamIndex ? 'team' : 'local'}.csv`);
  await writeExport(service, { format: 'csv', query: { query: '市场 is:starred OR label:lead', sort: 'date' } }, exported, { filter: (q) => ws.pathFilter(q) });
  out.export = fs.readFileSync(exported, 'utf8');
  return out;
}

describe.skipIf(!available.ok)('the workspace with a team index', { timeout: 600_000 }, () => {
  const { server, connection: writer } = usePgConnection();
  let service: ArchiveService;
  let api: ArchiveApi;
  let ws: WorkspaceService;
  let paths: string[];

  beforeAll(async () => {
    // The shared corpora's real paragraphs when they are beside the repository; else the synthetic posts (市场 in about a quarter).
    await generateArchive(root, 400, 21, realIfThere());
    service = new ArchiveService({ indexPathFor: () => path.join(base, 'index.sqlite') });
    await service.open(root, { waitForIndex: true });
    await updatePgIndex(writer.pool, 'backfile', root);
    api = createArchiveApi(service, { allowedRoots: null, recent: new RecentArchives(path.join(base, 'recent.json')), workspaceFile });
    ws = new WorkspaceService(service, { workspaceFile });
    paths = await allPaths(api);
  }, 300_000);
  afterAll(async () => {
    ws?.close();
    await service?.close();
  });

  it('makes marks on the team index’s posts, and the mark words answer there as on the local index', async () => {
    expect(paths.length).toBe(400);
    await service.connectTeamIndex({ url: server.url() }, { pollMs: 0 });
    expect(service.teamIndex).not.toBeNull();
    // The marks are made with the team index connected (before the fix: INVALID_ARGUMENT, "not available with a team index yet").
    for (const [i, p] of paths.entries()) {
      if (i % 7 === 0) await api.setStar(p, true);
      if (i % 11 === 0) await api.addLabel(p, 'lead');
      if (i % 17 === 0) await api.addLabel(p, 'to check');
      if (i % 13 === 0) await api.setNote(p, `note ${i}`);
      if (i % 29 === 0) await api.addHighlight(p, { exact: '市', prefix: '', suffix: '' });
    }
    expect(await api.getMarks(paths[7]!)).toMatchObject({ path: paths[7], starred: true });
    expect((await api.listArticles({ query: 'is:starred', limit: 500 })).total).toBe(Math.ceil(400 / 7));
    await expect(api.setStar('_posts/no-such-post.md', true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const team = await answers(api, service, ws);
    await service.disconnectTeamIndex();
    const local = await answers(api, service, ws);
    expect(team).toEqual(local);
    // Not an agreement of empty answers: the marks are in many results.
    const shown = local as Record<string, { total: number }>;
    expect(shown['list {"query":"市场 is:starred","sort":"date"}']!.total).toBeGreaterThan(5);
    const lists = Object.entries(shown).filter(([key]) => key.startsWith('list '));
    expect(lists.filter(([, list]) => list.total > 0).length).toBeGreaterThan(lists.length / 2);
    expect((local as { export: string }).export.split('\n').length).toBeGreaterThan(10);
  });

  it('lets marks follow a post the team indexer moved, and counts the posts it added in a saved search', async () => {
    await service.connectTeamIndex({ url: server.url() }, { pollMs: 0 });
    const moved = paths[14]!; // starred by the first test
    await api.setNote(moved, 'follows the file');
    const target = moved.replace(/\.md$/, '-moved.md');
    fs.renameSync(path.join(root, moved), path.join(root, target));
    await updatePgIndex(writer.pool, 'backfile', root);
    // The indexer committed: the reader notices (the poll; here at once) and the marks follow by content hash.
    expect(await service.teamIndex!.refresh()).toBe(true);
    await ws.settled();
    expect(await api.getMarks(target)).toMatchObject({ starred: true, note: 'follows the file' });
    expect((await api.listMarks()).some((m) => m.path === moved)).toBe(false);
    expect((await api.listArticles({ query: 'is:starred', limit: 500 })).items.map((h) => h.path)).toContain(target);
    await api.addSavedSearch('starred', { query: 'is:starred' });
    await api.markSavedSearchOpened('starred');
    // A post the indexer added, starred by the reader: new in the saved search since it was opened.
    fs.writeFileSync(path.join(root, '_posts', '2030-01-01-new.md'), '---\ntitle: 新的\ndate: 2030-01-01\n---\n新来的市场消息。\n');
    await updatePgIndex(writer.pool, 'backfile', root);
    expect(await service.teamIndex!.refresh()).toBe(true);
    await api.setStar('_posts/2030-01-01-new.md', true);
    expect(await api.listSavedSearches()).toEqual([expect.objectContaining({ name: 'starred', total: Math.ceil(400 / 7) + 1, new: 1 })]);
  });

  it('keeps a mark on a post only the team index knows through a disconnect, while the local index catches up', async () => {
    if (!service.teamIndex) await service.connectTeamIndex({ url: server.url() }, { pollMs: 0 });
    const fresh = '_posts/2030-02-02-only-team.md';
    fs.writeFileSync(path.join(root, fresh), '---\ntitle: 只在团队索引\ndate: 2030-02-02\n---\n团队索引先有的文章。\n');
    await updatePgIndex(writer.pool, 'backfile', root);
    expect(await service.teamIndex!.refresh()).toBe(true);
    await ws.settled();
    await api.setStar(fresh, true);
    const updated = new Promise<void>((resolve) => {
      const stop = service.on('indexProgress', (p) => {
        if (p.phase === 'ready') {
          stop();
          resolve();
        }
      });
    });
    await service.disconnectTeamIndex();
    // This computer's index does not hold the post yet: the mark waits for its update, never "missing" meanwhile.
    expect((await api.listMarks()).find((m) => m.path === fresh)).toMatchObject({ starred: true, missing: false });
    await updated;
    expect((await api.listMarks()).find((m) => m.path === fresh)).toMatchObject({ starred: true, missing: false });
    expect((await api.listArticles({ query: 'is:starred', limit: 500 })).items.map((h) => h.path)).toContain(fresh);
  });

  it('does not let marks follow a team index whose cold build is under way (meta cold_build), and does once it ends', async () => {
    if (!service.teamIndex) await service.connectTeamIndex({ url: server.url() }, { pollMs: 0 });
    const gone = paths[21]!; // starred by the first test
    expect(await api.getMarks(gone)).toMatchObject({ starred: true });
    const commit = async (sql: string, params: unknown[] = []) => {
      await writer.pool.query(sql, params);
      await writer.pool.query("UPDATE backfile.meta SET value = (value::bigint + 1)::text WHERE key = 'generation'");
      expect(await service.teamIndex!.refresh()).toBe(true);
      await ws.settled();
    };
    // A build under way has not loaded this post yet (as a build killed half-way leaves it).
    await commit("INSERT INTO backfile.meta (key, value) VALUES ('cold_build', '1')");
    await commit('DELETE FROM backfile.posts WHERE path = $1', [gone]);
    expect((await api.listMarks()).find((m) => m.path === gone)).toMatchObject({ starred: true, missing: false });
    // The build ended without it (the file is gone meanwhile): now the mark is missing.
    await commit("DELETE FROM backfile.meta WHERE key = 'cold_build'");
    expect((await api.listMarks()).find((m) => m.path === gone)).toMatchObject({ starred: true, missing: true });
  });

  it('the CLI marks and searches the mark words on the team index (--store)', () => {
    const file = path.join(base, 'cli-workspace.sqlite');
    const store = ['--store', server.url(), '--workspace', file];
    const marked = runCli(['mark', root, paths[3]!, '--star', '--label', '线索', ...store]);
    expect(marked.status, marked.stderr).toBe(0);
    const found = runCliJson<{ total: number; hits: { path: string }[] }>(['search', root, 'is:starred label:线索', '--json', ...store]);
    expect(found.hits.map((h) => h.path)).toEqual([paths[3]]);
  });
});
