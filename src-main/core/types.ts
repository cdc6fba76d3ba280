/**
 * Data types shared by the pieces of the core. Pure data, no behaviour.
 * Each piece has its own file: decode → front matter → post path → dates → render → parse-post.
 */
import type { PostDate, Problem } from '../shared/archive-api';

export type { PostDate, Problem };

/** How the file's bytes were turned into text. */
export type TextEncodingName = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** Set when the decoding is a guess a person should know about, or failed. */
  problem?: string;
  /** True when the bytes could not be decoded with confidence; the text must not be indexed as if it were right. */
  uncertain: boolean;
}

/** Where a path sits in a Jekyll site. */
export interface PostLocation {
  kind: 'post' | 'draft' | 'other';
  /** Folders above `_posts` (or `_drafts`), as categories. */
  folderCategories: string[];
  /** `YYYY-MM-DD` from the file name when it is a real day. */
  fileDate: string | null;
  /** The file name carries a date that does not exist (2021-02-30): report it. */
  fileDateInvalid: string | null;
  /** File name without date prefix and extension, e.g. `js-front-matter`. */
  slug: string;
  format: 'markdown' | 'html';
  /** `_config.yml` front-matter defaults for this path (the post's own front matter wins). */
  defaults?: Record<string, unknown>;
  /** `_config.yml` says `future: false`: a post dated after this wall clock (`YYYY-MM-DDTHH:MM:SS`) is unpublished. */
  hideAfter?: string;
}

export interface FrontMatterResult {
  data: Record<string, unknown>;
  /** The text after the front matter (the whole text when there is none or it was rejected). */
  body: string;
  hasFrontMatter: boolean;
  /** Why the front matter was not used, worded for a person; the body is still readable. */
  problem?: string;
}

export interface RenderedBody {
  /** Sanitised HTML. */
  html: string;
  /** Plain text for indexing and snippets: no markup, no Liquid. */
  text: string;
  /** The original article URL when the body names one (trailing `<http://…>` autolink in scraped news). */
  source: string | null;
  /** Does the HTML reference remote images/media (now in `data-remote-src`, not fetched)? */
  hasRemoteContent: boolean;
}

export interface RenderOptions {
  /** Archive-relative path of the post, `/`-separated: relative image links resolve from its folder. */
  postPath: string;
  /** Turns an archive-relative asset path into the URL the viewer loads it from. Default: `backfile-asset://archive/<path>`. */
  assetUrl?: (archivePath: string) => string;
}

/** Everything Backfile knows about one post after reading it. */
export interface ParsedPost {
  path: string;
  title: string;
  date: PostDate;
  year: number | null;
  month: number | null;
  categories: string[];
  tags: string[];
  published: boolean;
  draft: boolean;
  format: 'markdown' | 'html';
  /** Front-matter fields as parsed. */
  meta: Record<string, unknown>;
  /** The body as written (decoded), without front matter. */
  body: string;
  /** Sanitised HTML of the body (from renderBody). */
  html: string;
  /** Plain text of the rendered body. */
  text: string;
  /** From renderBody: remote images are in data-remote-src, not fetched. */
  hasRemoteContent: boolean;
  excerpt: string;
  source: string | null;
  encoding: TextEncodingName;
  problems: Problem[];
}
