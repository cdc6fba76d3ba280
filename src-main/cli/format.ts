import type { Article, ArchiveStats, ListResult } from '../shared/archive-api';
import { unescapeHtml } from '../core/html-escape';

/** Text for a person: what `--json` says, in lines a terminal shows well. */

const stripMarks = (snippet: string) => unescapeHtml(snippet.replace(/<mark>/g, '[').replace(/<\/mark>/g, ']'));

export function formatStats(stats: ArchiveStats): string {
  const lines = [`${stats.posts} posts shown, ${stats.hidden} hidden (unpublished or drafts), ${stats.problems.length} problems.`];
  if (stats.categories.length) {
    lines.push('', 'Categories:');
    for (const c of stats.categories) lines.push(`  ${c.path.length ? c.path.join(' › ') : '(none)'}  ${c.count}`);
  }
  if (stats.years.length) {
    lines.push('', 'Years:');
    for (const y of stats.years) lines.push(`  ${y.year ?? 'undated'}  ${y.count}`);
  }
  if (stats.tags.length) {
    lines.push('', 'Tags (most used):');
    for (const t of stats.tags.slice(0, 20)) lines.push(`  ${t.name}  ${t.count}`);
    if (stats.tags.length > 20) lines.push(`  … and ${stats.tags.length - 20} more`);
  }
  if (stats.problems.length) {
    lines.push('', 'Problems:');
    for (const p of stats.problems) lines.push(`  ${p.path}: ${p.message}`);
  }
  return lines.join('\n');
}

export function formatHits(query: string, result: ListResult): string {
  const lines: string[] = [];
  if (result.notice) lines.push(`Note: ${result.notice}`);
  lines.push(`${result.total} ${result.total === 1 ? 'match' : 'matches'} for ${JSON.stringify(query)}`);
  for (const hit of result.items) {
    const versions = hit.versions ? ` (+${hit.versions} ${hit.versions === 1 ? 'version' : 'versions'})` : '';
    lines.push('', `${hit.title}${versions}`, `  ${hit.date ?? 'undated'} · ${hit.categories.join(' › ') || '(no category)'} · ${hit.path}`);
    if (hit.snippet) lines.push(`  ${stripMarks(hit.snippet)}`);
  }
  return lines.join('\n');
}

export function formatArticle(article: Article): string {
  const text = unescapeHtml(article.html
    .replace(/<(br|\/p|\/h\d|\/li|\/tr|\/div|\/blockquote|\/pre)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, ''))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const lines = [article.title, `${article.date ?? 'undated'} · ${article.categories.join(' › ') || '(no category)'}`];
  if (article.tags.length) lines.push(`Tags: ${article.tags.join(', ')}`);
  if (article.source) lines.push(`Source: ${article.source}`);
  for (const p of article.problems) lines.push(`Problem: ${p.message}`);
  lines.push('', text);
  return lines.join('\n');
}
