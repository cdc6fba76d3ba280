import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { decodeFileName } from '../../core/file-name';
import { describeError, isInside } from '../fs-safety';
import { specialKind } from '../index/scan';

/** A regular file found in a source, ready to be read. */
export interface SourceFile {
  /** Source-relative, `/`-separated (through links: the path the link gives it inside the source). */
  rel: string;
  /** Real path to read (links resolved; always inside the source). */
  abs: string;
  size: number;
}

export interface SourceScan {
  /** Real path of the folder the relative paths start from (a dropped file's own folder). */
  root: string;
  files: SourceFile[];
  /** Hidden and system entries left out (a `.git` folder counts once). */
  hidden: string[];
  /**
   * Links that loop or lead out of the source, unreadable folders, names that are not UTF-8 (`rel` shows their
   * bad bytes as `\xNN`), pipes, sockets and devices: `rel` and why.
   */
  problems: { rel: string; message: string }[];
  sawPostsFolder: boolean;
}

/** Never imported: version control, OS litter, generated sites and dependencies. */
const SYSTEM_NAMES = new Set(
  ['Thumbs.db', 'ehthumbs.db', 'desktop.ini', '$RECYCLE.BIN', 'System Volume Information', '__MACOSX', 'Icon\r',
    '_site', 'node_modules', '.jekyll-cache', '.sass-cache'].map((n) => n.toLowerCase()),
);

/** Hidden (`.git`, `.DS_Store`, `._x` AppleDouble files) or system files. */
export const isHiddenOrSystem = (name: string): boolean => name.startsWith('.') || SYSTEM_NAMES.has(name.toLowerCase());

/**
 * Lists every regular file of a source folder, read-only. Links are followed only when they resolve inside the
 * source, each real folder is walked once (a link loop is reported and ends), hidden and system entries are
 * left out. `signal` stops the walk between folders.
 */
export async function scanSourceFolder(folder: string, options: { signal?: AbortSignal; onFile?: () => void } = {}): Promise<SourceScan> {
  const root = await fs.realpath(folder);
  const scan: SourceScan = { root, files: [], hidden: [], problems: [], sawPostsFolder: false };
  const visited = new Set<string>([root]);

  const walk = async (absDir: string, relDir: string): Promise<void> => {
    options.signal?.throwIfAborted();
    let dirents: Dirent<Buffer>[];
    try {
      // Names as bytes: one that is not UTF-8 would come back as text with U+FFFD, naming no file.
      dirents = await fs.readdir(absDir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      scan.problems.push({ rel: relDir || '.', message: `folder could not be read: ${describeError(error)}` });
      return;
    }
    const entries = dirents.map((dirent) => ({ dirent, ...decodeFileName(dirent.name) }));
    entries.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    for (const { dirent: entry, text: name, valid } of entries) {
      const rel = relDir ? `${relDir}/${name}` : name;
      if (isHiddenOrSystem(name)) {
        scan.hidden.push(rel);
        continue;
      }
      if (!valid) {
        scan.problems.push({ rel, message: 'name is not valid UTF-8 (shown with \\x escapes), so it cannot be read; not imported' });
        continue;
      }
      const special = specialKind(entry);
      if (special) {
        scan.problems.push({ rel, message: `not a regular file (${special}); skipped` });
        continue;
      }
      let abs = path.join(absDir, name);
      let real = abs;
      if (entry.isSymbolicLink()) {
        const target = await fs.realpath(abs).catch(() => null);
        if (!target) {
          scan.problems.push({ rel, message: 'broken symbolic link, skipped' });
          continue;
        }
        if (!isInside(root, target)) {
          scan.problems.push({ rel, message: 'symbolic link points outside the imported folder, not followed' });
          continue;
        }
        real = target;
      }
      const stat = await fs.stat(real).catch(() => null);
      if (!stat) continue; // gone while scanning
      if (stat.isDirectory()) {
        if (name === '_posts') scan.sawPostsFolder = true;
        real = await fs.realpath(real).catch(() => real);
        if (visited.has(real)) {
          const loop = isInside(real, absDir);
          scan.problems.push({ rel, message: loop ? 'symbolic link loop, not followed' : 'links to a folder already imported, not followed again' });
          continue;
        }
        visited.add(real);
        await walk(real, rel);
      } else if (stat.isFile()) {
        abs = real;
        scan.files.push({ rel, abs, size: stat.size });
        options.onFile?.();
      } else {
        // Through a link: never opened (reading a named pipe waits for a writer).
        scan.problems.push({ rel, message: `not a regular file (${specialKind(stat) ?? 'unknown kind'}); skipped` });
      }
    }
  };
  await walk(root, '');
  return scan;
}

/**
 * Finds a file a dropped post refers to, next to it or below, without walking a whole Downloads folder:
 * hidden or system names, links that leave the folder, and folders are refused.
 */
export async function findBesideFile(root: string, rel: string): Promise<SourceFile | null> {
  if (rel.split('/').some(isHiddenOrSystem)) return null;
  const real = await fs.realpath(path.join(root, ...rel.split('/'))).catch(() => null);
  if (!real || !isInside(root, real)) return null;
  const stat = await fs.stat(real).catch(() => null);
  return stat?.isFile() ? { rel, abs: real, size: stat.size } : null;
}
