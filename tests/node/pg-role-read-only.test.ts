import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgStore, updatePgIndex, type PgStore } from '../../src-main/node/pg';
import { pgAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';
import { copyArchive, edgeArchive, sharedCorpus } from '../helpers/temp';

const available = pgAvailable();
if (!available.ok) console.log(`skip pg-role-read-only: ${available.reason}`);
const source = fs.existsSync(path.join(sharedCorpus, 'finews-sample')) ? path.join(sharedCorpus, 'finews-sample') : edgeArchive;
const MESSAGE = 'This team index is read-only for reader: indexing and import need a role with write rights.';

/** A reader with the README's GRANTs (USAGE on the schema, SELECT on its tables) can read the index, never write it. */
describe.runIf(available.ok)('a read-only role', () => {
  let server: TestPostgres;
  let writer: PgStore;
  let reader: PgStore;
  beforeAll(async () => {
    server = await startPostgres();
    await server.createRole('indexer', { readOnly: false });
    await server.createRole('reader', { readOnly: false });
    writer = await openPgStore(server.url('indexer'), 'backfile');
    await updatePgIndex(writer.pool, 'backfile', source);
    // Exactly the README's statements (docs: "Team index on PostgreSQL"), run by the schema's owner.
    await server.query('REVOKE CREATE ON DATABASE postgres FROM reader');
    const grants = ['GRANT USAGE ON SCHEMA backfile TO reader', 'GRANT SELECT ON ALL TABLES IN SCHEMA backfile TO reader',
      'ALTER DEFAULT PRIVILEGES FOR ROLE indexer IN SCHEMA backfile GRANT SELECT ON TABLES TO reader'];
    for (const grant of grants) await server.query(`SET ROLE indexer; ${grant}; RESET ROLE`);
    reader = await openPgStore(server.url('reader'), 'backfile');
  });
  afterAll(async () => {
    await reader?.close();
    await writer?.close();
    await server?.stop();
  });

  /** Every row of every table of the schema, and its meta: what must not change. */
  const snapshot = async (schema: string) => {
    const out: Record<string, unknown[]> = {};
    for (const table of ['meta', 'posts', 'file_problems', 'scan_problems']) {
      out[table] = (await server.query(`SELECT to_jsonb(t)::text AS row FROM ${schema}.${table} t ORDER BY 1`)).rows;
    }
    out.seq = (await server.query(`SELECT last_value::text FROM ${schema}.post_seq`)).rows;
    return out;
  };

  it('reads the index', async () => {
    const { rows } = await reader.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM backfile.posts');
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('cannot index: one READ_ONLY error before the disk is read, nothing changed', async () => {
    const archive = copyArchive(source);
    const first = fs.readdirSync(archive).find((f) => f.endsWith('.md') && f !== 'README.md')!;
    fs.writeFileSync(path.join(archive, first), 'changed on disk');
    fs.writeFileSync(path.join(archive, '2030-01-01-new.md'), '---\ntitle: new\n---\nnew');
    const before = await snapshot('backfile');
    const progress: string[] = [];
    const error = await updatePgIndex(reader.pool, 'backfile', archive, { onProgress: (p) => progress.push(p.phase) }).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'READ_ONLY', message: MESSAGE });
    expect(progress).toEqual([]);
    expect(await snapshot('backfile')).toEqual(before);
  });

  it('cannot make a team index either', async () => {
    await expect(updatePgIndex(reader.pool, 'another', source)).rejects.toMatchObject({ code: 'READ_ONLY', message: MESSAGE });
    expect((await server.query("SELECT 1 FROM pg_namespace WHERE nspname = 'another'")).rowCount).toBe(0);
  });

  it('sees the tables a later rebuild makes (default privileges)', async () => {
    await server.query("UPDATE backfile.meta SET value = '0' WHERE key = 'schema_version'");
    await updatePgIndex(writer.pool, 'backfile', source);
    const { rows } = await reader.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM backfile.posts');
    expect(rows[0]!.n).toBeGreaterThan(0);
  });
});
