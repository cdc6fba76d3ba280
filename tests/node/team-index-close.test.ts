/**
 * Disconnecting a team index while reads are waiting (issue 15, review RV4 b.mts): the pool holds 4 connections, and
 * ending it while more reads wait for one used to leave them unsettled for ever (pg-pool drops its waiting requests),
 * so the IPC or HTTP request that asked hung. TeamIndex.close() now lets the reads it handed out finish before it
 * ends the pool, and a read asked after close fails at once (STORE_UNAVAILABLE). Real PostgreSQL, real files.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArchiveError } from '../../src-main/shared/archive-api';
import { TeamIndex } from '../../src-main/node/archive/team-index';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { pgAvailableOrLog, usePgConnection } from '../helpers/pg-store';
import { sampleArchive } from '../helpers/temp';

const available = pgAvailableOrLog('team index close skipped');

describe.skipIf(!available.ok)('closing a team index while reads wait for a connection', () => {
  const { server, connection: writer } = usePgConnection();

  beforeAll(async () => {
    await updatePgIndex(writer.pool, 'backfile', path.resolve(sampleArchive));
  }, 120_000);

  // The hang guard is the test's timeout: without the fix the waiting reads never settle.
  it('settles every read (an answer or STORE_UNAVAILABLE), more reads than the pool holds, then refuses new ones', async () => {
    const team = await TeamIndex.connect({ url: server.url() }, { pollMs: 0 });
    const reads = Array.from({ length: 16 }, (_, i) =>
      team.read((reader) => (i % 2 === 0 ? reader.list({ query: '', sort: 'date', limit: 50 }) : reader.tags(true))),
    );
    const closed = team.close();
    const settled = await Promise.allSettled(reads);
    await closed;
    for (const outcome of settled) {
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toBeInstanceOf(ArchiveError);
        expect((outcome.reason as ArchiveError).code).toBe('STORE_UNAVAILABLE');
      }
    }
    // Handed out before the disconnect: they are answered.
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(16);
    let refused: unknown;
    try {
      team.read((reader) => reader.counts());
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ArchiveError);
    expect((refused as ArchiveError).code).toBe('STORE_UNAVAILABLE');
    expect((refused as ArchiveError).message).toBe('the team index was disconnected');
  }, 60_000);
});
