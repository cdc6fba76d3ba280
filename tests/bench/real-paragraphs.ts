/**
 * The real text of the shared corpora (../shared/corpus: finews-sample and jekyll-edge-cases), cut into
 * paragraphs for real-text-post.ts. Files are read in sorted order, so the pool is the same on every run.
 * Kept as written (HTML, autolinks, English, warts); left out: files that are not UTF-8 (the GBK sample),
 * paragraphs with Liquid tags (a `{% highlight %}` block cut at a blank line would leak half a tag).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared corpora, beside the repository: /work/shared/corpus when the repository is /work/main. */
export const SHARED_CORPUS = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
export const REAL_CORPORA = ['finews-sample', 'jekyll-edge-cases'] as const;

export interface RealText {
  /** Body paragraphs of the news archive (finews-sample): Markdown text or one HTML block (`<p>…</p>`) each. */
  paragraphs: string[];
  /** Body paragraphs of jekyll-edge-cases: English, tables, hostile markup, local images. */
  otherParagraphs: string[];
  /** Non-empty `title:` values of the corpora's front matter. */
  titles: string[];
  /** Trailing source autolinks (`<http://…>`), as scraped news ends. */
  sources: string[];
  /** Trailing "back to" link lines (`[返回首页](../)`). */
  footers: string[];
}

const POST_FILE = /\.(md|markdown|html)$/;
/** Only "back to" links (`[返回首页](../)`), one a line or separated by ｜. */
const FOOTER = /^\[返回[^\]]*\]\([^)]*\)(?:(?:\n|｜)\[返回[^\]]*\]\([^)]*\))*$/;
const NOT_POSTS = new Set(['README.md', 'EXPECTED.md']);

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : POST_FILE.test(e.name) && !NOT_POSTS.has(e.name) ? [path.join(dir, e.name)] : []));
}

/** The text without its front matter (which may start after blank lines), and the front matter's title. */
function split(text: string): { title: string | null; body: string } {
  const m = /^\s*---[^\n]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(text);
  if (!m) return { title: null, body: text };
  const title = /^title:\s*"?(.*?)"?\s*$/m.exec(m[1] ?? '')?.[1]?.trim() ?? '';
  return { title: title === '' ? null : title, body: text.slice(m[0].length) };
}

/** Blocks separated by blank lines; a block of HTML lines (`<p>…</p>\n <p>…</p>`) gives one paragraph a line. */
function blocks(body: string): string[] {
  return body.split(/\n[ \t]*\n/).flatMap((block) => {
    const trimmed = block.trim();
    return trimmed.startsWith('<') ? trimmed.split('\n').map((line) => line.trim()) : [trimmed];
  }).filter((b) => b !== '');
}

export function loadRealText(root = SHARED_CORPUS): RealText {
  const out: RealText = { paragraphs: [], otherParagraphs: [], titles: [], sources: [], footers: [] };
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  for (const corpus of REAL_CORPORA) {
    for (const file of files(path.join(root, corpus))) {
      let text: string;
      try {
        text = utf8.decode(fs.readFileSync(file));
      } catch {
        continue; // not UTF-8 (the GBK sample)
      }
      const { title, body } = split(text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
      if (title !== null && !title.includes('{')) out.titles.push(title);
      for (const b of blocks(body)) {
        if (b.includes('{%') || b.includes('{{')) continue;
        if (/^<https?:\/\/[^<>\s]+>$/.test(b)) out.sources.push(b);
        else if (FOOTER.test(b)) out.footers.push(b);
        else (corpus === 'finews-sample' ? out.paragraphs : out.otherParagraphs).push(b);
      }
    }
  }
  if (out.paragraphs.length === 0) throw new Error(`no paragraphs found under ${root}`);
  return out;
}

export const hasSharedCorpus = (root = SHARED_CORPUS): boolean => REAL_CORPORA.every((c) => fs.existsSync(path.join(root, c)));

/** The real-text corpus where the shared corpora are there (as in CI), else the synthetic one: what a suite generates from. */
export const realIfThere = (): 'real' | 'synthetic' => (hasSharedCorpus() ? 'real' : 'synthetic');
