import { citationFields, formatCitation, isoDay } from '../../core/citation';
import type { CitationStyle } from '../../shared/archive-api';
import type { ArchiveService } from './archive-service';

/** One post of the open archive cited in `style`, accessed on `today` (the local calendar day). */
export async function citeArticle(service: ArchiveService, postPath: string, style: CitationStyle, today: Date = new Date()): Promise<string> {
  const article = await service.getArticle(postPath);
  return formatCitation(citationFields(article, service.info().name, isoDay(today)), style);
}
