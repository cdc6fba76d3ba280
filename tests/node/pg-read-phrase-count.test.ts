import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { PgIndexReader, type PgReaderTuning } from '../../src-main/node/pg/pg-read';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { generateArchive } from '../bench/generate-archive';
import { freePortForTest } from '../helpers/postgres';
import { pgAvailableOrLog, usePostgres } from '../helpers/pg-store';
import { tempDir } from '../helpers/temp';
import { until } from '../helpers/until';

/**
 * A phrase's count split over the posts' partitions and two sessions of the reader's pool in one snapshot
 * (pg-split-count.ts): what each session counted, that a commit between the two sessions' starts is not counted,
 * and that the call never waits for a spare connection (a pool of one, a spare that fails, the server's "no
 * parallel", a role that may read the posts only through their parent), all with the same lists as one count.
 */
const available = pgAvailableOrLog('PostgreSQL phrase counts skipped');

const PGBOUNCER = '/usr/sbin/pgbouncer';
const bouncer = fs.existsSync(PGBOUNCER);
if (available.ok && !bouncer) console.log(`PgBouncer phrase count skipped: no ${PGBOUNCER} (apt-get install -y pgbouncer)`);

type Seen = { pid: number; text: string };
interface Hooks {
  seen: Seen[];
  beforeImport?: () => Promise<void>;
  /** A count on this partition waits for `until` (the call's own count held while the spare takes the other one). */
  hold?: { partition: string; until: Promise<void> };
}

