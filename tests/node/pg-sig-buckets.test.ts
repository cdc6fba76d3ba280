/**
 * The team index's bucket rows (pg-schema.ts v7, issue 15): sig_buckets is one B-tree keyed by (bucket, date_key,
 * seq), no path and no second index (v6 held three B-trees, 1 GB of the 2.3 GB index at 100,000 posts), and after
 * edits, a moved date and deletions it holds exactly the buckets of the posts' stored signatures at their places
 * (pg-similar.ts leaveStories finds a post's rows from its signature): none left behind, none missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bandBuckets } from '../../src-main/core/similarity/bands';
import { unpackSignature } from '../../src-main/core/similarity/signature';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { syntheticPost } from '../bench/synthetic-post';
import { pgAvailableOrLog, usePgPool } from '../helpers/pg-store';
import { tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('PostgreSQL sig_buckets skipped');

const body = (seed: number, i: number): string => syntheticPost(seed, i).content.replace(/^---\n[\s\S]*?\n---\n/, '');
const post = (title: string, date: string, text: string): string => `---\ntitle: ${JSON.stringify(title)}\ndate: ${date}\n---\n${text}\n`;

describe.skipIf(!available.ok)('sig_buckets on PostgreSQL', { timeout: 300_000 }, () => {
  const dir = tempDir('backfile-pg-sig-buckets-');
  const { pool } = usePgPool({ max: 2 });

  /** The table's rows, and the rows the posts' stored signatures call for, as sorted "bucket date_key seq" lines. */
  async function rowsNowAndWanted(): Promise<[string[], string[]]> {
    const now = (await pool.query<{ r: string }>(`SELECT bucket || ' ' || date_key || ' ' || seq AS r FROM s.sig_buckets`)).rows.map((x) => x.r).sort();
    const posts = (await pool.query<{ sig: Buffer; date_key: string; seq: string }>(`SELECT sig, date_key::text, seq::text FROM s.posts WHERE sig IS NOT NULL`)).rows;
    const wanted = posts.flatMap((p) => [...new Set(bandBuckets(unpackSignature(p.sig)))].map((b) => `${b} ${p.date_key} ${p.seq}`)).sort();
    return [now, wanted];
  }

  it('is one B-tree of (bucket, date_key, seq) holding exactly the posts\' buckets through edits and deletions', async () => {
    const root = path.join(dir, 'archive');
    const write = (rel: string, content: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), content);
    };
    for (let i = 0; i < 40; i++) write(`_posts/2021-01-${String(1 + (i % 28)).padStart(2, '0')}-p${i}.md`, post(`P${i}`, `2021-01-${String(1 + (i % 28)).padStart(2, '0')}`, body(3, i % 25)));
    await updatePgIndex(pool, 's', root, { parseThreads: 0 });

    const columns = (await pool.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 's' AND table_name = 'sig_buckets' ORDER BY ordinal_position`)).rows.map((r) => r.column_name);
    expect(columns).toEqual(['bucket', 'date_key', 'seq']);
    const indexes = (await pool.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE schemaname = 's' AND tablename = 'sig_buckets'`)).rows.map((r) => r.indexdef);
    expect(indexes).toHaveLength(1);
    expect(indexes[0]).toContain('(bucket, date_key, seq)');

    const steps: [string, () => void][] = [
      ['built', () => undefined],
      ['rewritten with other text', () => write('_posts/2021-01-03-p2.md', post('P2', '2021-01-03', body(9, 1)))],
      ['date moved (a new seq)', () => write('_posts/2021-01-04-p3.md', post('P3', '2021-06-30', body(3, 3)))],
      ['emptied (no signature)', () => write('_posts/2021-01-05-p4.md', post('P4', '2021-01-05', '短'))],
      ['deleted', () => {
        fs.rmSync(path.join(root, '_posts/2021-01-06-p5.md'));
        fs.rmSync(path.join(root, '_posts/2021-01-07-p6.md'));
      }],
      ['back again', () => write('_posts/2021-01-06-p5.md', post('P5', '2021-01-06', body(3, 5)))],
    ];
    for (const [label, step] of steps) {
      step();
      await updatePgIndex(pool, 's', root, { parseThreads: 0 });
      const [now, wanted] = await rowsNowAndWanted();
      expect(now.length, label).toBeGreaterThan(0);
      expect(now, label).toEqual(wanted);
    }
  });
});
