import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { runImportCommand } from '../../src-main/cli/import-command';
import { writeTree } from '../helpers/write-tree';

let tmp: string;
let archive: string;
let site: string;
let index: string;

/** The CLI as a person runs it (`npm run --silent cli -- …` is `tsx src-main/cli/main.ts …`). */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/main.ts', ...args], {
      env: { ...process.env, BACKFILE_DATA_DIR: path.join(tmp, 'data') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'backfile-import-cli-')));
  archive = path.join(tmp, 'archive');
  site = path.join(tmp, 'colleague');
  index = path.join(tmp, 'index.sqlite');
  await writeTree(archive, { '_posts/2019-01-01-own.md': '---\ntitle: Own\n---\nown post\n' });
  await writeTree(site, {
    '_posts/2020-01-01-a.md': '---\ntitle: Alpha\ncategories: [politics]\n---\n![a](/assets/a.png) alpha text\n',
    '_posts/2020-01-02-b.md': '---\ntitle: Beta\n---\nbeta text\n',
    '_posts/2020-01-03-same-as-own.md': '---\ntitle: Own\n---\nown post\n',
    'assets/a.png': 'PNG',
    'index.html': '<html></html>',
  });
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('cli import', () => {
  it('copies, updates the index and prints the JSON contract', async () => {
    const { code, stdout, stderr } = await cli('import', site, '--into', archive, '--json', '--index', index);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(['added', 'addedPaths', 'cancelled', 'duplicateFiles', 'duplicates', 'problems', 'renamed', 'skipped']);
    expect(report).toEqual({
      added: 2,
      duplicates: 1,
      renamed: 0,
      skipped: 1, // index.html: nothing refers to it
      problems: [],
      addedPaths: ['imported/colleague/_posts/2020-01-01-a.md', 'imported/colleague/_posts/2020-01-02-b.md'],
      duplicateFiles: [{ path: 'colleague/_posts/2020-01-03-same-as-own.md', existing: '_posts/2019-01-01-own.md' }],
      cancelled: false,
    });
    // The index was brought up to date: the new posts are searchable at once, categories from folders included.
    const search = await cli('search', archive, 'alpha', '--json', '--index', index);
    const hits = JSON.parse(search.stdout) as { total: number; hits: { path: string; categories: string[] }[] };
    expect(hits.total).toBe(1);
    expect(hits.hits[0]?.path).toBe('imported/colleague/_posts/2020-01-01-a.md');
    expect(hits.hits[0]?.categories).toEqual(expect.arrayContaining(['imported', 'colleague', 'politics']));
  });

  it('adds nothing when the same folder is imported again, and says so in words without --json', async () => {
    const { code, stdout } = await cli('import', site, '--into', archive, '--index', index);
    expect(code).toBe(0);
    expect(stdout).toMatch(/0 posts added/);
    expect(stdout).toMatch(/3 already there/);
    // Names each skipped file and the copy already there.
    expect(stdout).toContain('colleague/_posts/2020-01-03-same-as-own.md: same as _posts/2019-01-01-own.md');
    expect(stdout).toContain('colleague/_posts/2020-01-01-a.md: same as imported/colleague/_posts/2020-01-01-a.md');
    const stats = JSON.parse((await cli('stats', archive, '--json', '--index', index)).stdout) as { posts: number };
    expect(stats.posts).toBe(3);
  });

  it('exits 1 when nothing could be imported, still reporting why', async () => {
    const { code, stdout } = await cli('import', path.join(tmp, 'missing'), tmp, '--into', archive, '--json', '--index', index);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { added: number; problems: { path: string; message: string }[] };
    expect(report.added).toBe(0);
    expect(report.problems.map((p) => p.message)).toEqual([expect.stringMatching(/not found/), expect.stringMatching(/into itself/)]);
  });

  it('refuses a missing archive and a missing --into with a one-line message', async () => {
    const missingArchive = await cli('import', site, '--into', path.join(tmp, 'no-archive'), '--json');
    expect(missingArchive.code).toBe(1);
    expect(missingArchive.stderr).toMatch(/^backfile: archive folder not found/);
    const noInto = await cli('import', site);
    expect(noInto.code).toBe(2);
    expect(noInto.stderr).toMatch(/--into/);
  });
});

describe('runImportCommand (in this process)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('goes through ArchiveService.importPaths, as the desktop app and browser mode do, and shows its progress', async () => {
    const second = path.join(tmp, 'second-archive');
    await writeTree(second, { '_posts/2019-01-01-own.md': '---\ntitle: Own\n---\nown post\n' });
    const importPaths = vi.spyOn(ArchiveService.prototype, 'importPaths');
    let stdout = '';
    let stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    let code: number;
    try {
      code = await runImportCommand([site], second, { index: path.join(tmp, 'second.sqlite') });
    } finally {
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
    expect(code).toBe(0);
    expect(importPaths).toHaveBeenCalledTimes(1);
    expect(importPaths).toHaveBeenCalledWith([site]);
    expect(stdout).toMatch(/^Imported into .*second-archive: 2 posts added, 1 already there \(skipped\), 1 other files left out\.\n\nAlready there \(skipped\):\n {2}colleague\/_posts\/2020-01-03-same-as-own\.md: same as _posts\/2019-01-01-own\.md\n$/);
    // The service's own progress events: copying, then the index update that makes the posts searchable.
    expect(stderr).toMatch(/\rcopying: 5 found, 0 copied/);
    expect(stderr).toMatch(/\rindexing: 2 found, 2 copied/);
    expect(stderr.endsWith('\n')).toBe(true);
  });
});
