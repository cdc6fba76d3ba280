/**
 * The PostgreSQL store's writer: the methods updateIndex (node/index/update.ts) calls, on one connection. Each batch
 * is one transaction: deletions, unreadable files, posts, their file states, `generation` + 1 and a NOTIFY on
 * `backfile_<schema>` (delivered when it commits), so a reader sees whole batches only, and a writer killed at any
 * moment leaves the index as it was after its last committed batch.
 *
 * A post row holds what the SQLite store writes (write.ts upsertPost), with the same helpers: dateKey, categoryKey
 * and postFacets (list.ts), tagKeys, frontMatterDescription and ftsText (write.ts); its tokens as a tsvector
 * (pg-tsvector.ts). `seq` orders posts inside a date key as SQLite's ids do: handed out in write order, kept
 * when a post is written again under the same date key.
 */
import type pg from 'pg';
import type { Problem } from '../../shared/archive-api';
import type { ParsedPost } from '../../core/types';
import type { IndexBatch } from '../index/store';
import type { UpdatableStore } from '../index/update';
import { categoryKey, dateKey, postFacets } from '../index/list';
import { postSignature } from '../index/similar';
import { frontMatterDescription, ftsText, notIndexed, tagKeys, type FtsText } from '../index/write';
import { quoteSchema } from './pg-connection';
import { bumpGeneration } from './pg-notify';
import { PG_SEQUENCE } from './pg-schema';
import { leaveStories, updateStories, writeBuckets } from './pg-similar';
import { splitTokens, tsvectorLiteral } from './pg-tsvector';
import { tsvectorOfFts } from './pg-tsvector-fts';

/** Posts per INSERT statement at most, and bytes of text per statement (about). */
const ROWS_PER_INSERT = 100;
const BYTES_PER_INSERT = 8 * 1024 * 1024;

/** PostgreSQL text cannot hold U+0000 (nor can jsonb): it is left out of every string written. */
const noNul = (s: string): string => (s.includes('\0') ? s.replace(/\0/g, '') : s);
const json = (value: unknown): string => noNul(JSON.stringify(value).replace(/\\u0000/g, ''));

const COLUMNS = ['path', 'date_key', 'size', 'mtime_ms', 'hash', 'title', 'date', 'sort_key', 'year', 'month', 'categories',
  'category_key', 'tags', 'tag_keys', 'hidden', 'draft', 'excerpt', 'description', 'source', 'problems', 'problem_count',
  'facets', 'tsv', 'body', 'sig'] as const;
const CASTS: Partial<Record<(typeof COLUMNS)[number], string>> = {
  categories: '::jsonb', tags: '::jsonb', tag_keys: '::jsonb', problems: '::jsonb', facets: '::text[]', tsv: '::tsvector', sig: '::bytea',
};

const SIG = COLUMNS.indexOf('sig');
const BODY = COLUMNS.indexOf('body');
/** Where a post row (postRow) holds its tsvector. */
export const TSV_COLUMN = COLUMNS.indexOf('tsv');

/** The literal a post's tokens are bound as where they have no binary form (a token holding U+0000). */
const tsvectorLiteralOf = (tokens: FtsText): string =>
  noNul(tsvectorLiteral(splitTokens(tokens.title), splitTokens(tokens.meta), splitTokens(tokens.body)).literal);

