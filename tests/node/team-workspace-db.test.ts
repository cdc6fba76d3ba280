/**
 * The team workspace (issue 15: "labels and notes can optionally live in the team database, per user = per
 * PostgreSQL role, with shared labels visible to all"): the same marks give the same answers as in the local
 * workspace; two roles see only their own marks but both a shared label; a read-only index role with write grants
 * on the ws_* tables can mark; one without them gets READ_ONLY and nothing changes. Real PostgreSQL, real files.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveApi, ListQuery } from '../../src-main/shared/archive-api';
import { openPgConnection } from '../../src-main/node/pg/pg-connection';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { runCli, runCliJson } from '../helpers/cli';
import { pgAvailableOrLog } from '../helpers/pg-store';
import { type TestPostgres } from '../helpers/postgres';
import { startTeamWorkspace, type TeamReader, type TeamWorkspaceSetup } from '../helpers/team-workspace';

const available = pgAvailableOrLog('the team workspace skipped');

let setup: TeamWorkspaceSetup;
let base: string;
let root: string;
const reader = (name: string, role: string, teamWorkspace: boolean): Promise<TeamReader> => setup.reader(name, role, teamWorkspace);

/** Marks every n-th post as the workspace-team test does, then labels and a saved search. */
async function markAll(api: ArchiveApi, paths: string[]): Promise<void> {
  for (const [i, p] of paths.entries()) {
    if (i % 7 === 0) await api.setStar(p, true);
    if (i % 11 === 0) await api.addLabel(p, 'lead');
    if (i % 17 === 0) await api.addLabel(p, 'to check', '#112233');
    if (i % 13 === 0) await api.setNote(p, `note ${i}`);
    if (i % 29 === 0) await api.addHighlight(p, { exact: '市', prefix: '', suffix: '' });
  }
  await api.removeLabel(paths[0]!, 'lead');
  await api.setStar(paths[7]!, false);
  await api.renameLabel('to check', '待查');
  await api.addSavedSearch('starred', { query: 'is:starred' });
  await api.addSavedSearch('市场 notes', { query: '市场 has:note' });
  await api.markSavedSearchOpened('starred');
}

const MARK_WORDS = ['is:starred', '-is:starred', 'label:lead', 'label:待查 OR label:lead', 'has:note', 'has:highlight', 'is:starred OR has:note'];

async function answers(api: ArchiveApi): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const marks of MARK_WORDS) {
    for (const text of ['', '市场']) {
      const query = `${text} ${marks}`.trim();
      const q: ListQuery = { query, sort: 'date', limit: 500 };
      const list = await api.listArticles(q);
      out[`list ${query}`] = { total: list.total, paths: list.items.map((h) => h.path) };
      out[`facets ${query}`] = await api.getFacets({ query });
      out[`timeline ${query}`] = await api.getTimeline({ query }, 'month');
      out[`counts ${query}`] = await api.countMarks({ query });
    }
  }
  out.labels = await api.listLabels();
  out.saved = (await api.listSavedSearches()).map(({ lastOpenedAt: _at, ...s }) => s);
  // Highlight ids and times are made anew on each side.
  out.marks = (await api.listMarks()).map((m) => ({ ...m, highlights: m.highlights.map((h) => h.exact) }));
  const exported = await api.exportWorkspace();
  out.exported = { ...exported, saved: exported.saved.map(({ lastOpenedAt: _at, ...s }) => s), marks: exported.marks.map((m) => ({ ...m, highlights: m.highlights.length })) };
  return out;
}

