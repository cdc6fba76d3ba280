import fs from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { pgAvailableOrLog, usePgStore } from '../helpers/pg-store';
import { pgAvailable } from '../helpers/postgres';

/**
 * tests/helpers/pg-store.ts, the set-up the PostgreSQL tests share: its skip line, its stand-ins (an error at
 * collection, the real thing in tests), and its order at the end (the suite's own afterAll first, then the store,
 * then the server).
 */
describe('the skip line', () => {
  it('says the label and why, only when PostgreSQL is not there', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const available = pgAvailable();
      expect(pgAvailableOrLog('skip pg-store')).toEqual(available);
      expect(log.mock.calls).toEqual(available.ok ? [] : [[`skip pg-store: ${available.reason}`]]);
    } finally {
      log.mockRestore();
    }
  });
});

const available = pgAvailableOrLog('skip pg-store');

describe.runIf(available.ok)('a suite with its own server and store', () => {
  let atCollection: unknown;
  let seenAtEnd: { one: number; dataDir: boolean } | undefined;
  let store: ReturnType<typeof usePgStore>['store'];
  let server: ReturnType<typeof usePgStore>['server'];

  describe('the suite', () => {
    ({ server, store } = usePgStore({ roles: { indexer: { readOnly: false } }, as: 'indexer', schema: 'helper_s' }));
    try {
      void store.pool;
    } catch (error) {
      atCollection = error;
    }
    // Registered after the helper's hooks, so run before its afterAll: the store and the server are still there.
    afterAll(async () => {
      const { rows } = await store.pool.query<{ n: number }>('SELECT 1 AS n');
      seenAtEnd = { one: rows[0]!.n, dataDir: fs.existsSync(server.dataDir) };
    });

    it('gets the store as the role on the schema asked, on a server of its own', async () => {
      expect(store.role).toBe('indexer');
      expect(store.schema).toBe('helper_s');
      expect(store.location).toBe(`postgres://indexer@127.0.0.1:${server.port}/postgres schema helper_s`);
      expect((await server.query<{ r: string }>('SELECT current_user AS r')).rows).toEqual([{ r: 'postgres' }]);
      // A stand-in is not a promise: awaiting it gives it back as it is.
      expect(await Promise.resolve(store)).toBe(store);
    });
  });

  it('was an error, not undefined, when touched while the suite was collected', () => {
    expect(String(atCollection)).toContain('The PostgreSQL store is made in beforeAll');
  });

  it("closed the store and stopped the server after the suite's own afterAll had used them", async () => {
    expect(seenAtEnd).toEqual({ one: 1, dataDir: true });
    expect(store.pool.ended).toBe(true);
    // stop() removes the cluster's folder once the server is down.
    expect(fs.existsSync(server.dataDir)).toBe(false);
  });
});
