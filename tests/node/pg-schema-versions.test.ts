import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKENIZER_VERSION } from '../../src-main/core/tokenize';
import { TeamIndex } from '../../src-main/node/archive/team-index';
import { PG_SCHEMA_VERSION } from '../../src-main/node/pg/pg-schema';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { pgAvailableOrLog, usePgPool } from '../helpers/pg-store';
import { edgeArchive, repoRoot, tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('skip pg-schema-versions');

/** A version above this code's that sorts BELOW it as text ('10' < '8'): versions compare as numbers. */
const newerVersion = String(10 ** PG_SCHEMA_VERSION.length);

/**
 * An index of another version, or another app's tables, met by the indexer, the CLI and a reader's connect: an older
 * Backfile never rebuilds a newer index (each flip a cold rebuild), readers refuse versions they cannot read, and
 * another app's `posts`/`meta` get the documented NOT_OURS line, not a raw SQL error; nothing is changed.
 */
describe.runIf(available.ok)('team index versions and foreign tables', () => {
  const { server, pool: indexer } = usePgPool({ roles: { indexer: { readOnly: false }, ann: { readOnly: true } }, as: 'indexer', max: 2 });
  const data = tempDir('backfile-pg-versions-data-');
  beforeAll(async () => {
    await updatePgIndex(indexer, 'backfile', edgeArchive, { parseThreads: 0 });
    await server.query(`CREATE SCHEMA foreign_app;
      CREATE TABLE foreign_app.meta (id serial PRIMARY KEY, setting text, note text); INSERT INTO foreign_app.meta (setting, note) VALUES ('theme', 'dark');
      CREATE TABLE foreign_app.posts (id serial PRIMARY KEY, author text, body text); INSERT INTO foreign_app.posts (author, body) VALUES ('alice', 'a note');
      GRANT USAGE ON SCHEMA foreign_app TO indexer, ann; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA foreign_app TO indexer;
      GRANT SELECT ON ALL TABLES IN SCHEMA foreign_app TO ann`);
  }, 120_000);

  const meta = async (schema: string) => Object.fromEntries(
    (await server.query<{ key: string; value: string }>(`SELECT key, value FROM ${schema}.meta WHERE key IN ('schema_version', 'tokenizer_version', 'generation')`)).rows
      .map((r) => [r.key, r.value]));
  const posts = async (schema: string) => (await server.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.posts`)).rows[0]!.n;
  const connect = (role: string, schema: string) => TeamIndex.connect({ url: server.url(role), schema }, { pollMs: 0 });
  const failure = (work: Promise<unknown>) => work.then((done) => {
    if (done instanceof TeamIndex) void done.close();
    return null;
  }, (error: unknown) => error as Error & { code?: string });
  const cli = (...args: string[]) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src-main/cli/main.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, BACKFILE_DATA_DIR: data },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code, stderr }));
  });

  it('an index made by a newer Backfile (schema version higher, compared as numbers) is refused by the indexer and by readers, and left as it was', async () => {
    await server.query(`UPDATE backfile.meta SET value = $1 WHERE key = 'schema_version'`, [newerVersion]);
    const before = { meta: await meta('backfile'), posts: await posts('backfile') };
    const line = `The team index in schema backfile was made by a newer Backfile (schema ${newerVersion}); upgrade Backfile on this machine`;
    const writing = await failure(updatePgIndex(indexer, 'backfile', edgeArchive, { parseThreads: 0 }));
    expect(writing).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(writing!.message).toContain(line);
    for (const role of ['indexer', 'ann']) {
      const reading = await failure(connect(role, 'backfile'));
      expect(reading).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect(reading!.message).toContain(line);
    }
    const run = await cli('index', '--store', server.url('indexer'), edgeArchive);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(line);
    expect({ meta: await meta('backfile'), posts: await posts('backfile') }).toEqual(before);
  }, 60_000);

  it('so is one made with a newer tokenizer', async () => {
    await server.query(`UPDATE backfile.meta SET value = $1 WHERE key = 'schema_version'`, [PG_SCHEMA_VERSION]);
    await server.query(`UPDATE backfile.meta SET value = $1 WHERE key = 'tokenizer_version'`, [String(TOKENIZER_VERSION + 1)]);
    const before = { meta: await meta('backfile'), posts: await posts('backfile') };
    const writing = await failure(updatePgIndex(indexer, 'backfile', edgeArchive, { parseThreads: 0 }));
    expect(writing!.message).toContain(`made by a newer Backfile (tokenizer ${TOKENIZER_VERSION + 1})`);
    expect((await failure(connect('ann', 'backfile')))!.message).toContain(`made by a newer Backfile (tokenizer ${TOKENIZER_VERSION + 1})`);
    expect({ meta: await meta('backfile'), posts: await posts('backfile') }).toEqual(before);
  });

  it('an older index: readers are told its owner must rebuild it; the owner\'s indexer does, and readers read it again', async () => {
    await server.query(`UPDATE backfile.meta SET value = $1 WHERE key = 'tokenizer_version'`, [String(TOKENIZER_VERSION)]);
    await server.query(`UPDATE backfile.meta SET value = '7' WHERE key = 'schema_version'`);
    const reading = await failure(connect('ann', 'backfile'));
    expect(reading).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(reading!.message).toContain(`The team index in schema backfile needs a rebuild (v7 → v${PG_SCHEMA_VERSION}) by its owner indexer`);
    expect((await meta('backfile')).schema_version).toBe('7');
    // A read-only role's indexer is told the same (README), not that the index is read-only.
    const annPool = new pg.Pool({ connectionString: server.url('ann'), max: 1 });
    const annIndexing = await failure(updatePgIndex(annPool, 'backfile', edgeArchive, { parseThreads: 0 })).finally(() => annPool.end());
    expect(annIndexing!.message).toContain(`needs a rebuild (v7 → v${PG_SCHEMA_VERSION}) by its owner indexer`);
    expect((await meta('backfile')).schema_version).toBe('7');
    await updatePgIndex(indexer, 'backfile', edgeArchive, { parseThreads: 0 });
    const index = await connect('ann', 'backfile');
    expect(index.counts.posts).toBeGreaterThan(0);
    await index.close();
  }, 60_000);

  it("another app's posts and meta: indexing, a CLI search and a reader's connect give the documented refusal and change nothing", async () => {
    const line = 'The schema foreign_app holds tables Backfile did not make (meta, posts)';
    const run = await cli('index', '--store', server.url('indexer'), '--pg-schema', 'foreign_app', edgeArchive);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(line);
    expect(run.stderr).not.toContain('does not exist');
    const search = await cli('search', '--store', server.url('ann'), '--pg-schema', 'foreign_app', edgeArchive, 'note');
    expect(search.code).not.toBe(0);
    expect(search.stderr).toContain(line);
    const reading = await failure(connect('ann', 'foreign_app'));
    expect(reading).toMatchObject({ code: 'NOT_OURS' });
    expect(reading!.message).toContain(line);
    expect((await server.query('SELECT setting, note FROM foreign_app.meta')).rows).toEqual([{ setting: 'theme', note: 'dark' }]);
    expect((await server.query('SELECT author, body FROM foreign_app.posts')).rows).toEqual([{ author: 'alice', body: 'a note' }]);
    expect((await server.query("SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'foreign_app' AND relkind = 'r' ORDER BY 1")).rows)
      .toEqual([{ relname: 'meta' }, { relname: 'posts' }]);
  }, 60_000);

  it("the README's grants for an existing schema owned by another role outlast a rebuild of it", async () => {
    // A schema made by a role other than backfile_indexer (here `keeper`), before the reader `bea` existed.
    await server.query(`CREATE ROLE keeper LOGIN; GRANT CREATE ON DATABASE postgres TO keeper; CREATE ROLE bea LOGIN`);
    const keeper = new pg.Pool({ connectionString: server.url('keeper'), max: 2 });
    try {
      await updatePgIndex(keeper, 'old', edgeArchive, { parseThreads: 0 });
      // README, "For a schema that exists already" (owner keeper, schema old, reader bea).
      await server.query(`GRANT USAGE ON SCHEMA old TO bea;
        GRANT SELECT ON ALL TABLES IN SCHEMA old TO bea;
        ALTER DEFAULT PRIVILEGES FOR ROLE keeper IN SCHEMA old GRANT SELECT ON TABLES TO bea`);
      await (await connect('bea', 'old')).close();
      // An upgrade makes the owner's indexer rebuild the index: new tables.
      await server.query(`UPDATE old.meta SET value = '7' WHERE key = 'schema_version'`);
      await updatePgIndex(keeper, 'old', edgeArchive, { parseThreads: 0 });
      expect((await meta('old')).schema_version).toBe(PG_SCHEMA_VERSION);
      const index = await connect('bea', 'old');
      expect(index.counts.posts).toBeGreaterThan(0);
      await index.close();
    } finally {
      await keeper.end();
    }
  }, 60_000);
});
