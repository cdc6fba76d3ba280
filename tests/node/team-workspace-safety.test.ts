/**
 * The team workspace's defects a review proved (issue 15), each against a real PostgreSQL: a role that bypasses
 * row-level security (a superuser, BYPASSRLS) as a reader sees and changes only its own marks; the server ending a
 * session while a write's job runs rejects that call (STORE_UNAVAILABLE) and the process lives on; a read of the
 * workspace is one snapshot, whatever another computer commits between its statements; a server gone is
 * STORE_UNAVAILABLE for a mark as for a search.
 */
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveApi } from '../../src-main/shared/archive-api';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { createArchiveApi } from '../../src-main/node/archive/create-archive-api';
import { RecentArchives } from '../../src-main/node/recent-archives';
import { openPgConnection, type PgConnection } from '../../src-main/node/pg/pg-connection';
import { ensureWsTables } from '../../src-main/node/pg/pg-ws-schema';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { PgWorkspaceStore } from '../../src-main/node/workspace/pg-workspace-store';
import type { IndexedPost } from '../../src-main/node/workspace/reconcile';
import { generateArchive } from '../bench/generate-archive';
import { realIfThere } from '../bench/real-paragraphs';
import { pgAvailableOrLog, usePostgres } from '../helpers/pg-store';
import { tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('the team workspace\'s safety tests skipped');

const WS = 'backfile.ws_posts, backfile.ws_labels, backfile.ws_post_labels, backfile.ws_highlights, backfile.ws_saved, backfile.ws_saved_seen';
const post = (p: string): IndexedPost => ({ path: p, hash: null, title: p, date: null }) as unknown as IndexedPost;

describe.skipIf(!available.ok)('the team workspace with several readers and a server that goes away', { timeout: 300_000 }, () => {
  const base = tempDir('team-workspace-safety-');
  const root = path.join(base, 'archive');
  const server = usePostgres({ timeout: 300_000 });
  let paths: string[];
  const open: ArchiveService[] = [];

  const reader = async (name: string, role: string): Promise<ArchiveApi> => {
    const service = new ArchiveService({ indexPathFor: () => path.join(base, `index-${name}.sqlite`) });
    open.push(service);
    await service.open(root, { waitForIndex: true });
    await service.connectTeamIndex({ url: server.url(role), teamWorkspace: true }, { pollMs: 0 });
    return createArchiveApi(service, {
      allowedRoots: null, recent: new RecentArchives(path.join(base, `recent-${name}.json`)), workspaceFile: path.join(base, `ws-${name}.sqlite`),
      chooseExportTarget: async () => path.join(base, `export-${name}.json`),
    });
  };

  beforeAll(async () => {
    // The shared corpora's real paragraphs when they are beside the repository, else the synthetic posts (a clean clone).
    await generateArchive(root, 30, 5, realIfThere());
    const writer = await openPgConnection(server.url());
    await updatePgIndex(writer.pool, 'backfile', root);
    await writer.close();
    for (const role of ['ann', 'bob']) {
      await server.createRole(role, { readOnly: true });
      await server.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${WS} TO ${role}`);
      await server.query(`GRANT USAGE ON SEQUENCE backfile.ws_id TO ${role}`);
    }
  }, 300_000);
  afterAll(async () => {
    for (const service of open) await service.close().catch(() => undefined);
  });

  it('a superuser reading with --team-workspace sees only its own marks and changes no other role\'s', async () => {
    const ann = await reader('ann', 'ann');
    const bob = await reader('bob', 'bob');
    paths = (await ann.listArticles({ sort: 'oldest', limit: 500, includeHidden: true })).items.map((h) => h.path);
    await ann.setStar(paths[0]!, true);
    await ann.addLabel(paths[0]!, 'ann-private');
    await bob.setNote(paths[1]!, 'bob private note');
    await bob.setStar(paths[1]!, true);
    const rows = async () => (await server.query(`SELECT owner::text, path, starred, note FROM backfile.ws_posts ORDER BY owner, path`)).rows;
    const before = await rows();

    const admin = await reader('admin', 'postgres'); // row-level security does not hold a superuser
    expect(await admin.listMarks()).toEqual([]);
    expect(await admin.listLabels()).toEqual([]);
    await expect(admin.deleteLabel('ann-private')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await admin.setStar(paths[1]!, true);
    await admin.setNote(paths[1]!, '');
    expect((await admin.listMarks()).map((m) => [m.path, m.starred])).toEqual([[paths[1], true]]);
    // Ann's and bob's rows as they were; the superuser's mark is a row of its own.
    expect((await rows()).filter((r) => r.owner !== 'postgres')).toEqual(before);
    expect((await ann.listLabels()).map((l) => l.name)).toEqual(['ann-private']);
    expect((await bob.listMarks()).map((m) => [m.starred, m.note])).toEqual([[true, 'bob private note']]);
  });

  it('an export with mark words reads the role\'s marks anew: a star another computer just made is in it', async () => {
    const [here, there] = [await reader('ann-here', 'ann'), await reader('ann-there', 'ann')];
    const starred = async () => (await here.listArticles({ query: 'is:starred', limit: 500 })).items.map((h) => h.path);
    expect(await starred()).toEqual([paths[0]]); // this computer's copy read now
    await there.setStar(paths[3]!, true);
    const result = await here.exportToFile({ format: 'json', query: { query: 'is:starred', sort: 'oldest' } });
    expect(result).toMatchObject({ count: 2, cancelled: false });
    const rows = JSON.parse(fs.readFileSync(path.join(base, 'export-ann-here.json'), 'utf8')) as { path: string }[];
    expect(rows.map((r) => r.path)).toEqual([paths[0], paths[3]]);
  });

  it('a server gone is STORE_UNAVAILABLE for a mark (plain words, as for a search)', async () => {
    const ann = await reader('ann-2', 'ann');
    expect((await ann.listMarks()).length).toBeGreaterThan(0);
    await server.stop();
    await expect(ann.setStar(paths[2]!, true)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('cannot be used') });
    await expect(ann.listArticles({ query: '的' })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});

describe.skipIf(!available.ok)('the team workspace store on a connection the server may end', { timeout: 120_000 }, () => {
  const server = usePostgres({ timeout: 120_000 });
  const connections: PgConnection[] = [];
  const connect = async (): Promise<PgConnection> => {
    const c = await openPgConnection(server.url());
    connections.push(c);
    return c;
  };

  beforeAll(async () => {
    await server.query('CREATE SCHEMA backfile');
    const admin = await connect();
    const client = await admin.pool.connect();
    await ensureWsTables(client, 'backfile');
    client.release();
  }, 120_000);
  afterAll(async () => {
    for (const c of connections) await c.close().catch(() => undefined);
  });

  it('a session ended while a write\'s job runs: the call rejects with STORE_UNAVAILABLE and the process lives on', async () => {
    const connection = await connect();
    let session: pg.PoolClient | undefined;
    connection.pool.on('acquire', (client) => { session = client; });
    const ws = new PgWorkspaceStore(connection);
    const written = ws.write(async (store) => {
      // The job waits (on the team index, say) with its transaction open; the server ends that session.
      const pid = (session as unknown as { processID: number }).processID;
      const ended = new Promise((resolve) => session!.once('end', resolve));
      await server.query('SELECT pg_terminate_backend($1)', [pid]);
      await ended; // the driver has seen the server's FATAL and the socket close
      store.mark(post('a/ended.md'), (id) => store.setStar(id, true));
      return 'done';
    });
    await expect(written).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    // Nothing was written, and the next call gets a working session.
    await ws.write((store) => store.mark(post('a/next.md'), (id) => store.setStar(id, true)));
    const copy = await ws.copy();
    expect(copy.listMarks().map((m) => m.path)).toEqual(['a/next.md']);
    copy.close();
  });

  it('reads the six tables in one snapshot: a commit between its statements is all in the copy or not at all', async () => {
    const reading = await connect();
    const other = new PgWorkspaceStore(await connect());
    let fired = false;
    // Another computer of the same role commits a new post with a label and a highlight right after the copy has
    // read ws_posts (before it reads ws_labels, ws_post_labels and ws_highlights).
    const interleave = async (sql: string): Promise<void> => {
      if (fired || !/ws_posts/.test(sql)) return;
      fired = true;
      await other.write((store) => store.mark(post('b/late.md'), (id) => {
        store.addLabel(id, 'late');
        store.addHighlight(id, { exact: '的', prefix: '', suffix: '' });
      }));
    };
    const wrap = (db: { query: (...args: never[]) => Promise<unknown> }) => async (sql: string, params?: unknown[]) => {
      const result = await (db.query as (sql: string, params?: unknown[]) => Promise<unknown>)(sql, params);
      await interleave(sql);
      return result;
    };
    const pool = {
      query: wrap(reading.pool),
      connect: async () => {
        const client = await reading.pool.connect();
        return { query: wrap(client), release: (error?: Error) => client.release(error) };
      },
    };
    const racing = new PgWorkspaceStore({ ...reading, pool } as unknown as PgConnection);
    const copy = await racing.copy();
    expect(fired).toBe(true);
    expect(copy.listMarks().map((m) => m.path)).not.toContain('b/late.md');
    copy.close();
    const again = await racing.copy();
    const late = again.listMarks().find((m) => m.path === 'b/late.md');
    expect(late).toMatchObject({ labels: ['late'], highlights: [expect.objectContaining({ exact: '的' })] });
    again.close();
  });
});
