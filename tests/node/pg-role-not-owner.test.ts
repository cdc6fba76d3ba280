import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_SCHEMA_VERSION } from '../../src-main/node/pg/pg-schema';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { generateArchive } from '../bench/generate-archive';
import { pgAvailableOrLog, usePostgres } from '../helpers/pg-store';
import { tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('skip pg-role-not-owner');

/**
 * A second writer role granted INSERT/UPDATE/DELETE on the tables another role made (and owns): it may update the
 * index, but neither vacuum it (said on the summary, not skipped silently) nor drop an old one for a rebuild (told
 * who must, not that it may not write).
 */
describe.runIf(available.ok)('a writer role that does not own the tables', () => {
  const work = tempDir('backfile-pg-not-owner-');
  const archive = path.join(work, 'archive');
  const server = usePostgres({ roles: { indexer: { readOnly: false }, indexer2: { readOnly: false } } });
  let owner: pg.Pool;
  let other: pg.Pool;
  const touchAll = () => {
    const posts = path.join(archive, '_posts');
    for (const file of fs.readdirSync(posts, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'))) {
      fs.appendFileSync(path.join(posts, file), '\n更多\n');
    }
  };
  beforeAll(async () => {
    await generateArchive(archive, 40, 3, 'synthetic');
    owner = new pg.Pool({ connectionString: server.url('indexer'), max: 2 });
    other = new pg.Pool({ connectionString: server.url('indexer2'), max: 2 });
    const built = await updatePgIndex(owner, 'backfile', archive, { vacuumFrom: 1, parseThreads: 0 });
    expect(built.notVacuumed).toBeUndefined();
    await server.query(`GRANT USAGE ON SCHEMA backfile TO indexer2;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA backfile TO indexer2;
      GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA backfile TO indexer2`);
  }, 120_000);
  afterAll(async () => {
    await owner?.end();
    await other?.end();
  });

  it('updates the index and says, on its summary, that it left the vacuum to autovacuum', async () => {
    touchAll();
    const summary = await updatePgIndex(other, 'backfile', archive, { vacuumFrom: 1, parseThreads: 0 });
    expect(summary.updated).toBeGreaterThan(0);
    expect(summary.notVacuumed).toBe('not vacuumed: indexer2 does not own backfile.posts; autovacuum will do it');
    // Below the threshold nothing is said (no vacuum was due).
    touchAll();
    expect((await updatePgIndex(other, 'backfile', archive, { vacuumFrom: 1e9, parseThreads: 0 })).notVacuumed).toBeUndefined();
  });

  it('facing an index of an older version, is told who must rebuild it, and nothing is dropped', async () => {
    await server.query(`UPDATE backfile.meta SET value = '5' WHERE key = 'schema_version'`);
    const before = (await server.query<{ n: string }>('SELECT count(*) AS n FROM backfile.posts')).rows[0]!.n;
    const failure = await updatePgIndex(other, 'backfile', archive, { parseThreads: 0 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((failure as Error).message).toContain(`schema backfile needs a rebuild (v5 → v${PG_SCHEMA_VERSION}) by its owner indexer`);
    expect((await server.query<{ n: string }>('SELECT count(*) AS n FROM backfile.posts')).rows[0]!.n).toBe(before);
    expect((await server.query<{ value: string }>(`SELECT value FROM backfile.meta WHERE key = 'schema_version'`)).rows[0]!.value).toBe('5');
    // Its owner rebuilds it.
    await updatePgIndex(owner, 'backfile', archive, { parseThreads: 0 });
    expect((await server.query<{ value: string }>(`SELECT value FROM backfile.meta WHERE key = 'schema_version'`)).rows[0]!.value).toBe(PG_SCHEMA_VERSION);
  });
});
