/**
 * The dossier's lunr index (core/dossier/dossier-data.ts CompactLunrIndex, expanded into lunr 2.3's serialised form
 * in the page for `lunr.Index.load`): the fields title, meta and body, each holding Backfile's tokens
 * (core/tokenize.ts), so lunr looks up exactly the tokens Backfile's FTS5 table holds, expands a trailing wildcard
 * over its own token set and intersects the required terms.
 *
 * Why not lunr.Builder: on 2,000 news posts it needed 27-40 s and a 31 MB file, most of it the per-document
 * score vectors (lunr's BM25 cosine ranking) and the garbage of a million small objects. Here lunr only finds
 * candidates (the phrase check reads the text, core/dossier/search-dossier.ts) and results rank by where they
 * matched (title, then tags/categories, then text: Backfile's own bm25 weights), so every vector is empty and
 * each posting lists the documents once.
 */
import lunr from 'lunr';
import { tokenize } from '../../../core/tokenize';
import { DOSSIER_FIELDS, type CompactLunrIndex, type DossierText } from '../../../core/dossier/dossier-data';

export function buildDossierIndex(texts: readonly DossierText[]): CompactLunrIndex {
  // term → one list of document numbers per field, as gaps (documents are read in order, each token once).
  const postings = new Map<string, number[][]>();
  const last = new Map<string, number[]>();
  texts.forEach((text, ref) => {
    DOSSIER_FIELDS.forEach((field, f) => {
      for (const term of new Set(tokenize(text[field]))) {
        let lists = postings.get(term);
        let prev = last.get(term);
        if (!lists || !prev) {
          postings.set(term, (lists = DOSSIER_FIELDS.map(() => [])));
          last.set(term, (prev = DOSSIER_FIELDS.map(() => 0)));
        }
        lists[f]!.push(ref - prev[f]!);
        prev[f] = ref;
      }
    });
  });
  const terms = [...postings.keys()].sort();
  return { version: lunr.version, terms, refs: terms.map((term) => postings.get(term)!) };
}
