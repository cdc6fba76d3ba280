/**
 * An export or a batch search across a disconnect (issue 15, review RV4 c.mts): an export read its order from the
 * team index and later pages from whichever index was current, so after Disconnect the pages came from the local
 * index, which lacks the posts the team indexer added: "announced 400, wrote 300", silently. A batch term's total
 * and dates could likewise come from two indexes. Each job now reads one captured index (archive-service.ts
 * captureIndex) and fails with STORE_UNAVAILABLE once it is disconnected, leaving no file behind.
 * Real PostgreSQL (tests/helpers/postgres.ts), real SQLite, real files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveError, type ArchiveApi } from '../../src-main/shared/archive-api';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { createArchiveApi } from '../../src-main/node/archive/create-archive-api';
import { RecentArchives } from '../../src-main/node/recent-archives';
import { writeExport } from '../../src-main/node/export/write-export';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { pgAvailableOrLog, usePgConnection } from '../helpers/pg-store';
import { tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('export across a team index disconnect skipped');

const base = tempDir('export-team-disconnect-');
const root = path.join(base, 'archive');
const out = path.join(base, 'out');
const post = (i: number, day: string) =>
  fs.writeFileSync(path.join(root, '_posts', `${day}-p${i}.md`), `---\ntitle: P${i}\ndate: ${day}\n---\nriver ${i}\n`);

describe.skipIf(!available.ok)('a job across a team index disconnect', () => {
  const { server, connection: writer } = usePgConnection();
  let service: ArchiveService;
  let api: ArchiveApi;

  beforeAll(async () => {
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    fs.mkdirSync(out);
    for (let i = 0; i < 300; i++) post(i, '2020-01-01');
    service = new ArchiveService({ indexPathFor: () => path.join(base, 'index.sqlite') });
    await service.open(root, { waitForIndex: true });
    // 100 older posts the team indexer indexed; the local index, not watched, does not know them.
    for (let i = 300; i < 400; i++) post(i, '2019-06-01');
    await updatePgIndex(writer.pool, 'backfile', root);
    api = createArchiveApi(service, { allowedRoots: null, recent: new RecentArchives(path.join(base, 'recent.json')), workspaceFile: path.join(base, 'workspace.sqlite') });
  }, 120_000);
  beforeEach(async () => {
    await service.connectTeamIndex({ url: server.url() }, { pollMs: 0 });
    expect(service.teamIndex?.counts.posts).toBe(400);
  });
  afterEach(async () => {
    await service.disconnectTeamIndex();
  });
  afterAll(async () => {
    await service?.close();
  });

  it('an export writes every post it announced, or fails with STORE_UNAVAILABLE and leaves no file', async () => {
    const target = path.join(out, 'river.json');
    let disconnected: Promise<unknown> | null = null;
    let announced = 0;
    const outcome = await writeExport(service, { format: 'json', query: { query: 'river' } }, target, {
      onProgress: (p) => {
        announced = p.total;
        // The reader clicks Disconnect once the first page is written.
        if (p.phase === 'writing' && p.written > 0 && !disconnected) disconnected = service.disconnectTeamIndex();
      },
    }).catch((error: unknown) => error);
    await disconnected;
    expect(announced).toBe(400);
    if (outcome instanceof Error) {
      expect(outcome).toBeInstanceOf(ArchiveError);
      expect((outcome as ArchiveError).code).toBe('STORE_UNAVAILABLE');
      expect(fs.readdirSync(out)).toEqual([]); // neither the file nor its temporary part
    } else {
      expect(outcome).toMatchObject({ count: 400 });
      expect(JSON.parse(fs.readFileSync(target, 'utf8'))).toHaveLength(400);
    }
  });

  it("a batch term's total and dates come from one index, or the call fails with STORE_UNAVAILABLE", async () => {
    // Disconnect right after the first read of the team index (the term's newest hit and total) is handed out.
    const team = service.teamIndex!;
    const read = team.read.bind(team);
    let disconnected: Promise<unknown> | null = null;
    team.read = ((job) => {
      const answer = read(job);
      disconnected ??= service.disconnectTeamIndex();
      return answer;
    }) as typeof team.read;
    const outcome = await api.batchSearch(['river']).catch((error: unknown) => error);
    await disconnected;
    if (outcome instanceof Error) {
      expect(outcome).toBeInstanceOf(ArchiveError);
      expect((outcome as ArchiveError).code).toBe('STORE_UNAVAILABLE');
    } else {
      expect(outcome).toEqual({ terms: [{ term: 'river', total: 400, first: expect.stringMatching(/^2019-06-01/), last: expect.stringMatching(/^2020-01-01/) }] });
    }
  });
});
