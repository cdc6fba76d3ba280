/**
 * Sharing a label is a user action (issue 15, "shared labels visible to all"): setLabelShared on the contract and
 * `cli label share|unshare`, on a real PostgreSQL with two roles. Only the owner shares or unshares; a local
 * workspace says sharing needs the team workspace.
 */
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Label } from '../../src-main/shared/workspace-api';
import { runCli, runCliJson } from '../helpers/cli';
import { pgAvailableOrLog } from '../helpers/pg-store';
import { type TestPostgres } from '../helpers/postgres';
import { startTeamWorkspace, type TeamReader, type TeamWorkspaceSetup } from '../helpers/team-workspace';

const available = pgAvailableOrLog('label sharing skipped');

let setup: TeamWorkspaceSetup;
let base: string;
let root: string;
const reader = (name: string, role: string, teamWorkspace: boolean): Promise<TeamReader> => setup.reader(name, role, teamWorkspace);

const brief = (labels: Label[]) => labels.map(({ name, count, shared, owner }) => ({ name, count, shared, owner }));

describe.skipIf(!available.ok)('sharing a label in the team workspace', { timeout: 600_000 }, () => {
  let server: TestPostgres;
  let paths: string[];

  beforeAll(async () => {
    setup = await startTeamWorkspace({ prefix: 'team-label-share-', posts: 40, seed: 21, roles: ['alice', 'bob', 'carol'] });
    ({ server, base, root } = setup);
  }, 300_000);
  afterAll(async () => {
    await setup?.stop();
  });

  it('the owner shares: the other role lists it with its owner and filters by it; only the owner unshares', async () => {
    const alice = await reader('alice', 'alice', true);
    const bob = await reader('bob', 'bob', true);
    paths = (await alice.api.listArticles({ sort: 'oldest', limit: 500, includeHidden: true })).items.map((h) => h.path);
    await alice.api.addLabel(paths[0]!, '待查');
    await alice.api.addLabel(paths[1]!, 'private');
    expect(brief(await alice.api.listLabels())).toEqual([
      { name: 'private', count: 1, shared: undefined, owner: undefined },
      { name: '待查', count: 1, shared: undefined, owner: undefined },
    ]);
    expect(await bob.api.listLabels()).toEqual([]);

    expect(brief(await alice.api.setLabelShared('待查', true)).find((l) => l.name === '待查')).toEqual({ name: '待查', count: 1, shared: true, owner: undefined });
    // Bob sees it (his own count: none yet), with its owner, and not alice's other label; he labels with it and lists it.
    expect(brief(await bob.api.listLabels())).toEqual([{ name: '待查', count: 0, shared: true, owner: 'alice' }]);
    await bob.api.addLabel(paths[2]!, '待查');
    expect((await bob.api.listArticles({ query: 'label:待查', limit: 500 })).items.map((h) => h.path)).toEqual([paths[2]]);
    expect((await alice.api.listArticles({ query: 'label:待查', limit: 500 })).items.map((h) => h.path)).toEqual([paths[0]]);

    // Bob cannot unshare it (nor share alice's private label, which he cannot see): nothing changes.
    await expect(bob.api.setLabelShared('待查', false)).rejects.toMatchObject({ code: 'READ_ONLY', message: expect.stringContaining('shared by alice') });
    await expect(bob.api.setLabelShared('private', true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await server.query("SELECT name, shared FROM backfile.ws_labels WHERE owner = 'alice' ORDER BY name")).rows)
      .toEqual([{ name: 'private', shared: false }, { name: '待查', shared: true }]);

    // Alice unshares: bob no longer lists it, and label:待查 finds nothing for him.
    expect(brief(await alice.api.setLabelShared('待查', false)).find((l) => l.name === '待查')!.shared).toBeUndefined();
    expect(await bob.api.listLabels()).toEqual([]);
    expect((await bob.api.listArticles({ query: 'label:待查', limit: 500 })).total).toBe(0);
    expect((await alice.api.listArticles({ query: 'label:待查', limit: 500 })).items.map((h) => h.path)).toEqual([paths[0]]);
  });

  it('a local workspace says sharing needs the team workspace', async () => {
    const local = await reader('local', 'alice', false);
    await local.api.addLabel(paths[0]!, '待查');
    await expect(local.api.setLabelShared('待查', true)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('sharing needs the team workspace') });
    expect((await local.api.listLabels()).map((l) => l.shared)).toEqual([undefined]);
  });

  it('the CLI shares and unshares with `label share|unshare ARCHIVE NAME` (--team-workspace)', () => {
    const as = (role: string) => ['--store', server.url(role), '--team-workspace'];
    const shared = runCliJson<{ labels: Label[] }>(['label', 'share', root, 'private', ...as('alice')]);
    expect(brief(shared.labels).find((l) => l.name === 'private')).toEqual({ name: 'private', count: 1, shared: true, owner: undefined });
    const seen = runCli(['label', 'unshare', root, 'private', ...as('bob')]);
    expect(seen.status).not.toBe(0);
    expect(seen.stderr).toContain('shared by alice');
    expect(runCliJson<{ hits: { path: string }[] }>(['search', root, 'label:private', ...as('bob')]).hits).toEqual([]);
    const unshared = runCli(['label', 'unshare', root, 'private', ...as('alice')]);
    expect(unshared.status, unshared.stderr).toBe(0);
    expect(unshared.stdout).toContain('private: 1 posts');
    expect(unshared.stdout).not.toContain('private: 1 posts · shared');
    const local = runCli(['label', 'share', root, 'private', '--store', server.url('alice'), '--workspace', path.join(base, 'cli.sqlite')]);
    expect(local.stderr).toContain('sharing needs the team workspace');
    expect(runCli(['label', 'give', root, 'x']).stderr).toContain('label takes share or unshare');
  });

  it('a second role cannot share a label name another role already shares (any case): the first\'s labellings stay', async () => {
    const alice = await reader('alice-2', 'alice', true);
    const bob = await reader('bob-2', 'bob', true);
    const carol = await reader('carol-2', 'carol', true);
    await carol.api.addLabel(paths[5]!, '待查'); // carol's own 待查, made after alice's (a higher id)
    await carol.api.addLabel(paths[6]!, 'Lead');
    await alice.api.addLabel(paths[7]!, 'lead');
    await alice.api.setLabelShared('待查', true);
    await alice.api.setLabelShared('lead', true);
    await bob.api.addLabel(paths[2]!, '待查');
    await expect(carol.api.setLabelShared('待查', true)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'the label name 待查 is already shared by alice: rename yours first; nothing was changed' });
    await expect(carol.api.setLabelShared('Lead', true)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('already shared by alice') });
    expect((await server.query("SELECT name, shared FROM backfile.ws_labels WHERE owner = 'carol' ORDER BY name")).rows)
      .toEqual([{ name: 'Lead', shared: false }, { name: '待查', shared: false }]);
    expect(brief(await bob.api.listLabels()).find((l) => l.name === '待查')).toEqual({ name: '待查', count: 1, shared: true, owner: 'alice' });
    expect((await bob.api.listArticles({ query: 'label:待查', limit: 500 })).items.map((h) => h.path)).toEqual([paths[2]]);
    // Once alice unshares hers, carol may share her own.
    await alice.api.setLabelShared('lead', false);
    expect(brief(await carol.api.setLabelShared('Lead', true)).find((l) => l.name === 'Lead')!.shared).toBe(true);
  });

  it('setLabelShared finds the label without regard to case, as every other label method does', async () => {
    const alice = await reader('alice-3', 'alice', true);
    await alice.api.addLabel(paths[12]!, 'AI');
    expect(brief(await alice.api.setLabelShared('ai', true)).find((l) => l.name === 'AI')).toEqual({ name: 'AI', count: 1, shared: true, owner: undefined });
    expect((await server.query("SELECT shared FROM backfile.ws_labels WHERE owner = 'alice' AND name = 'AI'")).rows).toEqual([{ shared: true }]);
  });

  it('a shared label deleted while another role labels with it is BUSY, not the constraint\'s text', async () => {
    const alice = await reader('alice-4', 'alice', true);
    const bob = await reader('bob-4', 'bob', true);
    await alice.api.addLabel(paths[20]!, 'race');
    await alice.api.setLabelShared('race', true);
    expect(brief(await bob.api.listLabels()).map((l) => l.name)).toContain('race');
    // The owner's delete is held uncommitted: bob's labelling reads the label, then waits on its row for the key check.
    const held = new pg.Client({ connectionString: server.url() });
    await held.connect();
    try {
      await held.query('BEGIN');
      await held.query("DELETE FROM backfile.ws_labels WHERE owner = 'alice' AND name = 'race'");
      const racing = bob.api.addLabel(paths[21]!, 'race').then(() => 'ok', (error: unknown) => error);
      for (;;) {
        const { rows } = await held.query("SELECT 1 FROM pg_stat_activity WHERE usename = 'bob' AND wait_event_type = 'Lock'");
        if (rows.length > 0) break;
      }
      await held.query('COMMIT');
      expect(await racing).toMatchObject({ code: 'BUSY', message: 'the label was deleted or unshared meanwhile; nothing was changed; try again' });
    } finally {
      await held.end();
    }
    expect((await bob.api.getMarks(paths[21]!))?.labels ?? []).toEqual([]);
  });
});
