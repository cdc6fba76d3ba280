import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../src-main/shared/archive-api';
import { importPosts } from '../../src-main/node/import/import-posts';
import { nameKey } from '../../src-main/node/import/plan';
import { scanArchive } from '../../src-main/node/index/scan';
import { mulberry32 } from '../bench/prng';
import { writeFileAt } from '../helpers/write-tree';

let tmp: string;
let archive: string;
beforeEach(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'backfile-import-')));
  archive = path.join(tmp, 'archive');
  await fs.mkdir(archive);
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** Every entry under `root` (links not followed): files with their bytes' hash, links with their target. */
async function tree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (abs: string, rel: string) => {
    for (const entry of await fs.readdir(abs, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const childAbs = path.join(abs, entry.name);
      if (entry.isSymbolicLink()) out.set(childRel, `link:${await fs.readlink(childAbs)}`);
      else if (entry.isDirectory()) await walk(childAbs, childRel);
      else out.set(childRel, sha(await fs.readFile(childAbs)));
    }
  };
  await walk(root, '');
  return out;
}

/** `tree` plus modification times: what "the source is never modified" means. */
async function fingerprint(root: string): Promise<string[]> {
  const entries = [...(await tree(root))];
  return Promise.all(entries.map(async ([rel, hash]) => `${rel} ${hash} ${(await fs.lstat(path.join(root, rel))).mtimeMs}`));
}

const post = (title: string, body = '') => `---\ntitle: ${title}\n---\n${body}\n`;

/** A small Jekyll site with images, pages and the litter real folders carry. */
async function makeSite(root: string): Promise<void> {
  await writeFileAt(root, '_posts/2020-01-01-a.md', post('A', '![a](/assets/a.png)\n<img src="../assets/b.png">'));
  await writeFileAt(root, 'world/asia/_posts/2020-01-02-b.md', post('B', '![c](img/c.png) ![gone](img/missing.png)'));
  await writeFileAt(root, 'world/asia/_posts/img/c.png', 'PNG-c');
  await writeFileAt(root, '_drafts/d.md', post('D'));
  await writeFileAt(root, 'assets/a.png', 'PNG-a');
  await writeFileAt(root, 'assets/b.png', 'PNG-b');
  await writeFileAt(root, 'assets/unused.png', 'PNG-unused');
  await writeFileAt(root, 'about.md', post('About'));
  await writeFileAt(root, '_config.yml', 'title: site\n');
  await writeFileAt(root, '.git/HEAD', 'ref: refs/heads/main\n');
  await writeFileAt(root, '.DS_Store', 'junk');
  await writeFileAt(root, 'Thumbs.db', 'junk');
}

