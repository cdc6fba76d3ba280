/**
 * The contract over a team index on PostgreSQL (issue 15), with a real, throwaway PostgreSQL: connectTeamIndex and
 * disconnectTeamIndex switch the open archive between its local index and the team's, a reader sees the indexer's
 * commits without restarting (archiveChanged, as after a local update), an import with a writable role lands in the
 * team index, and the arguments and failures come back as the contract's codes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { createArchiveApi } from '../../src-main/node/archive/create-archive-api';
import { RecentArchives } from '../../src-main/node/recent-archives';
import { validateArgs } from '../../src-main/node/validate-args';
import { openPgStore, updatePgIndex } from '../../src-main/node/pg';
import type { ArchiveApi, ArchiveInfo } from '../../src-main/shared/archive-api';
import { pgAvailableOrLog, usePostgres } from '../helpers/pg-store';
import { freePortForTest } from '../helpers/postgres';
import { edgeArchive, repoRoot, sharedCorpus, tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('skip cli-pg-live');
const finews = path.join(sharedCorpus, 'finews-sample');
const source = fs.existsSync(finews) ? finews : edgeArchive;
const post = (title: string) => `---\ntitle: ${title}\ndate: 2024-03-01\n---\n${title}：一篇新的文章。\n`;

describe('the team index arguments', () => {
  it('are checked at the boundary: a postgres:// URL, a schema name, known fields only', () => {
    expect(validateArgs('connectTeamIndex', [{ url: 'postgres://ann@db:5432/news', schema: 'news_2024', password: 'x', remember: true }])).toHaveLength(1);
    for (const bad of [
      { url: 'http://db/news' },
      { url: 'postgres://ann@db/news', schema: 'Robert"; DROP' },
      { url: 'postgres://ann@db/news', extra: 1 },
      { schema: 'backfile' },
      'postgres://ann@db/news',
    ]) expect(() => validateArgs('connectTeamIndex', [bad]), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => validateArgs('getIndexInfo', [1])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

/** Folders made during the tests live in one removed after the file (tempDir inside a test would not be removed). */
const base = tempDir('backfile-cli-pg-live-');
const sub = (prefix: string) => fs.mkdtempSync(path.join(base, prefix));

