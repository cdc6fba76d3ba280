/**
 * The writer's post row (pg-write.ts postRow) is the same whether the post was parsed on the writer's thread or on
 * a parse thread, which sends it without its front matter (read-post.ts forTransfer) and with its tokens, signature
 * and description made there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParsePool } from '../../src-main/node/index/parse-pool';
import { forTransfer, readAndParseOneSync } from '../../src-main/node/index/read-post';
import { scanArchive } from '../../src-main/node/index/scan';
import { readAndParse } from '../../src-main/node/index/update';
import { postRow } from '../../src-main/node/pg/pg-write';
import { edgeArchive, tempDir } from '../helpers/temp';

describe('a post row', () => {
  it('is the same for a post parsed here and one sent by a parse thread (description front matter included)', async () => {
    const archive = tempDir('backfile-pg-row-');
    fs.cpSync(edgeArchive, archive, { recursive: true });
    fs.mkdirSync(path.join(archive, '_posts'), { recursive: true });
    fs.writeFileSync(path.join(archive, '_posts', '2024-03-04-described.md'),
      '---\ntitle: 有摘要的文章\ndescription: 这是一段描述 with words\nexcerpt: 摘录\ntags: [经济]\n---\n正文 body text\n');
    const { files } = await scanArchive(archive, () => undefined, () => false);
    let described = 0;
    for (const file of files) {
      const here = readAndParseOneSync(file);
      if (here.kind !== 'post') continue;
      const sent = forTransfer(here);
      if (sent.kind !== 'post') continue;
      const row = postRow(here.post, here.size, here.mtimeMs, here.hash, here.fts);
      expect(postRow(sent.post, sent.size, sent.mtimeMs, sent.hash, sent.fts), file.relPath).toEqual(row);
      // And the same as a row made without the parse step's tokens (the writer's own ftsText).
      expect(postRow(here.post, here.size, here.mtimeMs, here.hash), file.relPath).toEqual(row);
      if (row.includes('这是一段描述 with words\n摘录')) described++;
    }
    expect(described).toBe(1);
  });

  it('is the same from posts parsed for this store, which are not deflated for SQLite\'s post_text, here or on a parse thread', async () => {
    const { files } = await scanArchive(edgeArchive, () => undefined, () => false);
    const rows = (outcomes: Awaited<ReturnType<typeof readAndParse>>) => outcomes.flatMap((o) => (o.kind === 'post' ? [postRow(o.post, o.size, o.mtimeMs, o.hash, o.fts)] : []));
    const packed = (outcomes: Awaited<ReturnType<typeof readAndParse>>) => outcomes.filter((o) => o.kind === 'post' && o.fts.packed !== undefined).length;
    const sqlite = (await readAndParse(files)).map(forTransfer);
    expect(packed(sqlite)).toBeGreaterThan(3);
    const here = (await readAndParse(files, { packText: false })).map(forTransfer);
    const pool = new ParsePool(1, { packText: false });
    try {
      const onThread = await pool.parseFiles(files);
      expect(pool.stats).toEqual({ onThreads: 1, here: 0 });
      for (const outcomes of [here, onThread]) {
        expect(packed(outcomes)).toBe(0);
        expect(rows(outcomes)).toEqual(rows(sqlite));
      }
    } finally {
      await pool.close();
    }
  });
});
