import { describe, expect, it } from 'vitest';
import { ArchiveError } from '../../src-main/shared/archive-api';
import { openPgConnection, quoteSchema, redactUrl } from '../../src-main/node/pg/pg-connection';
import { pgAvailableOrLog, usePostgres } from '../helpers/pg-store';
import { freePortForTest } from '../helpers/postgres';

const available = pgAvailableOrLog('skip pg-connection');

async function failure(promise: Promise<unknown>): Promise<ArchiveError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ArchiveError);
  return error as ArchiveError;
}

describe('schema names and URLs', () => {
  it('takes plain lower-case names only, double-quoted', () => {
    expect(quoteSchema('backfile')).toBe('"backfile"');
    expect(quoteSchema('news_2024')).toBe('"news_2024"');
    for (const bad of ['Backfile', '1news', 'a"b', 'a;drop', '', 'x'.repeat(64), 'ümlaut']) {
      expect(() => quoteSchema(bad), bad).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });

  it('never shows a password', () => {
    expect(redactUrl('postgres://ann:s3cret@db.example:5432/news?password=s3cret')).toBe('postgres://ann@db.example:5432/news');
  });

  it('refuses what is not a postgres:// URL', async () => {
    expect((await failure(openPgConnection('mysql://ann@db/news'))).code).toBe('INVALID_ARGUMENT');
    expect((await failure(openPgConnection('not a url'))).code).toBe('INVALID_ARGUMENT');
  });
});

describe.runIf(available.ok)('connecting to PostgreSQL', () => {
  const server = usePostgres();

  it('opens a pool on a reachable server', async () => {
    const connection = await openPgConnection(server.adminUrl, 'backfile');
    expect((await connection.pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await connection.close();
  });

  it('says STORE_UNAVAILABLE, without the password, when nothing listens', async () => {
    const port = await freePortForTest();
    const error = await failure(openPgConnection(`postgres://ann:Pa55word@127.0.0.1:${port}/news`, 'backfile'));
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.message).toContain(`postgres://ann@127.0.0.1:${port}/news`);
    expect(error.message).toContain('refused');
    expect(error.message).not.toContain('Pa55word');
  });

  it('says STORE_UNAVAILABLE for a login that fails and a database that does not exist', async () => {
    const login = await failure(openPgConnection(server.url('nobody'), 'backfile', { password: 'Pa55word' }));
    expect(login.code).toBe('STORE_UNAVAILABLE');
    expect(login.message).toMatch(/login as nobody failed/);
    expect(login.message).not.toContain('Pa55word');
    const database = await failure(openPgConnection(server.adminUrl.replace(/\/postgres$/, '/missing_db'), 'backfile'));
    expect(database.code).toBe('STORE_UNAVAILABLE');
    expect(database.message).toMatch(/database does not exist/);
  });

  it('says READ_ONLY, naming the role, when a write is refused by its rights', async () => {
    await server.createRole('looker', { readOnly: true });
    await server.query('CREATE TABLE public.t (x int)');
    const connection = await openPgConnection(server.url('looker'), 'backfile');
    const error = await failure(connection.call(() => connection.pool.query('INSERT INTO public.t VALUES (1)'), 'write'));
    expect(error).toMatchObject({ code: 'READ_ONLY', message: 'This team index is read-only for looker: indexing and import need a role with write rights.' });
    await connection.close();
  });
});