/** A pool whose connections record each statement with their backend, and may hold up a snapshot's import or a partition's count. */
function recordingPool(config: pg.PoolConfig, hooks: Hooks): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const pid = (client as unknown as { processID: number }).processID;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text);
      hooks.seen.push({ pid, text });
      const held = hooks.hold && text.startsWith(`SELECT count(*) AS n FROM`) && text.includes(`."${hooks.hold.partition}" WHERE`) ? hooks.hold.until : undefined;
      if (held && typeof args[args.length - 1] !== 'function') return held.then(() => query(...args));
      if (!/SET TRANSACTION SNAPSHOT/.test(text) || typeof args[args.length - 1] === 'function') return query(...args);
      return (async () => {
        const hold = hooks.beforeImport;
        hooks.beforeImport = undefined;
        await hold?.();
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

/** Waits (a turn of the event loop at a time, no clock) until `condition` holds. */
const untilTurn = (condition: () => boolean | Promise<boolean>): Promise<void> => until(condition, 0);

/** The backend that exported the snapshot (the call's session) and the one that imported it (the spare), as seen. */
const backendOf = (seen: Seen[], pattern: RegExp): number | undefined => seen.find((s) => pattern.test(s.text))?.pid;
const CALL = /pg_export_snapshot/;
const SPARE = /SET TRANSACTION SNAPSHOT/;

/** Whether every connection of `pool` is back in it (none checked out, none still connecting). */
const settled = (pool: pg.Pool): boolean => pool.totalCount === pool.idleCount && pool.waitingCount === 0;

const PHRASES = ['"同比增长"', '人工智能', '集成电路', '芯片 OR 半导体 OR 集成电路', 'title:"同比增长"'];

describe.skipIf(!available.ok)('a phrase\'s count split over two sessions', { timeout: 120_000 }, () => {
  const server = usePostgres({ timeout: 180_000 });
  let sqlite: IndexStore;
  const hooks: Hooks = { seen: [] };
  let pool: pg.Pool;
  const dir = tempDir('pg-phrase-count-');

  beforeAll(async () => {
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
        // Each partition counted once, in the call's session or by the spare, which counts only once it imported
        // the call's snapshot (on 600 posts the call may count both before the spare is there).
        expect([...counts.values()].flat().sort(), JSON.stringify(q)).toEqual(['posts_p0', 'posts_p1']);
        for (const pid of counts.keys()) {
          const first = hooks.seen.findIndex((s) => s.pid === pid && /posts_p\d/.test(s.text) && /^SELECT count/.test(s.text));
          expect(hooks.seen.findIndex((s) => s.pid === pid && (CALL.test(s.text) || SPARE.test(s.text))), JSON.stringify(q)).toBeLessThan(first);
        }
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
    // One post with the phrase in posts_p1, deleted and committed while the spare waits to import; the call's own
    // count of posts_p0 is held until the spare has counted posts_p1 and committed.
    const { rows } = await server.query<{ path: string }>(`SELECT path FROM moving.posts_p1
      WHERE tsv @@ $1::tsquery AND NOT hidden ORDER BY path LIMIT 1`, ["'同比' <-> '比增' <-> '增长'"]);
    expect(rows.length).toBe(1);
    let release = () => undefined as void;
    hooks.hold = { partition: 'posts_p0', until: new Promise<void>((resolve) => { release = resolve; }) };
    hooks.beforeImport = async () => {
      await server.query('DELETE FROM moving.posts WHERE path = $1', [rows[0]!.path]);
      await server.query(`UPDATE moving.meta SET value = (value::bigint + 1)::text WHERE key = 'generation'`);
    };
    try {
      hooks.seen = [];
      const during = new PgIndexReader(pool, 'moving').list({ query, limit: 1 });
      await untilTurn(() => { const spare = backendOf(hooks.seen, SPARE); return hooks.seen.some((s) => s.pid === spare && s.text === 'COMMIT'); });
      release();
      expect((await during).total).toBe(before);
    } finally {
      release();
      hooks.hold = undefined;
    }
    expect(hooks.beforeImport).toBeUndefined();
    expect([...partitionCounts(hooks.seen).values()].map((p) => p.join()).sort()).toEqual(['posts_p0', 'posts_p1']);
    expect((await new PgIndexReader(pool, 'moving').list({ query, limit: 1 })).total).toBe(before - 1);
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

  it('no split where it cannot be made: a pool of one, no parallel on the server, partitions not granted', async () => {
    const query = '"同比增长"';
    const expected = sqlite.list({ query, limit: 3, sort: 'date' });
    /**
     * `split`: whether the partitions were counted one by one (the split's way; false: the count named the parent only).
     * Not how many backends counted them: on 600 posts the call may count both before its spare has imported the
     * snapshot (the spare is never waited for), most often on a loaded machine.
     */
    const check = async (reader: PgIndexReader, split: boolean, label: string) => {
      const got = await list(reader, { query, limit: 3, sort: 'date' });
      expect(got.total, label).toBe(expected.total);
      expect(got.items.map((i) => i.path), label).toEqual(expected.items.map((i) => i.path));
      expect([...partitionCounts(hooks.seen).values()].flat().sort(), label).toEqual(split ? ['posts_p0', 'posts_p1'] : []);
    };
    const single = recordingPool({ connectionString: server.adminUrl, max: 1 }, hooks);
    const serial = recordingPool({ connectionString: server.adminUrl, max: 3, options: '-c max_parallel_workers_per_gather=0' }, hooks);
    await server.query('CREATE ROLE parent_only LOGIN');
    await server.query('GRANT USAGE ON SCHEMA split TO parent_only; GRANT SELECT ON ALL TABLES IN SCHEMA split TO parent_only; REVOKE SELECT ON split.posts_p1 FROM parent_only');
    const parentOnly = recordingPool({ connectionString: server.url('parent_only'), max: 3 }, hooks);
    try {
      await check(new PgIndexReader(single, 'split'), false, 'a pool of one');
      await check(new PgIndexReader(serial, 'split'), false, 'max_parallel_workers_per_gather = 0');
      await check(new PgIndexReader(parentOnly, 'split'), false, 'posts_p1 not granted');
    } finally {
      await Promise.all([single.end(), serial.end(), parentOnly.end()]);
    }
    const tuning: PgReaderTuning = { splitPhrases: false };
    await check(new PgIndexReader(pool, 'split', undefined, tuning), false, 'splitPhrases: false');
    await check(new PgIndexReader(pool, 'split'), true, 'split');
  });

  /** Runs `list` while `locker` holds `lock`, cancels the call's read once it waits for the lock: the call fails. */
  const cancelledWhileLocked = async (list: () => Promise<unknown>, lock: string, waiting: RegExp): Promise<unknown> => {
    const locker = new pg.Client({ connectionString: server.adminUrl });
    await locker.connect();
    try {
      await locker.query(`BEGIN; ${lock}`);
      const failed = list().then(() => undefined, (error: unknown) => error);
      let pid: number | undefined;
      await untilTurn(async () => {
        const { rows } = await server.query<{ pid: number; query: string }>(`SELECT pid, query FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()`);
        pid = rows.find((r) => waiting.test(r.query))?.pid;
        return pid !== undefined;
      });
      await server.query('SELECT pg_cancel_backend($1)', [pid]);
      return await failed;
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  };

  it('a failed read before the count leaves no connection out of the pool: four in a pool of four, then a search and the pool\'s end', async () => {
    const own = recordingPool({ connectionString: server.adminUrl, max: 4 }, hooks);
    try {
      const [a, b] = [await own.connect(), await own.connect()];
      a.release();
      b.release();
      for (const query of ['"同比增长"', '人工智能', '集成电路', '"同比增长"']) {
        // A new reader reads the hidden posts (the posts' parent, locked by an indexer) before the phrase's count.
        const error = await cancelledWhileLocked(() => new PgIndexReader(own, 'split').list({ query, limit: 3 }), 'LOCK TABLE split.posts IN ACCESS EXCLUSIVE MODE', /facets @>/);
        expect((error as { code?: string }).code, query).toBe('57014');
        expect({ total: own.totalCount, idle: own.idleCount }, query).toEqual({ total: own.totalCount, idle: own.totalCount });
      }
      const got = await new PgIndexReader(own, 'split').list({ query: '"同比增长"', limit: 3 });
      expect(got.total).toBe(sqlite.list({ query: '"同比增长"', limit: 3 }).total);
      await untilTurn(() => settled(own));
    } finally {
      await own.end();
    }
  });

  it('a spare connection the server refuses (the role\'s CONNECTION LIMIT 1) never crashes the process: the call counts alone, searches that fail too', async () => {
    const rejections: unknown[] = [];
    const record = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', record);
    await server.query('CREATE ROLE one_connection LOGIN CONNECTION LIMIT 1');
    await server.query('GRANT USAGE ON SCHEMA split TO one_connection; GRANT SELECT ON ALL TABLES IN SCHEMA split TO one_connection');
    const limited = recordingPool({ connectionString: server.url('one_connection'), max: 3 }, hooks);
    const query = '"同比增长"';
    try {
      const expected = sqlite.list({ query, limit: 3, sort: 'date' });
      for (let i = 0; i < 3; i++) {
        const got = await list(new PgIndexReader(limited, 'split'), { query, limit: 3, sort: 'date' });
        expect(got.total).toBe(expected.total);
        expect(got.items.map((item) => item.path)).toEqual(expected.items.map((item) => item.path));
        // The call's session counted both partitions; the spare was refused at its connect.
        expect([...partitionCounts(hooks.seen).values()]).toEqual([['posts_p0', 'posts_p1']]);
        await untilTurn(() => settled(limited) && limited.totalCount === 1);
      }
      // The spare refused while the call's first read fails (cancelled under an indexer's lock).
      for (let i = 0; i < 3; i++) {
        const error = await cancelledWhileLocked(() => new PgIndexReader(limited, 'split').list({ query, limit: 3 }), 'LOCK TABLE split.posts IN ACCESS EXCLUSIVE MODE', /facets @>/);
        expect((error as { code?: string }).code).toBe('57014');
        await untilTurn(() => settled(limited) && limited.totalCount <= 1);
      }
      // A turn for any rejection left without a handler to be reported.
      await new Promise((resolve) => setImmediate(resolve));
      expect(rejections).toEqual([]);
    } finally {
      process.removeListener('unhandledRejection', record);
      await limited.end();
    }
  });

  it.skipIf(!bouncer)('behind PgBouncer in transaction mode with one server connection: the call counts alone, never waiting for its spare', async () => {
    // One server connection: the call's transaction holds it, so the spare's import waits (query_wait_timeout 0: for
    // ever) until the call commits. A call that waited for its spare would never end.
    const dir = tempDir('pg-phrase-bouncer-');
    fs.chmodSync(dir, 0o755);
    const port = await freePortForTest();
    fs.writeFileSync(path.join(dir, 'users.txt'), '"postgres" ""\n');
    fs.writeFileSync(path.join(dir, 'pgbouncer.ini'), `[databases]\npostgres = host=127.0.0.1 port=${server.port} dbname=postgres\n`
      + `[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = ${port}\nauth_type = trust\nauth_file = ${dir}/users.txt\n`
      + 'pool_mode = transaction\ndefault_pool_size = 1\nquery_wait_timeout = 0\nunix_socket_dir =\n');
    const root = process.getuid?.() === 0;
    const child = spawn(PGBOUNCER, [...root ? ['-u', 'postgres'] : [], path.join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Stopped however the test ends (a call that never ends times the test out before its finally).
    onTestFinished(async () => {
      child.kill();
      await exited;
    });
    let bouncerPool: pg.Pool | undefined;
    try {
      let log = '';
      await new Promise<void>((resolve, reject) => {
        child.stderr!.on('data', (chunk: Buffer) => {
          log += chunk.toString();
          if (/listening on 127\.0\.0\.1/.test(log)) resolve();
        });
        child.once('exit', (code) => reject(new Error(`pgbouncer exited (${code}): ${log}`)));
      });
      bouncerPool = recordingPool({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, max: 4 }, hooks);
      const query = '"同比增长"';
      const expected = sqlite.list({ query, limit: 3, sort: 'date' });
      for (let i = 0; i < 3; i++) {
        const got = await list(new PgIndexReader(bouncerPool, 'split'), { query, limit: 3, sort: 'date' });
        expect(got.total).toBe(expected.total);
        expect(got.items.map((item) => item.path)).toEqual(expected.items.map((item) => item.path));
        // The spare, let through once the call committed, finds the snapshot gone and goes back to the pool.
        const spare = bouncerPool;
        await untilTurn(() => settled(spare));
      }
    } finally {
      await bouncerPool?.end();
    }
  });
});
