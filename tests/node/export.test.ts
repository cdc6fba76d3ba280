/**
 * Exports over real archives and a real SQLite index, written to real files and read back with real parsers:
 * the shared corpus, a site with _config.yml (author, untitled, canonical URL), a bare archive (no URL), a
 * result of hundreds of posts (pages, progress, cancel, temporary name then rename), and the refusals.
 */
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-csl';
import '@citation-js/plugin-ris';
import { parse as parseCsv } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { createExportMethods } from '../../src-main/node/export/export-methods';
import { EXPORT_PAGE } from '../../src-main/node/export/export-records';
import { writeExport } from '../../src-main/node/export/write-export';
import type { ExportFormat, ExportProgress, ExportRequest } from '../../src-main/shared/archive-api';
import { sharedCorpus, tempDir } from '../helpers/temp';

const finews = path.join(sharedCorpus, 'finews-sample');
const TODAY = new Date(2026, 10, 29);
const services: ArchiveService[] = [];
afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
});

async function openService(root: string): Promise<ArchiveService> {
  const service = new ArchiveService({});
  services.push(service);
  await service.open(root, { waitForIndex: true, indexFile: path.join(tempDir('backfile-export-index-'), 'index.sqlite') });
  return service;
}

const out = tempDir('backfile-export-out-');
let n = 0;
const target = (ext: string) => path.join(out, `export-${++n}.${ext}`);
const partFiles = (folder: string) => fs.readdirSync(folder).filter((f) => f.endsWith('.part'));

async function exportText(service: ArchiveService, request: ExportRequest, ext: string) {
  const file = target(ext);
  const result = await writeExport(service, request, file, { today: TODAY });
  expect(result.path).toBe(fs.realpathSync(file));
  expect(result.bytes).toBe(fs.statSync(file).size);
  return { result, text: fs.readFileSync(file, 'utf8') };
}

type Csl = Record<string, unknown>;
const cite = (text: string): Csl[] => new Cite(text).data as Csl[];