describe('importPosts', () => {
  it('copies a Jekyll site under imported/<name>/, keeping its structure and the images its posts use', async () => {
    const site = path.join(tmp, 'site');
    await makeSite(site);
    const report = await importPosts([site], archive);
    expect(report).toMatchObject({ added: 3, duplicates: 0, renamed: 0, cancelled: false, problems: [] });
    // Left out and counted: about.md, _config.yml, assets/unused.png, and .git, .DS_Store, Thumbs.db.
    expect(report.skipped).toBe(6);
    expect(report.addedPaths.sort()).toEqual([
      'imported/site/_drafts/d.md',
      'imported/site/_posts/2020-01-01-a.md',
      'imported/site/world/asia/_posts/2020-01-02-b.md',
    ]);
    const copied = await tree(archive);
    expect([...copied.keys()].sort()).toEqual([
      'imported/site/_drafts/d.md',
      'imported/site/_posts/2020-01-01-a.md',
      'imported/site/assets/a.png',
      'imported/site/assets/b.png',
      'imported/site/world/asia/_posts/2020-01-02-b.md',
      'imported/site/world/asia/_posts/img/c.png',
    ]);
    const source = await tree(site);
    for (const [rel, hash] of copied) expect(hash, rel).toBe(source.get(rel.replace('imported/site/', '')));
    // Categories from folders survive: Jekyll reads them from the copied paths.
    const scan = await scanArchive(archive);
    expect(scan.files.find((f) => f.relPath.endsWith('2020-01-02-b.md'))?.location.folderCategories).toEqual(['imported', 'site', 'world', 'asia']);
  });

  it('puts a flat dump, a _posts folder and a single file where a Jekyll archive sees them as posts', async () => {
    await writeFileAt(archive, '_posts/2019-01-01-own.md', post('Own'));
    const dump = path.join(tmp, 'scraped');
    await writeFileAt(dump, '2021-12-08-x.md', post('X', '![p](pics/p.jpg)'));
    await writeFileAt(dump, 'pics/p.jpg', 'JPG');
    await writeFileAt(dump, 'README.md', '# what this is');
    const postsFolder = path.join(tmp, 'colleague', '_posts');
    await writeFileAt(postsFolder, '2022-05-15-y.md', post('Y'));
    const single = await writeFileAt(tmp, 'downloads/2023-03-03-z.md', post('Z'));
    const report = await importPosts([dump, postsFolder, single], archive);
    expect(report).toMatchObject({ added: 3, duplicates: 0, skipped: 1, problems: [] });
    expect(report.addedPaths).toEqual([
      'imported/scraped/_posts/2021-12-08-x.md',
      'imported/colleague/_posts/2022-05-15-y.md',
      'imported/_posts/2023-03-03-z.md',
    ]);
    expect(await fs.readFile(path.join(archive, 'imported/scraped/_posts/pics/p.jpg'), 'utf8')).toBe('JPG');
    const scan = await scanArchive(archive);
    expect(scan.layout).toBe('jekyll');
    expect(scan.files.map((f) => f.relPath).sort()).toEqual([...report.addedPaths, '_posts/2019-01-01-own.md'].sort());
  });

  it('keeps a flat archive flat: no _posts folder appears, and its own posts stay posts', async () => {
    await writeFileAt(archive, '2021-12-01-own.md', post('Own'));
    const site = path.join(tmp, 'site');
    await makeSite(site);
    const report = await importPosts([site], archive);
    expect(report.added).toBe(3);
    const scan = await scanArchive(archive);
    expect(scan.layout).toBe('flat');
    expect(scan.files.map((f) => f.relPath).sort()).toEqual([
      '2021-12-01-own.md',
      'imported/site/posts/2020-01-01-a.md',
      'imported/site/world/asia/posts/2020-01-02-b.md',
    ]);
    // Relative image paths still work from the renamed folder.
    expect(await fs.readFile(path.join(archive, 'imported/site/world/asia/posts/img/c.png'), 'utf8')).toBe('PNG-c');
  });

  it('skips posts already in the archive, and adds nothing when the same folder is imported again', async () => {
    const site = path.join(tmp, 'site');
    await makeSite(site);
    await writeFileAt(archive, '_posts/elsewhere.md', await fs.readFile(path.join(site, '_drafts/d.md')));
    await writeFileAt(site, '_posts/2020-01-03-copy-of-a.md', await fs.readFile(path.join(site, '_posts/2020-01-01-a.md')));
    const first = await importPosts([site], archive);
    expect(first).toMatchObject({ added: 2, duplicates: 2 });
    const after = await tree(archive);
    const second = await importPosts([site], archive);
    expect(second).toMatchObject({ added: 0, duplicates: 4, renamed: 0, addedPaths: [], problems: [] });
    expect(await tree(archive)).toEqual(after);
    // Which files were skipped, and where the copy already in the archive is (issue 11, item 14).
    expect(first.duplicateFiles).toEqual([
      { path: 'site/_drafts/d.md', existing: '_posts/elsewhere.md' },
      { path: 'site/_posts/2020-01-03-copy-of-a.md', existing: 'imported/site/_posts/2020-01-01-a.md' },
    ]);
    expect(second.duplicateFiles).toEqual([
      { path: 'site/_drafts/d.md', existing: '_posts/elsewhere.md' },
      { path: 'site/_posts/2020-01-01-a.md', existing: 'imported/site/_posts/2020-01-01-a.md' },
      { path: 'site/_posts/2020-01-03-copy-of-a.md', existing: 'imported/site/_posts/2020-01-01-a.md' },
      { path: 'site/world/asia/_posts/2020-01-02-b.md', existing: 'imported/site/world/asia/_posts/2020-01-02-b.md' },
    ]);
  });

  it('keeps a different post with a taken name under a numbered name', async () => {
    const site = path.join(tmp, 'site');
    await makeSite(site);
    await writeFileAt(archive, 'imported/site/_posts/2020-01-01-a.md', post('Another A'));
    const report = await importPosts([site], archive);
    expect(report).toMatchObject({ added: 3, renamed: 1 });
    expect(report.addedPaths).toContain('imported/site/_posts/2020-01-01-a-2.md');
    expect(await fs.readFile(path.join(archive, 'imported/site/_posts/2020-01-01-a.md'), 'utf8')).toBe(post('Another A'));
    expect(await fs.readFile(path.join(archive, 'imported/site/_posts/2020-01-01-a-2.md'))).toEqual(await fs.readFile(path.join(site, '_posts/2020-01-01-a.md')));
  });

  it('never lets names that differ only in case or Unicode normalisation overwrite each other', async () => {
    const nfc = 'caf\u00e9.md';
    const nfd = 'cafe\u0301.md';
    const twins = path.join(tmp, 'twins');
    const contents = [post('upper'), post('lower'), post('nfc'), post('nfd')];
    await writeFileAt(twins, 'Post.md', contents[0]!);
    await writeFileAt(twins, 'post.md', contents[1]!);
    await writeFileAt(twins, nfc, contents[2]!);
    await writeFileAt(twins, nfd, contents[3]!);
    // The archive already holds a twin of each, with other content.
    await writeFileAt(archive, 'imported/twins/_posts/POST.md', post('archive upper'));
    await writeFileAt(archive, `imported/twins/_posts/${nfd}`, post('archive nfd'));
    const report = await importPosts([twins], archive);
    expect(report).toMatchObject({ added: 4, renamed: 4, duplicates: 0 });
    const names = await fs.readdir(path.join(archive, 'imported/twins/_posts'));
    expect(names).toHaveLength(6);
    expect(new Set(names.map(nameKey)).size).toBe(6);
    const stored = await Promise.all(names.map((n) => fs.readFile(path.join(archive, 'imported/twins/_posts', n), 'utf8')));
    expect(stored.sort()).toEqual([...contents, post('archive upper'), post('archive nfd')].sort());
  });

  it('leaves hidden and system files out, even when a post points at them', async () => {
    const dump = path.join(tmp, 'usb');
    await writeFileAt(dump, 'a.md', post('A', '![k](.secret/key.png) ![t](Thumbs.db)'));
    await writeFileAt(dump, '.secret/key.png', 'KEY');
    await writeFileAt(dump, '._a.md', 'AppleDouble');
    await writeFileAt(dump, 'Thumbs.db', 'junk');
    await writeFileAt(dump, 'desktop.ini', 'junk');
    const report = await importPosts([dump], archive);
    expect(report).toMatchObject({ added: 1, skipped: 4 });
    expect([...(await tree(archive)).keys()]).toEqual(['imported/usb/_posts/a.md']);
  });

  it('does not follow links out of the source or around a loop, and says so', async () => {
    const home = path.join(tmp, 'home');
    await writeFileAt(home, '.ssh/id_rsa', 'PRIVATE KEY');
    await writeFileAt(home, 'secrets.md', post('Secret'));
    const dump = path.join(tmp, 'dropped');
    await writeFileAt(dump, 'a.md', post('A', '![k](home/.ssh/id_rsa) ![s](outside.png) ![x](../home/secrets.md)'));
    await fs.symlink(home, path.join(dump, 'home'));
    await fs.symlink(path.join(home, 'secrets.md'), path.join(dump, 'secret.md'));
    await fs.symlink(path.join(home, '.ssh/id_rsa'), path.join(dump, 'outside.png'));
    await fs.symlink('.', path.join(dump, 'loop'));
    await fs.mkdir(path.join(dump, 'sub'));
    await fs.symlink('..', path.join(dump, 'sub', 'up'));
    await writeFileAt(dump, 'sub/b.md', post('B'));
    await fs.symlink('b.md', path.join(dump, 'sub', 'z-alias.md'));
    const before = await fingerprint(dump);
    const report = await importPosts([dump], archive);
    expect(report.added).toBe(2);
    expect(report.duplicates).toBe(1); // sub/z-alias.md: a link inside the source, same bytes as sub/b.md
    const problems = new Map(report.problems.map((p) => [path.relative(dump, p.path), p.message]));
    expect(problems.get('home')).toMatch(/outside/);
    expect(problems.get('secret.md')).toMatch(/outside/);
    expect(problems.get('outside.png')).toMatch(/outside/);
    expect(problems.get('loop')).toMatch(/loop/);
    expect(problems.get('sub/up')).toMatch(/loop/);
    const copied = await tree(archive);
    expect([...copied.keys()].sort()).toEqual(['imported/dropped/_posts/a.md', 'imported/dropped/_posts/sub/b.md']);
    const secrets = [sha('PRIVATE KEY'), sha(post('Secret'))];
    for (const hash of copied.values()) expect(secrets).not.toContain(hash);
    expect(await fingerprint(dump)).toEqual(before);
  });

  it('never modifies the source', async () => {
    const site = path.join(tmp, 'site');
    await makeSite(site);
    const before = await fingerprint(site);
    await importPosts([site], archive);
    await importPosts([site], archive);
    expect(await fingerprint(site)).toEqual(before);
  });

  it('refuses to import an archive into itself or a folder already inside it', async () => {
    await writeFileAt(archive, '_posts/a.md', post('A'));
    const inside = await importPosts([tmp], archive);
    expect(inside.sourcesRead).toBe(0);
    expect(inside.problems[0]?.message).toMatch(/cannot be imported into itself/);
    const already = await importPosts([path.join(archive, '_posts')], archive);
    expect(already.problems[0]?.message).toMatch(/already inside the archive/);
    const missing = await importPosts([path.join(tmp, 'nope')], archive);
    expect(missing.problems[0]).toEqual({ path: path.join(tmp, 'nope'), message: expect.stringMatching(/not found/) });
    expect([...(await tree(archive)).keys()]).toEqual(['_posts/a.md']);
  });

  it('writes nothing through an `imported` link that leads out of the archive', async () => {
    const elsewhere = path.join(tmp, 'elsewhere');
    await fs.mkdir(elsewhere);
    await fs.symlink(elsewhere, path.join(archive, 'imported'));
    const dump = path.join(tmp, 'dump');
    await writeFileAt(dump, 'a.md', post('A'));
    const report = await importPosts([dump], archive);
    expect(report.added).toBe(0);
    expect(report.problems[0]?.message).toMatch(/outside the archive/);
    expect(await fs.readdir(elsewhere)).toEqual([]);
  });

  it('reports a post that cannot be written, and copies the others', async () => {
    const dump = path.join(tmp, 'dump');
    await writeFileAt(dump, 'a/x.md', post('X'));
    await writeFileAt(dump, 'b/y.md', post('Y'));
    await writeFileAt(archive, 'imported/dump/_posts/a', 'a file where a folder should go');
    const report = await importPosts([dump], archive);
    expect(report).toMatchObject({ added: 1, addedPaths: ['imported/dump/_posts/b/y.md'] });
    expect(report.problems).toEqual([{ path: path.join(dump, 'a/x.md'), message: expect.stringMatching(/^not copied: /) }]);
  });

  it('keeps an existing image with the same name and reports that the imported one was not copied', async () => {
    const site = path.join(tmp, 'site');
    await makeSite(site);
    await writeFileAt(archive, 'imported/site/assets/a.png', 'OTHER');
    const report = await importPosts([site], archive);
    expect(report.added).toBe(3);
    expect(report.problems).toEqual([{ path: 'imported/site/assets/a.png', message: expect.stringMatching(/different file/) }]);
    expect(await fs.readFile(path.join(archive, 'imported/site/assets/a.png'), 'utf8')).toBe('OTHER');
  });

  it('removes the leftovers of an interrupted import and reports them', async () => {
    await writeFileAt(archive, 'imported/x/_posts/a.md.0123456789ab.backfile-tmp', 'half a po');
    const dump = path.join(tmp, 'x');
    await writeFileAt(dump, 'a.md', post('A'));
    const report = await importPosts([dump], archive);
    expect(report.added).toBe(1);
    expect(report.problems).toEqual([{ path: 'imported/x/_posts/a.md.0123456789ab.backfile-tmp', message: expect.stringMatching(/interrupted/) }]);
    expect([...(await tree(archive)).keys()]).toEqual(['imported/x/_posts/a.md']);
  });

  it('reports progress: scanning, then copying with counts, then done', async () => {
    const site = path.join(tmp, 'site');
    await makeSite(site);
    const seen: ImportProgress[] = [];
    await importPosts([site], archive, { onProgress: (p) => seen.push(p), progressIntervalMs: 0 });
    expect(seen[0]?.phase).toBe('scanning');
    expect(seen.at(-1)).toEqual({ phase: 'done', scanned: 9, copied: 6, indexed: 0 });
    expect(seen.map((p) => p.phase)).toContain('copying');
  });
});

