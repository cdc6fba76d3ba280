import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgStore, updatePgIndex, type PgStore } from '../../src-main/node/pg';
import { pgAvailableOrLog, usePostgres } from '../helpers/pg-store';
import { edgeArchive, repoRoot, sharedCorpus, tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('skip pg-role-read-only');
const source = fs.existsSync(path.join(sharedCorpus, 'finews-sample')) ? path.join(sharedCorpus, 'finews-sample') : edgeArchive;
const MESSAGE = 'This team index is read-only for ann: indexing and import need a role with write rights.';

/** The SQL blocks of the README's "Team index on PostgreSQL" section, in order. */
function readmeSql(): string[] {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('## Team index on PostgreSQL');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** A reader given the README's rights (USAGE on the schema, SELECT on its tables) can read the index, never write it. */
describe.runIf(available.ok)('a read-only role', () => {
  // Made here, not in the test: tempDir's clean-up (afterAll) is only registered outside a test.
  const work = tempDir('backfile-pg-role-');
  const server = usePostgres();
  let writer: PgStore;
  let reader: PgStore;
  beforeAll(async () => {
    // Exactly the README's statements ("Team index on PostgreSQL"), for the test's database instead of `news`.
    const [roles] = readmeSql();
    await server.query(roles!.replace(/ON DATABASE news/g, 'ON DATABASE postgres'));
    writer = await openPgStore(server.url('backfile_indexer'), 'backfile');
    await updatePgIndex(writer.pool, 'backfile', source);
    reader = await openPgStore(server.url('ann'), 'backfile');
  });
  afterAll(async () => {
    await reader?.close();
    await writer?.close();
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
    const archive = path.join(work, 'archive');
    fs.cpSync(source, archive, { recursive: true });
    // A post wherever the archive keeps them (finews-sample at its top, the fixture under _posts/).
    const posts = (fs.readdirSync(archive, { recursive: true }) as string[]).filter((f) => f.endsWith('.md') && path.basename(f) !== 'README.md' && !f.includes('_drafts')).sort();
    const first = posts[0]!;
    expect(first).toBeDefined();
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

  it('reads a schema made before its rights, given the README GRANTs for an existing schema', async () => {
    await server.query('CREATE ROLE old_indexer LOGIN; GRANT CREATE ON DATABASE postgres TO old_indexer');
    const old = await openPgStore(server.url('old_indexer'), 'older');
    await updatePgIndex(old.pool, 'older', source);
    await old.close();
    const query = () => reader.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM older.posts');
    await expect(query()).rejects.toMatchObject({ code: '42501' });
    const [, existing] = readmeSql();
    // The README's block names the tables' owner `old_owner`: here old_indexer.
    await server.query(`SET ROLE old_indexer; ${existing!.replace(/SCHEMA backfile/g, 'SCHEMA older').replace(/\bold_owner\b/g, 'old_indexer')} RESET ROLE`);
    expect((await query()).rows[0]!.n).toBeGreaterThan(0);
  });

  it('sees the tables a later rebuild makes (default privileges)', async () => {
    await server.query("UPDATE backfile.meta SET value = '0' WHERE key = 'schema_version'");
    await updatePgIndex(writer.pool, 'backfile', source);
    const { rows } = await reader.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM backfile.posts');
    expect(rows[0]!.n).toBeGreaterThan(0);
  });
});
