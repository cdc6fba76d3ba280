/**
 * One synthetic post of the benchmark archive, shaped like the finews-sample posts: `layout: post`, a quoted
 * title, `date: YYYY-MM-DD HH:MM:SS` with or without ` +0800`, a bare-word category (or a two-level list),
 * tags as a bare word or a list, a Markdown or raw-HTML body and a trailing source autolink.
 * Post `index` of seed `seed` is always the same text.
 */
import { chance, int, mulberry32, pad, pick, pickSkewed, seedFor, type Rng } from './prng';
import { QUERY_WORDS } from './query-words';
import { sentence, sentenceWith, SOURCES, subheading, title } from './synthetic-text';
import { TAG_SUFFIXES, TAG_TOPICS } from './vocabulary';

/** A dozen top-level categories (bare words, as in the real archive), most common first. */
export const CATEGORIES = [
  'emnews', 'stock', 'finance', 'macro', 'tech', 'auto', 'realestate', 'energy', 'consumer', 'world', 'local', 'dazhongwang',
] as const;

/** Second levels, used by about one post in eight (`categories: [world, asia]`). */
const SUBCATEGORIES: Partial<Record<(typeof CATEGORIES)[number], string[]>> = {
  stock: ['ipo', 'bankuai', 'gongsi'],
  finance: ['bank', 'insurance', 'fund'],
  tech: ['ai', 'chips', 'internet'],
  world: ['asia', 'europe', 'americas'],
  local: ['shandong', 'guangdong', 'sichuan'],
};

/** Several hundred distinct tags (topic × suffix, e.g. 财经快讯), in a fixed order so a few are very common. */
export const TAGS = TAG_SUFFIXES.flatMap((suffix) => TAG_TOPICS.map((topic) => topic + suffix));

const FIRST_DAY = Date.UTC(2019, 0, 1);
const DAYS = 2192; // 2019-01-01 … 2024-12-31

export interface SyntheticPost {
  /** Archive-relative path: `_posts/<category>/YYYY-MM-DD-<18 digits>.md`. */
  relPath: string;
  content: string;
  /** Title and body, for counting which planted words a post contains. */
  searchable: string;
}

export function syntheticPost(seed: number, index: number): SyntheticPost {
  const rng = mulberry32(seedFor(seed, index));
  const when = new Date(FIRST_DAY + int(rng, 0, DAYS - 1) * 86_400_000);
  const day = `${when.getUTCFullYear()}-${pad(when.getUTCMonth() + 1, 2)}-${pad(when.getUTCDate(), 2)}`;
  const time = `${pad(int(rng, 0, 23), 2)}:${pad(int(rng, 0, 59), 2)}:${pad(int(rng, 0, 59), 2)}`;
  const id = `${day.replaceAll('-', '')}${pad(int(rng, 10, 99), 2)}${pad(index, 8)}`;

  const category = pickSkewed(rng, CATEGORIES, 1.5);
  const subs = SUBCATEGORIES[category];
  const categories = subs && chance(rng, 0.3) ? `[${category}, ${pick(rng, subs)}]` : category;
  const tagCount = int(rng, 1, 3);
  const tags = new Set<string>();
  while (tags.size < tagCount) tags.add(pickSkewed(rng, TAGS));
  const tagList = [...tags];
  const tagLine = tagList.length === 1 && chance(rng, 0.7) ? tagList[0] : `[${tagList.join(', ')}]`;

  const heading = title(rng);
  const html = chance(rng, 0.3);
  const body = bodyText(rng, html);
  const source = pick(rng, SOURCES);
  const lines = [
    '---',
    'layout: post',
    `title: ${JSON.stringify(heading)}`,
    `date: ${day} ${time}${chance(rng, 0.5) ? ' +0800' : ''}`,
    `categories: ${categories}`,
    `tags: ${tagLine}`,
    '---',
    ...(html ? [] : ['']),
    html ? `${body.join('\n ')}<p class="em_media">（文章来源：${source}）</p>` : `${body.join('\n\n')}（${source}）`,
  ];
  if (chance(rng, 0.9)) lines.push('', `<http://finance.example.com/news/${pick(rng, ['1355', '1350', '11060', '1611'])},${id}.html>`);
  if (chance(rng, 0.15)) lines.push('', `[返回${category}](../${category}/)`, '[返回首页](../)');
  const content = `${lines.join('\n')}\n`;
  return { relPath: `_posts/${category}/${day}-${id}.md`, content, searchable: `${heading}\n${body.join('\n')}` };
}

/** Paragraphs of 1–5 sentences until the body reaches a length drawn log-uniformly from 0.3–6 KB. */
function bodyText(rng: Rng, html: boolean): string[] {
  const targetBytes = Math.floor(300 * 20 ** rng());
  const planted = QUERY_WORDS.filter((q) => chance(rng, q.rate)).map((q) => q.word);
  const paragraphs: string[] = [];
  let bytes = 0;
  const unfinished = () => bytes < targetBytes || planted.length > 0;
  while (unfinished()) {
    const parts: string[] = [];
    const count = int(rng, 1, 5);
    for (let i = 0; i < count && unfinished(); i++) {
      const word = chance(rng, 0.3) ? planted.pop() : undefined;
      const next = word ? sentenceWith(rng, word) : sentence(rng);
      parts.push(next);
      bytes += Buffer.byteLength(next);
    }
    const text = parts.join('');
    if (html && paragraphs.length > 0 && chance(rng, 0.15)) paragraphs.push(`<p><strong>${subheading(rng)}</strong></p>`);
    paragraphs.push(html ? `<p>${text}</p>` : text);
  }
  return paragraphs;
}
