import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { updatePgIndex } from '../../src-main/node/pg';
import { BODY_LAST, MAX_POSITIONS, OVERFLOW_POS, TSV_BYTES, tsvectorLiteral } from '../../src-main/node/pg/pg-tsvector';
import { pgAvailableOrLog, usePgStore } from '../helpers/pg-store';
import { tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('skip pg-tsvector');

describe('tsvector literals', () => {
  it('weights the fields A, B, D with a position between them', () => {
    const { literal } = tsvectorLiteral(['中国', '国'], ['economi'], ['中国', "it's", 'a\\b']);
    expect(literal).toBe("'中国':1A,6D '国':2A 'economi':4B 'it''s':7D 'a\\\\b':8D");
  });

  it('keeps body tokens past the last position as one overflow position, never beside a real one', () => {
    const body = Array.from({ length: BODY_LAST + 10 }, (_, i) => (i < BODY_LAST - 4 ? 'x' : `w${i}`));
    const { literal, lossy } = tsvectorLiteral(['t'], [], body);
    expect(lossy.positions).toBe(true);
    const positions = (token: string) => /'(?:[^']|'')*':(\S+)/.exec(literal.split(' ').find((p) => p.startsWith(`'${token}'`))!)![1]!;
    expect(positions(`w${BODY_LAST + 5}`)).toBe(`${OVERFLOW_POS}D`);
    expect(positions(`w${BODY_LAST - 4}`)).toBe(`${BODY_LAST}D`);
    expect(literal).not.toContain(`:${BODY_LAST + 1}`);
    expect(positions('x').split(',')).toHaveLength(MAX_POSITIONS);
  });

  it('stays under PostgreSQL\'s 1 MB, keeping the title and every position it can', () => {
    const body = Array.from({ length: 150_000 }, (_, i) => `word${i}`);
    const { literal, lossy } = tsvectorLiteral(['标题'], [], body);
    expect(lossy.bytes).toBe(true);
    expect(literal.startsWith("'标题':1A")).toBe(true);
    expect(Buffer.byteLength(literal)).toBeLessThan(3 * TSV_BYTES);
  });
});

describe.runIf(available.ok)('posts beyond PostgreSQL\'s tsvector limits', () => {
  // Made here, not in the test: tempDir's clean-up (afterAll) is only registered outside a test.
  const archive = tempDir('backfile-pg-limits-');
  const { server, store } = usePgStore();

  const matches = async (path: string, tsquery: string) =>
    (await server.query<{ ok: boolean }>('SELECT tsv @@ $2::tsquery AS ok FROM backfile.posts WHERE path = $1', [path, tsquery])).rows[0]?.ok;

  it('indexes a long post, a post of many words and a post with a huge token, all searchable by their words', async () => {
    const posts = path.join(archive, '_posts');
    fs.mkdirSync(posts);
    const long = Array.from({ length: 12_000 }, (_, i) => `中文${i % 10}`).join(' ') + ' 最后一句话在这里 endword';
    fs.writeFileSync(path.join(posts, '2024-01-01-long.md'), `---\ntitle: 长文\n---\n${long}\n`);
    const many = Array.from({ length: 160_000 }, (_, i) => `zz${i.toString(36)}`).join(' ');
    fs.writeFileSync(path.join(posts, '2024-01-02-many.md'), `---\ntitle: Many words\n---\nfirstword ${many}\n`);
    fs.writeFileSync(path.join(posts, '2024-01-03-blob.md'), `---\ntitle: Blob\n---\nbefore ${'q'.repeat(3000)} after\n`);
    const summary = await updatePgIndex(store.pool, 'backfile', archive, { parseThreads: 0 });
    expect(summary.updated).toBe(3);
    const { rows } = await server.query<{ path: string }>('SELECT path FROM backfile.file_problems');
    expect(rows).toEqual([]);
    // Plain words past the last position are found, and only as body words (never as title: ones).
    expect(await matches('_posts/2024-01-01-long.md', 'endword')).toBe(true);
    expect(await matches('_posts/2024-01-01-long.md', 'endword:A')).toBe(false);
    expect(await matches('_posts/2024-01-01-long.md', "'最后'")).toBe(true);
    expect(await matches('_posts/2024-01-02-many.md', "'firstword' & 'word':A")).toBe(true);
    expect(await matches('_posts/2024-01-03-blob.md', "'befor' <-> 'after'")).toBe(false);
    expect(await matches('_posts/2024-01-03-blob.md', "'befor' & 'after'")).toBe(true);
  });
});
