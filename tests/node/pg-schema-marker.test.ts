import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKENIZER_VERSION } from '../../src-main/core/tokenize';
import { PgIndexReader } from '../../src-main/node/pg/pg-read';
import { ensurePgSchema } from '../../src-main/node/pg/pg-schema';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { pgAvailableOrLog, usePgConnection } from '../helpers/pg-store';
import { edgeArchive, tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('skip pg-schema-marker');

describe.runIf(available.ok)('which schemas the team index may rebuild, and what a rebuild starts from', () => {
  const { server, connection } = usePgConnection();
  const small = tempDir('backfile-pg-small-');
  beforeAll(() => {
    fs.writeFileSync(path.join(small, '2020-01-01-a.md'), '---\ntitle: only post\ncategories: [solo]\n---\nhello');
  });

  const ensure = async (schema: string) => {
    const client = await connection.pool.connect();
    try {
      return await connection.call(() => ensurePgSchema(client, schema), 'write');
    } finally {
      client.release();
    }
  };
  const metaOf = async (schema: string) => Object.fromEntries(
    (await server.query<{ key: string; value: string }>(`SELECT key, value FROM ${schema}.meta`)).rows.map((r) => [r.key, r.value]));

  it("never drops another app's tables, even when its meta holds a schema_version", async () => {
    await server.query(`CREATE SCHEMA crm;
      CREATE TABLE crm.meta (key text PRIMARY KEY, value text); INSERT INTO crm.meta VALUES ('schema_version', '12'), ('owner', 'crm app');
      CREATE TABLE crm.posts (id serial PRIMARY KEY, author text, body text); INSERT INTO crm.posts (author, body) VALUES ('alice', 'a customer note')`);
    const error = await ensure('crm').then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_OURS' });
    expect((error as Error).message).toContain('The schema crm holds tables Backfile did not make');
    expect((await server.query('SELECT author FROM crm.posts')).rows).toEqual([{ author: 'alice' }]);
    expect(await metaOf('crm')).toEqual({ schema_version: '12', owner: 'crm app' });
  });

  it('rebuilds an index made by another tokenizer (its tokens would not match this one\'s queries)', async () => {
    expect(await ensure('tok')).toBe('created');
    await server.query("UPDATE tok.meta SET value = '0' WHERE key = 'tokenizer_version'");
    await server.query("INSERT INTO tok.file_problems VALUES ('a.md', 1, 2, null, '[]')");
    expect(await ensure('tok')).toBe('rebuilt');
    expect((await metaOf('tok')).tokenizer_version).toBe(String(TOKENIZER_VERSION));
    expect((await server.query('SELECT count(*)::int AS n FROM tok.file_problems')).rows[0]).toEqual({ n: 0 });
    expect(await ensure('tok')).toBe('current');
  });

  it('gives a rebuilt index a generation the old one never had', async () => {
    expect(await ensure('gen')).toBe('created');
    const first = Number((await metaOf('gen')).generation);
    await server.query("UPDATE gen.meta SET value = (value::bigint + 3)::text WHERE key = 'generation'");
    await server.query("UPDATE gen.meta SET value = '0' WHERE key = 'tokenizer_version'");
    expect(await ensure('gen')).toBe('rebuilt');
    expect(Number((await metaOf('gen')).generation)).toBeGreaterThan(first + 3);
  });

  it("shows a rebuilt index's own totals and trees, not those cached from the index before", async () => {
    await updatePgIndex(connection.pool, 'st', edgeArchive, { parseThreads: 0 });
    const reader = new PgIndexReader(connection.pool, 'st');
    const before = await reader.list({});
    expect(before.total).toBeGreaterThan(1);
    expect(JSON.stringify(await reader.categories())).not.toContain('solo');
    // An admin drops the schema and the indexer builds it again from another archive, with as few batches.
    await server.query('DROP SCHEMA st CASCADE');
    await updatePgIndex(connection.pool, 'st', small, { parseThreads: 0 });
    const after = await reader.list({});
    expect(after.total).toBe(1);
    expect(after.items.map((i) => i.title)).toEqual(['only post']);
    expect(JSON.stringify(await reader.categories())).toContain('solo');
  });
});
