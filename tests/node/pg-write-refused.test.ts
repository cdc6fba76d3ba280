/**
 * A post PostgreSQL refuses for its data (a tag holding a lone surrogate: jsonb has no place for it) is recorded as
 * not indexed, as the SQLite store does with a post it cannot write, and the rest of its batch is written: in a cold
 * build and in an update, wherever the post falls among the writer's statements. The posts written are exactly those
 * of a build without it (every column; seq as the order it gives).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { updatePgIndex } from '../../src-main/node/pg';
import { pgAvailableOrLog, usePgStore } from '../helpers/pg-store';
import { tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('skip pg-write-refused');

const POSTS = 260;
const BAD = [3, 150];
const TIME = new Date('2024-06-01T00:00:00Z');

/** POSTS posts (the BAD ones with a tag PostgreSQL refuses unless `without`), all with the same modification time. */
function archiveOf(dir: string, { without = false } = {}): string {
  fs.mkdirSync(path.join(dir, '_posts'), { recursive: true });
  for (let i = 0; i < POSTS; i++) {
    if (without && BAD.includes(i)) continue;
    const day = String(1 + (i % 28)).padStart(2, '0');
    const tag = BAD.includes(i) ? '"\\ud800坏"' : `"标签${i % 7}"`;
    const file = path.join(dir, '_posts', `2024-01-${day}-p${i}.md`);
    fs.writeFileSync(file, `---\ntitle: 第${i}篇 post ${i}\ndate: 2024-01-${day} 10:${String(i % 60).padStart(2, '0')}:00\ntags: [${tag}, 经济]\n---\n正文${i} 市场价格 body ${i}\n`);
    fs.utimesSync(file, TIME, TIME);
  }
  return dir;
}

describe.runIf(available.ok)('a post PostgreSQL refuses', () => {
  const { server, store } = usePgStore();

  const dump = async (schema: string) => (await server.query(`SELECT path, date_key::text, row_number() OVER (ORDER BY date_key, seq)::int AS rank, size::text, mtime_ms, hash, title, date,
      sort_key, year, month, categories, category_key, tags, tag_keys, hidden, draft, excerpt, description, source, problems, problem_count,
      facets, tsv::text AS tsv, body, encode(sig, 'hex') AS sig FROM ${schema}.posts ORDER BY path`)).rows;
  const refused = async (schema: string) => (await server.query<{ path: string; message: string }>(
    `SELECT path, problems->0->>'message' AS message FROM ${schema}.file_problems ORDER BY path`)).rows;

  it('is recorded as not indexed and the rest written, cold and in an update', async () => {
    const work = tempDir('backfile-pg-refused-');
    const archive = archiveOf(path.join(work, 'with'));
    const clean = archiveOf(path.join(work, 'without'), { without: true });
    expect(await updatePgIndex(store.pool, 'with_bad', archive, { parseThreads: 0 })).toMatchObject({ updated: POSTS });
    expect(await updatePgIndex(store.pool, 'without_bad', clean, { parseThreads: 0 })).toMatchObject({ updated: POSTS - BAD.length });
    const rows = await dump('with_bad');
    expect(rows).toHaveLength(POSTS - BAD.length);
    expect(rows).toEqual(await dump('without_bad'));
    const problems = await refused('with_bad');
    expect(problems.map((p) => p.path)).toEqual(BAD.map((i) => `_posts/2024-01-${String(1 + (i % 28)).padStart(2, '0')}-p${i}.md`).sort());
    for (const p of problems) expect(p.message).toMatch(/^could not be indexed: /);

    // An update: one refused post edited (still refused), one good post edited; the good one is written.
    const good = path.join(archive, '_posts', '2024-01-02-p1.md');
    fs.writeFileSync(good, fs.readFileSync(good, 'utf8').replace('第1篇', '改过'));
    const bad = path.join(archive, '_posts', `2024-01-${String(1 + (BAD[1]! % 28)).padStart(2, '0')}-p${BAD[1]}.md`);
    fs.writeFileSync(bad, `${fs.readFileSync(bad, 'utf8')}more\n`);
    expect(await updatePgIndex(store.pool, 'with_bad', archive, { parseThreads: 0 })).toMatchObject({ updated: 2 });
    expect((await server.query("SELECT title FROM with_bad.posts WHERE path = '_posts/2024-01-02-p1.md'")).rows).toEqual([{ title: '改过 post 1' }]);
    expect((await refused('with_bad')).map((p) => p.path)).toEqual(problems.map((p) => p.path));
    expect((await server.query('SELECT count(*)::int AS n FROM with_bad.posts')).rows[0]).toEqual({ n: POSTS - BAD.length });
  });
});
