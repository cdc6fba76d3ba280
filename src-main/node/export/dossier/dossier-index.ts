/**
 * The dossier's lunr index: Backfile's tokens (core/tokenize.ts) for the fields title, meta and body, lunr's own
 * pipeline (trimmer, stop words, English stemmer) removed, so lunr holds exactly the tokens Backfile's FTS5
 * table holds. Each field's tokens are indexed once per document: lunr only finds candidates (the phrase check
 * reads the text, core/dossier/search-dossier.ts), and repeated tokens cost build time for a little ranking.
 */
import lunr from 'lunr';
import { tokenize } from '../../../core/tokenize';
import { DOSSIER_FIELDS, type DossierText } from '../../../core/dossier/dossier-data';

export function buildDossierIndex(texts: readonly DossierText[]): lunr.Index {
  const builder = new lunr.Builder();
  builder.pipeline.reset();
  builder.searchPipeline.reset();
  builder.tokenizer = Object.assign(
    (value?: unknown) => [...new Set(tokenize(value == null ? '' : String(value)))].map((term) => new lunr.Token(term, {})),
    { separator: lunr.tokenizer.separator },
  );
  builder.ref('ref');
  for (const field of DOSSIER_FIELDS) builder.field(field);
  texts.forEach((text, ref) => builder.add({ ref: String(ref), ...text }));
  return builder.build();
}
