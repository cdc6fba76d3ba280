/**
 * An article as Backfile's index searches it (node/index/write.ts ftsText), rebuilt from what getArticle answers:
 * the title, the meta column (tags, category names, `description`/`excerpt` front matter) and the body's text,
 * read from the sanitised HTML as the parser reads it (core/render.ts). A doubtful GB18030 guess keeps its words
 * out of the index, so out of the dossier's search too.
 */
import type { Article } from '../../../shared/archive-api';
import { htmlToText } from '../../../core/html-text';
import { normalizeName } from '../../../core/query';
import { normalizeText } from '../../../core/tokenize';
import type { DossierDoc, DossierText } from '../../../core/dossier/dossier-data';
import { categoryKey, pathFromCategoryKey } from '../../index/list';
import { tagKeys } from '../../index/write';

const garbled = (a: Article): boolean => a.problems.some((p) => p.message.startsWith('encoding uncertain'));

function description(a: Article): string {
  if (garbled(a)) return '';
  return [a.meta.description, a.meta.excerpt].filter((v): v is string => typeof v === 'string' && v.trim() !== '').join('\n');
}

export function searchText(a: Article): DossierText {
  const categories = pathFromCategoryKey(categoryKey(a.categories));
  return {
    title: normalizeText(a.title),
    meta: normalizeText([...a.tags, ...categories, description(a)].map(String).join('\n')),
    body: garbled(a) ? '' : normalizeText(htmlToText(a.html)),
  };
}

export function searchDoc(href: string, a: Article): DossierDoc {
  return {
    href,
    title: a.title,
    date: a.date,
    categories: a.categories,
    tags: a.tags,
    excerpt: a.excerpt,
    tagKeys: tagKeys(a.tags).map(([norm]) => norm),
    categoryKeys: pathFromCategoryKey(categoryKey(a.categories)).map(normalizeName),
  };
}