/** A post as the values of COLUMNS. */
export function postRow(post: ParsedPost, size: number, mtimeMs: number, hash: string | null, fts?: FtsText): unknown[] {
  const hidden = !post.published || post.draft;
  const keys = tagKeys(post.tags);
  // Made where the post was parsed: a parse thread sends the post without its front matter (read-post.ts forTransfer).
  const description = fts?.description ?? frontMatterDescription(post);
  const tokens = fts ?? ftsText({ ...post, description });
  // The similarity signature (similar.ts postSignature), made on the parse thread when the batch came from one.
  const packed = fts?.signature !== undefined ? fts.signature : postSignature(post.text);
  // In binary (pg-tsvector.ts tsvectorBinary, made from the tokens' text by pg-tsvector-fts.ts): no literal to write
  // here nor to parse on the server.
  const tsv = tsvectorOfFts(tokens.title, tokens.meta, tokens.body) ?? tsvectorLiteralOf(tokens);
  const facets = postFacets({ hidden, year: post.year, month: post.month, categories: post.categories, tagKeys: keys.map(([norm]) => norm) });
  return [
    noNul(post.path), dateKey(post.date), size, mtimeMs, hash, noNul(post.title), post.date === null ? null : noNul(post.date),
    noNul(post.date ?? ''), post.year, post.month, json(post.categories), noNul(categoryKey(post.categories)), json(post.tags),
    json(keys), hidden, post.draft, noNul(post.excerpt), noNul(description), post.source === null ? null : noNul(post.source),
    json(post.problems), post.problems.length, facets.split(' ').map(noNul), tsv, noNul(post.text),
    packed ? Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength) : null,
  ];
}

/**
 * Rows an index of posts could refuse (PostgreSQL 15, 8 KiB pages): a B-tree tuple over 2704 bytes (posts_trees:
 * category_key, the ints, tag_keys) or a GIN entry over 2712 (posts_facets: a long tag or category) is refused by
 * the server, after it tried to compress the value. A cold build loads posts with no indexes (pg-cold.ts), so such a
 * row would fail the end's CREATE INDEX instead, and every later run with it. A row whose uncompressed values are
 * larger than PROBE_BYTES (a lower bound of both limits, so no row the server could refuse escapes it: tested at the
 * boundary, pg-write-refused-index.test.ts) is first written into a temporary table with the same two indexes
 * (INDEX_PROBE), whose refusal the post gets, as an update's own indexes would refuse it; its other indexes hold
 * hashes, ints and lexemes of at most MAX_LEXEME_BYTES (pg-tsvector.ts).
 */
export const PROBE_BYTES = 2000;
const INDEX_PROBE = 'backfile_index_probe';
const PROBE_COLUMNS = ['category_key', 'year', 'month', 'hidden', 'tag_keys', 'facets'] as const;

/** The uncompressed bytes (about, from above) of a row's posts_trees tuple, and of its longest facet. */
const indexBytes = (row: unknown[]): number => {
  const at = (c: string): unknown => row[COLUMNS.indexOf(c as (typeof COLUMNS)[number])];
  const facets = at('facets') as string[];
  let longest = 0;
  for (const f of facets) longest = Math.max(longest, f.length);
  return Math.max(64 + 4 * ((at('category_key') as string).length + (at('tag_keys') as string).length), 4 * longest);
};

/** A failure of the row's own data (PostgreSQL error classes 22 and 54): the post is recorded as not indexed. */
const isDataError = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
};

export class PgIndexWriter implements UpdatableStore {
  private readonly s: string;
  /** A cold build's load (pg-cold.ts): posts only, their bucket rows and stories made at its end. */
  cold = false;
  /** The probe table is there in this transaction (refuseUnindexable; a rollback takes it away). */
  private probe = false;

  /** `client`: one connection, held by the indexer for its whole run (pg-update.ts). */
  constructor(private readonly client: pg.ClientBase, readonly schema: string) {
    this.s = quoteSchema(schema);
  }

