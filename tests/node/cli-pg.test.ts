/**
 * The CLI and browser mode over a team index on PostgreSQL (issue 15), against a real, throwaway PostgreSQL:
 * `index|stats|search|show --store` answer as the SQLite CLI does on the same archive; a read-only role searches but
 * cannot index (one line, exit 1, nothing changed); no message ever holds the password; `serve --store` tells the
 * page the team state (getIndexInfo) and refuses an import for a read-only role.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serveArchive } from '../../src-main/server/serve';
import type { IndexInfo } from '../../src-main/shared/archive-api';
import { runCli } from '../helpers/cli';
import { pgAvailableOrLog, usePostgres } from '../helpers/pg-store';
import { freePortForTest } from '../helpers/postgres';
import { edgeArchive, sharedCorpus, tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('skip cli-pg');
const finews = path.join(sharedCorpus, 'finews-sample');
const source = fs.existsSync(finews) ? finews : edgeArchive;
const PASSWORD = 'Sekr3t-pw';

interface SearchJson { total: number; hits: { path: string; title: string; date: string | null; categories: string[]; tags: string[]; snippet: string }[] }

/** Folders made during the tests live in one removed after the file (tempDir inside a test would not be removed). */
const base = tempDir('backfile-cli-pg-');
const sub = (prefix: string) => fs.mkdtempSync(path.join(base, prefix));

