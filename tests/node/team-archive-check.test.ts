/**
 * A team index belongs to one archive (issue 15, review RV2): the app never writes it (an import with a writable role
 * used to update it from the reader's own folder and delete every shared post not there: 32 → 2), a connect to
 * another archive's index is refused, and the CLI indexer refuses to rebuild another archive's index without
 * --replace. Real PostgreSQL (tests/helpers/postgres.ts), real folders, real SQLite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { checkCanImport } from '../../src-main/node/archive/create-archive-api';
import { matchArchive, samplePaths } from '../../src-main/node/archive/team-archive-check';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { indexTeamCommand } from '../../src-main/cli/index-team-command';
import { usePgConnection } from '../helpers/pg-store';
import { pgAvailable } from '../helpers/postgres';
import { sampleArchive, tempDir } from '../helpers/temp';

const available = pgAvailable();
const base = tempDir('team-archive-check-');

describe.skipIf(!available.ok)('a team index belongs to one archive', () => {
  const { server, connection: writer } = usePgConnection({ roles: { indexer: { readOnly: false } }, as: 'indexer' });
  const newsroom = path.join(base, 'newsroom');
  const mine = path.join(base, 'mine');
  const count = async () => Number((await writer.pool.query<{ n: string }>('SELECT count(*) AS n FROM backfile.posts')).rows[0]!.n);

  beforeAll(async () => {
    fs.cpSync(sampleArchive, newsroom, { recursive: true });
    await updatePgIndex(writer.pool, 'backfile', newsroom);
    // A journalist's own small folder.
    fs.mkdirSync(path.join(mine, '_posts'), { recursive: true });
    fs.writeFileSync(path.join(mine, '_posts', '2024-01-01-a.md'), '---\ntitle: 我的稿子\ndate: 2024-01-01\n---\n正文\n');
  }, 120_000);

  it('samples at most 20 paths spread over the whole list, first and last included', async () => {
    const all = (await writer.pool.query<{ path: string }>('SELECT path FROM backfile.posts ORDER BY path')).rows.map((r) => r.path);
    expect(all.length).toBeGreaterThan(20);
    const sample = await samplePaths(writer.pool, 'backfile');
    expect(sample).toHaveLength(20);
    expect(sample[0]).toBe(all[0]);
    expect(sample.at(-1)).toBe(all.at(-1));
    expect(new Set(sample).size).toBe(20);
    expect((await matchArchive(writer.pool, 'backfile', newsroom)).missing).toEqual([]);
  });

  it('connecting another archive to this index is refused (STORE_UNAVAILABLE), and nothing is written', async () => {
    const before = await count();
    const service = new ArchiveService({ indexPathFor: () => path.join(base, 'idx-mine', 'index.sqlite') });
    try {
      await service.open(mine, { waitForIndex: true });
      const refused = await service.connectTeamIndex({ url: server.url('indexer') }).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect((refused as Error).message).toMatch(/this team index is of another archive \(indexed from .*newsroom; 20 of 20 sampled posts, e\.g\. .*, are not in .*mine\)/);
      expect(service.indexInfo().kind).toBe('local');
      // Also when the archive is opened with the team index from the start (serve --store).
      await expect(service.open(mine, { team: { url: server.url('indexer'), pollMs: 0 } })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    } finally {
      await service.close();
    }
    expect(await count()).toBe(before);
  }, 60_000);

  it('with a writable role on its own archive (a copy elsewhere), the app connects but refuses to import: READ_ONLY, nothing copied or deleted', async () => {
    const copy = path.join(base, 'copy-of-newsroom');
    fs.cpSync(newsroom, copy, { recursive: true });
    const before = await count();
    const service = new ArchiveService({ indexPathFor: () => path.join(base, 'idx-copy', 'index.sqlite') });
    try {
      await service.open(copy, { waitForIndex: true });
      const info = await service.connectTeamIndex({ url: server.url('indexer') }, { pollMs: 0 });
      expect(info).toMatchObject({ kind: 'postgres', readOnly: false });
      const drop = path.join(base, 'drop.md');
      fs.writeFileSync(drop, '---\ntitle: 新稿\ndate: 2024-02-01\n---\n正文\n');
      const refused = await service.importPaths([drop]).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'READ_ONLY' });
      expect((refused as Error).message).toMatch(/this app never writes the team index\. Import on the indexer machine with `cli import SOURCE… --into ARCHIVE`, then `cli index ARCHIVE --store URL`/);
      // The HTTP server's and the desktop's uploads pass through the same check.
      expect(() => checkCanImport(service)).toThrow(/never writes the team index/);
      expect(fs.readdirSync(copy, { recursive: true }).map(String).filter((f) => f.includes('drop'))).toEqual([]);
    } finally {
      await service.close();
    }
    expect(await count()).toBe(before);
  }, 60_000);

  it('cli index over another archive refuses without --replace; a moved copy of the same archive passes; --replace replaces', async () => {
    const before = await count();
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      const refused = await indexTeamCommand(mine, { url: server.url('indexer') }, {}).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((refused as Error).message).toMatch(/built from another archive \(.*newsroom; 20 of 20 sampled posts are not in .*mine\)\. .*add --replace/);
      expect(await count()).toBe(before);
      // The same archive at another path (moved, another mount): same posts, so no --replace needed.
      const moved = path.join(base, 'moved-newsroom');
      fs.cpSync(newsroom, moved, { recursive: true });
      expect(await indexTeamCommand(moved, { url: server.url('indexer') }, {})).toBe(0);
      expect(await count()).toBe(before);
      // On purpose: the index becomes the journalist's folder.
      expect(await indexTeamCommand(mine, { url: server.url('indexer') }, { replace: true })).toBe(0);
      expect(await count()).toBe(1);
    } finally {
      process.stdout.write = write;
    }
  }, 120_000);
});
