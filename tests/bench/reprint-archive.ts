/**
 * A seeded archive of planted reprints, for measuring "other versions of a story" (issue 14 part 3): originals
 * (the real posts of the shared corpus's finews-sample, when present, and synthetic news posts) each reprinted 1–3
 * times the way outlets reprint wire copy: a new title, another outlet's category, a date a few days later, some
 * sentences dropped, some reworded, and the outlet's boilerplate line added. Around them, unrelated synthetic
 * posts carrying the same boilerplate lines (sources, disclaimers, "返回首页"), which must not look alike.
 * Same seed, same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chance, int, mulberry32, pad, pick, seedFor, type Rng } from './prng';
import { SHARED_CORPUS } from './real-paragraphs';
import { syntheticPost } from './synthetic-post';

export interface ReprintFamily {
  original: string;
  reprints: string[];
}

export interface ReprintArchive {
  families: ReprintFamily[];
  /** Posts planted as no one's version (their families are themselves alone). */
  unrelated: string[];
}

const OUTLETS = ['sina', 'netease', 'sohu', 'ifeng', 'qqnews', 'caixin', 'jrj', 'hexun'];

/** Boilerplate lines as outlets add them under (or over) every post. */
export const BOILERPLATE_LINES = [
  '本文转载自{o}，版权归原作者所有，如有侵权请联系删除。',
  '（文章来源：{o}）',
  '[返回首页](../)',
  '免责声明：本文仅代表作者个人观点，与{o}无关。其原创性以及文中陈述文字和内容未经本站证实，对本文以及其中全部或者部分内容、文字的真实性、完整性、及时性本站不作任何保证或承诺，请读者仅作参考，并请自行核实相关内容。',
  'Copyright © 2021 {o}.com All Rights Reserved. 未经授权禁止转载。',
  '责任编辑：{o}编辑部 王明',
  '关注{o}微信公众号，获取更多财经资讯。扫描二维码下载{o}客户端。',
];

const boilerplate = (rng: Rng, outlet: string): string => pick(rng, BOILERPLATE_LINES).replaceAll('{o}', outlet);

/** Front matter and body of a post file. */
function split(text: string): { front: string; body: string } {
  const m = /^\s*---[^\n]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(text);
  return m ? { front: m[1]!, body: text.slice(m[0].length) } : { front: '', body: text };
}

/** A sentence said another way: "据了解，" in front, every digit changed, a clause's halves swapped at its first comma. */
function reword(rng: Rng, sentence: string): string {
  let s = sentence.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
  const comma = s.indexOf('，');
  if (comma > 0 && chance(rng, 0.5)) s = `${s.slice(comma + 1).replace(/[。！？]$/, '')}，${s.slice(0, comma)}。`;
  return `据了解，${s}`;
}

/** The body as a reprint runs it: sentences dropped (15 %) or reworded (10 %), a boilerplate line at the top or bottom. */
export function reprintBody(rng: Rng, body: string, outlet: string): string {
  const pieces = body.split(/(?<=[。！？])/);
  const kept = pieces.map((p) => (chance(rng, 0.15) && pieces.length > 3 ? '' : chance(rng, 0.1) ? reword(rng, p) : p)).join('');
  const line = boilerplate(rng, outlet);
  return chance(rng, 0.5) ? `${line}\n\n${kept.trimStart()}` : `${kept.trimEnd()}\n\n${line}\n`;
}

function frontMatter(title: string, date: string, category: string): string {
  return `---\nlayout: post\ntitle: ${JSON.stringify(title)}\ndate: ${date}\ncategories: ${category}\ntags: 转载\n---\n\n`;
}

const laterDate = (rng: Rng, date: string | null): string => {
  const base = date ? Date.parse(`${date.slice(0, 10)}T00:00:00Z`) : Date.UTC(2022, 5, 1);
  const d = new Date(base + int(rng, 0, 5) * 86_400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(int(rng, 0, 23), 2)}:${pad(int(rng, 0, 59), 2)}:00 +0800`;
};

/** The real finews-sample posts long enough to be wire copy (at least 600 bytes). */
function realOriginals(root: string): { name: string; content: string }[] {
  const dir = path.join(root, 'finews-sample');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).sort()
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .map((name) => ({ name, content: fs.readFileSync(path.join(dir, name), 'utf8') }))
    .filter((f) => Buffer.byteLength(f.content) >= 600);
}

/**
 * Writes the archive into `dir`: `originals` synthetic originals (plus the real ones) with their reprints,
 * and `unrelated` other synthetic posts. Returns what was planted (archive-relative paths).
 */
export function generateReprintArchive(dir: string, options: { seed?: number; originals?: number; unrelated?: number; corpus?: string } = {}): ReprintArchive {
  const { seed = 14, originals = 40, unrelated = 400, corpus = SHARED_CORPUS } = options;
  const write = (rel: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  };
  const out: ReprintArchive = { families: [], unrelated: [] };
  const sources: { rel: string; content: string }[] = [
    ...realOriginals(corpus).map((f) => ({ rel: `_posts/emnews/${f.name}`, content: f.content })),
    ...Array.from({ length: originals }, (_, i) => {
      const p = syntheticPost(seed, i);
      return { rel: p.relPath, content: p.content };
    }),
  ];
  sources.forEach((source, n) => {
    const rng = mulberry32(seedFor(seed, n, 3));
    write(source.rel, source.content);
    const { front, body } = split(source.content);
    const date = /^date:\s*(\d{4}-\d\d-\d\d)/m.exec(front)?.[1] ?? null;
    const title = /^title:\s*"?(.*?)"?\s*$/m.exec(front)?.[1] || '快讯';
    const family: ReprintFamily = { original: source.rel, reprints: [] };
    for (let r = 0, count = int(rng, 1, 3); r < count; r++) {
      const outlet = pick(rng, OUTLETS);
      const when = laterDate(rng, date);
      const rel = `_posts/${outlet}/${when.slice(0, 10)}-reprint-${pad(n, 3)}-${r}.md`;
      write(rel, frontMatter(`【${outlet}】${title.slice(Math.floor(title.length / 3))}`, when, outlet) + reprintBody(rng, body, outlet));
      family.reprints.push(rel);
    }
    out.families.push(family);
  });
  for (let i = 0; i < unrelated; i++) {
    const p = syntheticPost(seed, originals + i);
    const rng = mulberry32(seedFor(seed, i, 4));
    const outlet = pick(rng, OUTLETS);
    // Another outlet's boilerplate, at the top or the bottom: it must not pull unrelated posts together.
    const { front, body } = split(p.content);
    const line = boilerplate(rng, outlet);
    write(p.relPath, `---\n${front}\n---\n\n${chance(rng, 0.5) ? `${line}\n\n${body}` : `${body.trimEnd()}\n\n${line}\n`}`);
    out.unrelated.push(p.relPath);
  }
  return out;
}
