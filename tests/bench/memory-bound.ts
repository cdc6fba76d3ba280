/**
 * Peak memory of a first index build (issue 10.2: at most 500 MB resident, whatever the archive). The build
 * runs in a process of its own with the real indexing and parse threads (index-child.ts), so its peak
 * resident set is the indexer's alone.
 *
 *   npx tsx tests/bench/memory-bound.ts --case big      300 posts of 8 MiB: one-line Chinese, dense Markdown, Latin
 *   npx tsx tests/bench/memory-bound.ts --case normal   100,000 synthetic news posts (generate-archive.ts)
 *
 * `--posts N` changes the number of posts; `--keep` leaves the archive in the temp folder. Prints one JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateArchive } from './generate-archive';
import type { IndexChildResult } from './index-child';
import { int, mulberry32, pick, seedFor, type Rng } from './prng';
import { runChild } from './run-child';

const MiB = 1024 * 1024;
const POST_BYTES = 8 * MiB;
const TARGET_MB = 500;

const { values } = parseArgs({
  options: { case: { type: 'string', default: 'big' }, posts: { type: 'string' }, keep: { type: 'boolean', default: false } },
});
const which = values.case === 'normal' ? 'normal' : 'big';
const posts = Number(values.posts ?? (which === 'big' ? 300 : 100_000));

const CJK = '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切引亚奇';
const WORDS = ['market', 'steel', 'output', 'report', 'running', 'elections', 'government', 'analysts', 'quarter', 'shipping',
  'investment', 'growth', 'decline', 'regional', 'exports', 'council', 'university', 'temperature', 'harvest', 'railway'];

/** About `bytes` of text made by repeating `make` (each call a few hundred bytes), cut to the byte. */
function fill(bytes: number, make: () => string): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const part = make();
    parts.push(part);
    size += Buffer.byteLength(part);
  }
  return parts.join('');
}

/** One 8 MiB post of three shapes that have hurt the indexer: a one-line Chinese run, dense Markdown, Latin prose. */
function bigPost(i: number): { relPath: string; content: string } {
  const rng: Rng = mulberry32(seedFor(7, i));
  const day = `2020-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  const shape = ['cjk', 'markdown', 'latin'][i % 3]!;
  const header = `---\ntitle: Big ${shape} post ${i}\ntags: [big, ${shape}]\n---\n`;
  const word = () => pick(rng, WORDS);
  const han = (n: number) => Array.from({ length: n }, () => CJK[int(rng, 0, CJK.length - 1)]).join('');
  let body: string;
  if (shape === 'cjk') body = fill(POST_BYTES, () => han(200));
  else if (shape === 'markdown') {
    body = fill(POST_BYTES, () => {
      switch (int(rng, 0, 5)) {
        case 0: return `## ${word()} ${han(6)}\n\n`;
        case 1: return `- **${word()}** [${word()}](https://example.com/${int(rng, 0, 999)}) \`${word()}\` _${han(4)}_\n  - ${word()} ${word()}\n`;
        case 2: return `| ${word()} | ${han(3)} | ${int(rng, 0, 99)} |\n|---|---|---|\n| ${word()} | ${han(2)} | ${int(rng, 0, 9)} |\n\n`;
        case 3: return `> ${word()} ${han(10)} *${word()}*\n> > ${word()}\n\n`;
        case 4: return `\`\`\`\n${word()}(${int(rng, 0, 9)}) <b>${word()}</b>\n\`\`\`\n\n`;
        default: return `${word()} ${han(12)} ${word()} <span>${word()}</span> &amp; ${word()}.\n\n`;
      }
    });
  } else body = fill(POST_BYTES, () => `${Array.from({ length: 30 }, word).join(' ')}.${chanceOfLine(rng) ? '\n\n' : ' '}`);
  return { relPath: `_posts/${day}-big-${i}.md`, content: header + body };
}

const chanceOfLine = (rng: Rng): boolean => rng() < 0.3;

async function writeBigArchive(dir: string, count: number): Promise<number> {
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const post = bigPost(i);
    const file = path.join(dir, post.relPath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const data = Buffer.from(post.content);
    fs.writeFileSync(file, data);
    bytes += data.length;
  }
  return bytes;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-memory-'));
try {
  const archive = path.join(dir, 'archive');
  fs.mkdirSync(archive);
  const bytes = which === 'big' ? await writeBigArchive(archive, posts) : (await generateArchive(archive, posts)).bytes;
  const result = await runChild<IndexChildResult>('./index-child.ts', [archive, path.join(dir, 'index.sqlite')]);
  console.log(JSON.stringify({
    case: which, posts, archiveMb: Math.round(bytes / MiB), ...result, targetMb: TARGET_MB, withinTarget: result.peakRssMb <= TARGET_MB,
  }));
} finally {
  if (values.keep) console.error(`archive kept in ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
