/**
 * The team index's narrow posts heap (pg-schema.ts v9, ROW_STORAGE): a count of a word's hits reads each hit's heap
 * page, so the heap holds only the columns read row by row (STORAGE MAIN), and the ones read for a page of results or
 * one post (the excerpt, the description, the source, the body) live in the TOAST table once a row is toasted
 * (toast_tuple_target = 128 on each partition, where PostgreSQL's default kept them beside the row up to ~2 kB). The
 * heap's own tuple lengths are read with pageinspect (a contrib module of Debian's postgresql package).
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgIndexReader } from '../../src-main/node/pg/pg-read';
import { PG_SCHEMA_VERSION, ROW_COLUMNS, TOAST_TUPLE_TARGET, partitions, postPartition } from '../../src-main/node/pg/pg-schema';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { pgAvailable, startPostgres, type TestPostgres } from '../helpers/postgres';
import { tempDir } from '../helpers/temp';

const available = pgAvailable();
if (!available.ok) console.log(`skip pg-schema-narrow: ${available.reason}`);

/** Chinese text of `n` characters (no word repeats in a row), from a fixed set of phrases. */
const chinese = (n: number, seed: number): string => {
  const phrases = ['市场', '经济', '增长', '数据', '中心', '报道', '记者', '今年', '企业', '投资', '政策', '发展', '城市', '科技', '国际', '消费'];
  let text = '';
  for (let i = 0; text.length < n; i++) text += phrases[(i * 7 + seed) % phrases.length]! + (i % 9 === 8 ? '。' : '');
  return text.slice(0, n);
};

const post = (k: number, body: string) => `---
title: 第${k}篇 市场报道
date: 2024-03-${String(k + 1).padStart(2, '0')}
categories: [财经, 市场]
tags: [市场, 经济${k}]
description: ${chinese(600, k + 3)}
---
${body}
`;

