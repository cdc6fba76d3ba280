/**
 * One post of the real-text benchmark archive (`--corpus real`): real paragraphs of the shared corpora
 * (real-paragraphs.ts) recombined under front matter shaped like the real archive's: `layout: post`, a quoted
 * title (a real title, or the opening clause of the post's first paragraph), `date: YYYY-MM-DD HH:MM:SS` with or
 * without ` +0800` spread over 2012–2024, a category and tags as the corpora write them, and the trailing
 * source autolink and "back to" links of scraped news. Post `index` of seed `seed` is always the same bytes.
 *
 * The text is real, but the pool is small (about 25 news paragraphs and 20 others): posts repeat paragraphs, so the index sees far
 * fewer distinct terms than a real archive of the same size would.
 */
import { chance, int, mulberry32, pad, pick, pickSkewed, seedFor } from './prng';
import type { RealText } from './real-paragraphs';
import type { SyntheticPost } from './synthetic-post';
import { TAGS } from './synthetic-post';

/** Categories as the corpora write them (bare words, a two-level list, Chinese), most common first. */
export const REAL_CATEGORIES = [
  { folder: 'emnews', line: 'emnews' },
  { folder: 'dazhongwang', line: 'dazhongwang' },
  { folder: 'sitenews', line: 'sitenews' },
  { folder: 'politics', line: '[Politics, Local]' },
  { folder: 'shangye', line: '[商业, 电商]' },
  { folder: 'economy', line: 'economy' },
] as const;

/** The corpora's own tags first (so a few are very common), then the synthetic archive's topic tags. */
const REAL_TAGS = ['东财滚动新闻', '大众网新闻', '站长消息', 'election', 'city hall', 'trade', 'agriculture'];
const TAG_POOL = [...REAL_TAGS, ...TAGS.slice(0, 120)];

const FIRST_DAY = Date.UTC(2012, 0, 1);
const DAYS = 4749; // 2012-01-01 … 2024-12-31
/** A salt, so that post i of seed s does not draw the same numbers as synthetic post i of seed s. */
const SALT = 7;

/** The opening clause of a paragraph's text (tags and Markdown marks removed), 6–40 characters, or null. */
function clauseOf(paragraph: string): string | null {
  const text = paragraph.replace(/<[^>]*>/g, '').replace(/[>#*_[\]()!`]/g, '').trim();
  const clause = Array.from(text.split(/[，。；！？,.;!?\n]/)[0]?.trim() ?? '');
  return clause.length >= 6 ? clause.slice(0, 40).join('') : null;
}

export function realTextPost(text: RealText, seed: number, index: number): SyntheticPost {
  const rng = mulberry32(seedFor(seed, index, SALT));
  const when = new Date(FIRST_DAY + int(rng, 0, DAYS - 1) * 86_400_000);
  const day = `${when.getUTCFullYear()}-${pad(when.getUTCMonth() + 1, 2)}-${pad(when.getUTCDate(), 2)}`;
  const time = `${pad(int(rng, 0, 23), 2)}:${pad(int(rng, 0, 59), 2)}:${pad(int(rng, 0, 59), 2)}`;
  const id = `${day.replaceAll('-', '')}${pad(int(rng, 10, 99), 2)}${pad(index, 8)}`;
  const category = pickSkewed(rng, REAL_CATEGORIES, 1.5);
  const tags = new Set<string>();
  const tagCount = chance(rng, 0.7) ? 1 : int(rng, 2, 3);
  while (tags.size < tagCount) tags.add(pickSkewed(rng, TAG_POOL));
  const tagList = [...tags];
  const tagLine = tagList.length === 1 ? tagList[0]! : `[${tagList.join(', ')}]`;

  // Paragraphs drawn until the body reaches a length drawn log-uniformly from 0.2–8 KB; most of them news.
  const targetBytes = Math.floor(200 * 40 ** rng());
  const body: string[] = [];
  let bytes = 0;
  while (bytes < targetBytes) {
    const paragraph = pick(rng, text.otherParagraphs.length > 0 && chance(rng, 0.15) ? text.otherParagraphs : text.paragraphs);
    body.push(paragraph);
    bytes += Buffer.byteLength(paragraph);
  }
  const heading = (chance(rng, 0.5) ? clauseOf(body[0]!) : null) ?? pick(rng, text.titles);
  const lines = [
    '---',
    'layout: post',
    `title: ${JSON.stringify(heading)}`,
    `date: ${day} ${time}${chance(rng, 0.5) ? ' +0800' : ''}`,
    `categories: ${category.line}`,
    `tags: ${tagLine}`,
    '---',
    '',
    body.join('\n\n'),
  ];
  if (text.sources.length > 0 && chance(rng, 0.85)) lines.push('', pick(rng, text.sources));
  if (text.footers.length > 0 && chance(rng, 0.15)) lines.push('', pick(rng, text.footers));
  return { relPath: `_posts/${category.folder}/${day}-${id}.md`, content: `${lines.join('\n')}\n`, searchable: `${heading}\n${body.join('\n')}` };
}
