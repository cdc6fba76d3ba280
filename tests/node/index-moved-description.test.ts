import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IndexStore } from '../../src-main/node/index/store';
import { forTransfer, readAndParseOneSync, type ReadOutcome } from '../../src-main/node/index/read-post';
import { scanArchive } from '../../src-main/node/index/scan';
import { tempDir } from '../helpers/temp';

/**
 * A post parsed on a parse thread reaches the writer without its front matter (read-post.ts forTransfer): its
 * `description` must still be stored, since a post moved to another id (write.ts makeRoom) has its FTS5 row made
 * again from what is stored, and its description's words must stay searchable.
 */
describe('a post parsed on a parse thread and later moved to another id', () => {
  it('is still found by the words of its description', async () => {
    const root = tempDir('backfile-moved-description-');
    fs.mkdirSync(path.join(root, '_posts'));
    const write = (name: string, front: string) => fs.writeFileSync(path.join(root, '_posts', `${name}.md`), `---\n${front}\n---\n正文\n`);
    // Sixteen posts fill the ids of 10:00 (list.ts ID_SPAN); the post of 10:01 sits right after them.
    for (let i = 0; i < 16; i++) write(`2020-01-01-a${i}`, `title: A${i}\ndate: 2020-01-01 10:00:00`);
    write('2020-01-01-target', 'title: Target\ndate: 2020-01-01 10:01:00\ndescription: 独角兽描述');
    const files = (await scanArchive(root)).files;
    const parsed = (relPath: string) => {
      const outcome = forTransfer(readAndParseOneSync(files.find((f) => f.relPath === relPath)!));
      return outcome as Extract<ReadOutcome, { kind: 'post' }>;
    };
    const store = IndexStore.open(path.join(root, '.index.sqlite'));
    try {
      const first = files.map((f) => parsed(f.relPath));
      store.applyBatch({ upserts: first, failures: [], deletions: [] });
      expect(store.list({ query: '独角兽' }).items.map((i) => i.title)).toEqual(['Target']);
      // One more post of 10:00: no id is free before 10:01's post, which moves one id up (its FTS5 row made again).
      write('2020-01-01-a16', 'title: A16\ndate: 2020-01-01 10:00:00');
      files.push(...(await scanArchive(root)).files.filter((f) => f.relPath.endsWith('a16.md')));
      store.applyBatch({ upserts: [parsed('_posts/2020-01-01-a16.md')], failures: [], deletions: [] });
      expect(store.list({ query: '', limit: 20, sort: 'oldest' }).items.map((i) => i.title).at(-1)).toBe('Target');
      expect(store.list({ query: '独角兽' }).items.map((i) => i.title)).toEqual(['Target']);
    } finally {
      store.close();
    }
  });
});
