import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { updatePgIndex } from '../../src-main/node/pg';
import { buildSqlite, pgShape, sqliteShape } from '../helpers/pg-compare';
import { pgAvailableOrLog, usePgStore } from '../helpers/pg-store';
import { edgeArchive, sharedCorpus, tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('skip pg-write');
const corpora = ['finews-sample', 'jekyll-edge-cases'].map((name) => path.join(sharedCorpus, name)).filter((dir) => fs.existsSync(dir));
if (corpora.length < 2) console.log(`pg-write: shared corpora absent at ${sharedCorpus}; the fixtures' edge archive only`);

/**
 * The PostgreSQL writer against the SQLite store, on the same archives through the same update loop: the same
 * posts in the same order, with the same fields, facets, tokens and problems; incremental updates too.
 */
describe.runIf(available.ok)('the PostgreSQL writer agrees with the SQLite store', () => {
  // Made here, not in the tests: tempDir's clean-up (afterAll) is only registered outside a test.
  const work = tempDir('backfile-pg-write-');
  const { server, store } = usePgStore({ roles: { indexer: { readOnly: false } }, as: 'indexer' });

  let schemas = 0;
  async function both(archive: string) {
    const schema = `s${++schemas}`;
    const file = path.join(fs.mkdtempSync(path.join(work, 'sqlite-')), 'index.sqlite');
    const sqliteSummary = await buildSqlite(archive, file);
    const pgSummary = await updatePgIndex(store.pool, schema, archive);
    return { schema, file, sqliteSummary, pgSummary };
  }
  const noMs = <T extends { ms: number }>(s: T) => ({ ...s, ms: 0 });

  for (const archive of [...corpora, edgeArchive]) {
    it(`cold index of ${path.basename(archive)}`, async () => {
      const { schema, file, sqliteSummary, pgSummary } = await both(archive);
      expect(noMs(pgSummary)).toEqual(noMs(sqliteSummary));
      const expected = sqliteShape(file);
      expect(expected.posts.length + expected.fileProblems.length).toBeGreaterThan(3);
      expect(await pgShape(store.pool, schema)).toEqual(expected);
      // A second run finds nothing to do, and commits nothing.
      const generation = await server.query(`SELECT value FROM ${schema}.meta WHERE key = 'generation'`);
      expect(await updatePgIndex(store.pool, schema, archive)).toMatchObject({ updated: 0, deleted: 0, unchanged: pgSummary.scanned });
      expect((await server.query(`SELECT value FROM ${schema}.meta WHERE key = 'generation'`)).rows).toEqual(generation.rows);
    });
  }

  it('follows edits, additions, deletions and a moved date as SQLite does, one NOTIFY a batch', async () => {
    const archive = path.join(work, 'archive');
    fs.cpSync(corpora[0] ?? edgeArchive, archive, { recursive: true });
    const { schema, file } = await both(archive);
    const at = (name: string) => path.join(archive, name);
    // Posts where the archive keeps them (finews-sample at its top, the fixture in _posts/), with a title and a date to change.
    const dir = fs.existsSync(at('_posts')) ? '_posts/' : '';
    const posts = fs.readdirSync(at(dir)).filter((f) => f.endsWith('.md') && f !== 'README.md').map((f) => `${dir}${f}`)
      .filter((f) => /^title: /m.test(fs.readFileSync(at(f), 'utf8')) && /^date: /m.test(fs.readFileSync(at(f), 'utf8'))).sort();
    expect(posts.length).toBeGreaterThanOrEqual(4);
    const touch = (name: string, seconds: number) => fs.utimesSync(at(name), 1_700_000_000 + seconds, 1_700_000_000 + seconds);
    // An edited title; a new post on the same minute as an old one (after it, in both stores); a post moved to
    // another date (a new place in the order); a deleted post; a file that becomes unreadable as a post.
    fs.writeFileSync(at(posts[0]!), fs.readFileSync(at(posts[0]!), 'utf8').replace(/title: *.*/, 'title: "改过的标题 edited"'));
    touch(posts[0]!, 1);
    const sameMinute = fs.readFileSync(at(posts[1]!), 'utf8');
    fs.writeFileSync(at(`${dir}2021-12-08-added.md`), sameMinute.replace(/title: *.*/, 'title: "新加的 added"'));
    touch(`${dir}2021-12-08-added.md`, 2);
    fs.writeFileSync(at(posts[2]!), fs.readFileSync(at(posts[2]!), 'utf8').replace(/^date: .*$/m, 'date: 2019-01-02 03:04:05'));
    touch(posts[2]!, 3);
    fs.rmSync(at(posts[3]!));
    fs.writeFileSync(at(`${dir}2021-12-09-broken.md`), Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x00]));
    touch(`${dir}2021-12-09-broken.md`, 4);

    const listener = new pg.Client({ connectionString: server.url('indexer') });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(`${n.channel} ${n.payload ?? ''}`));
    await listener.query(`LISTEN backfile_${schema}`);
    const before = Number((await server.query<{ value: string }>(`SELECT value FROM ${schema}.meta WHERE key = 'generation'`)).rows[0]!.value);

    const sqliteSummary = await buildSqlite(archive, file);
    const pgSummary = await updatePgIndex(store.pool, schema, archive);
    expect(noMs(pgSummary)).toEqual(noMs(sqliteSummary));
    expect(pgSummary).toMatchObject({ deleted: 1, updated: 4 });
    expect(await pgShape(store.pool, schema)).toEqual(sqliteShape(file));

    const after = Number((await server.query<{ value: string }>(`SELECT value FROM ${schema}.meta WHERE key = 'generation'`)).rows[0]!.value);
    expect(after).toBeGreaterThan(before);
    await listener.query('SELECT 1'); // notifications arrive before the answer to a later query
    expect(heard.at(-1)).toBe(`backfile_${schema} ${after}`);
    expect(heard.length).toBe(after - before);
    await listener.end();

    // The watcher's way: only the paths it names. The post edited shares its minute with the one added after it:
    // it keeps its place before it (SQLite keeps its id, PostgreSQL its seq).
    fs.writeFileSync(at(posts[1]!), fs.readFileSync(at(posts[1]!), 'utf8').replace(/title: *.*/, 'title: "watched"'));
    touch(posts[1]!, 5);
    const sqliteStore = (await import('../../src-main/node/index/store')).IndexStore.open(file);
    const { updateIndex } = await import('../../src-main/node/index/update');
    await updateIndex(sqliteStore, archive, { paths: [posts[1]!] }).finally(() => sqliteStore.close());
    expect(await updatePgIndex(store.pool, schema, archive, { paths: [posts[1]!] })).toMatchObject({ updated: 1 });
    const shape = await pgShape(store.pool, schema);
    expect(shape).toEqual(sqliteShape(file));
    const order = shape.posts.map((p) => p.title);
    expect(order.indexOf('watched')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('watched')).toBeLessThan(order.indexOf('新加的 added'));
  });

  it('lets one indexer at a time update a schema', async () => {
    const archive = corpora[0] ?? edgeArchive;
    const holder = new pg.Client({ connectionString: server.url('indexer') });
    await holder.connect();
    await holder.query("SELECT pg_advisory_lock(hashtext('backfile:busy_one'))");
    await expect(updatePgIndex(store.pool, 'busy_one', archive)).rejects.toMatchObject({ code: 'BUSY' });
    await holder.end();
    await expect(updatePgIndex(store.pool, 'busy_one', archive)).resolves.toMatchObject({ deleted: 0 });
  });
});
