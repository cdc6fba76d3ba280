/**
 * Words planted in the benchmark archive at known rates, for timing searches from very common to absent.
 * The vocabulary never contains them, so they appear only where the generator puts them (plus the odd
 * accidental join of two words, e.g. 城市 + 场馆; generateArchive counts the real number of posts either way).
 */
export interface QueryWord {
  word: string;
  /** Share of posts the generator plants the word in. */
  rate: number;
  /** What searching for it measures. */
  why: string;
}

export const QUERY_WORDS: readonly QueryWord[] = [
  { word: '市场', rate: 0.25, why: 'very common: a quarter of all posts (25,000 at N=100,000)' },
  { word: '投资', rate: 0.08, why: 'common' },
  { word: '新能源', rate: 0.02, why: 'three characters, a few thousand hits' },
  { word: '半导体', rate: 0.005, why: 'uncommon' },
  { word: 'Northwind', rate: 0.002, why: 'an English name inside Chinese text' },
  { word: '碳中和', rate: 0.001, why: 'rare: about 100 posts at N=100,000' },
  { word: '钙钛矿', rate: 0.0001, why: 'very rare: about 10 posts at N=100,000' },
  { word: '石墨烯', rate: 0, why: 'absent: a search that finds nothing' },
];

/** Does a vocabulary entry contain a planted word (and so must not be used as filler)? */
export const containsQueryWord = (entry: string): boolean => QUERY_WORDS.some((q) => entry.includes(q.word));
