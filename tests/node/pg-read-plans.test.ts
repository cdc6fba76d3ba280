import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileQuery } from '../../src-main/core/query';
import { pgWhere, planPgList, type PgPart } from '../../src-main/core/pg-query';
import { PG_TOOLS, PgIndexReader } from '../../src-main/node/pg/pg-read';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { pgAvailableOrLog, usePgPool } from '../helpers/pg-store';
import { edgeArchive } from '../helpers/temp';

/**
 * The reader's searches reach the posts through the schema's GIN indexes, never by reading every post's tsvector
 * (the cost at 20,000 posts: 149 ms of server CPU for a common word, 65 ms for its title hits, against 8 and 1 ms):
 * the words through posts_tsv, the title hits of the relevance rule through posts_title. The plans are read as the
 * reader runs its calls (SET LOCAL enable_seqscan = off, pg-read.ts session).
 */
const available = pgAvailableOrLog('PostgreSQL reader plans skipped');

describe.skipIf(!available.ok)('the PostgreSQL reader uses the GIN indexes', () => {
  const { server, pool } = usePgPool({ max: 2 });

  beforeAll(async () => {
    await updatePgIndex(pool, 'plans', edgeArchive);
    await pool.query('ANALYZE plans.posts');
  }, 120_000);

  const indexesUsed = async (query: string, part: PgPart): Promise<string[]> => {
    const params: unknown[] = [];
    const where = pgWhere(planPgList({ query }, compileQuery(query), PG_TOOLS), params, part);
    const client = await pool.connect();
    try {
      await client.query('BEGIN READ ONLY; SET LOCAL enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) SELECT count(*) FROM plans.posts WHERE ${where}`, params);
      await client.query('COMMIT');
      // Each partition's index (posts_tsv_p0…, pg-schema.ts v8) by its parent's name, once.
      return [...new Set([...JSON.stringify(rows[0]!['QUERY PLAN']).matchAll(/"Index Name":"([^"]+)"/g)].map((m) => m[1]!.replace(/_p\d+$/, '')))];
    } finally {
      client.release();
    }
  };

  it('words go through posts_tsv, title hits through posts_title', async () => {
    expect(await indexesUsed('vote', 'all')).toEqual(['posts_tsv']);
    expect(await indexesUsed('"city hall"', 'all')).toEqual(['posts_tsv']);
    expect(await indexesUsed('vote', 'title')).toEqual(['posts_title']);
    expect(await indexesUsed('市 OR vote', 'title')).toEqual(['posts_title']);
  });

  it('the reader runs its statements without JIT (compiling cost 90-150 ms per tree read at 20,000 posts)', async () => {
    const client = new pg.Client({ connectionString: server.adminUrl });
    await client.connect();
    try {
      const [{ available: jit }] = (await client.query<{ available: boolean }>('SELECT pg_jit_available() AS available')).rows as [{ available: boolean }];
      if (!jit) return void console.log('JIT check skipped: this PostgreSQL has no JIT');
      // Every statement would be compiled (cost above 0); each SELECT the reader runs is first explained, in its session.
      await client.query('SET jit_above_cost = 0');
      const jitted: string[] = [];
      const explaining = {
        query: async (text: string, params?: unknown[]) => {
          if (/^\s*SELECT/i.test(text)) {
            const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params);
            if (JSON.stringify(rows[0]!['QUERY PLAN']).includes('"JIT"')) jitted.push(text);
          }
          return client.query(text, params);
        },
      } as unknown as pg.ClientBase;
      const reader = new PgIndexReader(explaining, 'plans');
      await reader.tags();
      await reader.categories();
      await reader.list({ query: 'vote', limit: 5 });
      expect(jitted).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('excluded words (-word) are an anti-join on their own hits, not a test of each candidate tsvector', async () => {
    // 市场 -投资 at 20,000 posts: ~105 ms testing each of 市场's 5,000 tsvectors, ~35 ms as a hash anti-join.
    const params: unknown[] = [];
    const where = pgWhere(planPgList({ query: 'vote -hall' }, compileQuery('vote -hall'), PG_TOOLS), params, 'all', '', 'plans.posts');
    const { rows } = await pool.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) SELECT count(*) FROM plans.posts WHERE ${where}`, params);
    expect(JSON.stringify(rows[0]!['QUERY PLAN'])).toMatch(/"Join Type":"Anti"/);
  });

  it('a search in the title alone (title:…) goes through posts_title, not every candidate tsvector', async () => {
    // Through posts_tsv, a common word's candidates are all read to check the weight: title:市场 at 100,000 posts
    // cost 207 ms of CPU for no hit; through posts_title, a few ms.
    expect(await indexesUsed('title:vote', 'all')).toEqual(['posts_title']);
    expect(await indexesUsed('title:"city hall"', 'all')).toEqual(['posts_title']);
    // Words also outside the title still need posts_tsv.
    expect(await indexesUsed('title:vote hall', 'all')).toContain('posts_tsv');
  });
});
