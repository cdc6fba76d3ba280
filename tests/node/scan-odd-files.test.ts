import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanArchive } from '../../src-main/node/index/scan';
import { tempDir } from '../helpers/temp';

/** Names that are not UTF-8 and files that are not files: possible on Linux (and macOS for the pipes), not Windows. */
const posix = process.platform !== 'win32';

let archive: string;
let server: net.Server | null = null;

const post = (title: string) => `---\ntitle: ${title}\n---\ntext\n`;
/** A path whose last name is raw bytes (a Latin-1 or GBK name from an old machine). */
const rawPath = (folder: string, ...parts: (string | number[])[]) =>
  Buffer.concat([Buffer.from(`${folder}/`), ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))]);

beforeAll(async () => {
  archive = path.join(tempDir('backfile-scan-odd-'), 'archive');
  fs.mkdirSync(path.join(archive, '_posts'), { recursive: true });
  fs.writeFileSync(path.join(archive, '_posts/2020-01-01-fine.md'), post('Fine'));
  if (!posix) return;
  const posts = path.join(archive, '_posts');
  fs.writeFileSync(rawPath(posts, '2020-01-02-caf', [0xe9], '.md'), post('Latin-1 name'));
  fs.mkdirSync(rawPath(archive, [0xd0, 0xc2, 0xce, 0xc5]));
  fs.mkdirSync(Buffer.concat([rawPath(archive, [0xd0, 0xc2, 0xce, 0xc5]), Buffer.from('/_posts')]));
  fs.writeFileSync(Buffer.concat([rawPath(archive, [0xd0, 0xc2, 0xce, 0xc5]), Buffer.from('/_posts/2020-01-03-x.md')]), post('In a GBK-named folder'));
  fs.writeFileSync(rawPath(posts, 'image-', [0xff], '.png'), 'PNG'); // not a post: nothing to report
  execFileSync('mkfifo', [path.join(posts, '2020-01-04-pipe.md')]);
  fs.symlinkSync('2020-01-04-pipe.md', path.join(posts, '2020-01-05-link-to-pipe.md'));
  server = net.createServer();
  await new Promise<void>((resolve) => server?.listen(path.join(archive, 'socket'), resolve));
});

afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

describe('scanArchive and files that cannot be read as posts', () => {
  it.skipIf(!posix)('reports a name that is not UTF-8, shown with escapes, instead of dropping it silently', async () => {
    const scan = await scanArchive(archive);
    expect(scan.files.map((f) => f.relPath)).toEqual(['_posts/2020-01-01-fine.md']);
    expect(scan.problems).toEqual(
      expect.arrayContaining([
        { path: '_posts/2020-01-02-caf\\xE9.md', message: expect.stringMatching(/not valid UTF-8.*skipped/), severity: 'warning' },
        { path: '\\xD0\\xC2\\xCE\\xC5', message: expect.stringMatching(/not valid UTF-8.*skipped/), severity: 'warning' },
      ]),
    );
    expect(scan.problems.some((p) => p.path.includes('image-'))).toBe(false);
  });

  it.skipIf(!posix)('reports named pipes and sockets (directly or through a link) as not regular files, without opening them', async () => {
    const scan = await scanArchive(archive);
    expect(scan.problems).toEqual(
      expect.arrayContaining([
        { path: '_posts/2020-01-04-pipe.md', message: 'not a regular file (a named pipe); skipped', severity: 'warning' },
        { path: '_posts/2020-01-05-link-to-pipe.md', message: 'not a regular file (a named pipe); skipped', severity: 'warning' },
        { path: 'socket', message: 'not a regular file (a socket); skipped', severity: 'warning' },
      ]),
    );
    expect(scan.problems).toHaveLength(5);
  });
});
