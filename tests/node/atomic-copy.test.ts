import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanStrayTemps, copyFileAtomic, hashFile } from '../../src-main/node/import/atomic-copy';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'backfile-atomic-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describe('copyFileAtomic', () => {
  it('copies the bytes and the modification time, and leaves no temporary file', async () => {
    const bytes = Buffer.from('---\ntitle: 新闻\n---\nbody\n');
    await fs.writeFile(path.join(dir, 'src.md'), bytes);
    const when = new Date('2019-03-01T09:15:00Z');
    await fs.utimes(path.join(dir, 'src.md'), when, when);
    const result = await copyFileAtomic(path.join(dir, 'src.md'), path.join(dir, 'dest.md'));
    expect(result).toEqual({ written: true, sha256: sha(bytes) });
    expect(await fs.readFile(path.join(dir, 'dest.md'))).toEqual(bytes);
    expect((await fs.stat(path.join(dir, 'dest.md'))).mtime.getTime()).toBe(when.getTime());
    expect((await fs.readdir(dir)).sort()).toEqual(['dest.md', 'src.md']);
  });

  it('never replaces an existing file', async () => {
    await fs.writeFile(path.join(dir, 'src.md'), 'new');
    await fs.writeFile(path.join(dir, 'dest.md'), 'old');
    const result = await copyFileAtomic(path.join(dir, 'src.md'), path.join(dir, 'dest.md'));
    expect(result.written).toBe(false);
    expect(await fs.readFile(path.join(dir, 'dest.md'), 'utf8')).toBe('old');
    expect((await fs.readdir(dir)).sort()).toEqual(['dest.md', 'src.md']);
  });

  it('copies a file larger than one chunk whole', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    await fs.writeFile(path.join(dir, 'big.bin'), bytes);
    const result = await copyFileAtomic(path.join(dir, 'big.bin'), path.join(dir, 'copy.bin'));
    expect(result.sha256).toBe(sha(bytes));
    expect(await hashFile(path.join(dir, 'copy.bin'))).toBe(sha(bytes));
  });

  it('an aborted copy leaves neither the file nor its temporary', async () => {
    await fs.writeFile(path.join(dir, 'src.md'), 'x');
    const controller = new AbortController();
    controller.abort();
    await expect(copyFileAtomic(path.join(dir, 'src.md'), path.join(dir, 'dest.md'), { signal: controller.signal })).rejects.toThrow();
    expect(await fs.readdir(dir)).toEqual(['src.md']);
  });

  it('aborted in the middle of a large file, it leaves neither the file nor its temporary', async () => {
    await fs.writeFile(path.join(dir, 'big.bin'), Buffer.alloc(16 * 1024 * 1024, 1));
    const controller = new AbortController();
    const copy = copyFileAtomic(path.join(dir, 'big.bin'), path.join(dir, 'copy.bin'), { signal: controller.signal });
    // Let it open the files and write a chunk or two first.
    for (let i = 0; i < 6; i += 1) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(copy).rejects.toThrow();
    expect(await fs.readdir(dir)).toEqual(['big.bin']);
  });

  it('a failing write (destination folder gone) leaves nothing behind and says why', async () => {
    await fs.writeFile(path.join(dir, 'src.md'), 'x');
    await expect(copyFileAtomic(path.join(dir, 'src.md'), path.join(dir, 'missing', 'dest.md'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fs.readdir(dir)).toEqual(['src.md']);
  });

  it('does not read through a symbolic link given as the source', async () => {
    await fs.writeFile(path.join(dir, 'secret'), 'secret');
    await fs.symlink(path.join(dir, 'secret'), path.join(dir, 'link.md'));
    await expect(copyFileAtomic(path.join(dir, 'link.md'), path.join(dir, 'dest.md'))).rejects.toThrow();
    expect(await fs.readdir(dir)).not.toContain('dest.md');
  });
});

describe('cleanStrayTemps', () => {
  it('removes the temporary files of interrupted copies, and nothing else', async () => {
    await fs.mkdir(path.join(dir, 'a', '_posts'), { recursive: true });
    await fs.writeFile(path.join(dir, 'a', '_posts', 'x.md.0123456789ab.backfile-tmp'), 'half');
    await fs.writeFile(path.join(dir, 'top.md.abcdefabcdef.backfile-tmp'), 'half');
    await fs.writeFile(path.join(dir, 'a', '_posts', 'x.md'), 'whole');
    await fs.writeFile(path.join(dir, 'a', 'notes.backfile-tmp'), 'not ours: no random part');
    expect((await cleanStrayTemps(dir)).sort()).toEqual(['a/_posts/x.md.0123456789ab.backfile-tmp', 'top.md.abcdefabcdef.backfile-tmp']);
    expect((await fs.readdir(path.join(dir, 'a', '_posts')))).toEqual(['x.md']);
    expect((await fs.readdir(path.join(dir, 'a'))).sort()).toEqual(['_posts', 'notes.backfile-tmp']);
    expect(await cleanStrayTemps(path.join(dir, 'missing'))).toEqual([]);
  });
});
