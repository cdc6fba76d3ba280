/** createExportMethods lists a result as the app lists it, so an export holds exactly the posts the list shows. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { createExportMethods } from '../../src-main/node/export/export-methods';
import { ExportRunner } from '../../src-main/node/export/export-runner';
import { tempDir } from '../helpers/temp';

describe('createExportMethods', () => {
  let service: ArchiveService;
  let out: string;
  beforeAll(async () => {
    const root = path.join(tempDir('backfile-export-methods-'), 'a');
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(root, `_posts/2020-04-01-p${i}.md`), `---\ntitle: P${i}\ntags: [t${i % 3}]\n---\nx\n`);
    out = tempDir('backfile-export-methods-out-');
    service = new ArchiveService({});
    await service.open(root, { waitForIndex: true, indexFile: path.join(out, 'index.sqlite') });
  });
  afterAll(() => service.close());

  it("filters the index's result with the app's own test (the workspace's is:starred, label: … apply), built once per export", async () => {
    const file = path.join(out, 'starred.json');
    const asked: string[] = [];
    const methods = createExportMethods(service, { chooseExportTarget: async () => file }, (query) => {
      asked.push(query.query ?? '');
      return (p) => Number(/p(\d+)\.md$/.exec(p)![1]) % 3 === 1; // stands in for the workspace's filter: the posts tagged t1
    });
    const result = await methods.exportToFile({ format: 'json', query: { query: 'is:starred' } });
    expect(asked).toEqual(['is:starred']);
    expect(result).toMatchObject({ count: 10, cancelled: false });
    expect((JSON.parse(fs.readFileSync(file, 'utf8')) as { tags: string[] }[]).every((r) => r.tags.includes('t1'))).toBe(true);
  });
});

describe('the one export slot is taken before a save dialog opens', () => {
  let service: ArchiveService;
  let out: string;
  beforeAll(async () => {
    const root = path.join(tempDir('backfile-export-slot-'), 'a');
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(root, `_posts/2020-04-01-p${i}.md`), `---\ntitle: P${i}\n---\nx\n`);
    out = tempDir('backfile-export-slot-out-');
    service = new ArchiveService({});
    await service.open(root, { waitForIndex: true, indexFile: path.join(out, 'index.sqlite') });
  });
  afterAll(() => service.close());

  it('the runner: a reserved slot makes another reserve or run BUSY; released, the next one runs', async () => {
    const runner = new ExportRunner(service, () => undefined);
    const slot = runner.reserve();
    expect(runner.isExporting).toBe(true);
    expect(() => runner.reserve()).toThrow(expect.objectContaining({ code: 'BUSY' }));
    await expect(runner.run({ format: 'csv', query: {} }, path.join(out, 'second.csv'), false)).rejects.toMatchObject({ code: 'BUSY' });
    expect(fs.existsSync(path.join(out, 'second.csv'))).toBe(false);
    slot.release();
    expect(runner.isExporting).toBe(false);
    const result = await runner.reserve().run({ format: 'csv', query: {} }, path.join(out, 'after.csv'), false);
    expect(result).toMatchObject({ count: 3, cancelled: false });
    expect(runner.isExporting).toBe(false);
  });

  it('two desktop exports: the second is BUSY before its dialog opens; a cancelled dialog gives the slot back', async () => {
    let answer: (target: string | null) => void = () => undefined;
    const dialogs: string[] = [];
    const methods = createExportMethods(service, {
      chooseExportTarget: (format) => {
        dialogs.push(format);
        return new Promise((resolve) => (answer = resolve));
      },
    });
    const first = methods.exportToFile({ format: 'csv', query: {} });
    await expect(methods.exportToFile({ format: 'json', query: {} })).rejects.toMatchObject({ code: 'BUSY' });
    expect(dialogs).toEqual(['csv']);
    answer(null);
    await expect(first).resolves.toBeNull();
    const third = methods.exportToFile({ format: 'json', query: {} });
    await expect.poll(() => dialogs.length).toBe(2);
    answer(path.join(out, 'third.json'));
    await expect(third).resolves.toMatchObject({ count: 3, cancelled: false });
  });
});

describe('exportToFile through the whole contract', () => {
  it('exports what listArticles lists, workspace marks included (is:starred)', async () => {
    const { createArchiveApi } = await import('../../src-main/node/archive/create-archive-api');
    const { RecentArchives } = await import('../../src-main/node/recent-archives');
    const tmp = tempDir('backfile-export-contract-');
    const root = path.join(tmp, 'archive');
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    for (let i = 1; i <= 6; i++) fs.writeFileSync(path.join(root, `_posts/2020-01-0${i}-p${i}.md`), `---\ntitle: "P${i}"\n---\n钢铁 ${i}\n`);
    const file = path.join(tmp, 'starred.csv');
    const service = new ArchiveService({ indexPathFor: () => path.join(tmp, 'index.sqlite') });
    try {
      const api = createArchiveApi(service, {
        allowedRoots: null,
        recent: new RecentArchives(path.join(tmp, 'recent.json')),
        workspaceFile: path.join(tmp, 'workspace.sqlite'),
        chooseExportTarget: async () => file,
      });
      await service.open(root, { waitForIndex: true });
      await api.setStar('_posts/2020-01-02-p2.md', true);
      await api.setStar('_posts/2020-01-05-p5.md', true);
      const listed = await api.listArticles({ query: 'is:starred 钢铁' });
      expect(listed.total).toBe(2);
      const result = await api.exportToFile({ format: 'json', query: { query: 'is:starred 钢铁' } });
      expect(result).toMatchObject({ count: 2, cancelled: false });
      expect((JSON.parse(fs.readFileSync(file, 'utf8')) as { path: string }[]).map((r) => r.path)).toEqual(listed.items.map((i) => i.path));
    } finally {
      await service.close();
    }
  });
});

describe("a dossier's header names the selection it came from", () => {
  let service: ArchiveService;
  let out: string;
  beforeAll(async () => {
    const root = path.join(tempDir('backfile-export-dossier-head-'), 'a');
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    for (let i = 0; i < 6; i++) {
      fs.writeFileSync(path.join(root, `_posts/2020-04-0${i + 1}-p${i}.md`), `---\ntitle: P${i}\ncategories: [Politics, Local]\ntags: [a, b${i % 2}]\n---\nsteel\n`);
    }
    out = tempDir('backfile-export-dossier-head-out-');
    service = new ArchiveService({});
    await service.open(root, { waitForIndex: true, indexFile: path.join(out, 'index.sqlite') });
  });
  afterAll(() => service.close());

  it('the query, then the category, the month and the tags (all of / any of), in the language asked', async () => {
    for (const [lang, expected] of [
      ['en', 'Category: Politics › Local; Date: 2020-04; Tag: any of a, b1'],
      ['zh', '分类: Politics › Local; 日期: 2020-04; 标签: 包含任一 a, b1'],
    ] as const) {
      const folder = path.join(out, `dossier-${lang}`);
      const methods = createExportMethods(service, { chooseExportTarget: async () => folder });
      const query = { query: 'steel', category: ['Politics', 'Local'], year: 2020, month: 4, tags: ['a', 'b1'], tagMode: 'any' as const };
      const result = await methods.exportToFile({ format: 'dossier', query, lang });
      expect(result).toMatchObject({ count: 6, cancelled: false });
      const html = fs.readFileSync(path.join(folder, 'index.html'), 'utf8');
      expect(html).toContain('<code>steel</code>');
      expect(html).toContain(`<dd>${expected}</dd>`);
    }
  });
});

describe('links between posts in a dossier', () => {
  let service: ArchiveService;
  let out: string;
  beforeAll(async () => {
    const root = path.join(tempDir('backfile-export-dossier-links-'), 'a');
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    const body = 'See [b](/2020/04/02/b.html), [c](/2020/04/03/c.html), [web](https://example.org/x) and [top](#top).';
    fs.writeFileSync(path.join(root, '_posts/2020-04-01-a.md'), `---\ntitle: A\ntags: [in]\n---\n${body}\n`);
    fs.writeFileSync(path.join(root, '_posts/2020-04-02-b.md'), `---\ntitle: B\ntags: [in]\n---\nbee\n`);
    fs.writeFileSync(path.join(root, '_posts/2020-04-03-c.md'), `---\ntitle: C\ntags: [out]\n---\nsee\n`);
    out = tempDir('backfile-export-dossier-links-out-');
    service = new ArchiveService({});
    await service.open(root, { waitForIndex: true, indexFile: path.join(out, 'index.sqlite') });
  });
  afterAll(() => service.close());

  it("a link to a post the dossier holds opens its page; one to a post it does not hold keeps its text only; web links stay", async () => {
    const folder = path.join(out, 'dossier');
    const methods = createExportMethods(service, { chooseExportTarget: async () => folder });
    const result = await methods.exportToFile({ format: 'dossier', paths: ['_posts/2020-04-01-a.md', '_posts/2020-04-02-b.md'] });
    expect(result).toMatchObject({ count: 2, cancelled: false });
    const page = fs.readFileSync(path.join(folder, 'articles', '0001.html'), 'utf8');
    expect(page).toMatch(/<a [^>]*href="0002\.html"[^>]*>b<\/a>/);
    expect(page).toMatch(/<a [^>]*data-not-in-dossier=""[^>]*>c<\/a>/);
    expect(page).not.toContain('/2020/04/03/c.html');
    expect(page).toMatch(/<a [^>]*href="https:\/\/example\.org\/x"[^>]*>web<\/a>/);
    expect(fs.existsSync(path.join(folder, 'articles', '0002.html'))).toBe(true);
  });
});
