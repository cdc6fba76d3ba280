import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyArchive, edgeArchive, tempDir } from '../helpers/temp';
import { closedAfterEach } from '../helpers/archive-services';

const post = (title: string, body = 'Body text.') => `---\ntitle: "${title}"\ndate: 2022-02-02 10:00:00\ncategories: [watched]\n---\n${body}\n`;

/** Polls until `check` passes (the watcher batches events for a few hundred milliseconds). */
async function eventually(check: () => void | Promise<void>, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

describe('ArchiveService', () => {
  const make = closedAfterEach();

  it('opens an archive, indexes it on a worker thread and answers from the index', async () => {
    const indexFile = path.join(tempDir(), 'index.sqlite');
    const service = make();
    const info = await service.open(edgeArchive, { waitForIndex: true, indexFile });
    expect(info.root).toBe(fs.realpathSync(edgeArchive));
    expect(info.posts).toBeGreaterThan(5);
    expect(info.problems).toBeGreaterThan(0);
    expect(service.lastSummary()?.updated).toBe(info.posts + info.hidden);
    // Reopening an unchanged archive reads nothing again.
    await service.open(edgeArchive, { waitForIndex: true, indexFile });
    expect(service.lastSummary()?.updated).toBe(0);
  });

  it('refuses a missing folder and a file with a clear message', async () => {
    const service = make();
    await expect(service.open('/no/such/archive')).rejects.toThrow(/archive folder not found/);
    const file = path.join(tempDir(), 'post.md');
    fs.writeFileSync(file, post('x'));
    await expect(service.open(file)).rejects.toThrow(/not a folder/);
  });

  it('rebuilds an unreadable file at the index path it chose itself, and ignores a stale -wal', async () => {
    const dir = tempDir();
    const indexFile = path.join(dir, 'index.sqlite');
    fs.writeFileSync(indexFile, 'this is not a database'.repeat(100));
    fs.writeFileSync(`${indexFile}-wal`, Buffer.alloc(4096, 7));
    const service = make({ indexPathFor: () => indexFile });
    const info = await service.open(edgeArchive, { waitForIndex: true });
    expect(info.posts).toBeGreaterThan(5);
    expect((await service.list({ query: 'tea' })).total).toBeGreaterThanOrEqual(0);
  });

  it('rebuilds an index file deleted between runs', async () => {
    const indexFile = path.join(tempDir(), 'index.sqlite');
    const first = make();
    const before = await first.open(edgeArchive, { waitForIndex: true, indexFile });
    await first.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(indexFile + suffix, { force: true });
    const second = make();
    const after = await second.open(edgeArchive, { waitForIndex: true, indexFile });
    expect(after.posts).toBe(before.posts);
  });

  it('never modifies the posts it reads', async () => {
    const archive = copyArchive(edgeArchive);
    const snapshot = () =>
      fs
        .readdirSync(archive, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => {
          const file = path.join(e.parentPath, e.name);
          const stat = fs.statSync(file);
          return `${file}:${stat.size}:${stat.mtimeMs}:${fs.readFileSync(file).toString('base64')}`;
        })
        .sort();
    const before = snapshot();
    const service = make();
    await service.open(archive, { waitForIndex: true, indexFile: path.join(tempDir(), 'i.sqlite') });
    for (const item of (await service.list({ limit: 500, includeHidden: true })).items) await service.getArticle(item.path);
    expect(snapshot()).toEqual(before);
  });

  it('follows files added, changed, renamed and deleted by other programs', async () => {
    const archive = copyArchive(edgeArchive);
    const service = make({ watch: true });
    await service.open(archive, { waitForIndex: true, indexFile: path.join(tempDir(), 'i.sqlite') });
    const posts = path.join(archive, '_posts');
    const titles = async () => (await service.list({ query: 'category:watched', limit: 50 })).items.map((i) => i.title).sort();

    fs.writeFileSync(path.join(posts, '2022-02-02-added.md'), post('Added outside'));
    await eventually(async () => expect((await titles())).toEqual(['Added outside']));

    fs.writeFileSync(path.join(posts, '2022-02-02-added.md'), post('Edited outside', 'A longer body after the edit.'));
    await eventually(async () => expect((await titles())).toEqual(['Edited outside']));
    // Only the reported file was looked at, not the whole archive.
    await eventually(() => expect(service.lastSummary()).toMatchObject({ scanned: 1, updated: 1 }));

    fs.renameSync(path.join(posts, '2022-02-02-added.md'), path.join(posts, '2022-02-03-renamed.md'));
    await eventually(async () => expect((await service.list({ query: 'category:watched' })).items.map((i) => i.path)).toEqual(['_posts/2022-02-03-renamed.md']));

    // A burst of changes is batched into few updates.
    for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(posts, `2022-03-01-burst-${i}.md`), post(`Burst ${i}`));
    await eventually(async () => expect((await service.list({ query: 'category:watched' })).total).toBe(201));

    fs.rmSync(path.join(posts, '2022-02-03-renamed.md'));
    await eventually(async () => expect((await service.list({ query: 'category:watched' })).total).toBe(200));
  }, 60_000);

  it('imports a dropped folder and shows the new posts at once', async () => {
    const archive = copyArchive(edgeArchive);
    const source = path.join(tempDir(), 'colleague');
    fs.mkdirSync(path.join(source, '_posts'), { recursive: true });
    fs.writeFileSync(path.join(source, '_posts', '2023-01-01-from-a-colleague.md'), post('From a colleague'));
    const service = make();
    await service.open(archive, { waitForIndex: true, indexFile: path.join(tempDir(), 'i.sqlite') });
    const phases: string[] = [];
    service.on('importProgress', (p) => phases.push(p.phase));
    const report = await service.importPaths([source]);
    expect(report.added).toBe(1);
    // One end, after the index update: a 'done' before 'indexing' would tell the window the posts are there.
    expect(phases.filter((p) => p === 'done')).toEqual(['done']);
    expect(phases.at(-1)).toBe('done');
    expect(phases.indexOf('indexing')).toBeGreaterThanOrEqual(0);
    expect((await service.list({ query: '"From a colleague"' })).items.map((i) => i.title)).toEqual(['From a colleague']);
    const again = await service.importPaths([source]);
    expect(again.added).toBe(0);
    expect(again.duplicates).toBe(1);
  });

  it('answers with coded ArchiveErrors: NO_ARCHIVE, NOT_FOUND, BUSY', async () => {
    const service = make();
    await expect(service.list({})).rejects.toThrow(expect.objectContaining({ code: 'NO_ARCHIVE' }));
    await expect(service.categories()).rejects.toThrow(expect.objectContaining({ code: 'NO_ARCHIVE' }));
    await expect(service.getArticle('_posts/x.md')).rejects.toMatchObject({ code: 'NO_ARCHIVE' });
    await expect(service.open('/no/such/archive')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const archive = copyArchive(edgeArchive);
    await service.open(archive, { waitForIndex: true, indexFile: path.join(tempDir(), 'i.sqlite') });
    await expect(service.getArticle('_posts/no-such-post.md')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.getArticle('../outside.md')).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    const source = path.join(tempDir(), 'src');
    fs.mkdirSync(path.join(source, '_posts'), { recursive: true });
    fs.writeFileSync(path.join(source, '_posts', '2023-01-01-busy.md'), post('Busy'));
    const first = service.importPaths([source]);
    await expect(service.importPaths([source])).rejects.toMatchObject({ code: 'BUSY' });
    await first;
  });

  it('hands the adapters read methods, not its index store', async () => {
    const service = make();
    await service.open(edgeArchive, { waitForIndex: true, indexFile: path.join(tempDir(), 'i.sqlite') });
    expect('store' in service).toBe(false);
    expect((await service.categories()).length).toBeGreaterThan(0);
    expect((await service.dates(true)).length).toBeGreaterThan(0);
    expect(Array.isArray((await service.tags()))).toBe(true);
    expect((await service.problems()).length).toBe(service.info().problems);
    expect((await service.stats()).posts).toBe(service.info().posts);
  });

  it('refuses paths outside the archive when reading a post', async () => {
    const service = make();
    await service.open(edgeArchive, { waitForIndex: true, indexFile: path.join(tempDir(), 'i.sqlite') });
    for (const bad of ['../../etc/passwd', '/etc/passwd', '_posts/../../../etc/passwd', 'a\\..\\b', 'x\0y', 'C:/Windows/win.ini']) {
      await expect(service.resolveInside(bad), bad).rejects.toThrow(/refused|outside|no such|invalid/);
      await expect(service.getArticle(bad), bad).rejects.toThrow();
    }
  });
});