describe.skipIf(!fs.existsSync(finews))('export of the shared corpus finews-sample', () => {
  let service: ArchiveService;
  beforeAll(async () => {
    service = await openService(finews);
  });

  it('CSV: every post of the archive, one row each, read back with csv-parse', async () => {
    const all = (await service.list({ limit: 500 }));
    const { result, text } = await exportText(service, { format: 'csv', query: {} }, 'csv');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(result.count).toBe(all.total);
    // The corpus's `-202205262391921712.md` starts with `-`: the formula guard shows it as text with a leading `'`.
    expect(rows.map((r) => r.path)).toEqual(all.items.map((i) => (i.path.startsWith('-') ? `'${i.path}` : i.path)));
    expect(rows.map((r) => r.path)).toContain("'-202205262391921712.md");
    const post = rows.find((r) => r.path === '2021-12-08-202112082206672930.md')!;
    expect(post).toMatchObject({
      title: '离岸人民币兑美元升至2018年以来最高水平',
      date: '2021-12-08T10:46:18',
      categories: 'emnews',
      tags: '东财滚动新闻',
      url: 'http://finance.eastmoney.com/news/11060,202112082206672930.html',
    });
    expect(post.snippet).toContain('6.3512');
  });

  it('a search result: the query’s posts, the snippet around the match', async () => {
    const hits = (await service.list({ query: '人民币', limit: 500 }));
    expect(hits.total).toBeGreaterThan(0);
    const { result, text } = await exportText(service, { format: 'csv', query: { query: '人民币', offset: 3, limit: 1 } }, 'csv');
    const rows = parseCsv(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(result.count).toBe(hits.total);
    expect(rows.map((r) => r.path)).toEqual(hits.items.map((i) => i.path));
    for (const row of rows) expect(`${row.title}${row.snippet}`).toContain('人民币');
  });

  for (const [format, ext] of [
    ['ris', 'ris'],
    ['csl-json', 'json'],
    ['bibtex', 'bib'],
  ] as const) {
    it(`${format}: read back by citation-js, same count, titles and URLs`, async () => {
      const all = (await service.list({ limit: 500 }));
      const { result, text } = await exportText(service, { format, query: {} }, ext);
      const items = cite(text);
      expect(result.count).toBe(all.total);
      expect(items).toHaveLength(all.total);
      const item = items.find((i) => i.title === '离岸人民币兑美元升至2018年以来最高水平')!;
      expect(item.URL).toBe('http://finance.eastmoney.com/news/11060,202112082206672930.html');
      expect(item.accessed).toEqual({ 'date-parts': [[2026, 11, 29]] });
    });
  }

  it('JSON: the checked posts exactly, in the order given', async () => {
    const paths = ['2022-05-15-202205152379572893.md', '2021-12-08-202112082206672930.md'];
    const { result, text } = await exportText(service, { format: 'json', paths }, 'json');
    const data = JSON.parse(text) as { path: string; site: string }[];
    expect(result.count).toBe(2);
    expect(data.map((d) => d.path)).toEqual(paths);
    expect(data[0]!.site).toBe('finews-sample');
  });
});

describe('fields: a site with _config.yml, an author, an untitled post, a post with no URL', () => {
  let site: ArchiveService;
  let bare: ArchiveService;
  beforeAll(async () => {
    const tmp = tempDir('backfile-export-site-');
    const root = path.join(tmp, 'site');
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    fs.writeFileSync(path.join(root, '_config.yml'), 'title: 东方财富网\nurl: https://news.example.cn\npermalink: /:year/:month/:day/:title.html\n');
    fs.writeFileSync(path.join(root, '_posts/2021-12-08-rrr.md'), '---\ntitle: "央行宣布降准0.5个百分点"\nauthor: 萧钰\nsource: https://finance.example.cn/a/1.html\n---\n正文\n');
    fs.writeFileSync(path.join(root, '_posts/2021-12-10-no-title.md'), '---\ndate: 2021-12-10\n---\n今日无题\n');
    const bareRoot = path.join(tmp, 'bare-archive');
    fs.mkdirSync(path.join(bareRoot, '_posts'), { recursive: true });
    fs.writeFileSync(path.join(bareRoot, '_posts/2020-01-01-a.md'), '---\ntitle: Dashes\n---\nbody\n');
    site = await openService(root);
    bare = await openService(bareRoot);
  });

  it('CSL-JSON carries the author, the site from _config.yml, the canonical URL of a post without one, and marks no author where none is written', async () => {
    const { text } = await exportText(site, { format: 'csl-json', query: { sort: 'oldest' } }, 'json');
    const items = cite(text);
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      title: '央行宣布降准0.5个百分点',
      author: [{ literal: '萧钰' }],
      'container-title': '东方财富网',
      URL: 'https://finance.example.cn/a/1.html',
      issued: { 'date-parts': [[2021, 12, 8]] },
    });
    expect(items[1]).toMatchObject({ title: '2021-12-10-no-title.md', URL: 'https://news.example.cn/2021/12/10/no-title.html', 'container-title': '东方财富网' });
    expect(items[1]).not.toHaveProperty('author');
  });

  it('JSON says which post is untitled; a bare archive has the folder as its site and no URL', async () => {
    const data = JSON.parse((await exportText(site, { format: 'json', query: { sort: 'oldest' } }, 'json')).text) as { untitled: boolean; author: string | null }[];
    expect(data.map((d) => [d.untitled, d.author])).toEqual([
      [false, '萧钰'],
      [true, null],
    ]);
    const items = cite((await exportText(bare, { format: 'bibtex', query: {} }, 'bib')).text);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ title: 'Dashes', publisher: 'bare-archive' });
    expect(items[0]).not.toHaveProperty('URL');
    expect(items[0]).not.toHaveProperty('author');
  });
});

