/** JSON: one array of records (`path`, `title`, `untitled`, `date`, `categories`, `tags`, `url`, `site`, `author`, `snippet`, `accessed`), one per line. */
import type { ExportFormatter } from './record';

export const jsonFormat: ExportFormatter = {
  extension: 'json',
  mediaType: 'application/json; charset=utf-8',
  head: () => '[',
  item: (record, index) =>
    `${index === 0 ? '\n' : ',\n'}${JSON.stringify({
      path: record.path,
      title: record.title,
      untitled: record.untitled,
      date: record.date,
      categories: record.categories,
      tags: record.tags,
      url: record.url,
      site: record.site,
      author: record.author,
      snippet: record.snippet,
      accessed: record.accessed,
    })}`,
  tail: (count) => (count === 0 ? ']\n' : '\n]\n'),
};