describe.runIf(available.ok)('the team index\'s narrow posts heap', () => {
  let server: TestPostgres;
  let pool: pg.Pool;
  const archive = tempDir('backfile-pg-narrow-');
  const posts = path.join(archive, '_posts');
  beforeAll(async () => {
    fs.mkdirSync(posts, { recursive: true });
    for (let k = 0; k < 6; k++) fs.writeFileSync(path.join(posts, `2024-03-0${k + 1}-post-${k}.md`), post(k, chinese(3000, k)));
    server = await startPostgres();
    await server.createRole('indexer', { readOnly: false });
    // Debian's postgresql package ships pageinspect; where contrib is a package of its own, say which one is missing.
    const contrib = await server.query<{ n: string }>(`SELECT count(*) AS n FROM pg_available_extensions WHERE name = 'pageinspect'`);
    if (Number(contrib.rows[0]?.n) === 0) throw new Error('pg-schema-narrow reads heap tuples with pageinspect, which this PostgreSQL lacks: install its contrib package (postgresql-contrib)');
    await server.query('CREATE EXTENSION pageinspect');
    pool = new pg.Pool({ connectionString: server.url('indexer'), max: 3 });
  }, 120_000);
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });

  /**
   * Each post's heap tuple length (lp_len), the bytes of its per-row columns as stored (MAIN: inline), and its excerpt's
   * and description's lengths in UTF-8 bytes.
   */
  const rows = async (schema: string) => {
    const found: { path: string; tuple: number; inline: number; excerpt: number; description: number }[] = [];
    const inline = ROW_COLUMNS.map((c) => `coalesce(pg_column_size(p.${c}), 0)`).join(' + ');
    for (const k of partitions()) {
      const table = `${schema}.${postPartition(k)}`;
      found.push(...(await server.query<{ path: string; tuple: number; inline: number; excerpt: number; description: number }>(
        `SELECT p.path, h.lp_len AS tuple, ${inline} AS inline, octet_length(p.excerpt) AS excerpt, octet_length(p.description) AS description
           FROM ${table} p, LATERAL heap_page_items(get_raw_page($1, (p.ctid::text::point)[0]::int)) h
          WHERE h.lp = (p.ctid::text::point)[1]::int ORDER BY p.path`, [table])).rows);
    }
    return found;
  };
  const storage = async (schema: string) => (await server.query<{ rel: string; column: string; storage: string }>(
    `SELECT a.attrelid::regclass::text AS rel, a.attname AS column, a.attstorage AS storage FROM pg_attribute a
      WHERE a.attrelid IN (SELECT relid FROM pg_partition_tree($1::regclass)) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, a.attnum`,
    [`${schema}.posts`])).rows;
  const reloptions = async (schema: string) => (await server.query<{ rel: string; options: string[] | null }>(
    `SELECT c.oid::regclass::text AS rel, c.reloptions AS options FROM pg_partition_tree($1::regclass) t JOIN pg_class c ON c.oid = t.relid
      WHERE t.isleaf ORDER BY 1`, [`${schema}.posts`])).rows;

  const expectNarrow = async (schema: string) => {
    expect(await reloptions(schema)).toEqual(partitions().map((k) => ({ rel: `${schema}.${postPartition(k)}`, options: [`toast_tuple_target=${TOAST_TUPLE_TARGET}`] })));
    // Per-row columns inline (MAIN) on the parent and every partition; the page's and one post's columns may leave.
    const columns = await storage(schema);
    for (const c of columns) {
      const expected = (ROW_COLUMNS as readonly string[]).includes(c.column) ? 'm' : c.column === 'tsv' ? 'e'
        : ['excerpt', 'description', 'source', 'problems', 'body'].includes(c.column) ? 'x' : 'p';
      expect({ ...c, storage: c.storage }).toEqual({ ...c, storage: expected });
    }
    const found = await rows(schema);
    expect(found).toHaveLength(6);
    for (const r of found) {
      // A 160-character excerpt (~480 bytes) and a 600-character description (~1,800) are out of the heap's row:
      // beside the per-row columns it holds the fixed-width ones, the tuple header and 18-byte TOAST pointers.
      expect(r.excerpt).toBeGreaterThan(400);
      expect(r.description).toBeGreaterThan(1500);
      expect(r.tuple - r.inline).toBeLessThan(200);
    }
  };

  it('holds only the per-row columns in the heap: a cold build, an edited post, and the reader still sees the rest', async () => {
    await updatePgIndex(pool, 'narrow', archive, { parseThreads: 0 });
    await expectNarrow('narrow');
    // A warm update writes the row anew (UPDATE): as narrow.
    const edited = path.join(posts, '2024-03-01-post-0.md');
    fs.writeFileSync(edited, post(0, `更正：${chinese(2800, 11)}`));
    const summary = await updatePgIndex(pool, 'narrow', archive, { parseThreads: 0 });
    expect(summary.updated).toBe(1);
    await expectNarrow('narrow');
    const reader = new PgIndexReader(pool, 'narrow');
    const got = await reader.getPost('_posts/2024-03-01-post-0.md');
    expect(got?.excerpt.startsWith('更正：')).toBe(true);
    const found = await reader.list({ query: '更正', limit: 10 });
    expect(found.total).toBe(1);
  }, 120_000);

  it('an index of schema 8 (partitions of PostgreSQL\'s default storage) is rebuilt narrow by its owner, the team workspace kept', async () => {
    await updatePgIndex(pool, 'old8', archive, { parseThreads: 0 });
    // As schema 8 made it: no toast_tuple_target, every column of its type's default storage.
    for (const k of partitions()) await server.query(`ALTER TABLE old8.${postPartition(k)} RESET (toast_tuple_target)`);
    await server.query(`ALTER TABLE old8.posts ${[...ROW_COLUMNS].map((c) => `ALTER COLUMN ${c} SET STORAGE EXTENDED`).join(', ')}`);
    await server.query("UPDATE old8.meta SET value = '8' WHERE key = 'schema_version'");
    await server.query("INSERT INTO old8.ws_labels (id, owner, name, color) VALUES (1, 'indexer', 'kept', 'red')");
    expect(Number(PG_SCHEMA_VERSION)).toBe(9);
    await updatePgIndex(pool, 'old8', archive, { parseThreads: 0 });
    expect((await server.query<{ value: string }>("SELECT value FROM old8.meta WHERE key = 'schema_version'")).rows).toEqual([{ value: PG_SCHEMA_VERSION }]);
    await expectNarrow('old8');
    expect((await server.query('SELECT name FROM old8.ws_labels')).rows).toEqual([{ name: 'kept' }]);
  }, 120_000);
});
