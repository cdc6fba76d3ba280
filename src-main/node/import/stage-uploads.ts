import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { UploadedFile } from '../../shared/archive-api';

/** Loose dropped files (no folder) are imported together under this source name. */
export const LOOSE_FILES_FOLDER = 'dropped';

export interface StagedUploads {
  /** Top-level folders (or the loose-files folder) to hand to the importer. */
  sources: string[];
  remove(): Promise<void>;
}

/**
 * Writes files dropped in browser mode into a private temp folder, keeping their relative paths, so the
 * ordinary importer can copy them (with its dedupe, naming and crash safety). Paths that try to leave the
 * folder are refused before anything is written.
 */
export async function stageUploads(files: UploadedFile[]): Promise<StagedUploads> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'backfile-upload-'));
  const remove = () => fs.rm(dir, { recursive: true, force: true });
  try {
    const tops = new Set<string>();
    for (const file of files) {
      const segments = file.path.split('/').filter((s) => s !== '' && s !== '.');
      if (segments.length === 0 || segments.length > 32 || segments.some((s) => s === '..' || s.includes('\\') || s.includes('\0') || /^[a-zA-Z]:$/.test(s))) {
        throw new Error(`refused a dropped file with an unsafe path: ${JSON.stringify(file.path.slice(0, 200))}`);
      }
      const relative = segments.length === 1 ? [LOOSE_FILES_FOLDER, ...segments] : segments;
      const target = path.join(dir, ...relative);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, Buffer.from(file.data, 'base64'), { flag: 'wx' });
      tops.add(relative[0] as string);
    }
    return { sources: [...tops].sort().map((top) => path.join(dir, top)), remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
