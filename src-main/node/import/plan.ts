import path from 'node:path/posix';
import { locatePost } from '../../core/post-path';

/**
 * Where imported files go: pure decisions, no file system. Everything lands under `imported/` in the archive,
 * in a folder named after the source, keeping the source's own structure (Jekyll takes categories from folders).
 */
export const IMPORT_FOLDER = 'imported';

/**
 * `site`: a folder with `_posts` folders inside (a Jekyll site, copied as it is);
 * `posts-folder`: a `_posts` (or `_drafts`) folder itself; `flat`: a folder of post files with no `_posts`
 * (a scraped dump); `file`: one dropped post file.
 */
export type SourceShape = 'site' | 'posts-folder' | 'flat' | 'file';

export interface Placement {
  /** Archive-relative folder (`/`-separated, ending in `/`) for files found by their path inside the source. */
  postPrefix: string;
  /** Archive-relative folder standing for the source root, for root-relative references (`/assets/x.png`). */
  rootPrefix: string;
  /** Rename `_posts` folders to `posts` (an archive without `_posts` folders must not gain one: see below). */
  renamePostsFolders: boolean;
}

const POST_FILE = /\.(md|markdown|mkdown|mkdn|mkd|html?)$/i;

/**
 * `flatArchive`: the archive is a plain folder of posts. One `_posts` folder anywhere would switch it to the
 * Jekyll layout, in which its own posts (outside `_posts`) stop being posts, so imports keep out of `_posts` there.
 */
export function placementFor(shape: SourceShape, sourceName: string, folderName: string, flatArchive: boolean): Placement {
  const base = shape === 'file' ? IMPORT_FOLDER : `${IMPORT_FOLDER}/${sourceName}`;
  let postPrefix = `${base}/`;
  if (shape === 'posts-folder' && (folderName === '_drafts' || !flatArchive)) postPrefix = `${base}/${folderName}/`;
  else if ((shape === 'flat' || shape === 'file') && !flatArchive) postPrefix = `${base}/_posts/`;
  return { postPrefix, rootPrefix: `${base}/`, renamePostsFolders: flatArchive };
}

/** Archive-relative destination of a source-relative path under a prefix. */
export function destinationOf(sourceRel: string, prefix: string, placement: Placement): string {
  const joined = path.normalize(prefix + sourceRel);
  if (!placement.renamePostsFolders) return joined;
  const segments = joined.split('/');
  return segments.map((s, i) => (s === '_posts' && i < segments.length - 1 ? 'posts' : s)).join('/');
}

/** Is this source file a post (or a draft) for the given source shape? */
export function isSourcePost(sourceRel: string, shape: SourceShape, folderName: string): boolean {
  switch (shape) {
    case 'site':
      return locatePost(sourceRel, 'jekyll').kind !== 'other';
    case 'posts-folder':
      return locatePost(`${folderName}/${sourceRel}`, 'jekyll').kind !== 'other';
    case 'flat':
      return locatePost(sourceRel, 'flat').kind === 'post';
    case 'file':
      return POST_FILE.test(sourceRel);
  }
}

/** Files with a post's extension: never copied as attachments (a stray `about.md` could become a post). */
export const hasPostExtension = (name: string): boolean => POST_FILE.test(name);

/**
 * The folder name a source gets under `imported/`: its own name (for `_posts`, its parent's), made safe:
 * no characters Windows refuses, and no leading `_`, `.` or `#` (Jekyll would skip such a folder's posts).
 */
export function sourceFolderName(sourcePath: string): string {
  const segments = sourcePath.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
  let name = segments.pop() ?? '';
  if ((name === '_posts' || name === '_drafts') && segments.length > 0) name = segments.pop() ?? '';
  const safe = name
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[<>:"/\\|?*\u0000-\u001f\u007f]/g, '_')
    .replace(/^[._#\s]+/, '')
    .replace(/[.\s~]+$/, '');
  return safe === '' ? 'source' : safe.slice(0, 120);
}

/**
 * Names macOS and Windows file systems treat as the same: they differ only in case or Unicode normalisation
 * (`café` written with one code point or two). Such twins must never overwrite each other.
 */
export const nameKey = (name: string): string => name.normalize('NFC').toLowerCase();

/** The n-th candidate for a name: `a.md`, then `a-2.md`, `a-3.md` … (the extension and a date prefix stay). */
export function numberedName(name: string, n: number): string {
  if (n <= 1) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}-${n}${name.slice(dot)}` : `${name}-${n}`;
}

/** The first candidate whose key nobody holds. */
export function freeName(name: string, takenKeys: { has(key: string): boolean }): string {
  for (let n = 1; ; n += 1) {
    const candidate = numberedName(name, n);
    if (!takenKeys.has(nameKey(candidate))) return candidate;
  }
}