describe.runIf(available.ok)('the CLI over a team index on PostgreSQL', () => {
  const server = usePostgres({ roles: { indexer: { readOnly: false }, reader: { readOnly: true } } });
  let archive: string;
  let indexFile: string;
  // The CLI's local files (recent archives, default indexes) stay in this test's folder.
  const env = { BACKFILE_DATA_DIR: sub('data-'), PGPASSWORD: '' };
  /** A role's URL with a password in it (trust authentication lets any password in: the test is about where it shows). */
  const urlOf = (role: string) => server.url(role).replace(`//${role}@`, `//${role}:${PASSWORD}@`);
  // The options go before the arguments (a query may follow `--`).
  const json = (args: string[]): unknown => {
    const result = runCli(args, env);
    if (result.status !== 0) throw new Error(`cli ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
    return JSON.parse(result.stdout) as unknown;
  };
  const local = ([command, ...args]: string[]) => json([command!, '--json', '--index', indexFile, ...args]);
  const team = ([command, ...args]: string[], role = 'indexer') => json([command!, '--json', '--store', urlOf(role), ...args]);
  const generation = async () => (await server.query<{ value: string }>(`SELECT value FROM backfile.meta WHERE key = 'generation'`)).rows[0]?.value;
  const postCount = async () => Number((await server.query<{ n: string }>('SELECT count(*) AS n FROM backfile.posts')).rows[0]?.n);

  beforeAll(async () => {
    archive = sub('archive-');
    fs.cpSync(source, archive, { recursive: true });
    indexFile = path.join(sub('t-'), 'index.sqlite');
  }, 120_000);

  it('index --store builds the team index and reports what the SQLite index reports', () => {
    const sqlite = local(['index', archive]) as Record<string, unknown>;
    const pg = team(['index', archive]) as Record<string, unknown>;
    for (const key of ['posts', 'hidden', 'problems', 'scanned', 'updated', 'deleted', 'layout']) expect(pg[key], key).toEqual(sqlite[key]);
    expect(pg.posts).toBeGreaterThan(0);
    expect(pg.index).toBe(`${server.url('indexer')} schema backfile`);
    expect(JSON.stringify(pg)).not.toContain(PASSWORD);
    // Again: nothing to read.
    expect(team(['index', archive])).toMatchObject({ updated: 0, deleted: 0, unchanged: pg.scanned });
  }, 120_000);

  // One test per query or command, with 30 s per CLI run it makes, not one test for them all: a CLI run takes 2-8 s at
  // load 9-15 on two cores, and the 36 runs of the searches in one test took 67-204 s against its 180 s timeout (a
  // test kept busy by spawnSync fails on its timeout all the same, once it returns).
  const PER_RUN = 30_000;
  const queries = ['', '市场', '"钢材价格"', '股票 OR 基金', '-市场', 'title:央行', 'after:2021-12-08 before:2022', 'tag:东财滚动新闻', '没有这个词zzqx'];
  const cases = [...queries.map((q) => [q, 'relevance']), ...['', '市场', 'tag:东财滚动新闻'].flatMap((q) => [[q, 'date'], [q, 'oldest']])] as [string, string][];
  for (const [query, sort] of cases) {
    it(`search agrees with the SQLite CLI: ${JSON.stringify(query)} by ${sort}`, () => {
      const args = ['search', archive, '--sort', sort, '--limit', '5', '--', query];
      const want = local(args) as SearchJson;
      const got = team(args, 'reader') as SearchJson;
      expect(got.total, `${query} ${sort}`).toBe(want.total);
      expect(got.hits.map(({ snippet: _s, ...hit }) => hit), `${query} ${sort}`).toEqual(want.hits.map(({ snippet: _s, ...hit }) => hit));
    }, 2 * PER_RUN);
  }

  it('stats agree with the SQLite CLI', () => {
    expect(team(['stats', archive], 'reader')).toEqual(local(['stats', archive]));
  }, 2 * PER_RUN);

  /** The newest three posts, as the local index lists them (looked up once). */
  let newest: string[] | undefined;
  const newestPosts = () => (newest ??= (local(['search', archive, '--sort', 'date', '--limit', '3', '--', '']) as SearchJson).hits.map((h) => h.path));
  for (const n of [0, 1, 2]) {
    it(`show agrees with the SQLite CLI: the post ${n + 1} of the newest three`, () => {
      const post = newestPosts()[n];
      expect(post).toBeDefined();
      expect(team(['show', archive, post!], 'reader')).toEqual(local(['show', archive, post!]));
    }, 3 * PER_RUN);
  }

  const firstPath = () => (local(['search', archive, '--sort', 'date', '--limit', '1', '--', '']) as SearchJson).hits[0]!.path;
  const termsFile = () => {
    const terms = path.join(sub('t-'), 'terms.txt');
    fs.writeFileSync(terms, '市场\n"钢材价格"\n没有这个词zzqx\n');
    return terms;
  };
  const commands: [string, () => string[]][] = [
    ['facets', () => ['facets', archive, '市场']],
    ['timeline', () => ['timeline', archive, '', '--by', 'month']],
    ['problems', () => ['problems', archive]],
    ['cite', () => ['cite', archive, firstPath(), '--accessed', '2026-01-01']],
    ['batch', () => ['batch', archive, '--terms', termsFile()]],
  ];
  for (const [name, argsOf] of commands) {
    it(`${name} answers over --store as over the SQLite index`, () => {
      const args = argsOf();
      expect(team(args, 'reader'), name).toEqual(local(args));
    }, 3 * PER_RUN);
  }

  it('export answers over --store as over the SQLite index', () => {
    const out = sub('backfile-export-');
    for (const [file, run] of [['local.csv', local], ['team.csv', (a: string[]) => team(a, 'reader')]] as const) {
      run(['export', archive, '--format', 'csv', '--out', path.join(out, file), '--', '市场']);
    }
    const csv = (file: string) => fs.readFileSync(path.join(out, file), 'utf8').split('\n').map((line) => line.split(',').slice(0, 5).join(',')).sort();
    expect(csv('team.csv')).toEqual(csv('local.csv'));
  }, 2 * PER_RUN);

  it('a read-only role searches, but index fails in one line (exit 1), changes nothing, and never shows the password', async () => {
    const before = { generation: await generation(), posts: await postCount() };
    // Every post ('' lists them all): the local SQLite index of the same archive says how many.
    const all = (local(['search', archive, '--', '']) as SearchJson).total;
    expect(all).toBeGreaterThan(0);
    expect((team(['search', archive, '--', ''], 'reader') as SearchJson).total).toBe(all);
    fs.writeFileSync(path.join(archive, '2024-01-01-new.md'), '---\ntitle: 新文章\n---\n一篇新的文章。\n');
    const result = runCli(['index', archive, '--store', urlOf('reader')], env);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual(['backfile: This team index is read-only for reader: indexing and import need a role with write rights.']);
    expect(result.stdout).toBe('');
    expect({ generation: await generation(), posts: await postCount() }).toEqual(before);
    // An import copies nothing either: refused before a file is touched.
    const drop = sub('backfile-drop-');
    fs.writeFileSync(path.join(drop, '2024-02-02-dropped.md'), '---\ntitle: Dropped\n---\nx\n');
    const imported = runCli(['import', drop, '--into', archive, '--store', urlOf('reader')], env);
    expect(imported.status).toBe(1);
    expect(imported.stderr).toMatch(/^backfile: import is off while a team index is read: .*`cli index ARCHIVE --store URL`\.\n$/);
    expect(fs.readdirSync(archive)).not.toContain('2024-02-02-dropped.md');
    fs.rmSync(path.join(archive, '2024-01-01-new.md'));
  }, 120_000);

  it('says in one line why a team index cannot be used, without the password', async () => {
    const closed = await freePortForTest();
    const unreachable = runCli(['search', archive, 'x', '--store', `postgres://ann:${PASSWORD}@127.0.0.1:${closed}/news`], env);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(/^backfile: The team index at postgres:\/\/ann@127\.0\.0\.1:\d+\/news cannot be used: the server refused the connection/);
    expect(unreachable.stderr.trim().split('\n')).toHaveLength(1);
    const empty = runCli(['stats', archive, '--store', urlOf('indexer'), '--pg-schema', 'nothing_here'], env);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('holds no Backfile index in schema nothing_here');
    for (const r of [unreachable, empty]) expect(r.stderr + r.stdout).not.toContain(PASSWORD);
    expect(runCli(['search', archive, 'x', '--store', urlOf('reader'), '--index', indexFile], env)).toMatchObject({ status: 2 });
    expect(runCli(['search', archive, 'x', '--pg-schema', 'backfile'], env)).toMatchObject({ status: 2 });
  }, 60_000);

  it('serve --store: the page is told the team state (read-only for the reader role) and an import is refused', async () => {
    const staticDir = sub('backfile-web-');
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
    const served = await serveArchive({ archive, team: { url: urlOf('reader') }, staticDir, announce: false, watch: false });
    try {
      const token = new URL(served.url).searchParams.get('token') ?? '';
      const call = (method: string, args: unknown[] = []) => post(served.port, `/api/call/${method}`, token, { args });
      const info = await call('getIndexInfo');
      expect(info.status).toBe(200);
      expect(info.body.result as IndexInfo).toEqual({
        kind: 'postgres',
        readOnly: true,
        location: `${server.url('reader')} schema backfile`,
        team: { host: '127.0.0.1', port: server.port, database: 'postgres', schema: 'backfile', user: 'reader' },
      });
      const archiveInfo = (await call('getArchiveInfo')).body.result as { posts: number; index: IndexInfo; indexProgress: unknown };
      expect(archiveInfo.index.readOnly).toBe(true);
      expect(archiveInfo.indexProgress).toBeNull();
      // The posts a reader sees (hidden ones, e.g. drafts, are rows of the table but not posts): as the local index counts them.
      expect(archiveInfo.posts).toBe((local(['stats', archive]) as { posts: number }).posts);
      const list = (await call('listArticles', [{ query: '市场' }])).body.result as { total: number };
      expect(list.total).toBe((local(['search', archive, '市场']) as SearchJson).total);
      const refused = await call('importFiles', [[{ path: 'x.md', data: Buffer.from('---\ntitle: x\n---\n').toString('base64') }]]);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'READ_ONLY' });
      expect(JSON.stringify([info.body, archiveInfo])).not.toContain(PASSWORD);
    } finally {
      await served.close();
    }
  }, 60_000);
});

/**
 * One call, on a connection of its own (agent: false). Node's global agent keeps connections alive, and this test
 * blocks the event loop between calls with CLI runs (spawnSync): one longer than the server's keepAliveTimeout (5 s,
 * at load 15 here) sent the next call on the kept connection just before the server's timer closed it: ECONNRESET.
 */
function post(port: number, urlPath: string, token: string, body: unknown): Promise<{ status: number; body: { ok: boolean; result?: unknown; error?: { code: string; message: string } } }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      { host: '127.0.0.1', port, path: urlPath, method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'X-Backfile-Token': token, Host: `127.0.0.1:${port}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as never }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
