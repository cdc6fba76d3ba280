import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileAtomic, hashFile } from '../../src-main/node/import/atomic-copy';
import { importPosts } from '../../src-main/node/import/import-posts';
import { tempDir } from '../helpers/temp';

/** Names that are not UTF-8 and files that are not files: possible on Linux (and macOS for the pipes), not Windows. */
const posix = process.platform !== 'win32';

let tmp: string;
let source: string;
let server: net.Server | null = null;

const post = (title: string) => `---\ntitle: ${title}\n---\ntext\n`;
const bytesPath = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));

beforeAll(async () => {
  tmp = tempDir('backfile-import-odd-');
  source = path.join(tmp, 'colleague');
  const posts = path.join(source, '_posts');
  fs.mkdirSync(posts, { recursive: true });
  fs.mkdirSync(path.join(tmp, 'archive'));
  fs.writeFileSync(path.join(posts, '2020-01-01-fine.md'), post('Fine'));
  if (!posix) return;
  fs.writeFileSync(bytesPath(`${posts}/2020-01-02-caf`, [0xe9], '.md'), post('Latin-1 name'));
  fs.mkdirSync(bytesPath(`${source}/`, [0xd0, 0xc2, 0xce, 0xc5]));
  execFileSync('mkfifo', [path.join(posts, '2020-01-03-pipe.md')]);
  fs.symlinkSync('2020-01-03-pipe.md', path.join(posts, '2020-01-04-link-to-pipe.md'));
  server = net.createServer();
  await new Promise<void>((resolve) => server?.listen(path.join(source, 'socket'), resolve));
});

afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

describe('importing files that cannot be read as posts', () => {
  it.skipIf(!posix)('reports names that are not UTF-8, pipes and sockets by name, never opening them, and imports the rest', async () => {
    const archive = path.join(tmp, 'archive');
    const report = await importPosts([source], archive);
    expect(report.addedPaths).toEqual(['imported/colleague/_posts/2020-01-01-fine.md']);
    expect(report.problems).toEqual([
      { path: path.join(source, '\\xD0\\xC2\\xCE\\xC5'), message: expect.stringMatching(/^name is not valid UTF-8/) },
      { path: path.join(source, '_posts/2020-01-02-caf\\xE9.md'), message: expect.stringMatching(/^name is not valid UTF-8 .*; not imported$/) },
      { path: path.join(source, '_posts/2020-01-03-pipe.md'), message: 'not a regular file (a named pipe); skipped' },
      { path: path.join(source, '_posts/2020-01-04-link-to-pipe.md'), message: 'not a regular file (a named pipe); skipped' },
      { path: path.join(source, 'socket'), message: 'not a regular file (a socket); skipped' },
    ]);
  });

  it.skipIf(!posix)('refuses a dropped named pipe as a whole source', async () => {
    const pipe = path.join(source, '_posts/2020-01-03-pipe.md');
    const report = await importPosts([pipe], path.join(tmp, 'archive'));
    expect(report.added).toBe(0);
    expect(report.problems).toEqual([{ path: pipe, message: 'not a regular file or a folder; nothing imported from it' }]);
  });
});

describe('a file that turns into a named pipe after it was listed', () => {
  it.skipIf(!posix)('is refused by the copy and the hash, not waited on (opened without blocking)', async () => {
    const pipe = path.join(tmp, 'swapped.md');
    execFileSync('mkfifo', [pipe]);
    await expect(copyFileAtomic(pipe, path.join(tmp, 'archive', 'swapped.md'))).rejects.toThrow(/not a regular file/);
    await expect(hashFile(pipe)).rejects.toThrow(/not a regular file/);
    expect(fs.readdirSync(path.join(tmp, 'archive'))).not.toContain('swapped.md');
  });
});