/** Many distinct posts, some with an image each. */
async function makeDump(root: string, count: number): Promise<Map<string, string>> {
  for (let i = 0; i < count; i += 1) {
    const image = i % 10 === 0 ? `![p](img/${i}.png)\n` : '';
    await writeFileAt(root, `2020-01-01-post-${String(i).padStart(3, '0')}.md`, post(`Post ${i}`, `${image}${'新闻 news '.repeat(200)} ${i}`));
    // A few images span several write chunks: a kill can land in the middle of one.
    if (image) await writeFileAt(root, `img/${i}.png`, `PNG ${i} ${'x'.repeat(i % 100 === 0 ? 2_500_000 : 5000)}`);
  }
  return tree(root);
}

/** Seed of the crash test's kill points (set BACKFILE_CRASH_SEED to try others). */
const KILL_SEED = Number(process.env.BACKFILE_CRASH_SEED ?? 3);
/** Files the child still has to copy when it is told to die: far more work than the signal takes to arrive. */
const LEFT_TO_COPY = 100;

describe('importPosts when interrupted', () => {
  it('cancelling leaves whole files only, and removes nothing it did not add', async () => {
    const dump = path.join(tmp, 'dump');
    const source = await makeDump(dump, 60);
    const controller = new AbortController();
    const report = await importPosts([dump], archive, {
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (p.copied === 7) controller.abort();
      },
    });
    expect(report.cancelled).toBe(true);
    expect(report.added).toBeGreaterThan(0);
    expect(report.added).toBeLessThan(60);
    const copied = await tree(archive);
    const sourceHashes = new Set(source.values());
    for (const [rel, hash] of copied) expect(sourceHashes.has(hash), rel).toBe(true);
    const posts = (await scanArchive(archive)).files.map((f) => f.relPath).sort();
    expect(posts).toEqual([...report.addedPaths].sort());
    // Every post that landed has its image.
    for (const rel of posts) {
      const text = await fs.readFile(path.join(archive, rel), 'utf8');
      const image = /\]\((img\/\d+\.png)\)/.exec(text)?.[1];
      if (image) expect(copied.has(`imported/dump/_posts/${image}`), rel).toBe(true);
    }
  });

  it('cancelled before copying, it leaves the archive as it was', async () => {
    const dump = path.join(tmp, 'dump');
    await makeDump(dump, 5);
    await writeFileAt(archive, '_posts/own.md', post('Own'));
    const controller = new AbortController();
    const report = await importPosts([dump], archive, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'copying') controller.abort();
      },
    });
    expect(report).toMatchObject({ cancelled: true, added: 0 });
    expect([...(await tree(archive)).keys()]).toEqual(['_posts/own.md']);
    expect(await fs.readdir(archive)).toEqual(['_posts']);
  });

  it('killed at many points of the copying, it never leaves part of a post; the next import and index update complete it', async () => {
    const dump = path.join(tmp, 'dump');
    const source = await makeDump(dump, 300);
    const sourceHashes = new Set(source.values());
    const child = path.resolve('tests/node/fixtures/import-child.ts');
    const rng = mulberry32(KILL_SEED);
    let partial = 0;
    for (let round = 0; round < 5; round += 1) {
      const left = 300 - (await scanArchive(archive)).files.length;
      // Files copied in this run before the kill (posts and images): seeded, at most half of what is over LEFT_TO_COPY,
      // so the child is always busy when the signal comes and the later rounds still find work.
      const killAfter = Math.floor(rng() * Math.max(0, (left - LEFT_TO_COPY) / 2));
      const finished = await runAndKill(child, [archive, dump], killAfter);
      expect(finished, `round ${round}: the import finished before its kill after ${killAfter} files (seed ${KILL_SEED})`).toBe(false);
      const posts = (await scanArchive(archive)).files;
      if (posts.length > 0 && posts.length < 300) partial += 1;
      for (const file of posts) {
        expect(sourceHashes.has(sha(await fs.readFile(file.absPath))), `${file.relPath} after a kill after ${killAfter} files`).toBe(true);
      }
      for (const [rel, hash] of await tree(archive)) {
        if (!rel.endsWith('.backfile-tmp')) expect(sourceHashes.has(hash), rel).toBe(true);
      }
    }
    expect(partial, 'kills that interrupted the copying').toBeGreaterThan(0);

    const report = await importPosts([dump], archive);
    expect(report.cancelled).toBe(false);
    const files = (await scanArchive(archive)).files;
    expect(files).toHaveLength(300); // each post exactly once, however often the import was repeated
    expect([...(await tree(archive)).keys()].filter((rel) => rel.endsWith('.backfile-tmp'))).toEqual([]);
    expect(new Set(await Promise.all(files.map(async (f) => sha(await fs.readFile(f.absPath)))))).toEqual(
      new Set([...source].filter(([rel]) => rel.endsWith('.md')).map(([, hash]) => hash)),
    );

    const { ArchiveService } = await import('../../src-main/node/archive/archive-service');
    const service = new ArchiveService();
    try {
      await service.open(archive, { waitForIndex: true, indexFile: path.join(tmp, 'index.sqlite') });
      const { IndexStore } = await import('../../src-main/node/index/store');
      const reader = IndexStore.open(path.join(tmp, 'index.sqlite'), { readonly: true }); // the service hands out no store
      expect([...reader.fileStates().keys()].sort()).toEqual(files.map((f) => f.relPath).sort());
      reader.close();
      const counts = service.info();
      expect(counts.posts + counts.hidden).toBe(300);
      expect((await service.list({ query: '', limit: 1 })).total).toBe(300);
    } finally {
      await service.close();
    }
  }, 120_000);
});

/**
 * Starts the import in a child process and SIGKILLs it once it reports `copiedFiles` files copied (0: as copying
 * starts). Resolves `true` if it finished first.
 */
function runAndKill(script: string, args: string[], copiedFiles: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const progress = JSON.parse(line) as Partial<ImportProgress>;
      if (progress.phase === 'copying' && (progress.copied ?? 0) >= copiedFiles) {
        child.kill('SIGKILL');
        lines.close();
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(false);
      else if (code === 0) resolve(true);
      else reject(new Error(`import child exited with ${code}`));
    });
  });
}
