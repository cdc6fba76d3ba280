import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { PgIndexReader, type PgReaderTuning } from '../../src-main/node/pg/pg-read';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { generateArchive } from '../bench/generate-archive';
import { pgAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';
import { tempDir } from '../helpers/temp';

/**
 * A phrase's count split over the posts' partitions and two sessions of the reader's pool in one snapshot
 * (pg-split-count.ts): what each session counted, that a commit between the two sessions' starts is not counted,
 * and that the call never waits for a spare connection (a pool of one, a spare that fails, the server's "no
 * parallel", a role that may read the posts only through their parent), all with the same lists as one count.
 */
const available = pgAvailable();
if (!available.ok) console.log(`PostgreSQL phrase counts skipped: ${available.reason}`);

type Seen = { pid: number; text: string };
interface Hooks { seen: Seen[]; beforeImport?: () => Promise<void>; failImport?: boolean }

/** A pool whose connections record each statement with their backend, and may hold up or refuse a snapshot's import. */
function recordingPool(config: pg.PoolConfig, hooks: Hooks): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const pid = (client as unknown as { processID: number }).processID;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text);
      hooks.seen.push({ pid, text });
      if (!/SET TRANSACTION SNAPSHOT/.test(text) || typeof args[args.length - 1] === 'function') return query(...args);
      return (async () => {
        const hold = hooks.beforeImport;
        hooks.beforeImport = undefined;
        await hold?.();
        if (hooks.failImport) throw Object.assign(new Error('refused for the test'), { code: 'XX000' });
        return query(...args);
      })();
    };
  });
  return pool;
}

/** The per-partition counts seen, by backend. */
const partitionCounts = (seen: Seen[]): Map<number, string[]> => {
  const by = new Map<number, string[]>();
  for (const s of seen) {
    const partition = /^SELECT count\(\*\) AS n FROM "\w+"\."(posts_p\d+)"/.exec(s.text)?.[1];
    if (partition) by.set(s.pid, [...by.get(s.pid) ?? [], partition]);
  }
  return by;
};

const PHRASES = ['"同比增长"', '人工智能', '集成电路', '芯片 OR 半导体 OR 集成电路', 'title:"同比增长"'];

