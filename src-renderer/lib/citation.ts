import type { Article } from '../../src-main/shared/archive-api';
import type { Messages } from '../i18n';
import { formatPostDate } from './format-date';

/** Title, category, date and source URL in one line a journalist can paste into notes. */
export function formatCitation(article: Article, t: Messages, locale: string): string {
  const date = formatPostDate(article.date, locale, 'day')?.text ?? t.undated;
  return t.citation(article.title, article.categories.join(' › '), date, article.source);
}