describe('a large result: pages, progress, cancel, temporary name', () => {
  const POSTS = EXPORT_PAGE * 2 + 50;
  let service: ArchiveService;
  let root: string;
  beforeAll(async () => {
    root = path.join(tempDir('backfile-export-big-'), 'big');
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    for (let i = 0; i < POSTS; i++) {
      const day = String((i % 28) + 1).padStart(2, '0');
      fs.writeFileSync(path.join(root, `_posts/2020-02-${day}-post-${i}.md`), `---\ntitle: 第${i}篇\ntags: [t${i % 3}]\n---\n正文 ${i}\n`);
    }
    service = await openService(root);
  });

  it('writes every post in pages, reporting progress, under a temporary name renamed into place at the end', async () => {
    const file = target('csv');
    const seen: ExportProgress[] = [];
    let sawPart = false;
    const result = await writeExport(service, { format: 'csv', query: {} }, file, {
      onProgress: (p) => {
        seen.push(p);
        if (p.phase === 'writing' && p.written > 0) {
          expect(fs.existsSync(file)).toBe(false);
          sawPart ||= partFiles(out).length === 1;
        }
      },
    });
    expect(sawPart).toBe(true);
    expect(result).toMatchObject({ count: POSTS, cancelled: false });
    expect(seen.map((p) => p.written)).toEqual([0, EXPORT_PAGE, EXPORT_PAGE * 2, POSTS, POSTS]);
    expect(seen.at(-1)).toEqual({ phase: 'done', written: POSTS, total: POSTS });
    expect(parseCsv(fs.readFileSync(file, 'utf8'), { bom: true, columns: true })).toHaveLength(POSTS);
    expect(partFiles(out)).toEqual([]);
  });

  it('cancel stops between pages and leaves no file, partial or whole', async () => {
    const file = target('ris');
    const controller = new AbortController();
    const phases: string[] = [];
    const result = await writeExport(service, { format: 'ris', query: {} }, file, {
      signal: controller.signal,
      onProgress: (p) => {
        phases.push(p.phase);
        if (p.written >= EXPORT_PAGE) controller.abort();
      },
    });
    expect(result).toMatchObject({ cancelled: true, count: 0, bytes: 0 });
    expect(phases.at(-1)).toBe('cancelled');
    expect(fs.existsSync(file)).toBe(false);
    expect(partFiles(out)).toEqual([]);
  });

  it('never writes inside the archive folder, also through a link to it', async () => {
    await expect(writeExport(service, { format: 'csv', query: {} }, path.join(root, 'export.csv'))).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    await expect(writeExport(service, { format: 'csv', query: {} }, path.join(root, '_posts', 'x.csv'))).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    const link = path.join(out, 'link-to-archive');
    fs.symlinkSync(root, link);
    await expect(writeExport(service, { format: 'csv', query: {} }, path.join(link, 'x.csv'))).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
    expect(fs.existsSync(path.join(root, 'export.csv'))).toBe(false);
    expect(partFiles(root)).toEqual([]);
  });

  it('never replaces an existing file without consent; with it, replaces it whole', async () => {
    const file = target('json');
    fs.writeFileSync(file, 'precious');
    await expect(writeExport(service, { format: 'json', paths: ['_posts/2020-02-01-post-0.md'] }, file)).rejects.toMatchObject({ code: 'NOT_OURS' });
    expect(fs.readFileSync(file, 'utf8')).toBe('precious');
    const result = await writeExport(service, { format: 'json', paths: ['_posts/2020-02-01-post-0.md'] }, file, { overwrite: true });
    expect(result.count).toBe(1);
    expect((JSON.parse(fs.readFileSync(file, 'utf8')) as { title: string }[])[0]!.title).toBe('第0篇');
    expect(partFiles(out)).toEqual([]);
  });

  it('through the contract: a save dialog chooses the place (null: cancelled), one export at a time, cancelExport', async () => {
    const chosen: { format: ExportFormat; name: string }[] = [];
    let answer: string | null = null;
    const methods = createExportMethods(service, {
      chooseExportTarget: async (format, name) => {
        chosen.push({ format, name });
        return answer;
      },
    });
    expect(await methods.exportToFile({ format: 'bibtex', query: {} })).toBeNull();
    expect(chosen).toEqual([{ format: 'bibtex', name: 'big-export.bib' }]);

    answer = target('csv');
    const progress: ExportProgress[] = [];
    const off = service.on('exportProgress', (p) => {
      progress.push(p);
      if (p.written >= EXPORT_PAGE && p.phase === 'writing') void methods.cancelExport();
    });
    const running = methods.exportToFile({ format: 'csv', query: {} });
    await expect(methods.exportToFile({ format: 'csv', query: {} })).rejects.toMatchObject({ code: 'BUSY' });
    expect(await running).toMatchObject({ cancelled: true });
    off();
    expect(progress.at(-1)?.phase).toBe('cancelled');
    expect(fs.existsSync(answer)).toBe(false);

    const done = await methods.exportToFile({ format: 'csv', query: { tag: 't0' } });
    expect(done).toMatchObject({ cancelled: false, count: Math.ceil(POSTS / 3), path: fs.realpathSync(answer) });
    // The dossier is a folder: refused over the file just written, made in a new folder (src-main/node/export/dossier/).
    await expect(methods.exportToFile({ format: 'dossier', query: { tag: 't0' } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/is a file/) });
    answer = `${answer}-dossier`;
    const dossier = await methods.exportToFile({ format: 'dossier', query: { tag: 't0' }, lang: 'zh' });
    expect(dossier).toMatchObject({ cancelled: false, count: Math.ceil(POSTS / 3), path: path.join(fs.realpathSync(path.dirname(answer)), path.basename(answer)) });
    expect(fs.readdirSync(path.join(answer, 'articles'))).toHaveLength(Math.ceil(POSTS / 3));
  });
});