  async getMeta(key: string): Promise<string | undefined> {
    const { rows } = await this.client.query<{ value: string }>(`SELECT value FROM ${this.s}.meta WHERE key = $1`, [key]);
    return rows[0]?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.client.query(`INSERT INTO ${this.s}.meta (key, value) VALUES ($1, $2)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key, noNul(value)]);
  }

  async sizesAndTimes(): Promise<Map<string, { size: number; mtimeMs: number }>> {
    const { rows } = await this.client.query({
      text: `SELECT path, size::float8, mtime_ms FROM ${this.s}.posts UNION ALL SELECT path, size::float8, mtime_ms FROM ${this.s}.file_problems`,
      rowMode: 'array',
    });
    const states = new Map<string, { size: number; mtimeMs: number }>();
    for (const [path, size, mtimeMs] of rows as [string, number, number][]) states.set(path, { size, mtimeMs });
    return states;
  }

  async fileStatesOf(paths: string[]): Promise<Map<string, { size: number; mtimeMs: number; hash: string | null }>> {
    const { rows } = await this.client.query<{ path: string; size: number; mtime_ms: number; hash: string | null }>(
      `SELECT path, size::float8 AS size, mtime_ms, hash FROM ${this.s}.posts WHERE path = ANY($1)
       UNION ALL SELECT path, size::float8, mtime_ms, hash FROM ${this.s}.file_problems WHERE path = ANY($1)`, [paths.map(noNul)]);
    return new Map(rows.map((r) => [r.path, { size: r.size, mtimeMs: r.mtime_ms, hash: r.hash }]));
  }

  /** The folder's problems, when changed with a new generation and its NOTIFY (readers count them; a run may change only these). */
  async setScanProblems(problems: Problem[]): Promise<void> {
    const q = this.client;
    await q.query('BEGIN');
    try {
      // Unchanged problems (most runs): no new generation, so readers read nothing again.
      const { rowCount } = await q.query(`UPDATE ${this.s}.scan_problems SET problems = $1::jsonb WHERE problems IS DISTINCT FROM $1::jsonb`, [json(problems)]);
      if ((rowCount ?? 0) > 0) await bumpGeneration(q, this.s, this.schema);
      await q.query('COMMIT');
    } catch (error) {
      await q.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /**
   * Upserts, failures and deletions in one transaction (see the file's comment). Nothing to do: nothing written.
   * The posts go in one statement a chunk, with no savepoint; should the server refuse a post for its data (rare),
   * the transaction is rolled back and the batch written again with a savepoint a chunk (writePosts), the rows made
   * once.
   */
  async applyBatch(batch: IndexBatch): Promise<void> {
    if (batch.upserts.length + batch.failures.length + batch.deletions.length === 0) return;
    const built: unknown[][] = [];
    try {
      await this.applyOnce(batch, false, built);
    } catch (error) {
      if (!isDataError(error)) throw error;
      await this.applyOnce(batch, true, built);
    }
  }

  /** One try at a batch's transaction: `careful`, posts refused for their data are recorded as not indexed. */
  private async applyOnce(batch: IndexBatch, careful: boolean, built: unknown[][]): Promise<void> {
    const q = this.client;
    this.probe = false;
    await q.query('BEGIN');
    try {
      // Every path taken out or written again leaves its story first (pg-similar.ts); written posts join theirs after.
      // A cold build (pg-cold.ts) keeps no bucket rows or stories until its end: none to leave or join.
      const leaving = this.cold ? [] : [...batch.deletions, ...batch.failures.map((f) => f.path), ...batch.upserts.map((u) => String(u.post.path))].map(noNul);
      const dirty = await leaveStories(q, this.s, leaving);
      if (batch.deletions.length > 0) {
        const paths = batch.deletions.map(noNul);
        await q.query(`DELETE FROM ${this.s}.posts WHERE path = ANY($1)`, [paths]);
        await q.query(`DELETE FROM ${this.s}.file_problems WHERE path = ANY($1)`, [paths]);
      }
      await this.recordFailures(batch.failures);
      const signed = await this.writePosts(batch.upserts, careful, built);
      if (!this.cold) {
        await writeBuckets(q, this.s, signed);
        await updateStories(q, this.s, dirty, [...signed.keys()]);
      }
      await q.query(`INSERT INTO ${this.s}.meta (key, value) VALUES ('updated_at', $1)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [new Date().toISOString()]);
      await bumpGeneration(q, this.s, this.schema);
      await q.query('COMMIT');
    } catch (error) {
      await q.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Files that are not posts in the index: their problems, and no post at their paths. */
  private async recordFailures(failures: IndexBatch['failures']): Promise<void> {
    if (failures.length === 0) return;
    const last = new Map(failures.map((f) => [noNul(f.path), f]));
    const paths = [...last.keys()];
    await this.client.query(`DELETE FROM ${this.s}.posts WHERE path = ANY($1)`, [paths]);
    const values = [...last.values()];
    await this.client.query(`INSERT INTO ${this.s}.file_problems (path, size, mtime_ms, hash, problems)
      SELECT * FROM unnest($1::text[], $2::bigint[], $3::float8[], $4::text[], $5::jsonb[])
      ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, hash = excluded.hash, problems = excluded.problems`,
    [paths, values.map((f) => f.size), values.map((f) => f.mtimeMs), values.map((f) => f.hash), values.map((f) => json(f.problems))]);
  }

  /**
   * Posts in statements of up to ROWS_PER_INSERT rows, each chunk's rows made (into `rows`, the upserts' rows by
   * index, kept for a careful try) while the server writes the chunk before: the writer does not wait for the
   * server, nor the server for the writer, but at the batch's first and last chunk. `careful`: each chunk in a
   * savepoint, and a chunk refused for its data (a value PostgreSQL cannot hold) written again one post at a time,
   * each in a savepoint: the post that fails is recorded as not indexed, as the SQLite store does, and the batch
   * goes on.
   */
  private async writePosts(upserts: IndexBatch['upserts'], careful: boolean, rows: unknown[][]): Promise<Map<string, Uint8Array>> {
    const signed = new Map<string, Uint8Array>();
    if (upserts.length === 0) return signed;
    const failed = new Set<string>();
    let writing: Promise<void> | undefined;
    for (let start = 0; start < upserts.length;) {
      let end = start;
      let bytes = 0;
      while (end < upserts.length && end - start < ROWS_PER_INSERT && (end === start || bytes < BYTES_PER_INSERT)) {
        const u = upserts[end]!;
        const row = (rows[end] ??= postRow(u.post, u.size, u.mtimeMs, u.hash, u.fts));
        bytes += (row[TSV_COLUMN] as string | Buffer).length + (row[BODY] as string).length;
        end++;
      }
      await writing;
      // After the chunk before is written (the probe's statements wait for it anyway); nearly always none.
      await this.refuseUnindexable(upserts, rows, start, end, failed);
      const chunk = upserts.slice(start, end).map((u, i) => ({ u, row: rows[start + i]! })).filter((c) => !failed.has(c.row[0] as string));
      writing = chunk.length === 0 ? undefined : careful ? this.insertCarefully(chunk, failed) : this.insert(chunk.map((c) => c.row));
      // Awaited above or below; a failure meanwhile must not count as unhandled.
      writing?.catch(() => undefined);
      start = end;
    }
    await writing;
    const written = rows.slice(0, upserts.length).map((row) => row[0] as string);
    // A post recorded as not indexed keeps its problem.
    await this.client.query(`DELETE FROM ${this.s}.file_problems WHERE path = ANY($1)`, [written.filter((path) => !failed.has(path))]);
    // The posts written with a signature (the last of a path wins, as in insert): their buckets and stories follow.
    for (const row of rows.slice(0, upserts.length)) {
      const path = row[0] as string;
      const sig = row[SIG] as Buffer | null;
      if (sig && !failed.has(path)) signed.set(path, sig);
      else signed.delete(path);
    }
    return signed;
  }

  /**
   * Posts `from` … `to` an index would refuse (PROBE_BYTES): recorded as not indexed with the server's refusal, as an
   * update's indexes would have it refused, and added to `failed`. The probe table is made on the first one.
   */
  private async refuseUnindexable(upserts: IndexBatch['upserts'], rows: unknown[][], from: number, to: number, failed: Set<string>): Promise<void> {
    for (let i = from; i < to; i++) {
      const u = upserts[i]!;
      const row = rows[i]!;
      if (indexBytes(row) <= PROBE_BYTES) continue;
      if (!this.probe) {
        await this.client.query(`CREATE TEMP TABLE IF NOT EXISTS ${INDEX_PROBE} (category_key text NOT NULL, year int, month int,
          hidden boolean NOT NULL, seq bigint NOT NULL, tag_keys jsonb NOT NULL, facets text[] NOT NULL)`);
        await this.client.query(`CREATE INDEX IF NOT EXISTS posts_trees ON pg_temp.${INDEX_PROBE} (category_key, year, month, hidden) INCLUDE (seq, tag_keys)`);
        await this.client.query(`CREATE INDEX IF NOT EXISTS posts_facets ON pg_temp.${INDEX_PROBE} USING gin (facets)`);
        this.probe = true;
      }
      await this.client.query('SAVEPOINT probe');
      try {
        await this.client.query(`INSERT INTO pg_temp.${INDEX_PROBE} (category_key, year, month, hidden, seq, tag_keys, facets)
          VALUES ($1, $2, $3, $4, 0, $5::jsonb, $6::text[])`, PROBE_COLUMNS.map((c) => row[COLUMNS.indexOf(c)]));
        await this.client.query('ROLLBACK TO SAVEPOINT probe');
      } catch (error) {
        await this.client.query('ROLLBACK TO SAVEPOINT probe');
        if (!isDataError(error)) throw error;
        const path = String(u.post.path);
        await this.recordFailures([{ path, size: u.size, mtimeMs: u.mtimeMs, hash: u.hash, problems: [notIndexed(path, error)] }]);
        failed.add(row[0] as string);
      }
    }
  }

  /** A chunk in a savepoint; refused for its data, its posts one at a time (insertOrRecord; `failed` gets those refused). */
  private async insertCarefully(chunk: { u: IndexBatch['upserts'][number]; row: unknown[] }[], failed: Set<string>): Promise<void> {
    await this.client.query('SAVEPOINT chunk');
    try {
      await this.insert(chunk.map((c) => c.row));
      await this.client.query('RELEASE SAVEPOINT chunk');
    } catch (error) {
      if (!isDataError(error)) throw error;
      await this.client.query('ROLLBACK TO SAVEPOINT chunk');
      for (const { u, row } of chunk) if (!await this.insertOrRecord(u, row)) failed.add(row[0] as string);
    }
  }

  /** False: the post could not be written and is recorded as not indexed. */
  private async insertOrRecord(u: IndexBatch['upserts'][number], row: unknown[]): Promise<boolean> {
    await this.client.query('SAVEPOINT one');
    try {
      await this.insert([row]);
      await this.client.query('RELEASE SAVEPOINT one');
      return true;
    } catch (error) {
      if (!isDataError(error)) throw error;
      await this.client.query('ROLLBACK TO SAVEPOINT one');
      const path = String(u.post.path);
      await this.recordFailures([{ path, size: u.size, mtimeMs: u.mtimeMs, hash: u.hash, problems: [notIndexed(path, error)] }]);
      return false;
    }
  }

  /** One INSERT … ON CONFLICT of these rows (distinct paths: a batch never holds one path twice, the last wins). */
  private async insert(rows: unknown[][]): Promise<void> {
    const byPath = new Map(rows.map((r) => [r[0] as string, r]));
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of byPath.values()) {
      const slots = COLUMNS.map((column, i) => `$${params.length + i + 1}${CASTS[column] ?? ''}`);
      params.push(...row);
      tuples.push(`(${slots.join(', ')}, nextval('${this.s}.${PG_SEQUENCE}'))`);
    }
    const updates = COLUMNS.filter((c) => c !== 'path').map((c) => `${c} = excluded.${c}`).join(', ');
    await this.client.query(`INSERT INTO ${this.s}.posts (${COLUMNS.join(', ')}, seq) VALUES ${tuples.join(', ')}
      ON CONFLICT (path) DO UPDATE SET ${updates},
        seq = CASE WHEN posts.date_key = excluded.date_key THEN posts.seq ELSE excluded.seq END`, params);
  }
}
