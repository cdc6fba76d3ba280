import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ArchiveError, type UploadedFile } from '../../shared/archive-api';

/** Loose dropped files (no folder) are imported together under this source name. */
export const LOOSE_FILES_FOLDER = 'dropped';

export interface StagedUploads {
  /** Top-level folders (or the loose-files folder) to hand to the importer. */
  sources: string[];
  remove(): Promise<void>;
}

/** The path segments a dropped file lands at inside the staging folder; refuses anything that could leave it. */
export function stagedPathOf(dropPath: string): string[] {
  const segments = dropPath.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0 || segments.length > 32 || segments.some((s) => s === '..' || s.includes('\\') || s.includes('\0') || /^[a-zA-Z]:$/.test(s))) {
    throw new ArchiveError('UNSAFE_PATH', `refused a dropped file with an unsafe path: ${JSON.stringify(dropPath.slice(0, 200))}`);
  }
  return segments.length === 1 ? [LOOSE_FILES_FOLDER, ...segments] : segments;
}

/** One dropped file being written while its bytes arrive (its path may arrive after them). */
export interface IncomingUpload {
  write(bytes: Uint8Array): Promise<void>;
}

/**
 * A private temp folder that dropped files are written into, keeping their relative paths, so the ordinary
 * importer can copy them (with its dedupe, naming and crash safety). Bytes go to disk as they arrive: a file is
 * first written under a private name and moved to its path once that is known and checked.
 */
export class UploadStaging {
  private readonly tops = new Set<string>();
  private incoming = 0;

  private constructor(private readonly dir: string) {}

  static async create(): Promise<UploadStaging> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'backfile-upload-'));
    await Promise.all([fs.mkdir(path.join(dir, 'files')), fs.mkdir(path.join(dir, 'incoming'))]);
    return new UploadStaging(dir);
  }

  async begin(): Promise<IncomingUpload & { finish(dropPath: string): Promise<void>; abandon(): Promise<void> }> {
    const temp = path.join(this.dir, 'incoming', String(this.incoming++));
    const handle: FileHandle = await fs.open(temp, 'wx');
    let open = true;
    const close = async () => {
      if (open) await handle.close();
      open = false;
    };
    return {
      write: async (bytes) => {
        await handle.write(bytes);
      },
      finish: async (dropPath) => {
        await close();
        const relative = stagedPathOf(dropPath);
        const target = path.join(this.dir, 'files', ...relative);
        const shown = JSON.stringify(dropPath.slice(0, 200));
        await fs.mkdir(path.dirname(target), { recursive: true }).catch(async (error: unknown) => {
          const code = (error as NodeJS.ErrnoException).code;
          if (code !== 'ENOTDIR' && code !== 'EEXIST') throw error;
          // An earlier file of the drop sits where this one needs a folder ("a/b" then "a/b/c").
          const clash = await this.fileAmong(relative.slice(0, -1));
          throw new ArchiveError('INVALID_ARGUMENT', `the drop names ${shown} inside ${JSON.stringify((clash ?? dropPath).slice(0, 200))}, which is a file`);
        });
        // link (not rename) so a path named twice is refused instead of overwriting the first file.
        await fs.link(temp, target).catch(async (error: unknown) => {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          const folder = await fs.lstat(target).then((stat) => stat.isDirectory(), () => false);
          // "a/b/c" then "a/b": the earlier file made "a/b" a folder.
          if (folder) throw new ArchiveError('INVALID_ARGUMENT', `the drop names ${shown} as a file and as a folder`);
          throw new ArchiveError('INVALID_ARGUMENT', `the drop names ${shown} twice`);
        });
        await fs.rm(temp);
        this.tops.add(relative[0] as string);
      },
      abandon: async () => {
        await close().catch(() => undefined);
        await fs.rm(temp, { force: true });
      },
    };
  }

  /** The first of the staged folders `segments` leads through that is not a folder, as a drop path. */
  private async fileAmong(segments: string[]): Promise<string | null> {
    for (let n = 1; n <= segments.length; n++) {
      const stat = await fs.lstat(path.join(this.dir, 'files', ...segments.slice(0, n))).catch(() => null);
      if (stat && !stat.isDirectory()) return segments.slice(0, n).join('/');
      if (!stat) return null;
    }
    return null;
  }

  async add(file: UploadedFile): Promise<void> {
    stagedPathOf(file.path);
    const incoming = await this.begin();
    try {
      await incoming.write(Buffer.from(file.data, 'base64'));
      await incoming.finish(file.path);
    } catch (error) {
      await incoming.abandon();
      throw error;
    }
  }

  get staged(): StagedUploads {
    return { sources: [...this.tops].sort().map((top) => path.join(this.dir, 'files', top)), remove: () => this.remove() };
  }

  remove(): Promise<void> {
    return fs.rm(this.dir, { recursive: true, force: true });
  }
}

/** Stages files that are already in memory (the contract's `importFiles` called in-process). */
export async function stageUploads(files: UploadedFile[]): Promise<StagedUploads> {
  for (const file of files) stagedPathOf(file.path); // refuse before anything is written
  const staging = await UploadStaging.create();
  try {
    for (const file of files) await staging.add(file);
    return staging.staged;
  } catch (error) {
    await staging.remove();
    throw error;
  }
}
