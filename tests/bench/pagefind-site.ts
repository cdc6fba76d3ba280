/**
 * Pagefind's side of the comparison (compare.ts): the parsed posts as static HTML pages (one page each: title,
 * Backfile's rendered body, categories and tags as Pagefind filters, the date as a sort key), then
 * `pagefind --site <folder>` timed, with its peak resident set (GNU time's %M) and the bundle it writes.
 * The binary is the one the npm package ships (@pagefind/<platform>, pagefind_extended: it segments Chinese
 * into words itself, so its terms are not Backfile's bigrams).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ParsedPost } from '../../src-main/core/types';

export interface PagefindResult {
  version: string;
  binary: string;
  buildMs: number;
  /** Null when GNU time is not at /usr/bin/time. */
  peakRssMb: number | null;
  /** The whole bundle Pagefind writes (`<site>/pagefind`). */
  bytes: number;
  /** Of which the search UI's scripts, styles and WebAssembly (the same for any site). */
  assetBytes: number;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One post as a page of the site: `<site>/posts/<n>.html`. */
export function pagefindPage(post: Pick<ParsedPost, 'title' | 'html' | 'categories' | 'tags' | 'date'>): string {
  const meta = [
    ...post.categories.map((c) => `<meta data-pagefind-filter="category[content]" content="${escapeHtml(c)}">`),
    ...post.tags.map((t) => `<meta data-pagefind-filter="tag[content]" content="${escapeHtml(t)}">`),
    ...(post.date ? [`<meta data-pagefind-sort="date[content]" content="${escapeHtml(post.date)}">`] : []),
  ];
  return `<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(post.title)}</title></head>\n`
    + `<body><main data-pagefind-body>${meta.join('')}<h1>${escapeHtml(post.title)}</h1>\n${post.html}\n</main></body></html>\n`;
}

export const pagefindPagePath = (site: string, n: number): string => path.join(site, 'posts', `${n}.html`);

/** The platform binary the npm package ships, as its own wrapper (lib/runner/bin.cjs) finds it. */
export function pagefindBinary(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const dir = path.dirname(createRequire(import.meta.url).resolve(`@pagefind/${platform}-${process.arch}/package.json`));
  const found = ['pagefind_extended', 'pagefind'].map((name) => path.join(dir, 'bin', name + (platform === 'windows' ? '.exe' : ''))).find((f) => fs.existsSync(f));
  if (!found) throw new Error(`no pagefind binary in ${dir}/bin`);
  return found;
}

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The bundle's size; the files at its top other than the entry and the `.pf_meta` are the UI's assets. */
function folderBytes(dir: string): { bytes: number; assetBytes: number } {
  let bytes = 0;
  let assetBytes = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const size = fs.statSync(path.join(entry.parentPath, entry.name)).size;
    bytes += size;
    if (path.resolve(entry.parentPath) === path.resolve(dir) && !/\.pf_meta$|^pagefind-entry\.json$/.test(entry.name)) assetBytes += size;
  }
  return { bytes, assetBytes };
}

const GNU_TIME = '/usr/bin/time';

export async function runPagefind(site: string): Promise<PagefindResult> {
  const binary = pagefindBinary();
  const version = (await run(binary, ['--version'])).stdout.trim();
  const timed = fs.existsSync(GNU_TIME);
  const args = ['--site', site, '--quiet'];
  const started = performance.now();
  const result = timed ? await run(GNU_TIME, ['-f', 'maxrss_kb=%M', binary, ...args]) : await run(binary, args);
  const buildMs = Math.round(performance.now() - started);
  if (result.code !== 0) throw new Error(`pagefind failed (exit ${result.code}): ${result.stderr.trim().slice(-2000)}`);
  const kb = /maxrss_kb=(\d+)/.exec(result.stderr)?.[1];
  return {
    version,
    binary: path.basename(binary),
    buildMs,
    peakRssMb: kb === undefined ? null : Math.round(Number(kb) / 102.4) / 10,
    ...folderBytes(path.join(site, 'pagefind')),
  };
}
