/**
 * A post body → safe HTML for the viewer, plain text for the index, and the article's source URL.
 * Liquid is removed first (it is never executed), then Markdown is rendered (HTML posts are taken as they are),
 * then everything goes through the sanitiser; the text is read from the sanitised HTML, so the index holds
 * exactly what the reader can see.
 */
import { htmlToText } from './html-text';
import { stripLiquid } from './liquid';
import { linkAutolinkLines, renderMarkdown } from './markdown';
import { sanitizeArticleHtml } from './sanitize';
import type { RenderedBody, RenderOptions } from './types';

/** Never throws: a body that cannot be rendered shows as escaped plain text. */
export function renderBody(body: string, format: 'markdown' | 'html', options: RenderOptions): RenderedBody {
  const input = typeof body === 'string' ? body : String(body ?? '');
  const renderOptions: RenderOptions = {
    postPath: typeof options?.postPath === 'string' ? options.postPath : '',
    assetUrl: typeof options?.assetUrl === 'function' ? options.assetUrl : undefined,
  };
  try {
    const withoutLiquid = stripLiquid(input, format === 'html' ? 'html' : 'markdown');
    const raw = format === 'html' ? linkAutolinkLines(withoutLiquid) : renderMarkdown(withoutLiquid);
    const { html, hasRemoteContent } = sanitizeArticleHtml(raw.html, renderOptions);
    return { html, text: htmlToText(html), source: raw.source, hasRemoteContent };
  } catch {
    return plainFallback(input);
  }
}

function plainFallback(body: string): RenderedBody {
  const lines = body.split(/\r?\n/).map((line) => line.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const escaped = lines.map((line) => line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  return {
    html: escaped.map((line) => `<p>${line}</p>`).join('\n'),
    text: lines.join('\n'),
    source: null,
    hasRemoteContent: false,
  };
}
