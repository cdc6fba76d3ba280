/**
 * The dossier at its intended size: a reproducible archive of N posts (default 2,000), written as one dossier by
 * the real service, timed; then its search, in Node and in Chromium from file:// (the time from typing to the list
 * rebuilt, measured in the page), each query's total checked against Backfile's own search.
 *
 * Run: `npx tsx tests/bench/dossier.ts [posts=2000] [synthetic|real]` (prints one JSON object). Not a test: the
 * figures go in README's "The dossier" section.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { writeDossier } from '../../src-main/node/export/dossier/write-dossier';
import { CHROMIUM, launchBrowser } from '../e2e/helpers/browser-app';
import { loadDossier } from '../helpers/dossier';
import { generateArchive, type Corpus } from './generate-archive';
import { QUERY_WORDS } from './query-words';

const posts = Number(process.argv[2] ?? 2000);
const corpus = (process.argv[3] ?? 'synthetic') as Corpus;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-dossier-bench-'));
const ms = (from: number): number => Math.round(performance.now() - from);
try {
  const archive = path.join(dir, 'archive');
  await generateArchive(archive, posts, 42, corpus);
  const service = new ArchiveService();
  await service.open(archive, { waitForIndex: true, indexFile: path.join(dir, 'index.sqlite') });
  const paths: string[] = [];
  for (let total = 1; paths.length < total; ) {
    const page = (await service.list({ query: '', limit: 500, offset: paths.length, sort: 'date' }));
    total = page.total;
    paths.push(...page.items.map((h) => h.path));
  }
  const out = path.join(dir, 'dossier');
  const started = performance.now();
  const written = await writeDossier({
    paths, out, lang: 'zh', query: '', madeAt: '2026-11-30', archiveName: 'bench', archiveRoot: archive,
    source: { getArticle: (p) => service.getArticle(p), siteName: service.info().name },
  });
  const buildMs = ms(started);
  const dataBytes = fs.statSync(path.join(out, 'dossier-data.js')).size;

  const queries = [...QUERY_WORDS.map((q) => q.word), '市场 投资', '新能源 市场', 'Northwind 市场', '"市场 投资"', '市场 -投资'];
  const loadStarted = performance.now();
  const { search } = loadDossier(out);
  const nodeLoadMs = ms(loadStarted);
  const rows = [];
  for (const q of queries) {
    const t = performance.now();
    const total = search.search(q).refs.length;
    const backfile = (await service.list({ query: q, limit: 1 })).total;
    rows.push({ query: q, backfile, dossier: total, nodeMs: Math.round((performance.now() - t) * 10) / 10 });
  }

  let browser: Awaited<ReturnType<typeof launchBrowser>> | null = null;
  const page: { loadMs?: number; searchMs?: Record<string, number> } = {};
  if (fs.existsSync(CHROMIUM)) {
    browser = await launchBrowser();
    const tab = await browser.newPage();
    const t = performance.now();
    await tab.goto(pathToFileURL(path.join(out, 'index.html')).href, { waitUntil: 'load' });
    await tab.waitForFunction(() => document.getElementById('status')?.textContent !== '');
    page.loadMs = ms(t);
    page.searchMs = {};
    for (const q of queries) {
      page.searchMs[q] = await tab.evaluate((query) => {
        const input = document.getElementById('q') as HTMLInputElement;
        const begin = performance.now();
        input.value = query;
        input.dispatchEvent(new Event('input'));
        void document.getElementById('results')!.offsetHeight; // the list laid out
        return Math.round((performance.now() - begin) * 10) / 10;
      }, q);
    }
    await browser.close();
  }
  await service.close();
  console.log(JSON.stringify({ posts: paths.length, corpus, buildMs, bytes: written.bytes, dataBytes, nodeLoadMs, page, rows }, null, 1));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
