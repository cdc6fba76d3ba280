/**
 * The dossier's lunr index, written directly in lunr 2.3's serialised form (what `lunr.Index.load` reads in the
 * page): the fields title, meta and body, each holding Backfile's tokens (core/tokenize.ts), so lunr looks up
 * exactly the tokens Backfile's FTS5 table holds, expands a trailing wildcard over its own token set and
 * intersects the required terms.
 *
 * Why not lunr.Builder: on 2,000 news posts it needed 27-40 s and a 31 MB file, most of it the per-document
 * score vectors (lunr's BM25 cosine ranking) and the garbage of a million small objects. Here lunr only finds
 * candidates (the phrase check reads the text, core/dossier/search-dossier.ts) and results rank by where they
 * matched (title, then tags/categories, then text: Backfile's own bm25 weights), so every vector is empty and
 * each posting lists the documents once. The JSON is written as a string, never as a tree of objects.
 */
import lunr from 'lunr';
import { tokenize } from '../../../core/tokenize';
import { DOSSIER_FIELDS, type DossierText } from '../../../core/dossier/dossier-data';

/** The serialised index as JSON text, for `lunr.Index.load(JSON.parse(…))` or a script's object literal. */
export function buildDossierIndexJson(texts: readonly DossierText[]): string {
  // term → one list of document numbers per field, ascending (documents are read in order, each token once).
  const postings = new Map<string, number[][]>();
  texts.forEach((text, ref) => {
    DOSSIER_FIELDS.forEach((field, f) => {
      for (const term of new Set(tokenize(text[field]))) {
        let lists = postings.get(term);
        if (!lists) postings.set(term, (lists = DOSSIER_FIELDS.map(() => [])));
        lists[f]!.push(ref);
      }
    });
  });
  const terms = [...postings.keys()].sort();
  const parts: string[] = [];
  terms.forEach((term, i) => {
    const lists = postings.get(term)!;
    const fields = DOSSIER_FIELDS.map((field, f) => `${JSON.stringify(field)}:{${lists[f]!.map((ref) => `"${ref}":{}`).join(',')}}`);
    parts.push(`[${JSON.stringify(term)},{"_index":${i},${fields.join(',')}}]`);
  });
  const vectors = texts.flatMap((_, ref) => DOSSIER_FIELDS.map((field) => `["${field}/${ref}",[]]`));
  return `{"version":${JSON.stringify(lunr.version)},"fields":${JSON.stringify(DOSSIER_FIELDS)},"fieldVectors":[${vectors.join(',')}],"invertedIndex":[${parts.join(',')}],"pipeline":[]}`;
}