describe.runIf(available.ok)('a team index through the contract', () => {
  const server = usePostgres({ roles: { indexer: { readOnly: false }, reader: { readOnly: true } } });
  let archive: string;
  /** Where the archive keeps its posts, relative to it ("" or "_posts/"). */
  let posts = '';
  const services: ArchiveService[] = [];
  const open = async (): Promise<{ service: ArchiveService; api: ArchiveApi }> => {
    const service = new ArchiveService({ indexPathFor: () => path.join(sub('t-'), 'index.sqlite') });
    services.push(service);
    const api = createArchiveApi(service, { allowedRoots: null, recent: new RecentArchives(path.join(sub('t-'), 'recent.json')) });
    await service.open(archive, { waitForIndex: true });
    return { service, api };
  };
  /** The next archiveChanged whose counts pass `test`. */
  const changed = (service: ArchiveService, test: (info: ArchiveInfo) => boolean) =>
    new Promise<ArchiveInfo>((resolve) => {
      const off = service.on('archiveChanged', (info) => {
        if (test(info)) {
          off();
          resolve(info);
        }
      });
    });

  beforeAll(async () => {
    archive = sub('archive-');
    fs.cpSync(source, archive, { recursive: true });
    // A new post goes where the archive keeps its posts: finews-sample at its top, the fixture (a Jekyll site) in _posts/.
    posts = fs.existsSync(path.join(archive, '_posts')) ? '_posts/' : '';
    const writer = await openPgStore(server.url('indexer'));
    try {
      await updatePgIndex(writer.pool, 'backfile', archive);
    } finally {
      await writer.close();
    }
  }, 120_000);
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });

  it('connect reads the team index (readOnly for a reader), disconnect goes back to the local one', async () => {
    const { api } = await open();
    const localInfo = await api.getIndexInfo();
    expect(localInfo).toMatchObject({ kind: 'local', readOnly: false });
    const localList = await api.listArticles({ query: '市场', limit: 5 });
    const info = await api.connectTeamIndex({ url: server.url('reader') });
    expect(info).toMatchObject({ kind: 'postgres', readOnly: true, location: `${server.url('reader')} schema backfile` });
    expect((await api.getArchiveInfo())?.index).toEqual(info);
    const teamList = await api.listArticles({ query: '市场', limit: 5 });
    expect(teamList.total).toBe(localList.total);
    expect(teamList.items.map((i) => i.path).sort()).toEqual(localList.items.map((i) => i.path).sort());
    await expect(api.importPaths([archive])).rejects.toMatchObject({ code: 'READ_ONLY' });
    expect(await api.disconnectTeamIndex()).toEqual(localInfo);
    expect(await api.getIndexInfo()).toEqual(localInfo);
  }, 60_000);

  it("a reader sees the indexer's commits without reconnecting: archiveChanged with the new counts, and the new post", async () => {
    const { service, api } = await open();
    await service.connectTeamIndex({ url: server.url('reader') }, { pollMs: 100 });
    const before = (await api.getArchiveInfo())!.posts;
    const seen = changed(service, (info) => info.posts === before + 1);
    fs.writeFileSync(path.join(archive, `${posts}2024-03-01-live.md`), post('团队索引的新文章'));
    const writer = await openPgStore(server.url('indexer'));
    try {
      await updatePgIndex(writer.pool, 'backfile', archive);
    } finally {
      await writer.close();
    }
    expect((await seen).index).toMatchObject({ kind: 'postgres' });
    expect((await api.listArticles({ query: '团队索引的新文章' })).items.map((i) => i.path)).toEqual([`${posts}2024-03-01-live.md`]);
  }, 60_000);

  it('even a writable role does not import from the app: READ_ONLY, pointing to cli import + cli index --store (the app never writes the team index)', async () => {
    const { api } = await open();
    await api.connectTeamIndex({ url: server.url('indexer') });
    expect(await api.getIndexInfo()).toMatchObject({ readOnly: false });
    const drop = sub('backfile-drop-');
    fs.writeFileSync(path.join(drop, '2024-03-02-imported.md'), post('导入团队索引'));
    await expect(api.importPaths([drop])).rejects.toMatchObject({ code: 'READ_ONLY', message: expect.stringMatching(/cli index ARCHIVE --store URL/) });
    expect((await api.listArticles({ query: '导入团队索引' })).total).toBe(0);
  }, 60_000);

  it('index --store --watch follows the disk: a post written meanwhile is in the team index, Ctrl-C ends it cleanly', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src-main/cli/main.ts'), 'index', '--json', '--watch', '--store', server.url('indexer'), archive], {
      cwd: repoRoot,
      env: { ...process.env, BACKFILE_DATA_DIR: sub('data-') },
    });
    const reports: { updated: number; posts: number }[] = [];
    let stderr = '';
    const waiters: (() => void)[] = [];
    const changedOutput = () => waiters.splice(0).forEach((wake) => wake());
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) reports.push(JSON.parse(line) as { updated: number; posts: number });
      changedOutput();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      changedOutput();
    });
    const until = async (test: () => boolean) => {
      while (!test()) {
        if (child.exitCode !== null) throw new Error(`the indexer ended: ${stderr}`);
        await new Promise<void>((wake) => waiters.push(wake));
      }
    };
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => reports.length >= 1 && stderr.includes('Watching'));
      const before = reports[0]!.posts;
      fs.writeFileSync(path.join(archive, `${posts}2024-03-03-watched.md`), post('监视中的新文章'));
      await until(() => reports.some((r) => r.posts === before + 1));
      const { api } = await open();
      await api.connectTeamIndex({ url: server.url('reader') });
      expect((await api.listArticles({ query: '监视中的新文章' })).items.map((i) => i.path)).toEqual([`${posts}2024-03-03-watched.md`]);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).not.toContain('backfile:');
  }, 90_000);

  it('STORE_UNAVAILABLE for a server that is not there or a schema without an index; the local index stays', async () => {
    const { api } = await open();
    const port = await freePortForTest();
    await expect(api.connectTeamIndex({ url: `postgres://ann@127.0.0.1:${port}/news`, password: 'pw-never-shown' })).rejects.toSatisfy(
      (e: { code?: string; message: string }) => e.code === 'STORE_UNAVAILABLE' && !e.message.includes('pw-never-shown'),
    );
    await expect(api.connectTeamIndex({ url: server.url('reader'), schema: 'nothing_here' })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(await api.getIndexInfo()).toMatchObject({ kind: 'local' });
  }, 60_000);
});