describe('exportPaths (what the dossier is given)', () => {
  it('pages through a whole result, and refuses one above the limit before listing it', async () => {
    const { exportPaths } = await import('../../src-main/node/export/export-records');
    const root = path.join(tempDir('backfile-export-paths-'), 'a');
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    for (let i = 0; i < 620; i++) fs.writeFileSync(path.join(root, `_posts/2020-03-01-p${i}.md`), `---\ntitle: P${i}\n---\nx\n`);
    const service = await openService(root);
    const all = await exportPaths(service, { format: 'dossier', query: { sort: 'date', limit: 5 } }, 1000, (n) => `too many: ${n}`);
    expect(all).toHaveLength(620);
    expect(new Set(all).size).toBe(620);
    await expect(exportPaths(service, { format: 'dossier', query: {} }, 600, (n) => `too many: ${n}`)).rejects.toThrow('too many: 620');
    expect(await exportPaths(service, { format: 'dossier', paths: ['b', 'a', 'b'] }, 10, String)).toEqual(['b', 'a']);
  });
});

describe('the contract checks an export request at the boundary', () => {
  it('takes exactly one of query and paths, a known format and language, and nothing else', async () => {
    const { validateArgs } = await import('../../src-main/node/validate-args');
    expect(validateArgs('exportToFile', [{ format: 'csv', query: { query: '钢铁', tag: null } }])).toHaveLength(1);
    expect(validateArgs('exportToFile', [{ format: 'dossier', paths: ['a.md'], lang: 'zh' }])).toHaveLength(1);
    for (const bad of [
      { format: 'csv' },
      { format: 'csv', query: {}, paths: [] },
      { format: 'xlsx', query: {} },
      { query: {} },
      { format: 'csv', query: { limit: 'all' } },
      { format: 'csv', paths: ['a', 7] },
      { format: 'csv', query: {}, lang: 'fr' },
      { format: 'csv', query: {}, out: '/etc/passwd' },
      JSON.parse('{"format":"csv","query":{},"__proto__":{}}') as unknown,
      null,
    ]) {
      expect(() => validateArgs('exportToFile', [bad]), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(() => validateArgs('cancelExport', [1])).toThrow(/at most 0 arguments/);
  });
});
