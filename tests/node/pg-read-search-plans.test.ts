import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListQuery } from '../../src-main/shared/archive-api';
import { PARALLEL_PHRASE_SET, PgIndexReader, type PgReaderTuning } from '../../src-main/node/pg/pg-read';
import { updatePgIndex } from '../../src-main/node/pg/pg-update';
import { generateArchive } from '../bench/generate-archive';
import { pgAvailableOrLog, usePgPool } from '../helpers/pg-store';
import { tempDir } from '../helpers/temp';

/**
 * The search plans of the team index at 100,000 posts (docs/BENCHMARKS.md, team index): what each choice reads is
 * checked in its plan (EXPLAIN of the statements the reader runs), and each choice is checked to give the same
 * lists as the other way, on a small generated archive (the thresholds set low or high to take each way).
 */
const available = pgAvailableOrLog('PostgreSQL search plans skipped');

type Statement = { text: string; params: unknown[] };

describe.skipIf(!available.ok)('the PostgreSQL reader\'s search plans', () => {
  const { server, pool } = usePgPool({ max: 2 });
  let client: pg.Client;

  beforeAll(async () => {
    const dir = tempDir('pg-search-plans-');
    const archive = path.join(dir, 'archive');
    await generateArchive(archive, 600, 7, 'synthetic');
    await updatePgIndex(pool, 'visible', archive, { vacuumFrom: 1 });
    // The same archive with hidden posts (drafts), for the count that takes the hidden ones away.
    const posts = path.join(archive, '_posts');
    const files = fs.readdirSync(posts, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).sort().slice(0, 40);
    for (const file of files) {
      const full = path.join(posts, file);
      fs.writeFileSync(full, fs.readFileSync(full, 'utf8').replace(/^---\n/, '---\npublished: false\n'));
    }
    await updatePgIndex(pool, 'hidden', archive, { vacuumFrom: 1 });
    client = new pg.Client({ connectionString: server.adminUrl });
    await client.connect();
  }, 180_000);

  afterAll(async () => {
    await client?.end();
  });

  /** The statements a reader runs for `q` (each SELECT on posts), in its session. */
  const statements = async (schema: string, q: ListQuery, tuning: PgReaderTuning = {}): Promise<Statement[]> => {
    const seen: Statement[] = [];
    const recording = {
      query: (text: string, params?: unknown[]) => {
        if ((/^\s*SELECT[\s\S]*\.posts/i.test(text) && !/path = ANY/.test(text)) || /enable_bitmapscan|parallel_setup_cost/.test(text)) seen.push({ text, params: params ?? [] });
        return client.query(text, params);
      },
    } as unknown as pg.ClientBase;
    await new PgIndexReader(recording, schema, 10, tuning).list(q);
    return seen;
  };

  /** The plan of a statement as the reader's session runs it (words: no sequential scans), as JSON text. */
  const plan = async (statement: Statement, settings = ''): Promise<string> => {
    await client.query(`BEGIN READ ONLY; SET LOCAL jit = off; SET LOCAL enable_seqscan = off${settings}`);
    try {
      const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.params);
      return JSON.stringify(rows[0]!['QUERY PLAN']);
    } finally {
      await client.query('COMMIT');
    }
  };

  it('a large update leaves the posts table vacuumed: every page all-visible, for counts that skip the rows', async () => {
    for (const schema of ['visible', 'hidden']) {
      const { rows } = await pool.query<{ pages: number; visible: number }>(
        `SELECT sum(relpages)::int AS pages, sum(relallvisible)::int AS visible FROM pg_class
          WHERE oid IN (SELECT relid FROM pg_partition_tree($1::regclass) WHERE isleaf)`, [`${schema}.posts`]);
      expect(rows[0]!.pages).toBeGreaterThan(0);
      // (Pages whose rows a batch wrote twice may wait for the next vacuum: most are all-visible, none before.)
      expect(rows[0]!.visible, schema).toBeGreaterThanOrEqual(rows[0]!.pages * 0.75);
    }
  });

  it('words alone are counted without a condition on the row (no Filter), with or without hidden posts', async () => {
    for (const schema of ['visible', 'hidden']) {
      const count = (await statements(schema, { query: '市场', limit: 5 })).find((s) => /count\(\*\)[\s\S]*tsv @@/.test(s.text));
      const text = await plan(count!);
      // The words' count, and (hidden posts) the hidden ones' count through posts_tsv_hidden, taken away.
      const scans = [...text.matchAll(/"Node Type":"Bitmap Heap Scan"[^{}]*?(?="Plans"|\})/g)].map((m) => m[0]);
      expect(scans.some((scan) => !scan.includes('"Filter"'))).toBe(true);
      if (schema === 'hidden') expect(text).toContain('posts_tsv_hidden');
    }
  });

  it('the rest of a relevance list leaves the title hits out as a hashed set, reading no tsvector for it', async () => {
    const found = await statements('visible', { query: '市场', limit: 5 }, { walkMargin: Infinity });
    const rest = found.find((s) => /ORDER BY date_key DESC/.test(s.text));
    expect(rest).toBeDefined();
    const text = await plan(rest!);
    expect(text).toContain('hashed SubPlan');
    expect(text).not.toMatch(/"Filter":"[^"]*ts_filter/);
  });

  it('a wide date range with words is tested on the words\' hits (posts_tsv), a narrow one may read the range', async () => {
    const q = { query: '市场 after:2019-01-01', limit: 5 };
    const [wide] = await statements('visible', q, { rangeIndexMax: 0 });
    expect(wide!.text).toContain('date_key + 0');
    const text = await plan(wide!);
    expect(text).toContain('posts_tsv');
    expect(text).not.toContain('posts_order');
    const [narrow] = await statements('visible', q, { rangeIndexMax: Infinity });
    expect(narrow!.text).not.toContain('date_key + 0');
  });

  it('a page of a phrase in many posts walks the order index instead of testing every hit', async () => {
    const walked = await statements('visible', { query: '"同比增长"', limit: 5, sort: 'date' }, { walkMargin: 0 });
    // The page is read with bitmap scans (the only way to the GIN index) off, then they are on again.
    expect(walked.at(-1)!.text).toBe('SET LOCAL enable_bitmapscan = on');
    expect(walked.at(-3)!.text).toBe('SET LOCAL enable_bitmapscan = off');
    const page = walked.at(-2)!;
    expect(page.text).toMatch(/ORDER BY date_key DESC/);
    expect(await plan(page, '; SET LOCAL enable_bitmapscan = off')).toMatch(/"Index Name":"posts_order(_p\d+)?"/);
  });

  it('a phrase\'s count may be spread over a parallel worker (its hits\' positions are read), words without a phrase are not', async () => {
    for (const schema of ['visible', 'hidden']) {
      const found = await statements(schema, { query: '"同比增长"', limit: 5 });
      const at = found.findIndex((s) => /count\(\*\)[\s\S]*tsv @@/.test(s.text) && !/ts_filter/.test(s.text));
      // The count runs between the settings and their reset, and with them its plan is a Parallel Bitmap Heap Scan.
      expect(found[at - 1]!.text, schema).toBe(PARALLEL_PHRASE_SET);
      expect(found[at + 1]!.text, schema).toMatch(/^SET LOCAL parallel_setup_cost TO DEFAULT/);
      const settings = `; ${PARALLEL_PHRASE_SET}`;
      const text = await plan(found[at]!, settings);
      expect(text, schema).toContain('"Node Type":"Gather"');
      expect(text, schema).toContain('"Workers Planned":1');
      // A server (or the reader's role) that sets max_parallel_workers_per_gather to 0 keeps it serial.
      expect(await plan(found[at]!, `; SET LOCAL max_parallel_workers_per_gather = 0${settings}`), schema).not.toContain('"Node Type":"Gather"');
      expect(text, schema).toMatch(/"Parallel Aware":true[^{}]*"Node Type":"Bitmap Heap Scan"|"Node Type":"Bitmap Heap Scan"[^{}]*"Parallel Aware":true/);
      // Without them the planner keeps the phrase's count serial: what the settings are for.
      expect(await plan(found[at]!), schema).not.toContain('"Node Type":"Gather"');
      // A word's count reads no tsvector (the GIN index answers): no parallel settings for it.
      expect((await statements(schema, { query: '市场', limit: 5 })).some((s) => /parallel/.test(s.text)), schema).toBe(false);
      expect((await statements(schema, { query: '"同比增长"', limit: 5 }, { parallelPhrases: false })).some((s) => /parallel/.test(s.text)), schema).toBe(false);
    }
  });

  it('a phrase\'s count that the server refuses is reported as the search\'s notice, not as the failed reset of its settings', async () => {
    // The count's statement is swapped for one with a tsquery the server refuses (as a query text it cannot take would be).
    const refusing = {
      query: (text: string, params?: unknown[]) => (/^SELECT count\(\*\)[\s\S]*tsv @@/.test(text) && !/ts_filter/.test(text)
        ? client.query(`SELECT count(*) AS n FROM visible.posts WHERE tsv @@ 'a & '::tsquery`) : client.query(text, params)),
    } as unknown as pg.ClientBase;
    const result = await new PgIndexReader(refusing, 'visible').list({ query: '"同比增长"', limit: 5 });
    expect(result.total).toBe(0);
    expect(result.notice).toMatch(/could not be run.*tsquery/);
  });

  it('an OR of words and phrases is counted in two disjoint parts: only the phrases\' part has positions checked', async () => {
    for (const schema of ['visible', 'hidden']) {
      const counts = (await statements(schema, { query: '芯片 OR 半导体 OR 集成电路', limit: 5 }))
        .filter((s) => /count\(\*\)[\s\S]*tsv @@/.test(s.text) && !/ts_filter/.test(s.text));
      const words = counts.map((s) => String(s.params[0]));
      expect(words, schema).toEqual(["'芯片'", "((('半导' <-> '导体') | ('集成' <-> '成电' <-> '电路')) & !'芯片')"]);
      // The plain part's hits need no check: its bitmap asks for no recheck of any row.
      const plainPlan = await plan(counts[0]!);
      expect(plainPlan, schema).toContain('posts_tsv');
      const split = (await statements(schema, { query: '芯片 OR 半导体 OR 集成电路', limit: 5 }, { splitOr: false }))
        .filter((s) => /count\(\*\)[\s\S]*tsv @@/.test(s.text) && !/ts_filter/.test(s.text));
      expect(split.map((s) => String(s.params[0])), schema).toEqual(["('芯片' | ('半导' <-> '导体') | ('集成' <-> '成电' <-> '电路'))"]);
    }
    // Only a top-level OR mixing both is split.
    for (const query of ['芯片 OR 市场', '半导体 OR 集成电路', '(芯片 OR 半导体) 市场']) {
      const counts = (await statements('visible', { query, limit: 5 })).filter((s) => /count\(\*\)[\s\S]*tsv @@/.test(s.text) && !/ts_filter/.test(s.text));
      expect(counts.length, query).toBe(1);
    }
  });

  it('a count with excluded words is the hits less those with them, with no anti-join', async () => {
    for (const query of ['-市场 category:finance', '市场 -投资']) {
      const counts = (await statements('hidden', { query, limit: 5 })).filter((s) => /count\(\*\)/.test(s.text) && !/ts_filter|facets @> \$1::text\[\]$/.test(s.text));
      expect(counts.some((s) => /NOT EXISTS/.test(s.text)), query).toBe(false);
      expect(counts.some((s) => s.params.includes("('市场' & '投资')") || s.params.includes("'市场'")), query).toBe(true);
      const joined = (await statements('hidden', { query, limit: 5 }, { subtractExcluded: false })).filter((s) => /count\(\*\)/.test(s.text));
      expect(joined.some((s) => /NOT EXISTS/.test(s.text)), query).toBe(true);
    }
  });

  it('the trees are counted from posts_trees alone (index-only scans), not from every post\'s row', async () => {
    for (const includeHidden of [false, true]) {
      const seen: Statement[] = [];
      const recording = {
        query: (text: string, params?: unknown[]) => {
          if (/^\s*SELECT[\s\S]*\.posts/i.test(text)) seen.push({ text, params: params ?? [] });
          return client.query(text, params);
        },
      } as unknown as pg.ClientBase;
      const reader = new PgIndexReader(recording, 'hidden');
      await reader.categories(includeHidden);
      await reader.dates(includeHidden);
      await reader.tags(includeHidden);
      expect(seen.length).toBeGreaterThanOrEqual(4);
      for (const statement of seen) {
        // Sequential scans off: on 600 posts the planner may read the table anyway; what is checked is that the index
        // covers each statement (else no index-only scan is possible), which at 100,000 posts the planner takes.
        await client.query('BEGIN READ ONLY; SET LOCAL jit = off; SET LOCAL enable_seqscan = off');
        const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.params);
        await client.query('COMMIT');
        const text = JSON.stringify(rows[0]!['QUERY PLAN']);
        expect(text, statement.text).toContain('"Node Type":"Index Only Scan"');
        expect(text, statement.text).toMatch(/"Index Name":"posts_trees(_p\d+)?"/);
        expect(text, statement.text).not.toContain('Seq Scan');
      }
    }
  });

  it('each way gives the same lists: totals, pages and their order', async () => {
    const queries = ['市场', '"同比增长"', '同比增长', '市场 after:2019-01-01', '投资 before:2021-06', '"同比增长" after:2018-01-01',
      '市', '市场 -投资', '人工智能 OR 集成电路', 'title:市场', '芯片 OR 半导体 OR 集成电路', '市场 OR "同比增长" OR title:银行', '(芯片 OR 人工智能) 市场', '-市场 category:finance', '新能源 -汽车', 'title:市场 -投资', '市场 -"同比增长" after:2019-01-01'];
    const ways: PgReaderTuning[] = [{ rangeIndexMax: 0, walkMargin: 0 }, { rangeIndexMax: Infinity, walkMargin: Infinity, parallelPhrases: false, splitOr: false, subtractExcluded: false }];
    for (const schema of ['visible', 'hidden']) {
      for (const query of queries) {
        for (const q of [{ query, limit: 7 }, { query, limit: 7, offset: 9 }, { query, limit: 7, sort: 'date' as const }, { query, limit: 7, includeHidden: true }]) {
          const [a, b] = await Promise.all(ways.map((tuning) => new PgIndexReader(pool, schema, 10, tuning).list(q)));
          expect(a!.total, `${schema} ${JSON.stringify(q)}`).toBe(b!.total);
          expect(a!.items.map((i) => i.path), `${schema} ${JSON.stringify(q)}`).toEqual(b!.items.map((i) => i.path));
        }
      }
    }
    // The hidden posts are left out of the counts of words alone.
    const all = await new PgIndexReader(pool, 'visible').list({ query: '市场', limit: 1 });
    const shown = await new PgIndexReader(pool, 'hidden').list({ query: '市场', limit: 1 });
    const withHidden = await new PgIndexReader(pool, 'hidden').list({ query: '市场', limit: 1, includeHidden: true });
    expect(withHidden.total).toBe(all.total);
    expect(shown.total).toBeLessThan(all.total);
  }, 120_000);
});
