/**
 * What a dossier's pages load besides lunr's index: one row per article (for the result list and the filters of
 * the search syntax) and the text each article is searched by, as Backfile's index holds it (title, meta, body).
 * Plain JSON, written by src-main/node/export/dossier/ into `dossier-data.js` as globals (a page opened from
 * file:// cannot fetch JSON, but it can load a script).
 */
export interface DossierDoc {
  /** The article page, relative to index.html (`articles/0001.html`). */
  href: string;
  title: string;
  date: string | null;
  categories: string[];
  tags: string[];
  excerpt: string;
  /** Tags as `tag:` compares them (core/query.ts normalizeName). */
  tagKeys: string[];
  /** Every level's name of the category path, as `category:` compares them. */
  categoryKeys: string[];
}

/** The text a post is searched by, NFKC-normalised as the tokenizer reads it: the columns of Backfile's index. */
export interface DossierText {
  title: string;
  meta: string;
  body: string;
}

export const DOSSIER_FIELDS = ['title', 'meta', 'body'] as const;
export type DossierField = (typeof DOSSIER_FIELDS)[number];

export interface DossierData {
  docs: DossierDoc[];
  texts: DossierText[];
}

/** What dossier-data.js sets as `window.BACKFILE_DOSSIER`. */
export interface DossierFile extends DossierData {
  index: CompactLunrIndex;
}

/**
 * The lunr index as the dossier ships it: lunr 2.3's serialised form spells every posting as `"123":{}` and every
 * document's score vector, 15 MB for 2,000 posts; this is the same postings as numbers (each field's document
 * numbers ascending, as differences), half the size and quicker to parse. lunrIndexJson expands it for
 * `lunr.Index.load` in the page.
 */
export interface CompactLunrIndex {
  version: string;
  /** Sorted as lunr's token set wants them. */
  terms: string[];
  /** refs[term][field]: the documents holding the term in DOSSIER_FIELDS[field], as gaps from the previous one. */
  refs: number[][][];
}

/** lunr's serialised index from the compact one. Every posting shares one empty metadata object (lunr copies it). */
export function lunrIndexJson(index: CompactLunrIndex, documents: number): object {
  const none = Object.freeze({});
  const invertedIndex = index.terms.map((term, i) => {
    const posting: Record<string, unknown> = { _index: i };
    DOSSIER_FIELDS.forEach((field, f) => {
      const docs: Record<string, object> = {};
      let ref = 0;
      for (const gap of index.refs[i]?.[f] ?? []) docs[(ref += gap)] = none;
      posting[field] = docs;
    });
    return [term, posting];
  });
  const fieldVectors: [string, number[]][] = [];
  for (let ref = 0; ref < documents; ref++) for (const field of DOSSIER_FIELDS) fieldVectors.push([`${field}/${ref}`, []]);
  return { version: index.version, fields: [...DOSSIER_FIELDS], fieldVectors, invertedIndex, pipeline: [] };
}
