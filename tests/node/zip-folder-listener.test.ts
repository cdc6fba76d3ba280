/** zipFolder takes its abort listener off the signal on every way out, an unsafe entry name's throw included. */
import fs from 'node:fs';
import { getEventListeners } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zipFolder } from '../../src-main/node/export/zip-folder';
import { tempDir } from '../helpers/temp';

describe('zipFolder and its signal', () => {
  it('leaves no abort listener behind when an entry name is refused', async () => {
    const folder = tempDir('backfile-zip-listener-');
    fs.writeFileSync(path.join(folder, 'index.html'), '<p>首页</p>');
    const zipFile = path.join(tempDir('backfile-zip-listener-out-'), 'x.zip');
    const signal = new AbortController().signal;
    await expect(zipFolder(folder, zipFile, { root: '..', signal })).rejects.toThrow(/not a safe name/);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(fs.existsSync(zipFile)).toBe(false);
  });

  it('leaves none after a packed zip either', async () => {
    const folder = tempDir('backfile-zip-listener-');
    fs.writeFileSync(path.join(folder, 'index.html'), '<p>首页</p>');
    const zipFile = path.join(tempDir('backfile-zip-listener-out-'), 'x.zip');
    const signal = new AbortController().signal;
    expect(await zipFolder(folder, zipFile, { root: 'dossier', signal })).toMatchObject({ cancelled: false });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});
