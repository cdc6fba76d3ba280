/**
 * A post an index of posts would refuse (a B-tree tuple or a GIN entry too large for a page: ~400 tags, a 3,000-char
 * tag) is recorded as not indexed in a cold build as in an update, with the same text, and the build completes with
 * a usable index (a cold build loads posts with no indexes: the end's CREATE INDEX failed, and every rerun). The
 * writer probes only rows larger than PROBE_BYTES: the server's own limits, found at the boundary here, are above it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { updatePgIndex } from '../../src-main/node/pg';
import { finishColdBuild, startColdBuild } from '../../src-main/node/pg/pg-cold';
import { PROBE_BYTES } from '../../src-main/node/pg/pg-write';
import { mulberry32 } from '../bench/prng';
import { pgAvailableOrLog, usePgStore } from '../helpers/pg-store';
import { tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('skip pg-write-refused-index');

const rng = mulberry32(7);
const cjk = (n: number): string => Array.from({ length: n }, () => String.fromCharCode(0x4e00 + Math.floor(rng() * 20000))).join('');
/** Letters pglz cannot compress (no repeats to find). */
const letters = (n: number): string => Array.from({ length: n }, () => String.fromCharCode(0x21 + Math.floor(rng() * 90))).join('');

const MANY_TAGS = `---\ntitle: many tags\ntags: [${Array.from({ length: 400 }, () => cjk(8)).join(', ')}]\n---\n正文 很多标签\n`;
const LONG_TAG = `---\ntitle: long tag\ntags: [${cjk(3000)}]\n---\n正文 长标签\n`;

function archiveOf(dir: string): string {
  fs.mkdirSync(path.join(dir, '_posts'), { recursive: true });
  for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(dir, '_posts', `2024-01-0${1 + (i % 9)}-p${i}.md`), `---\ntitle: 第${i}篇\ntags: [经济]\n---\n正文${i} 市场价格\n`);
  fs.writeFileSync(path.join(dir, '_posts', '2024-02-01-many-tags.md'), MANY_TAGS);
  fs.writeFileSync(path.join(dir, '_posts', '2024-02-02-long-tag.md'), LONG_TAG);
  return dir;
}

