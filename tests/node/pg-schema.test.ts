import { describe, expect, it } from 'vitest';
import { openPgConnection } from '../../src-main/node/pg/pg-connection';
import { PG_SCHEMA_VERSION, ensurePgSchema, partitions, pgSchemaVersion, postIndexes } from '../../src-main/node/pg/pg-schema';
import { pgAvailableOrLog, usePgConnection } from '../helpers/pg-store';

const available = pgAvailableOrLog('skip pg-schema');

describe.runIf(available.ok)('the team index schema', () => {
  const { server, connection } = usePgConnection({ roles: { indexer: { readOnly: false } }, as: 'indexer' });

  const ensure = async (schema: string) => {
    const client = await connection.pool.connect();
    try {
      return await connection.call(() => ensurePgSchema(client, schema));
    } finally {
      client.release();
    }
  };
  const tablesOf = async (schema: string) => (await server.query<{ relname: string }>(
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'S') ORDER BY 1",
    [schema])).rows.map((r) => r.relname);

  it('makes the schema once, with the spec tables, version and generation', async () => {
    expect(await ensure('backfile')).toBe('created');
    // The index's tables, and the team workspace's (pg-ws-schema.ts: the readers' marks, never dropped with the index).
    expect(await tablesOf('backfile')).toEqual(['file_problems', 'meta', 'post_seq', 'post_story', 'posts', 'posts_p0', 'posts_p1', 'scan_problems', 'sig_buckets',
      'ws_highlights', 'ws_id', 'ws_labels', 'ws_post_labels', 'ws_posts', 'ws_saved', 'ws_saved_seen']);
    const meta = Object.fromEntries((await server.query<{ key: string; value: string }>('SELECT key, value FROM backfile.meta')).rows.map((r) => [r.key, r.value]));
    // The mark only Backfile writes; a generation from the clock, so that a rebuilt index never repeats an old one.
    expect(meta).toMatchObject({ backfile_index: '1', schema_version: PG_SCHEMA_VERSION });
    expect(Number(meta.generation)).toBeGreaterThan(0);
    expect(await pgSchemaVersion(connection.pool, 'backfile')).toBe(PG_SCHEMA_VERSION);
    await server.query("INSERT INTO backfile.file_problems VALUES ('a.md', 1, 2, null, '[]')");
    expect(await ensure('backfile')).toBe('current');
    expect((await server.query('SELECT path FROM backfile.file_problems')).rows).toEqual([{ path: 'a.md' }]);
  });

  it('splits posts by HASH (path) in partitions that hold the tsvectors uncompressed, each index one a partition', async () => {
    expect((await server.query<{ key: string }>("SELECT pg_get_partkeydef('backfile.posts'::regclass) AS key")).rows).toEqual([{ key: 'HASH (path)' }]);
    const storage = await server.query<{ rel: string; storage: string }>(`SELECT a.attrelid::regclass::text AS rel, a.attstorage AS storage FROM pg_attribute a
      WHERE a.attname = 'tsv' AND a.attrelid IN (SELECT relid FROM pg_partition_tree('backfile.posts')) ORDER BY 1`);
    expect(storage.rows).toEqual([{ rel: 'backfile.posts', storage: 'e' }, { rel: 'backfile.posts_p0', storage: 'e' }, { rel: 'backfile.posts_p1', storage: 'e' }]);
    // Every partition holds each of the parent's indexes, attached, under the parent's name and its own number.
    const attached = await server.query<{ parent: string; child: string }>(`SELECT p.relname AS parent, c.relname AS child FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE c.relkind = 'i' AND c.relnamespace = 'backfile'::regnamespace ORDER BY 2`);
    const expected = [['posts_pkey', 'posts_p0_pkey'], ['posts_pkey', 'posts_p1_pkey'],
      ...partitions().flatMap((k) => postIndexes('x').map(([name]) => [name, `${name}_p${k}`]))];
    expect(attached.rows.map((r) => [r.parent, r.child]).sort((a, b) => (a[1]! < b[1]! ? -1 : 1))).toEqual(expected.sort((a, b) => (a[1]! < b[1]! ? -1 : 1)));
  });

  it('rebuilds an index of another version, leaving tables it did not make alone, the team workspace\'s too', async () => {
    await ensure('old_one');
    await server.query("INSERT INTO old_one.ws_labels (id, owner, name, color) VALUES (1, 'indexer', 'kept', 'red')");
    await server.query("UPDATE old_one.meta SET value = '7' WHERE key = 'schema_version'");
    await server.query("INSERT INTO old_one.file_problems VALUES ('a.md', 1, 2, null, '[]')");
    await server.query('CREATE TABLE old_one.notes_of_the_team (x int)');
    await server.query('INSERT INTO old_one.notes_of_the_team VALUES (42)');
    expect(await ensure('old_one')).toBe('rebuilt');
    expect(await pgSchemaVersion(connection.pool, 'old_one')).toBe(PG_SCHEMA_VERSION);
    expect((await server.query('SELECT count(*)::int AS n FROM old_one.file_problems')).rows[0]).toEqual({ n: 0 });
    expect((await server.query('SELECT x FROM old_one.notes_of_the_team')).rows).toEqual([{ x: 42 }]);
    expect((await server.query('SELECT name FROM old_one.ws_labels')).rows).toEqual([{ name: 'kept' }]);
    expect((await server.query<{ key: string }>("SELECT pg_get_partkeydef('old_one.posts'::regclass) AS key")).rows).toEqual([{ key: 'HASH (path)' }]);
  });

  it('refuses a schema whose tables of our names are not ours', async () => {
    await server.query('CREATE SCHEMA theirs; CREATE TABLE theirs.posts (id int); GRANT ALL ON SCHEMA theirs TO indexer');
    await expect(ensure('theirs')).rejects.toMatchObject({ code: 'NOT_OURS' });
    expect(await tablesOf('theirs')).toEqual(['posts']);
    expect(await pgSchemaVersion(connection.pool, 'nothing_here')).toBeUndefined();
  });

  it('is READ_ONLY for a reader, and changes nothing', async () => {
    await server.createRole('reader', { readOnly: true });
    const reader = await openPgConnection(server.url('reader'), 'fresh');
    const client = await reader.pool.connect();
    await expect(reader.call(() => ensurePgSchema(client, 'fresh'), 'write')).rejects.toMatchObject({ code: 'READ_ONLY' });
    client.release();
    await reader.close();
    expect((await server.query("SELECT 1 FROM pg_namespace WHERE nspname = 'fresh'")).rowCount).toBe(0);
  });
});
