/**
 * The whole indexing pipeline against posts of pathological shapes and sizes (issue 10): long CJK runs, huge
 * single words, giant front matter, deep nesting, NULs, invalid UTF-8, huge tag lists, … up to the 8 MiB read
 * limit, written to an archive on disk next to ordinary posts and indexed by the real indexing thread with its
 * parse threads. Whatever the shapes, the index builds, every file is either a post in it or has a problem,
 * and the ordinary posts stay searchable. Seeded: the same archive every run (BACKFILE_FUZZ_SEED tries others).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_POST_BYTES } from '../../src-main/node/index/read-post';
import { PARALLEL_FROM } from '../../src-main/node/index/parse-pool';
import { runIndexer } from '../../src-main/node/index/run-indexer';
import { IndexStore } from '../../src-main/node/index/store';
import { int, mulberry32, pick, seedFor, type Rng } from '../bench/prng';
import { tempDir } from '../helpers/temp';

const SEED = Number(process.env.BACKFILE_FUZZ_SEED) || 20241129;
const KiB = 1024;
const MiB = 1024 * KiB;
/** Enough ordinary posts for the indexing thread to start its parse threads (the path large archives take). */
const ORDINARY = PARALLEL_FROM;

const HAN = '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后小么心多天而能好都然没';
const han = (rng: Rng, n: number): string => {
  let out = '';
  for (let i = 0; i < n; i++) out += HAN[int(rng, 0, HAN.length - 1)];
  return out;
};
/** `unit` repeated to about `bytes` of UTF-8. */
const repeatTo = (unit: string, bytes: number): string => unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit))));

/** One pathological post: its bytes, made from the seeded `rng`, at a size chosen by it (up to MAX_POST_BYTES and over). */
type Shape = (rng: Rng) => Buffer | string;
const SHAPES: Record<string, Shape> = {
  'one-line CJK run': (rng) => `---\ntitle: 长\n---\n${repeatTo(han(rng, 97), int(rng, 1, 8) * MiB)}`,
  'CJK run over the read limit': (rng) => repeatTo(han(rng, 89), MAX_POST_BYTES + int(rng, 1, 2 * MiB)),
  'single huge Latin word': (rng) => `---\ntitle: word\n---\n${'a'.repeat(int(rng, 1, 6) * MiB)}`,
  'huge word of astral characters': (rng) => `${'𠀀𪜀'.repeat(int(rng, 100, 1000) * KiB)}`,
  'giant front matter never closed': (rng) => `---\ntitle: x\nfoo: ${'a'.repeat(int(rng, 2, 9) * MiB)}\n`,
  'giant front matter closed': (rng) => `---\ntitle: fm\nblob: "${'b '.repeat(int(rng, 1, 3) * MiB)}"\n---\nafter\n`,
  'huge tag list': (rng) => `---\ntitle: tags\ntags: [${Array.from({ length: int(rng, 2000, 60_000) }, (_, i) => `t${i}`).join(', ')}]\n---\nbody\n`,
  'tag list just under the front matter limit': (rng) =>
    `---\ntitle: tags\ntags:\n${Array.from({ length: int(rng, 5000, 7000) }, (_, i) => `  - 标签${i}`).join('\n')}\n---\n钢铁\n`,
  'deeply nested blockquotes': (rng) => `${'> '.repeat(int(rng, 10, 200) * KiB)}x\n`,
  'deeply nested lists': (rng) => Array.from({ length: int(rng, 1, 20) * KiB }, (_, i) => `${'  '.repeat(i % 400)}- item ${i}`).join('\n'),
  'deeply nested HTML': (rng) => `${'<div><span>'.repeat(int(rng, 10, 150) * KiB)}x`,
  'unclosed emphasis and brackets': (rng) => repeatTo(pick(rng, ['*a ', '[', '_b ', '`', '![', '<a ', '{% if ']), int(rng, 256, 1024) * KiB),
  'dense Markdown': (rng) => repeatTo(`# H ${han(rng, 3)}\n\n- **b** [l](http://x.y/${int(rng, 0, 9)}) \`c\` _e_ ${han(rng, 5)}\n`, int(rng, 128, 512) * KiB),
  'Markdown table': (rng) => `|a|b|c|\n|-|-|-|\n${'|1|钢|3|\n'.repeat(int(rng, 2, 12) * KiB)}`,
  'NULs': (rng) => Buffer.alloc(int(rng, 1, 8) * MiB, 0),
  'NULs inside text': (rng) => repeatTo(`text\0${han(rng, 3)}\0`, int(rng, 64, 2048) * KiB),
  'invalid UTF-8': (rng) => Buffer.from(Array.from({ length: int(rng, 64, 1024) * KiB }, () => int(rng, 0x80, 0xff))),
  'random bytes': (rng) => Buffer.from(Array.from({ length: int(rng, 1, 256) * KiB }, () => int(rng, 0, 255))),
  'UTF-16 with an odd byte': (rng) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`---\ntitle: u16\n---\n${han(rng, 2000)}`, 'utf16le'), Buffer.from([0x41])]),
  'millions of blank lines': (rng) => `${'\n'.repeat(int(rng, 1, 7) * MiB)}---\ntitle: late\n---\nbody\n`,
  'one giant line of punctuation': (rng) => repeatTo(pick(rng, ['，', '!?', '-', '\u3000', '\u200b']), int(rng, 1, 8) * MiB),
  'Liquid everywhere': (rng) => repeatTo(`{% raw %}{{ x | ${han(rng, 2)} }}{% endraw %}{% comment %}`, int(rng, 64, 1024) * KiB),
  'CRLF front matter with a lone CR body': (rng) => `---\r\ntitle: cr\r\n---\r\n${'钢铁\r'.repeat(int(rng, 10, 500) * KiB)}`,
};

