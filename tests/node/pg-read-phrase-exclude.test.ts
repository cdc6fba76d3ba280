/**
 * A phrase's count with excluded words (pg-read.ts count, PgReaderTuning.excludeInPhrase): counted as one tsquery
 * `(match) & !(exclude)`, so that the GIN scan drops the posts holding an excluded word before any tsvector is read
 * for the phrase's positions, where subtracting (the hits, less the hits with the excluded words) read every hit's
 * tsvector twice. The same totals and pages as the subtraction and as the SQLite store, on a real PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { PgIndexReader } from '../../src-main/node/pg/pg-read';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { generateArchive } from '../bench/generate-archive';
import { pgAvailableOrLog, usePostgres } from '../helpers/pg-store';
import { tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('PostgreSQL phrase counts with excluded words skipped');

/** Phrases with excluded words (a word, a phrase, two words), a title-only phrase (left to the subtraction), and a word alone. */
const QUERIES = ['"同比增长" -市场', '人工智能 -投资', '人工智能 -"数据中心"', '集成电路 -芯片 -投资', 'title:"同比增长" -市场', '市场 -投资'];

describe.skipIf(!available.ok)('a phrase\'s count with excluded words', { timeout: 120_000 }, () => {
  const server = usePostgres({ timeout: 180_000 });
  const dir = tempDir('pg-phrase-exclude-');
  /** Each statement's parameters, as the server was sent them. */
  let sent: unknown[][] = [];
  let pool: pg.Pool;
  let sqlite: IndexStore;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: server.adminUrl, max: 3 });
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        if (Array.isArray(args[1])) sent.push(args[1] as unknown[]);
        return query(...args);
      };
    });
    const archive = path.join(dir, 'archive');
    await generateArchive(archive, 600, 7, 'synthetic');
    // Hidden posts holding the phrases, with and without the excluded words: the hidden rule on this path too.
    const hidden = (title: string, body: string, extra = '') => `---\ntitle: ${title}\ndate: 2024-05-01\n${extra}---\n${body}\n`;
    fs.mkdirSync(path.join(archive, '_drafts'), { recursive: true });
    fs.writeFileSync(path.join(archive, '_drafts', 'draft-a.md'), hidden('草稿', '今年同比增长很快，人工智能与集成电路。'));
    fs.writeFileSync(path.join(archive, '_drafts', 'draft-b.md'), hidden('草稿二', '市场同比增长，人工智能投资，数据中心。'));
    fs.writeFileSync(path.join(archive, '_posts', '2024-05-02-unpublished.md'), hidden('未发布', '同比增长与人工智能，芯片。', 'published: false\n'));
    await updatePgIndex(pool, 'px', archive, { vacuumFrom: 1 });
    sqlite = IndexStore.open(path.join(dir, 'index.sqlite'));
    await updateIndex(sqlite, archive);
  }, 180_000);

  afterAll(async () => {
    sqlite?.close();
    await pool?.end();
  });

  /** Whether a statement was sent a tsquery of the phrase with its excluded words inside it. */
  const excludedWithin = (): boolean => sent.some((params) => params.some((p) => typeof p === 'string' && / & !\(/.test(p) && p.includes(' <-> ')));

  it('one tsquery for a phrase less its excluded words: the same totals and pages as the subtraction and as SQLite', async () => {
    let found = 0;
    for (const query of QUERIES) {
      for (const q of [{ query, limit: 7 }, { query, limit: 7, sort: 'date' as const }, { query, limit: 5, offset: 4, sort: 'oldest' as const },
        { query, limit: 7, sort: 'date' as const, includeHidden: true }] satisfies ListQuery[]) {
        sent = [];
        const within = await new PgIndexReader(pool, 'px').list(q);
        const phrase = !query.startsWith('title:') && query.includes(' -') && !query.startsWith('市场');
        // Without the change, no count is sent the phrase with its excluded words in one tsquery.
        expect(excludedWithin(), JSON.stringify(q)).toBe(phrase);
        sent = [];
        const subtracted = await new PgIndexReader(pool, 'px', undefined, { excludeInPhrase: false }).list(q);
        expect(excludedWithin(), JSON.stringify(q)).toBe(false);
        expect(within.total, JSON.stringify(q)).toBe(subtracted.total);
        expect(within.items.map((i) => i.path), JSON.stringify(q)).toEqual(subtracted.items.map((i) => i.path));
        const local = sqlite.list(q);
        expect(within.total, JSON.stringify(q)).toBe(local.total);
        if (q.sort !== undefined) expect(within.items.map((i) => i.path), JSON.stringify(q)).toEqual(local.items.map((i) => i.path));
        found += within.total;
      }
    }
    // The queries find posts (a comparison of empty lists would prove nothing), and the hidden ones count when shown.
    expect(found).toBeGreaterThan(0);
    const shown = await new PgIndexReader(pool, 'px').list({ query: '人工智能 -投资', limit: 1, includeHidden: true });
    const unshown = await new PgIndexReader(pool, 'px').list({ query: '人工智能 -投资', limit: 1 });
    expect(shown.total - unshown.total).toBe(2);
  });
});
