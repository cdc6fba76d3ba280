/**
 * writeExport's file errors come back as contract codes with a message a person can act on, after an `error`
 * progress event, and leave nothing behind: a folder that cannot be written to (READ_ONLY), a folder standing
 * where the file should go (INVALID_ARGUMENT), a full disk (TOO_LARGE).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { exportFileError, writeExport } from '../../src-main/node/export/write-export';
import { ArchiveError, type ExportProgress } from '../../src-main/shared/archive-api';
import { tempDir } from '../helpers/temp';

let service: ArchiveService;
beforeAll(async () => {
  const root = path.join(tempDir('backfile-write-export-errors-'), 'a');
  fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
  for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(root, `_posts/2020-04-01-p${i}.md`), `---\ntitle: P${i}\n---\nx\n`);
  service = new ArchiveService({});
  await service.open(root, { waitForIndex: true, indexFile: path.join(tempDir('backfile-write-export-errors-index-'), 'index.sqlite') });
});
afterAll(() => service.close());

const canWrite = (folder: string): boolean => {
  const probe = path.join(folder, '.probe');
  try {
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
    return true;
  } catch {
    return false;
  }
};

/** Makes `folder` read-only: chmod, and where root ignores that, the immutable attribute (chattr +i). Answers how to undo it, or null when neither works. */
function makeReadOnly(folder: string): (() => void) | null {
  fs.chmodSync(folder, 0o555);
  if (!canWrite(folder)) return () => fs.chmodSync(folder, 0o755);
  try {
    execFileSync('chattr', ['+i', folder], { stdio: 'ignore' });
  } catch {
    fs.chmodSync(folder, 0o755);
    return null;
  }
  const undo = () => {
    execFileSync('chattr', ['-i', folder], { stdio: 'ignore' });
    fs.chmodSync(folder, 0o755);
  };
  if (!canWrite(folder)) return undo;
  undo();
  return null;
}

describe('file errors as contract codes', () => {
  it('a folder that cannot be written to: READ_ONLY with its folder named, an error event, no file left', async () => {
    const folder = tempDir('backfile-write-export-ro-');
    const undo = makeReadOnly(folder);
    if (!undo) {
      // Running as root without chattr: the folder stays writable, so there is nothing to refuse.
      console.warn('skipped: this user can write to a chmod 555 folder and chattr +i is not available');
      return;
    }
    const progress: ExportProgress[] = [];
    try {
      const failed = writeExport(service, { format: 'csv', query: {} }, path.join(folder, 'out.csv'), { onProgress: (p) => progress.push(p) });
      await expect(failed).rejects.toMatchObject({ code: 'READ_ONLY', message: expect.stringContaining(fs.realpathSync(folder)) });
      await expect(failed).rejects.not.toMatchObject({ message: expect.stringMatching(/EACCES|EPERM|open '/) });
      expect(progress.at(-1)).toMatchObject({ phase: 'error', message: expect.stringMatching(/cannot write the export/) });
      expect(fs.readdirSync(folder)).toEqual([]);
    } finally {
      undo();
    }
  });

  it("a folder where the file should go, replacing allowed (a save dialog's consent): INVALID_ARGUMENT, the folder untouched", async () => {
    const folder = tempDir('backfile-write-export-dir-');
    const inTheWay = path.join(folder, 'out.csv');
    fs.mkdirSync(inTheWay);
    fs.writeFileSync(path.join(inTheWay, 'keep.txt'), 'kept');
    const progress: ExportProgress[] = [];
    const failed = writeExport(service, { format: 'csv', query: {} }, inTheWay, { overwrite: true, onProgress: (p) => progress.push(p) });
    await expect(failed).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/is a folder/) });
    expect(progress.at(-1)).toMatchObject({ phase: 'error' });
    expect(fs.readFileSync(path.join(inTheWay, 'keep.txt'), 'utf8')).toBe('kept');
    expect(fs.readdirSync(folder)).toEqual(['out.csv']);
  });

  it("maps the file system's codes (a full disk, a folder met while renaming) and leaves contract errors alone", () => {
    const raw = (code: string) => Object.assign(new Error(`${code}: raw node text, open '/x/.out.csv.part'`), { code });
    expect(exportFileError(raw('ENOSPC'), '/x/out.csv')).toMatchObject({ code: 'TOO_LARGE', message: expect.stringMatching(/disk holding \/x is full/) });
    expect(exportFileError(raw('EISDIR'), '/x/out.csv')).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(exportFileError(raw('EROFS'), '/x/out.csv')).toMatchObject({ code: 'READ_ONLY', message: expect.stringMatching(/read-only/) });
    const busy = new ArchiveError('BUSY', 'busy');
    expect(exportFileError(busy, '/x/out.csv')).toBe(busy);
  });
});