describe.runIf(available.ok)('a post an index of posts would refuse', () => {
  const { server, store } = usePgStore();

  const refused = async (schema: string) => (await server.query<{ path: string; message: string }>(
    `SELECT path, problems->0->>'message' AS message FROM ${schema}.file_problems ORDER BY path`)).rows;

  it('is recorded as not indexed in a cold build and in an update, and the index is usable', async () => {
    const archive = archiveOf(tempDir('backfile-pg-refused-index-'));
    expect(await updatePgIndex(store.pool, 'refused_cold', archive, { parseThreads: 0 })).toMatchObject({ updated: 32 });
    const cold = await refused('refused_cold');
    expect(cold.map((p) => p.path)).toEqual(['_posts/2024-02-01-many-tags.md', '_posts/2024-02-02-long-tag.md']);
    for (const p of cold) expect(p.message).toMatch(/^could not be indexed: 54000: /);
    expect((await server.query("SELECT count(*)::int AS n FROM refused_cold.meta WHERE key = 'cold_build'")).rows[0]).toEqual({ n: 0 });
    expect((await server.query("SELECT count(*)::int AS n FROM refused_cold.posts WHERE tsv @@ '市场'::tsquery")).rows[0]).toEqual({ n: 30 });
    const indexes = (await server.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'refused_cold' AND tablename = 'posts'")).rows[0]!.n;
    expect(indexes).toBeGreaterThanOrEqual(8);

    // An update: the same posts under new paths get the same refusals; a second run reads none of them again.
    fs.writeFileSync(path.join(archive, '_posts', '2024-03-01-many-tags.md'), MANY_TAGS);
    fs.writeFileSync(path.join(archive, '_posts', '2024-03-02-long-tag.md'), LONG_TAG);
    expect(await updatePgIndex(store.pool, 'refused_cold', archive, { parseThreads: 0 })).toMatchObject({ updated: 2 });
    const after = await refused('refused_cold');
    expect(after.map((p) => p.path)).toEqual([...cold.map((p) => p.path), '_posts/2024-03-01-many-tags.md', '_posts/2024-03-02-long-tag.md'].sort());
    const message = new Map(after.map((p) => [path.basename(p.path).slice(11), p.message]));
    for (const p of cold) expect(message.get(path.basename(p.path).slice(11))).toBe(p.message);
    expect(after.filter((p) => p.path.startsWith('_posts/2024-03')).map((p) => p.message)).toEqual(cold.map((p) => p.message));
    expect(await updatePgIndex(store.pool, 'refused_cold', archive, { parseThreads: 0 })).toMatchObject({ updated: 0 });
    expect((await server.query('SELECT count(*)::int AS n FROM refused_cold.posts')).rows[0]).toEqual({ n: 30 });
  });

  /** The longest value (incompressible) CREATE INDEX `index` takes in a one-row table, by bisection. */
  async function longestAccepted(client: pg.ClientBase, index: string, row: (n: number) => unknown[]): Promise<number> {
    let [lo, hi] = [100, 9000];
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      await client.query('BEGIN');
      await client.query('CREATE TEMP TABLE limit_probe (category_key text NOT NULL, year int, month int, hidden boolean NOT NULL, seq bigint NOT NULL, tag_keys jsonb NOT NULL, facets text[] NOT NULL) ON COMMIT DROP');
      await client.query('INSERT INTO limit_probe VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::text[])', row(mid));
      const ok = await client.query(index).then(() => true, (error: { code?: string }) => {
        if (error.code !== '54000') throw error;
        return false;
      });
      await client.query('ROLLBACK');
      if (ok) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  it('is probed whenever the server could refuse it: its limits are above PROBE_BYTES', async () => {
    const client = await store.pool.connect();
    try {
      const trees = 'CREATE INDEX ON limit_probe (category_key, year, month, hidden) INCLUDE (seq, tag_keys)';
      const facets = 'CREATE INDEX ON limit_probe USING gin (facets)';
      // A long category key, many tag keys (jsonb), one long facet: each just under its limit is taken, one over refused.
      const byCategory = await longestAccepted(client, trees, (n) => [letters(n), 2024, 1, false, 1, '[]', ['x']]);
      const byTags = await longestAccepted(client, trees, (n) => ['', null, null, false, 1, JSON.stringify([[letters(n), 'x']]), ['x']]);
      const byFacet = await longestAccepted(client, facets, (n) => ['', null, null, false, 1, '[]', [letters(n)]]);
      for (const limit of [byCategory, byTags, byFacet]) {
        expect(limit).toBeGreaterThan(PROBE_BYTES);
        expect(limit).toBeLessThan(8000);
      }
    } finally {
      client.release();
    }
  });

  it('fails a cold build\'s end it still reaches with one plain line naming a post', async () => {
    // A row the writer's probe did not see (written here by hand): the end's CREATE INDEX refuses it.
    await updatePgIndex(store.pool, 'refused_end', tempDir('backfile-pg-refused-end-'), { parseThreads: 0 });
    const client = await store.pool.connect();
    try {
      expect(await startColdBuild(client, 'refused_end')).toBe(true);
      await client.query(`INSERT INTO refused_end.posts (path, date_key, seq, size, mtime_ms, title, sort_key, categories, category_key, tags,
        tag_keys, hidden, draft, excerpt, description, problems, problem_count, facets, tsv, body)
        VALUES ('_posts/x.md', 0, 1, 1, 0, 'x', '', '[]', $1, '[]', '[]', false, false, '', '', '[]', 0, '{}', '', '')`, [letters(6000)]);
      const error = await finishColdBuild(client, 'refused_end', 'refused_end').then(() => undefined, (e: Error) => e);
      expect(error?.message).toMatch(/^The first build of the team index in schema refused_end could not be finished: a post could not be indexed/);
      expect(error?.message).not.toMatch(/\n|index row|maximum/);
    } finally {
      client.release();
    }
  });
});
