/**
 * What a path means in a Jekyll site: a post (under `_posts`), a draft (under `_drafts`) or anything else, which
 * folders above `_posts` act as categories, and what the `YYYY-MM-DD-slug` file name says.
 * `flat` is for a plain folder of posts with no `_posts` anywhere (the finews-sample layout).
 */
import type { PostLocation } from './types';
import { isoDay } from './dates';

const MARKDOWN_EXTENSIONS = new Set(['md', 'markdown', 'mkdown', 'mkdn', 'mkd']);
const HTML_EXTENSIONS = new Set(['html', 'htm']);
/** Files a plain folder holds next to its posts that are not posts. */
const FLAT_NON_POSTS = new Set(['readme', 'license', 'licence', 'changelog']);

export type ArchiveLayout = 'jekyll' | 'flat';

/**
 * `keep`: is the entry at this archive-relative path (a folder on the way, or the file) brought back by the
 * site's `include`, although its name is one Jekyll skips (`_notes`, `.well-known`)? See site-config.ts.
 */
export function locatePost(relPath: string, layout: ArchiveLayout, keep: (entryPath: string) => boolean = () => false): PostLocation {
  const segments = relPath.split('/').filter((s) => s !== '' && s !== '.');
  const skipped = (name: string, i: number): boolean => isIgnoredName(name) && !keep(segments.slice(0, i + 1).join('/'));
  const fileName = segments.pop() ?? '';
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  const base = dot > 0 ? fileName.slice(0, dot) : fileName;
  const format = HTML_EXTENSIONS.has(extension) ? 'html' : 'markdown';
  const { fileDate, fileDateInvalid, slug } = readFileName(base);
  const location: PostLocation = { kind: 'other', folderCategories: [], fileDate, fileDateInvalid, slug, format };

  const isCandidate = MARKDOWN_EXTENSIONS.has(extension) || HTML_EXTENSIONS.has(extension);
  if (!isCandidate || (isIgnoredName(fileName) && !keep([...segments, fileName].join('/')))) return location;

  if (layout === 'flat') {
    if (segments.some(skipped) || FLAT_NON_POSTS.has(base.toLowerCase())) return location;
    return { ...location, kind: 'post' };
  }

  const marker = segments.findIndex((s) => s === '_posts' || s === '_drafts');
  if (marker === -1) return location;
  // Jekyll skips `_`/`.` folders everywhere except the special `_posts`/`_drafts` folder itself.
  if (segments.some((s, i) => i !== marker && skipped(s, i))) return location;
  return {
    ...location,
    kind: segments[marker] === '_posts' ? 'post' : 'draft',
    // Jekyll 3+: only folders above `_posts` are categories; subfolders below it are not.
    folderCategories: segments.slice(0, marker),
  };
}

/** Hidden and special names Jekyll's entry filter skips: `.git`, `_site`, `#draft#`, `backup~`. */
function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_') || name.startsWith('#') || name.endsWith('~');
}

function readFileName(base: string): { fileDate: string | null; fileDateInvalid: string | null; slug: string } {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:-(.*))?$/.exec(base);
  if (!m) return { fileDate: null, fileDateInvalid: null, slug: cleanSlug(base) };
  const [, y, mo, d, rest] = m;
  const written = `${y}-${mo}-${d}`;
  const day = isoDay(Number(y), Number(mo), Number(d));
  const slug = rest === undefined || cleanSlug(rest) === '' ? written : cleanSlug(rest);
  return { fileDate: day, fileDateInvalid: day ? null : written, slug };
}

/** `-202205262391921712` (a date-less scraped name) → `202205262391921712`. */
function cleanSlug(text: string): string {
  const trimmed = text.replace(/^-+/, '');
  return trimmed === '' ? text : trimmed;
}
