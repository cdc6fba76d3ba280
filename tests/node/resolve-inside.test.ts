import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRelativePath, resolveInside } from '../../src-main/node/archive/resolve-inside';
import { tempDir } from '../helpers/temp';

describe('resolveInside (the path guard)', () => {
  const root = fs.realpathSync(tempDir());
  fs.mkdirSync(path.join(root, '_posts'));
  fs.writeFileSync(path.join(root, '_posts', 'a.md'), 'x');
  const outside = path.join(tempDir(), 'secret.txt');
  fs.writeFileSync(outside, 'secret');
  fs.symlinkSync(outside, path.join(root, '_posts', 'link.md'));

  it('answers the real file of a path inside the archive', async () => {
    expect(await resolveInside(root, '_posts/a.md')).toBe(path.join(root, '_posts', 'a.md'));
    expect(await resolveInside(root, '_posts/../_posts/a.md')).toBe(path.join(root, '_posts', 'a.md'));
  });

  it('refuses paths that leave the archive with UNSAFE_PATH, and bad input with INVALID_ARGUMENT', async () => {
    for (const bad of ['../../etc/passwd', '/etc/passwd', '_posts/../../x', 'a\\..\\b', 'x\0y', 'C:/Windows/win.ini', '_posts/link.md']) {
      await expect(resolveInside(root, bad), bad).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    }
    expect(() => checkRelativePath('')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => checkRelativePath(42)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('answers NOT_FOUND for a missing file', async () => {
    await expect(resolveInside(root, '_posts/missing.md')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
