/**
 * A draft is a post under a `_drafts` folder (the first `_posts`/`_drafts` folder of its path decides, as in
 * the core's post-path). The list's summaries say only `hidden`; this tells a draft from an unpublished post.
 */
export function isDraftPath(path: string): boolean {
  const special = path.split(/[\\/]/).find((segment) => segment === '_posts' || segment === '_drafts');
  return special === '_drafts';
}
