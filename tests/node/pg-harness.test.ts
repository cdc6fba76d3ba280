import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { pgAvailableOrLog, usePostgres } from '../helpers/pg-store';

const available = pgAvailableOrLog('skip pg-harness');

/** The throwaway PostgreSQL the PostgreSQL-store tests use: it starts, the roles get the spec's rights, it stops. */
describe.runIf(available.ok)('test PostgreSQL harness', () => {
  const server = usePostgres();

  async function as<T>(role: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: server.url(role) });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  it('serves UTF-8 on 127.0.0.1 at the given port', async () => {
    expect(server.adminUrl).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    const { rows } = await server.query<{ enc: string; echo: string }>(
      "SELECT pg_encoding_to_char(encoding) AS enc, $1::text AS echo FROM pg_database WHERE datname = 'postgres'", ['钢铁市场']);
    expect(rows[0]).toEqual({ enc: 'UTF8', echo: '钢铁市场' });
  });

  it('gives a writer its own schema and a reader SELECT only, on tables made after the grant', async () => {
    await server.createRole('indexer', { readOnly: false });
    await server.createRole('reader', { readOnly: true });
    await as('indexer', async (c) => {
      await c.query('CREATE SCHEMA backfile');
      await c.query('CREATE TABLE backfile.meta (key text PRIMARY KEY, value text NOT NULL)');
      await c.query("INSERT INTO backfile.meta VALUES ('schema_version', '1')");
    });
    const value = await as('reader', async (c) => (await c.query('SELECT value FROM backfile.meta')).rows[0]?.value);
    expect(value).toBe('1');
    const denied = await as('reader', (c) => c.query("INSERT INTO backfile.meta VALUES ('x', 'y')").then(() => null, (e: { code?: string }) => e.code));
    expect(denied).toBe('42501');
  });
});
