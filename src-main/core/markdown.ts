/**
 * Markdown to (unsanitised) HTML, plus the one thing scraped news needs from the Markdown itself:
 * the article's source URL, written as a `<http://…>` autolink on its own line at the end of the post.
 * The output is not safe to show: the sanitiser runs on it next.
 */
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { escapeAttribute } from './html-escape';

/**
 * Built once: `html: true` because real scraped posts carry raw HTML bodies (the sanitiser makes them safe);
 * no linkify (bare URLs in Chinese text would swallow the following characters); no typographer (it would
 * rewrite quotes in code and in Chinese text).
 */
export const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });

export interface MarkdownResult {
  html: string;
  /** The last http(s) autolink standing alone on its line, or `null`. */
  source: string | null;
}

/** A line holding nothing but an http(s) autolink, in text Markdown does not parse (raw HTML blocks, HTML posts). */
const AUTOLINK_LINE = /^[ \t]*<(https?:\/\/[^\s<>"'`]+)>[ \t\r]*$/gim;
const EMPTY_AUTOLINK_LINE = /^[ \t]*<>[ \t\r]*$/gm;

export function renderMarkdown(src: string): MarkdownResult {
  const tokens = markdown.parse(src, {});
  const kept: Token[] = [];
  let source: string | null = null;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t];
    if (!token) continue;
    // `<>` alone in a paragraph (an empty autolink left by a scraper) is noise: drop the whole paragraph.
    if (token.type === 'paragraph_open' && tokens[t + 1]?.content.trim() === '<>' && tokens[t + 2]?.type === 'paragraph_close') {
      t += 2;
      continue;
    }
    if (token.type === 'inline') source = lastStandaloneAutolink(token.children ?? []) ?? source;
    if (token.type === 'html_block') {
      const linked = linkAutolinkLines(token.content);
      token.content = linked.html;
      source = linked.source ?? source;
    }
    kept.push(token);
  }
  return { html: markdown.renderer.render(kept, markdown.options, {}), source };
}

/**
 * Turns `<http://…>` lines in raw HTML into links (an HTML parser would read them as unknown tags and drop them),
 * and reports the last one as the source URL. Lines holding only `<>` are removed.
 */
export function linkAutolinkLines(html: string): MarkdownResult {
  const withoutEmpty = html.includes('<>') ? html.replace(EMPTY_AUTOLINK_LINE, '') : html;
  if (!withoutEmpty.includes('<http')) return { html: withoutEmpty, source: null };
  let source: string | null = null;
  const linked = withoutEmpty.replace(AUTOLINK_LINE, (line, url: string) => {
    const checked = httpUrl(url);
    if (!checked) return line;
    source = checked;
    const escaped = escapeAttribute(url);
    return `<p><a href="${escaped}">${escaped}</a></p>`;
  });
  return { html: linked, source };
}

/** An autolink whose neighbours are line breaks (or the paragraph's edges) stands alone on its line. */
function lastStandaloneAutolink(children: Token[]): string | null {
  let found: string | null = null;
  for (let c = 0; c < children.length; c++) {
    const child = children[c];
    if (child?.type !== 'link_open' || child.markup !== 'autolink') continue;
    const before = children[c - 1];
    const after = children[c + 3];
    const alone = (!before || isBreak(before)) && children[c + 2]?.type === 'link_close' && (!after || isBreak(after));
    const href = child.attrGet('href');
    const url = alone && typeof href === 'string' ? httpUrl(href) : null;
    if (url) found = url;
  }
  return found;
}

function isBreak(token: Token): boolean {
  return token.type === 'softbreak' || token.type === 'hardbreak';
}

/** The URL as written when it parses as an absolute http(s) URL, else `null`. */
function httpUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host ? url : null;
  } catch {
    return null;
  }
}
