/** zipFolder packs a folder into one zip under one relative root, streaming; cancelled, it leaves no zip. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { zipFolder } from '../../src-main/node/export/zip-folder';
import { tempDir } from '../helpers/temp';

function folderOf(files: Record<string, string | Buffer>): string {
  const dir = tempDir('backfile-zip-in-');
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), body);
  }
  return dir;
}

async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    out.set(entry.fileName, Buffer.concat(chunks));
  }
  return out;
}

describe('zipFolder', () => {
  it('packs every file under the root folder with UTF-8 names, byte for byte, counting files as it goes', async () => {
    // Not compressible: a 3 MiB file of seeded pseudo-random bytes goes through the stream whole.
    let seed = 7;
    const noise = Buffer.from(new Uint8Array(3 * 1024 * 1024).map(() => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff));
    const folder = folderOf({ 'index.html': '<p>首页</p>', 'articles/0001.html': '<p>一</p>', 'assets/0001-图表.png': noise });
    const zipFile = path.join(tempDir('backfile-zip-out-'), '新闻-dossier.zip');
    const progress: [number, number][] = [];
    const result = await zipFolder(folder, zipFile, { root: '新闻-dossier', onProgress: (packed, total) => progress.push([packed, total]) });
    expect(result).toEqual({ bytes: fs.statSync(zipFile).size, cancelled: false });
    const entries = await readZip(zipFile);
    expect([...entries.keys()].sort()).toEqual(['新闻-dossier/articles/0001.html', '新闻-dossier/assets/0001-图表.png', '新闻-dossier/index.html']);
    expect(entries.get('新闻-dossier/index.html')!.toString('utf8')).toBe('<p>首页</p>');
    expect(entries.get('新闻-dossier/assets/0001-图表.png')!.equals(noise)).toBe(true);
    expect(progress[0]).toEqual([0, 3]);
    expect(progress.at(-1)).toEqual([3, 3]);
  });

  it('cancelled while packing, it stops and leaves no zip', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`articles/${String(i).padStart(4, '0')}.html`] = `<p>${'x'.repeat(20_000)}${i}</p>`;
    const folder = folderOf(files);
    const zipFile = path.join(tempDir('backfile-zip-out-'), 'a.zip');
    const controller = new AbortController();
    let last = 0;
    const result = await zipFolder(folder, zipFile, {
      root: 'a',
      signal: controller.signal,
      onProgress: (packed) => {
        last = packed;
        if (packed === 5) controller.abort();
      },
    });
    expect(result).toEqual({ bytes: 0, cancelled: true });
    expect(last).toBeLessThan(40);
    expect(fs.existsSync(zipFile)).toBe(false);
    expect(fs.readdirSync(path.dirname(zipFile))).toEqual([]);
  });

  it('refuses to replace an existing file', async () => {
    const folder = folderOf({ 'index.html': 'x' });
    const zipFile = path.join(tempDir('backfile-zip-out-'), 'a.zip');
    fs.writeFileSync(zipFile, 'mine');
    await expect(zipFolder(folder, zipFile, { root: 'a' })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(fs.readFileSync(zipFile, 'utf8')).toBe('mine');
  });
});