describe.skipIf(!available.ok)('a phrase\'s count split over two sessions', { timeout: 120_000 }, () => {
  let server: TestPostgres;
  let sqlite: IndexStore;
  const hooks: Hooks = { seen: [] };
  let pool: pg.Pool;
  const dir = tempDir('pg-phrase-count-');

  beforeAll(async () => {
    server = await startPostgres();
    pool = recordingPool({ connectionString: server.adminUrl, max: 3 }, hooks);
    const archive = path.join(dir, 'archive');
    await generateArchive(archive, 600, 7, 'synthetic');
    await updatePgIndex(pool, 'split', archive, { vacuumFrom: 1 });
    await updatePgIndex(pool, 'moving', archive, { vacuumFrom: 1 });
    sqlite = IndexStore.open(path.join(dir, 'index.sqlite'));
    await updateIndex(sqlite, archive);
    // Two idle connections, as a reader's pool keeps after its first calls (a spare is then had at once).
    const [a, b] = [await pool.connect(), await pool.connect()];
    a.release();
    b.release();
  }, 180_000);

  afterAll(async () => {
    sqlite?.close();
    await pool?.end();
    await server?.stop();
  });

  const list = async (reader: PgIndexReader, q: ListQuery) => {
    hooks.seen = [];
    return reader.list(q);
  };

  it('each partition is counted by its own session, the spare in the call\'s snapshot: the same lists as one count and as SQLite', async () => {
    for (const query of PHRASES) {
      for (const q of [{ query, limit: 7 }, { query, limit: 7, sort: 'date' as const }, { query, limit: 7, offset: 9, sort: 'oldest' as const }]) {
        const split = await list(new PgIndexReader(pool, 'split'), q);
        const counts = partitionCounts(hooks.seen);
        // Two backends, one partition each; the spare imported the call's snapshot before it counted.
        expect([...counts.values()].map((p) => p.join()).sort(), JSON.stringify(q)).toEqual(['posts_p0', 'posts_p1']);
        const spare = [...counts.keys()].find((pid) => hooks.seen.some((s) => s.pid === pid && /SET TRANSACTION SNAPSHOT/.test(s.text)));
        expect(spare, JSON.stringify(q)).toBeDefined();
        const one = await list(new PgIndexReader(pool, 'split', undefined, { splitPhrases: false }), q);
        expect(partitionCounts(hooks.seen).size).toBe(0);
        expect(split.total, JSON.stringify(q)).toBe(one.total);
        expect(split.items.map((i) => i.path), JSON.stringify(q)).toEqual(one.items.map((i) => i.path));
        const local = sqlite.list(q);
        expect(split.total, JSON.stringify(q)).toBe(local.total);
        if (q.sort !== undefined) expect(split.items.map((i) => i.path), JSON.stringify(q)).toEqual(local.items.map((i) => i.path));
      }
    }
  });

  it('a commit between the call\'s start and the spare\'s import is not counted: both sessions read one snapshot', async () => {
    const query = '"同比增长"';
    const before = (await new PgIndexReader(pool, 'moving').list({ query, limit: 1 })).total;
    // One post with the phrase in each partition, deleted and committed while the spare waits to import.
    const { rows } = await server.query<{ path: string }>(`SELECT DISTINCT ON (tableoid) path FROM moving.posts
      WHERE tsv @@ $1::tsquery AND NOT hidden ORDER BY tableoid, path`, ["'同比' <-> '比增' <-> '增长'"]);
    expect(rows.length).toBe(2);
    hooks.beforeImport = async () => {
      await server.query('DELETE FROM moving.posts WHERE path = ANY($1::text[])', [rows.map((r) => r.path)]);
      await server.query(`UPDATE moving.meta SET value = (value::bigint + 1)::text WHERE key = 'generation'`);
    };
    const during = await list(new PgIndexReader(pool, 'moving'), { query, limit: 1 });
    expect(hooks.beforeImport).toBeUndefined();
    expect(partitionCounts(hooks.seen).size).toBe(2);
    expect(during.total).toBe(before);
    expect((await new PgIndexReader(pool, 'moving').list({ query, limit: 1 })).total).toBe(before - 2);
  });

  it('after the count: the title hits counted and paged in one statement, the generation read once a session, the same lists', async () => {
    // The title part's statements (not the rest's, which leaves the title hits out).
    const titleStatements = (seen: Seen[]) => seen.filter((s) => /ts_filter\(tsv, '\{a\}'\) @@/.test(s.text) && !/NOT IN|NOT \(ts_filter/.test(s.text));
    for (const query of ['"同比增长"', '人工智能', '集成电路', '市场', 'title:"同比增长" OR 投资', '芯片 OR 半导体 OR 集成电路']) {
      // Rank limits that put the title hits under and over the ranked budget, pages inside and past them.
      for (const rankLimit of [2, 30, 300]) {
        for (const q of [{ query, limit: 7 }, { query, limit: 7, offset: 5 }, { query, limit: 7, offset: 60 }]) {
          const label = `${rankLimit} ${JSON.stringify(q)}`;
          const one = await list(new PgIndexReader(pool, 'split', rankLimit), q);
          const seen = hooks.seen;
          const two = await list(new PgIndexReader(pool, 'split', rankLimit, { titleInOne: false }), q);
          expect(one.total, label).toBe(two.total);
          expect(one.items.map((i) => i.path), label).toEqual(two.items.map((i) => i.path));
          expect(seen.filter((s) => /meta WHERE key = 'generation'/.test(s.text)).length, label).toBe(1);
          // Title hits paged apart (the whole result ranked, under its budget) read no title statement at all.
          const titled = titleStatements(seen);
          if (titled.length > 0) expect(titled.map((s) => s.text.trimStart().slice(0, 6)), label).toEqual(['WITH t']);
        }
      }
    }
    // The first page counted the title hits: the next page of the same reader reads them no more (kept per generation).
    const reader = new PgIndexReader(pool, 'split', 2);
    await list(reader, { query: '"同比增长"', limit: 7 });
    expect(titleStatements(hooks.seen).length).toBe(1);
    await list(reader, { query: '"同比增长"', limit: 7, offset: 7 });
    expect(titleStatements(hooks.seen).map((s) => /count\(\*\)/.test(s.text) && !/^\s*WITH/.test(s.text))).toEqual([false]);
  });

  it('the call never waits for a spare: a pool of one, a spare refused, no parallel on the server, partitions not granted', async () => {
    const query = '"同比增长"';
    const expected = sqlite.list({ query, limit: 3, sort: 'date' });
    /** `backends`: how many backends counted partitions (0: the count named the parent only). */
    const check = async (reader: PgIndexReader, backends: number, label: string) => {
      const got = await list(reader, { query, limit: 3, sort: 'date' });
      expect(got.total, label).toBe(expected.total);
      expect(got.items.map((i) => i.path), label).toEqual(expected.items.map((i) => i.path));
      expect(partitionCounts(hooks.seen).size, label).toBe(backends);
    };
    const single = recordingPool({ connectionString: server.adminUrl, max: 1 }, hooks);
    const serial = recordingPool({ connectionString: server.adminUrl, max: 3, options: '-c max_parallel_workers_per_gather=0' }, hooks);
    await server.query('CREATE ROLE parent_only LOGIN');
    await server.query('GRANT USAGE ON SCHEMA split TO parent_only; GRANT SELECT ON ALL TABLES IN SCHEMA split TO parent_only; REVOKE SELECT ON split.posts_p1 FROM parent_only');
    const parentOnly = recordingPool({ connectionString: server.url('parent_only'), max: 3 }, hooks);
    // A spare connection that never comes (a server at its connection limit, a cut network): the second connect hangs.
    const hanging = recordingPool({ connectionString: server.adminUrl, max: 3 }, hooks);
    const connect = hanging.connect.bind(hanging) as () => Promise<pg.PoolClient>;
    let connects = 0;
    (hanging as unknown as { connect: () => Promise<pg.PoolClient> }).connect = () => (++connects === 2 ? new Promise<pg.PoolClient>(() => undefined) : connect());
    try {
      await check(new PgIndexReader(hanging, 'split'), 1, 'a spare that never comes');
      expect(connects).toBe(2);
      await check(new PgIndexReader(single, 'split'), 0, 'a pool of one');
      await check(new PgIndexReader(serial, 'split'), 0, 'max_parallel_workers_per_gather = 0');
      await check(new PgIndexReader(parentOnly, 'split'), 0, 'posts_p1 not granted');
      hooks.failImport = true;
      const refused = await list(new PgIndexReader(pool, 'split'), { query, limit: 3, sort: 'date' });
      expect(refused.total).toBe(expected.total);
      // The call's session counted the partition the spare could not.
      expect([...partitionCounts(hooks.seen).values()]).toEqual([['posts_p0', 'posts_p1']]);
    } finally {
      hooks.failImport = false;
      await Promise.all([single.end(), serial.end(), parentOnly.end()]);
      void hanging.end();
    }
    const tuning: PgReaderTuning = { splitPhrases: false };
    await check(new PgIndexReader(pool, 'split', undefined, tuning), 0, 'splitPhrases: false');
    await check(new PgIndexReader(pool, 'split'), 2, 'split');
  });
});
