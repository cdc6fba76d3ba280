/**
 * Batch search (issue 14): each term is a full query in Backfile's language, answered as the list would answer
 * it (`list` is the workspace's list, so is:starred and label: hold too): its total, and the dates of its oldest
 * and newest dated hit, read as the first row of the result sorted oldest first and newest first (undated posts
 * come last in both, so a date is null only when no hit has one). Progress and cancel are the caller's: a long
 * list goes in several calls (the renderer sends a few dozen terms at a time).
 */
import { ArchiveError, MAX_BATCH_TERMS, type BatchTerm, type ListQuery, type ListResult } from '../../shared/archive-api';

export async function batchSearch(terms: readonly string[], list: (q: ListQuery) => ListResult | Promise<ListResult>): Promise<{ terms: BatchTerm[] }> {
  if (terms.length > MAX_BATCH_TERMS) throw new ArchiveError('INVALID_ARGUMENT', `at most ${MAX_BATCH_TERMS} terms a call`);
  const answers: BatchTerm[] = [];
  for (const term of terms) {
    const newest = await list({ query: term, sort: 'date', limit: 1 });
    if (newest.total === 0) {
      answers.push({ term, total: 0, first: null, last: null });
      continue;
    }
    const oldest = newest.total === 1 ? newest : await list({ query: term, sort: 'oldest', limit: 1 });
    answers.push({ term, total: newest.total, first: oldest.items[0]?.date ?? null, last: newest.items[0]?.date ?? null });
  }
  return { terms: answers };
}

