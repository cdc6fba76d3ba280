/**
 * Chinese news-like sentences and titles for the benchmark archive, assembled from templates and the
 * word lists. The text is nonsense on close reading, but it has the length, the mix of characters, digits,
 * percentages and English names, and the word frequencies of scraped financial news, which is what the
 * tokeniser and the index see.
 */
import { chance, int, pick, type Rng } from './prng';
import { containsQueryWord } from './query-words';
import * as v from './vocabulary';

const filler = (list: readonly string[]): string[] => list.filter((w) => !containsQueryWord(w));

const PLACES = filler(v.PLACES);
const ORGS = filler(v.ORGANISATIONS);
const INDUSTRIES = filler(v.INDUSTRIES);
const NOUNS = filler(v.NOUNS);
const VERBS = filler(v.VERBS);
const MODIFIERS = filler(v.MODIFIERS);
const TIMES = filler(v.TIME_PHRASES);
const CONNECTIVES = filler(v.CONNECTIVES);
const METRICS = filler(v.METRICS);
const UNITS = filler(v.UNITS);
const PHRASES = filler(v.PHRASES);
const ENGLISH = filler(v.ENGLISH_WORDS);
const PREFIXES = filler(v.COMPANY_PREFIXES);
const SUFFIXES = filler(v.COMPANY_SUFFIXES);
export const SOURCES = filler(v.SOURCES);

/** About two thousand invented company names, e.g. 华信光电, 泰山控股. */
export const company = (rng: Rng): string => pick(rng, PREFIXES) + pick(rng, SUFFIXES);

const upDown = (rng: Rng): string => (chance(rng, 0.7) ? pick(rng, ['增长', '上升', '提高']) : pick(rng, ['下降', '减少', '回落']));
const percent = (rng: Rng): string => `${(rng() * 40).toFixed(1)}%`;
const amount = (rng: Rng): string =>
  (chance(rng, 0.5) ? String(int(rng, 1, 9999)) : (rng() * 1000).toFixed(int(rng, 1, 2))) + pick(rng, UNITS);
const day = (rng: Rng): string => `${int(rng, 1, 12)}月${int(rng, 1, 28)}日`;
const said = (rng: Rng): string => pick(rng, ['表示', '指出', '介绍', '透露', '认为', '强调']);

const SENTENCES: ((rng: Rng) => string)[] = [
  (r) => `${pick(r, TIMES)}，${pick(r, PLACES)}${pick(r, METRICS)}${amount(r)}，同比${upDown(r)}${percent(r)}。`,
  (r) => `${pick(r, ORGS)}${said(r)}，${pick(r, TIMES)}将${pick(r, MODIFIERS)}${pick(r, VERBS)}${pick(r, NOUNS)}，${pick(r, VERBS)}${pick(r, NOUNS)}${pick(r, NOUNS)}。`,
  (r) => `${company(r)}${pick(r, ['发布公告称', '披露', '在年报中表示'])}，公司${pick(r, TIMES)}实现${pick(r, METRICS)}${amount(r)}，同比${upDown(r)}${percent(r)}。`,
  (r) => `${pick(r, CONNECTIVES)}，${pick(r, INDUSTRIES)}${pick(r, NOUNS)}${pick(r, MODIFIERS)}${pick(r, VERBS)}，${pick(r, NOUNS)}${pick(r, PHRASES)}。`,
  (r) => `${pick(r, PLACES)}${pick(r, VERBS)}${pick(r, INDUSTRIES)}${pick(r, NOUNS)}${int(r, 2, 300)}${pick(r, UNITS)}，${pick(r, VERBS)}${pick(r, NOUNS)}和${pick(r, NOUNS)}。`,
  (r) => `${day(r)}，${pick(r, PLACES)}${pick(r, ORGS)}${pick(r, VERBS)}${pick(r, NOUNS)}${pick(r, NOUNS)}，${pick(r, MODIFIERS)}${pick(r, VERBS)}${pick(r, NOUNS)}。`,
  (r) => `${pick(r, NOUNS)}与${pick(r, NOUNS)}${pick(r, MODIFIERS)}${pick(r, VERBS)}，${pick(r, TIMES)}${pick(r, NOUNS)}${pick(r, PHRASES)}。`,
  (r) => `其中，${pick(r, INDUSTRIES)}${pick(r, METRICS)}${upDown(r)}${percent(r)}，${pick(r, INDUSTRIES)}${pick(r, METRICS)}${upDown(r)}${percent(r)}。`,
  (r) => `${pick(r, ENGLISH)}${pick(r, NOUNS)}${pick(r, VERBS)}${percent(r)}，${pick(r, ['业内人士', '分析师', '市民', '专家'])}${said(r)}，${pick(r, NOUNS)}${pick(r, PHRASES)}。`,
  (r) => `“${pick(r, PHRASES)}，${pick(r, VERBS)}${pick(r, NOUNS)}是${pick(r, MODIFIERS)}${pick(r, NOUNS)}。”${company(r)}负责人说。`,
  (r) => `${pick(r, TIMES)}，全国${pick(r, NOUNS)}达到${amount(r)}，${pick(r, NOUNS)}占比${percent(r)}。`,
];

export const sentence = (rng: Rng): string => pick(rng, SENTENCES)(rng);

/** A sentence that carries `word` (a planted query word). */
export const sentenceWith = (rng: Rng, word: string): string =>
  `${pick(rng, CONNECTIVES)}，${pick(rng, PLACES)}${word}${pick(rng, NOUNS)}${pick(rng, MODIFIERS)}${pick(rng, VERBS)}，${pick(rng, NOUNS)}${pick(rng, PHRASES)}。`;

const TITLES: ((rng: Rng) => string)[] = [
  (r) => `${pick(r, PLACES)}${pick(r, METRICS)}同比${upDown(r)}${percent(r)}`,
  (r) => `${pick(r, ORGS)}：${pick(r, MODIFIERS)}${pick(r, VERBS)}${pick(r, NOUNS)}`,
  (r) => `${company(r)}${pick(r, TIMES)}${pick(r, METRICS)}${upDown(r)}${percent(r)}`,
  (r) => `${pick(r, INDUSTRIES)}${pick(r, NOUNS)}${pick(r, PHRASES)}`,
  (r) => `${pick(r, PLACES)}${pick(r, VERBS)}${pick(r, INDUSTRIES)}${pick(r, NOUNS)} ${pick(r, NOUNS)}${pick(r, PHRASES)}`,
  (r) => `专家称${pick(r, NOUNS)}${pick(r, MODIFIERS)}${pick(r, VERBS)} ${pick(r, ENGLISH)}${pick(r, NOUNS)}${upDown(r)}`,
];

export const title = (rng: Rng): string => pick(rng, TITLES)(rng);

/** A sub-heading inside a long HTML post, as the `<strong>` lines in scraped news. */
export const subheading = (rng: Rng): string => `${pick(rng, VERBS)}${pick(rng, NOUNS)}，${pick(rng, PHRASES)}`;