describe.skipIf(!available.ok)('the team workspace in PostgreSQL', { timeout: 600_000 }, () => {
  let server: TestPostgres;
  let paths: string[];
  const open: TeamReader[] = [];

  beforeAll(async () => {
    // Read-only index roles; alice, bob and dave may keep marks (the README's GRANTs), carol may not.
    setup = await startTeamWorkspace({ prefix: 'team-workspace-db-', posts: 120, seed: 15, roles: ['alice', 'bob', 'carol', 'dave'], granted: ['alice', 'bob', 'dave'] });
    ({ server, base, root } = setup);
    const first = await reader('list', 'alice', false);
    open.push(first);
    const page = await first.api.listArticles({ sort: 'oldest', limit: 500, includeHidden: true });
    paths = page.items.map((h) => h.path);
  }, 300_000);
  afterAll(async () => {
    await setup?.stop();
  });

  it('gives the same answers as the local workspace for the same marks, and keeps them in the team database', async () => {
    expect(paths.length).toBe(120);
    const team = await reader('alice', 'alice', true);
    open.push(team);
    expect((await team.api.getIndexInfo()).team).toMatchObject({ user: 'alice', workspace: 'team' });
    await markAll(team.api, paths);
    const local = await reader('local', 'alice', false);
    open.push(local);
    expect((await local.api.getIndexInfo()).team?.workspace).toBeUndefined();
    await markAll(local.api, paths);
    const a = await answers(team.api);
    expect(a).toEqual(await answers(local.api));
    // Not an agreement of empty answers (2 of the synthetic posts a clean clone generates without the shared corpora).
    expect((a as Record<string, { total: number }>)['list 市场 is:starred']!.total).toBeGreaterThanOrEqual(2);
    // In the team database, as alice's rows; not in this computer's workspace file.
    const rows = await server.query<{ owner: string; n: string }>('SELECT owner, count(*) AS n FROM backfile.ws_posts GROUP BY owner');
    expect(rows.rows).toEqual([{ owner: 'alice', n: String((await team.api.listMarks()).length) }]);
    // A second reader of the same role (another computer) sees them.
    const again = await reader('alice2', 'alice', true);
    open.push(again);
    expect(await answers(again.api)).toEqual(a);
  });

  it('imports a workspace export into the team database: the same marks, labels and saved searches as the file it came from', async () => {
    const local = open.find((r) => r.service.teamIndex && !r.service.teamIndex.workspace && r.service.teamIndex.info().team?.user === 'alice' && r !== open[0])!;
    const dave = await reader('dave', 'dave', true);
    open.push(dave);
    const report = await dave.api.importWorkspace(await local.api.exportWorkspace());
    expect(report).toMatchObject({ missing: 0, conflicts: [] });
    expect(report.merged).toBe((await local.api.listMarks()).length);
    const marks = async (api: ArchiveApi) => (await api.listMarks()).map((m) => ({ ...m, highlights: m.highlights.map(({ id: _id, createdAt: _at, ...h }) => h) })); // an import dates highlights anew, as into a file
    expect(await marks(dave.api)).toEqual(await marks(local.api));
    expect(await dave.api.listLabels()).toEqual(await local.api.listLabels());
    expect(await dave.api.listSavedSearches()).toEqual(await local.api.listSavedSearches());
  });

  it('two readers of one role marking the same posts at once: one row a post, with both marks (the role’s lock)', async () => {
    const [one, two] = [await reader('dave-1', 'dave', true), await reader('dave-2', 'dave', true)];
    open.push(one, two);
    const posts = paths.slice(60, 72);
    await Promise.all(posts.flatMap((p, i) => [one.api.setStar(p, true), two.api.setNote(p, `both ${i}`)]));
    const marks = (await one.api.listMarks()).filter((m) => posts.includes(m.path));
    const expected = new Map(posts.map((p, i) => [p, `both ${i}`]));
    expect(marks).toHaveLength(posts.length);
    for (const m of marks) expect([m.starred, m.note]).toEqual([true, expected.get(m.path)]);
  });

  it('keeps each role to its own marks; a shared label is seen by all and changed only by its owner', async () => {
    const bob = await reader('bob', 'bob', true);
    open.push(bob);
    expect(await bob.api.listMarks()).toEqual([]);
    expect(await bob.api.listLabels()).toEqual([]);
    await bob.api.setStar(paths[1]!, true);
    await bob.api.addLabel(paths[1]!, 'lead', '#abcdef');
    const alice = open.find((r) => r.api && r !== bob && r.service.teamIndex?.workspace)!;
    expect((await alice.api.listMarks()).map((m) => m.path)).not.toContain(paths[1]);
    expect((await alice.api.listLabels()).find((l) => l.name === 'lead')!.color).not.toBe('#abcdef');
    // Alice shares 待查 (by its row's flag, as the README says); bob sees it, with his own count, and can use it.
    await server.query("UPDATE backfile.ws_labels SET shared = true WHERE owner = 'alice' AND name = '待查'");
    expect((await bob.api.listLabels()).map((l) => [l.name, l.count])).toEqual([['lead', 1], ['待查', 0]]);
    await bob.api.addLabel(paths[2]!, '待查');
    expect((await bob.api.listArticles({ query: 'label:待查', limit: 500 })).items.map((h) => h.path)).toEqual([paths[2]]);
    const aliceCount = (await alice.api.listLabels()).find((l) => l.name === '待查')!.count;
    expect((await alice.api.listArticles({ query: 'label:待查', limit: 500 })).total).toBe(aliceCount);
    // Only alice renames or deletes it: bob gets one clear line, nothing changed.
    await expect(bob.api.renameLabel('待查', 'mine')).rejects.toMatchObject({ code: 'READ_ONLY', message: expect.stringContaining('shared by alice') });
    await expect(bob.api.deleteLabel('待查')).rejects.toMatchObject({ code: 'READ_ONLY' });
    expect((await bob.api.listLabels()).map((l) => l.name)).toEqual(['lead', '待查']);
    expect((await alice.api.listLabels()).find((l) => l.name === '待查')!.count).toBe(aliceCount);
  });

  it('refuses a role without the workspace grants with READ_ONLY, changing nothing', async () => {
    const carol = await reader('carol', 'carol', true);
    open.push(carol);
    const before = await server.query('SELECT count(*) AS n FROM backfile.ws_posts');
    await expect(carol.api.setStar(paths[3]!, true)).rejects.toMatchObject({ code: 'READ_ONLY', message: expect.stringContaining('GRANT SELECT, INSERT, UPDATE, DELETE ON backfile.ws_posts') });
    expect(await carol.api.listMarks()).toEqual([]); // the index's reader rights include SELECT: its own rows, none
    expect((await server.query('SELECT count(*) AS n FROM backfile.ws_posts')).rows).toEqual(before.rows);
    // Browsing and searching still work.
    expect((await carol.api.listArticles({ query: '市场' })).total).toBeGreaterThan(0);
  });

  it('keeps the marks when the indexer rebuilds an index of another version (the ws_* tables are never dropped)', async () => {
    const alice = open.find((r) => r.service.teamIndex?.workspace && r.service.teamIndex.info().team?.user === 'alice')!;
    const marks = await alice.api.listMarks();
    expect(marks.length).toBeGreaterThan(10);
    await server.query("UPDATE backfile.meta SET value = '0' WHERE key = 'schema_version'");
    const writer = await openPgConnection(server.url());
    try {
      await updatePgIndex(writer.pool, 'backfile', root);
    } finally {
      await writer.close();
    }
    expect((await server.query("SELECT value FROM backfile.meta WHERE key = 'schema_version'")).rows[0]?.value).not.toBe('0');
    expect(await alice.api.listMarks()).toEqual(marks);
  });

  it('the CLI keeps marks in the team database with --team-workspace (--store)', () => {
    const store = ['--store', server.url('bob'), '--team-workspace'];
    const marked = runCli(['mark', root, paths[5]!, '--star', '--label', '线索', ...store]);
    expect(marked.status, marked.stderr).toBe(0);
    const found = runCliJson<{ hits: { path: string }[] }>(['search', root, 'label:线索', '--json', ...store]);
    expect(found.hits.map((h) => h.path)).toEqual([paths[5]]);
    // Without it, the same role's local workspace has no such label.
    const local = runCliJson<{ total: number }>(['search', root, 'label:线索', '--json', '--store', server.url('bob'), '--workspace', path.join(base, 'cli.sqlite')]);
    expect(local.total).toBe(0);
    expect(runCli(['search', root, 'x', '--team-workspace']).stderr).toContain('--team-workspace needs --store');
  });
});
