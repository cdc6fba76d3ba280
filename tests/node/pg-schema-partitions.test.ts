/**
 * The team index's posts split by HASH (path) (pg-schema.ts v8) as readers meet it: a search excluding a word plans
 * its anti-join of posts with itself partition by partition (on the partitioned parent the planner took that join for
 * one row and hashed every hit: 44 -> 781 ms of CPU at 100,000 posts), and a reader needs SELECT on `posts` only,
 * not on its partitions.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { PgIndexReader } from '../../src-main/node/pg/pg-read';
import { partitions, postPartition } from '../../src-main/node/pg/pg-schema';
import { useColdArchive } from '../helpers/pg-cold-archive';
import { pgAvailable } from '../helpers/postgres';

const available = pgAvailable();
if (!available.ok) console.log(`PostgreSQL partitions skipped: ${available.reason}`);

interface PlanNode { 'Join Type'?: string; 'Plan Rows': number; 'Actual Rows': number; Plans?: PlanNode[] }
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

describe.skipIf(!available.ok)('the team index\'s posts in partitions', { timeout: 300_000 }, () => {
  const setup = useColdArchive('backfile-pg-partitions-');

  it('plans an excluded word\'s anti-join partition by partition, with the rows it finds', async () => {
    await updatePgIndex(setup.pool, 'team', setup.archive, { parseThreads: 0 });
    const client = await setup.pool.connect();
    try {
      const seen: { text: string; params: unknown[] }[] = [];
      const recording = {
        query: (text: string, params?: unknown[]) => {
          seen.push({ text, params: params ?? [] });
          return client.query(text, params);
        },
      } as unknown as pg.ClientBase;
      const found = await new PgIndexReader(recording, 'team').list({ query: '-市场', sort: 'date', limit: 50 });
      expect(found.total).toBeGreaterThan(50);
      // The reader's own session settings, then its page statement, explained.
      const start = seen.find((s) => /^BEGIN/.test(s.text))!;
      const page = seen.find((s) => / AS excluded /.test(s.text))!;
      expect(page).toBeDefined();
      await client.query(start.text);
      try {
        const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${page.text}`, page.params);
        const antiJoins = nodes(rows[0]!['QUERY PLAN'][0].Plan).filter((n) => n['Join Type'] === 'Anti');
        expect(antiJoins.length).toBe(partitions().length);
        for (const join of antiJoins) expect(join['Plan Rows']).toBeGreaterThan(1);
      } finally {
        await client.query('ROLLBACK');
      }
    } finally {
      client.release();
    }
  });

  it('has each partition\'s tsvector statistics made once, by its own session, and the parent\'s of the other columns', async () => {
    if ((await setup.pool.query("SELECT 1 FROM pg_namespace WHERE nspname = 'team'")).rowCount === 0) {
      await updatePgIndex(setup.pool, 'team', setup.archive, { parseThreads: 0 });
    }
    const stats = async (column: string) => (await setup.pool.query<{ table: string; inherited: boolean }>(
      "SELECT tablename AS table, inherited FROM pg_stats WHERE schemaname = 'team' AND attname = $1 ORDER BY 1, 2", [column])).rows;
    // The tsvectors' (most of an ANALYZE's cost: each sampled tsvector read) on the partitions only, not once more
    // for the parent, whose ANALYZE would make the partitions' again too.
    expect(await stats('tsv')).toEqual(partitions().map((k) => ({ table: postPartition(k), inherited: false })));
    expect(await stats('category_key')).toEqual([{ table: 'posts', inherited: true },
      ...partitions().map((k) => ({ table: postPartition(k), inherited: false }))]);
  });

  it('judges a phrase\'s density by the partitions\' counts, which autovacuum keeps (never the parent\'s)', async () => {
    if ((await setup.pool.query("SELECT 1 FROM pg_namespace WHERE nspname = 'team'")).rowCount === 0) {
      await updatePgIndex(setup.pool, 'team', setup.archive, { parseThreads: 0 });
    }
    // The parent's count as a first build of one post left it, the partitions analyzed since (as autovacuum does).
    await setup.server.query("UPDATE pg_class SET reltuples = 1 WHERE oid = 'team.posts'::regclass");
    await setup.server.query(`ANALYZE ${partitions().map((k) => `team.${postPartition(k)}`).join(', ')}`);
    const estimates: number[] = [];
    const recording = {
      query: async (text: string, params?: unknown[]) => {
        const result = await setup.pool.query(text, params);
        if (/reltuples/.test(text)) estimates.push(Number((result.rows[0] as { n: number }).n));
        return result;
      },
    } as unknown as pg.ClientBase;
    // A phrase newest first: the reader weighs walking the order against testing every hit (pg-read.ts pagePaths).
    await new PgIndexReader(recording, 'team').list({ query: '同比增长', sort: 'date', limit: 20 });
    expect(estimates).toEqual([setup.posts]);
  });

  it('is read by a role given SELECT on posts alone, not on its partitions', async () => {
    if ((await setup.pool.query("SELECT 1 FROM pg_namespace WHERE nspname = 'team'")).rowCount === 0) {
      await updatePgIndex(setup.pool, 'team', setup.archive, { parseThreads: 0 });
    }
    await setup.server.query('CREATE ROLE parent_only LOGIN');
    await setup.server.query('GRANT USAGE ON SCHEMA team TO parent_only');
    await setup.server.query('GRANT SELECT ON team.meta, team.posts, team.sig_buckets, team.post_story, team.file_problems, team.scan_problems TO parent_only');
    const readers = new pg.Pool({ connectionString: setup.server.url('parent_only'), max: 1 });
    try {
      const reader = new PgIndexReader(readers, 'team');
      const all = new PgIndexReader(setup.pool, 'team');
      for (const query of ['市场', '-市场', '"同比增长"', '']) {
        expect((await reader.list({ query, limit: 20 })).total).toBe((await all.list({ query, limit: 20 })).total);
      }
      for (const k of partitions()) {
        await expect(readers.query(`SELECT 1 FROM team.${postPartition(k)} LIMIT 1`)).rejects.toMatchObject({ code: '42501' });
      }
    } finally {
      await readers.end();
    }
  });
});
