import { beforeAll, describe, expect, it } from 'vitest';
import { ArchiveError } from '../../src-main/shared/archive-api';
import { openPgConnection } from '../../src-main/node/pg/pg-connection';
import { TeamIndex } from '../../src-main/node/archive/team-index';
import { pgAvailableOrLog, usePostgres } from '../helpers/pg-store';

const available = pgAvailableOrLog('skip pg-connection-errors');

async function failure(promise: Promise<unknown>): Promise<ArchiveError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ArchiveError);
  return error as ArchiveError;
}

describe('a URL whose password holds a raw %', () => {
  it('is INVALID_ARGUMENT with the usual message, not a bare "URI malformed"', async () => {
    const error = await failure(openPgConnection('postgres://ann:50%off@127.0.0.1:5432/postgres'));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/^Not a PostgreSQL address: expected postgres:\/\/USER@HOST:PORT\/DATABASE/);
    expect(error.message).toContain('%25');
    expect(error.message).not.toContain('50%off');
  });
});

describe.runIf(available.ok)('a role that may not read the schema', () => {
  const server = usePostgres();
  beforeAll(async () => {
    // Something in schema backfile that a role without rights cannot read (the admin made it; no GRANTs).
    await server.query("CREATE SCHEMA backfile; CREATE TABLE backfile.meta (key text PRIMARY KEY, value text NOT NULL); INSERT INTO backfile.meta VALUES ('generation', '1')");
    await server.query('CREATE ROLE stranger LOGIN');
  });

  it('is not told "read-only" on a read: it is told which GRANTs a reader needs', async () => {
    const connection = await openPgConnection(server.url('stranger'), 'backfile');
    const error = await failure(connection.call(() => connection.pool.query('SELECT value FROM backfile.meta')));
    await connection.close();
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.message).toContain('stranger may not read schema backfile');
    expect(error.message).toContain('GRANT USAGE ON SCHEMA backfile TO stranger; GRANT SELECT ON ALL TABLES IN SCHEMA backfile TO stranger;');
    expect(error.message).not.toMatch(/read-only/);
  });

  it('connecting the team index as that role says the same (team-index.ts maps reads as reads)', async () => {
    const error = await failure(TeamIndex.connect({ url: server.url('stranger'), schema: 'backfile' }, { pollMs: 0 }));
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.message).toContain('stranger may not read schema backfile');
    expect(error.message).toContain('GRANT USAGE ON SCHEMA backfile TO stranger');
  });

  it('still says READ_ONLY when a write is refused', async () => {
    await server.query('GRANT USAGE ON SCHEMA backfile TO stranger; GRANT SELECT ON backfile.meta TO stranger');
    const connection = await openPgConnection(server.url('stranger'), 'backfile');
    const error = await failure(connection.call(() => connection.pool.query("INSERT INTO backfile.meta VALUES ('x', 'y')"), 'write'));
    await connection.close();
    expect(error).toMatchObject({ code: 'READ_ONLY', message: 'This team index is read-only for stranger: indexing and import need a role with write rights.' });
  });
});
