import fs from 'node:fs/promises';
import { ArchiveError, type Article } from '../../shared/archive-api';
import { parsePost } from '../../core/parse-post';
import { locatePost } from '../../core/post-path';
import type { PostLocation } from '../../core/types';
import { highlightHtml } from '../../core/highlight-html';
import { compileQuery } from '../../core/query';
import { describeError } from '../fs-safety';
import { MAX_POST_BYTES } from '../index/update';
import { resolveInside } from './resolve-inside';

export interface ReadArticleOptions {
  /** The archive's layout as the index recorded it. */
  layout: 'jekyll' | 'flat';
  /** URL under which the viewer loads a local image of the archive. */
  assetUrl: (archivePath: string) => string;
  /** The reader's search query: its terms are marked in the body as the search matched them. */
  highlight?: string;
  /** The location as the site's `_config.yml` changes it (defaults, show_drafts, future), as the scan does. */
  site?: (relPath: string, location: PostLocation) => PostLocation;
}

/** Reads the first MAX_POST_BYTES of a file (a larger post is parsed as far as that, like the indexer does). */
async function readHead(absPath: string, postPath: string): Promise<Buffer> {
  try {
    const handle = await fs.open(absPath, 'r');
    try {
      const length = Math.min((await handle.stat()).size, MAX_POST_BYTES);
      const bytes = Buffer.alloc(length);
      await handle.read(bytes, 0, length, 0);
      return bytes;
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ArchiveError(code === 'ENOENT' ? 'NOT_FOUND' : 'INTERNAL', `the post ${postPath} could not be read: ${describeError(error)}`);
  }
}

/**
 * One post of the archive at `root`, read from disk (the source of truth: the index only said it exists),
 * parsed and rendered as the reader shows it.
 */
export async function readArticle(root: string, postPath: string, options: ReadArticleOptions): Promise<Article> {
  const absPath = await resolveInside(root, postPath);
  const bytes = await readHead(absPath, postPath);
  const location = locatePost(postPath, options.layout);
  const post = parsePost(postPath, bytes, options.site ? options.site(postPath, location) : location, {
    renderOptions: { assetUrl: options.assetUrl },
    maxBodyBytes: MAX_POST_BYTES,
  });
  const highlight = options.highlight?.trim() ? options.highlight : undefined;
  return {
    path: postPath,
    title: post.title,
    date: post.date,
    categories: post.categories,
    tags: post.tags,
    excerpt: post.excerpt,
    hidden: !post.published || post.draft,
    draft: post.draft,
    html: highlight ? highlightHtml(post.html, compileQuery(highlight).highlight) : post.html,
    source: post.source,
    meta: post.meta,
    hasRemoteContent: post.hasRemoteContent,
    problems: post.problems,
    absolutePath: absPath,
  };
}
