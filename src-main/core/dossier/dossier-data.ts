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
