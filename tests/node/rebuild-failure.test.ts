import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArchiveError } from '../../src-main/shared/archive-api';
import { tempDir } from '../helpers/temp';
import { closedAfterEach } from '../helpers/archive-services';

describe('a rebuild of the index that fails', () => {
  const make = closedAfterEach();

  it('keeps answering its error, not an empty archive, until an update succeeds', async () => {
    const dir = tempDir('backfile-rebuild-failure-');
    const root = path.join(dir, 'archive');
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    for (let i = 1; i <= 3; i++) fs.writeFileSync(path.join(root, `_posts/2020-01-0${i}-post${i}.md`), `---\ntitle: Post ${i}\n---\nhello river\n`);
    const indexFile = path.join(dir, 'index.sqlite');
    const service = make();
    await service.open(root, { waitForIndex: true, indexFile });
    expect((await service.list({ query: 'river' })).total).toBe(3);

    // The index deleted, and the archive folder gone from under the indexer (works as root, unlike chmod): the
    // rebuild fails when it scans.
    const away = `${root}-away`;
    fs.renameSync(root, away);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(indexFile + suffix, { force: true });
    const failure = await service.reindex().then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    const message = (failure as Error).message;

    // Every read says so (not once: the empty index the rebuild left is never shown as the archive).
    for (let i = 0; i < 2; i++) {
      let error: unknown;
      try {
        await service.list({ query: '' });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ArchiveError);
      expect(error).toMatchObject({ code: 'INTERNAL' });
      expect((error as Error).message).toContain(message);
    }
    await expect(service.categories()).rejects.toThrow(message);
    expect(service.progress()).toMatchObject({ phase: 'error', message });

    // The archive back: the next update rebuilds, and reads answer again.
    fs.renameSync(away, root);
    await service.reindex();
    expect((await service.list({ query: 'river' })).total).toBe(3);
    expect(service.progress()).toMatchObject({ phase: 'ready' });
  }, 60_000);
});