/** An ordinary post holding one word of its own, so each can be searched for. */
const ordinary = (i: number): string => `---\ntitle: 普通新闻 ${i}\ntags: [财经]\n---\n钢铁产量增长，市场平稳。marker${i}z steel output rose.\n`;

describe('the indexing pipeline, against pathological posts', () => {
  it('builds the index: every file is a post or has a problem, and ordinary posts stay searchable', async () => {
    const root = tempDir('backfile-fuzz-');
    const posts = path.join(root, '_posts');
    fs.mkdirSync(posts);
    const hostile: string[] = [];
    Object.entries(SHAPES).forEach(([name, make], i) => {
      const rng = mulberry32(seedFor(SEED, i));
      const rel = `_posts/2021-0${1 + (i % 9)}-1${i % 10}-${name.replaceAll(' ', '-')}.md`;
      fs.writeFileSync(path.join(root, rel), make(rng));
      hostile.push(rel);
    });
    for (let i = 0; i < ORDINARY; i++) fs.writeFileSync(path.join(posts, `2022-01-${String(1 + (i % 28)).padStart(2, '0')}-n${i}.md`), ordinary(i));
    const indexFile = path.join(tempDir(), 'index.sqlite');

    const summary = await runIndexer({ root, indexFile, parseThreads: 1 }).done;
    expect(summary).toMatchObject({ scanned: ORDINARY + hostile.length, updated: ORDINARY + hostile.length, cancelled: false });
    // The ordinary posts went through the parse thread (a hostile one may have cost it, never the update).
    expect(summary.parsedOnThreads).toBeGreaterThan(0);

    const store = IndexStore.open(indexFile, { readonly: true });
    try {
      const states = store.fileStates();
      const withProblems = new Set(store.problems().map((p) => p.path));
      for (const rel of hostile) {
        expect(states.has(rel), rel).toBe(true);
        expect(store.getPost(rel) !== undefined || withProblems.has(rel), rel).toBe(true);
      }
      // "Could not be indexed" is the last resort for a bug: none of these shapes may need it.
      expect(store.problems().filter((p) => /could not be (indexed|read)/.test(p.message))).toEqual([]);
      expect(store.list({ query: '钢铁产量', limit: 1 }).total).toBeGreaterThanOrEqual(ORDINARY);
      for (const i of [0, 1, 777, ORDINARY - 1]) {
        expect(store.list({ query: `marker${i}z` }).items.map((a) => a.path)).toEqual([expect.stringContaining(`-n${i}.md`)]);
      }
      expect(store.tags().find((t) => t.name === '财经')?.count).toBe(ORDINARY);
    } finally {
      store.close();
    }
  }, 120_000);
});
