/**
 * The dossier, written from real archives by the real service: its files, its lunr index loaded in Node as the
 * page loads it, and its search agreeing with Backfile's own over the same selection (same totals) for plain
 * queries taken from the posts themselves: Chinese words of one to four characters, English words, two-word AND.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { DOSSIER_MAX_POSTS, writeDossier, type WriteDossierOptions } from '../../src-main/node/export/dossier/write-dossier';
import { segments } from '../../src-main/core/tokenize';
import { generateArchive } from '../bench/generate-archive';
import { QUERY_WORDS } from '../bench/query-words';
import { loadDossier } from '../helpers/dossier';
import { edgeArchive, sharedCorpus, tempDir } from '../helpers/temp';

const ARCHIVES = [
  { name: 'finews-sample', root: path.join(sharedCorpus, 'finews-sample') },
  { name: 'jekyll-edge-cases', root: path.join(sharedCorpus, 'jekyll-edge-cases') },
  { name: 'edge-archive', root: edgeArchive },
].filter((a) => fs.existsSync(a.root));

/** Plain queries from the selection's titles and excerpts, in a fixed order (no randomness). */
function queriesFrom(texts: string[]): string[] {
  const out = new Set<string>(['中国', '市场', '新闻', '钢', 'city', 'the', 'news', '"city hall"', 'run', 'ran']);
  for (const text of texts) {
    const words: string[] = [];
    for (const seg of segments(text)) {
      if (seg.kind === 'word') words.push(seg.text);
      else {
        const chars = Array.from(seg.text);
        for (const len of [1, 2, 3, 4]) if (chars.length >= len) words.push(chars.slice(Math.floor(chars.length / 3), Math.floor(chars.length / 3) + len).join(''));
      }
    }
    words.slice(0, 6).forEach((w) => out.add(w));
    if (words.length >= 2) out.add(`${words[0]} ${words[words.length - 1]}`);
  }
  return [...out].filter((q) => q.trim() !== '');
}

describe.skipIf(ARCHIVES.length === 0)('writeDossier', () => {
  const dir = tempDir('backfile-dossier-');
  const services: ArchiveService[] = [];
  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
  });

  async function open(root: string): Promise<{ service: ArchiveService; base: Omit<WriteDossierOptions, 'out'> }> {
    const service = new ArchiveService();
    services.push(service);
    await service.open(root, { waitForIndex: true, indexFile: path.join(dir, `${services.length}.sqlite`) });
    const paths = (await service.list({ query: '', limit: 100_000, sort: 'date' })).items.map((h) => h.path);
    return {
      service,
      base: {
        paths,
        source: { getArticle: (p) => service.getArticle(p), siteName: service.info().name },
        archiveName: path.basename(root),
        archiveRoot: root,
        query: '',
        lang: 'zh',
        madeAt: '2026-11-30',
      },
    };
  }

  for (const archive of ARCHIVES) {
    describe(archive.name, () => {
      let service: ArchiveService;
      let base: Omit<WriteDossierOptions, 'out'>;
      const out = path.join(dir, `${archive.name}-dossier`);
      beforeAll(async () => {
        ({ service, base } = await open(archive.root));
        await writeDossier({ ...base, out });
      });

      it('writes index.html, one page per post, lunr and its index, and nothing beside the folder', () => {
        expect(fs.existsSync(path.join(out, 'index.html'))).toBe(true);
        for (const file of ['lunr.min.js', 'dossier.js', 'dossier-data.js', 'dossier.css']) expect(fs.statSync(path.join(out, file)).size).toBeGreaterThan(0);
        expect(fs.readdirSync(path.join(out, 'articles'))).toHaveLength(base.paths.length);
        expect(fs.readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
        const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
        expect(index).toContain('aria-label="搜索"');
        expect(index).toContain('aria-label="结果"');
        expect(index).toContain(`<dd>${archive.name}</dd>`);
        expect(index).toContain("default-src 'none'");
      });

      it('finds what Backfile finds: the same totals for the same queries', async () => {
        const { data, search } = loadDossier(out);
        expect(data.docs).toHaveLength(base.paths.length);
        const texts = (await Promise.all(base.paths.map((p) => service.getArticle(p)))).map((a) => `${a.title} ${a.excerpt}`);
        const queries = queriesFrom(texts);
        expect(queries.length).toBeGreaterThan(20);
        const differ = (await Promise.all(queries
          .map(async (q) => ({ q, backfile: (await service.list({ query: q, limit: 1 })).total, dossier: search.search(q).refs.length }))))
          .filter((r) => r.backfile !== r.dossier);
        expect(differ).toEqual([]);
      });

      it('lists every post for an empty query, in the selection order', () => {
        const { data, search } = loadDossier(out);
        expect(search.search('').refs).toEqual(data.docs.map((_, i) => i));
      });
    });
  }

  it('agrees on phrases, exclusions, OR, title:, tag:, category: and dates (edge archive)', async () => {
    const { service, base } = await open(edgeArchive);
    const out = path.join(dir, 'syntax');
    await writeDossier({ ...base, out });
    const { search } = loadDossier(out);
    const hits = (await service.list({ query: '', limit: 5 })).items;
    const tag = hits.find((h) => h.tags.length > 0)?.tags[0] ?? 'x';
    const category = hits.find((h) => h.categories.length > 0)?.categories[0] ?? 'x';
    const queries = [
      '"city hall"', 'city -hall', 'city OR 中国', `tag:"${tag}"`, `-tag:"${tag}"`, `category:"${category}"`, 'title:city',
      'after:2020', 'before:2021-06', 'after:2024-01-01 before:2025', '"中国 钢铁"', 'café', 'cafe',
    ];
    const differ = (await Promise.all(queries
      .map(async (q) => ({ q, backfile: (await service.list({ query: q, limit: 1 })).total, dossier: search.search(q).refs.length }))))
      .filter((r) => r.backfile !== r.dossier);
    expect(differ).toEqual([]);
  });

  it('matches a word as a phrase in one field, as Backfile does, not as tokens scattered over the post', async () => {
    const root = path.join(dir, 'phrases');
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    const post = (name: string, title: string, body: string, tags = '[]') =>
      fs.writeFileSync(path.join(root, '_posts', name), `---\ntitle: ${title}\ndate: 2024-01-02\ntags: ${tags}\n---\n${body}\n`);
    post('2024-01-02-a.md', 'A', '中国钢铁市场 city hall meeting');
    post('2024-01-02-b.md', 'B', '钢铁，国钢，中国。 hall of the city');
    post('2024-01-02-c.md', '中国', '国钢 city', '[hall]');
    post('2024-01-02-d.md', 'D', '中国。钢铁 市场价格 cities halls');
    const { service, base } = await open(root);
    const out = path.join(dir, 'phrases-dossier');
    await writeDossier({ ...base, out });
    const { search } = loadDossier(out);
    const queries = ['中国钢', '中国钢铁', '国钢铁', '钢铁市', '"city hall"', '"hall city"', '"city hall" 中国', 'title:中国 国钢', '中国钢 OR "city hall"', '-中国钢', '"hall meeting"', '市场价'];
    const rows = await Promise.all(queries.map(async (q) => ({ q, backfile: (await service.list({ query: q, limit: 1 })).total, dossier: search.search(q).refs.length })));
    expect(rows.filter((r) => r.backfile !== r.dossier)).toEqual([]);
    // The check bites: lunr alone (every token anywhere) would find B and C for 中国钢.
    expect(rows.find((r) => r.q === '中国钢')!.backfile).toBe(1);
  });

  it('agrees with Backfile on a generated archive of 400 Chinese news posts (hundreds of hits per word)', async () => {
    const root = path.join(dir, 'generated');
    await generateArchive(root, 400, 7, 'synthetic');
    const { service, base } = await open(root);
    const paths: string[] = [];
    for (let total = 1; paths.length < total; ) {
      const page = (await service.list({ query: '', limit: 500, offset: paths.length, sort: 'date' }));
      total = page.total;
      paths.push(...page.items.map((h) => h.path));
    }
    const out = path.join(dir, 'generated-dossier');
    await writeDossier({ ...base, paths, out });
    const { search } = loadDossier(out);
    const words = QUERY_WORDS.map((q) => q.word);
    const queries = [...words, ...words.slice(1).map((w) => `${words[0]} ${w}`), '市', '场', '"市场 投资"', '市场 -投资', 'title:市场', '市场 OR 投资', 'after:2015 市场'];
    const rows = await Promise.all(queries.map(async (q) => ({ q, backfile: (await service.list({ query: q, limit: 1 })).total, dossier: search.search(q).refs.length })));
    expect(rows.filter((r) => r.backfile !== r.dossier)).toEqual([]);
    expect(rows.find((r) => r.q === words[0])!.backfile).toBeGreaterThan(50);
  }, 120_000);

  it('copies local images in, rewrites their src, and never gives a remote image a src', async () => {
    const { base } = await open(edgeArchive);
    const out = path.join(dir, 'images');
    await writeDossier({ ...base, lang: 'en', out });
    const pages = fs.readdirSync(path.join(out, 'articles')).map((f) => fs.readFileSync(path.join(out, 'articles', f), 'utf8'));
    const page = pages.find((p) => p.includes('Local chart'))!;
    const src = /<img[^>]*src="(\.\.\/assets\/[^"]+)"/.exec(page)?.[1];
    expect(src).toBeDefined();
    expect(fs.existsSync(path.join(out, 'articles', decodeURIComponent(src!)))).toBe(true);
    for (const p of pages) {
      for (const m of p.matchAll(/\s(?:src|href)="([^"]*)"/g)) {
        if (m[0].startsWith(' src')) expect(m[1]).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
      }
      expect(p).not.toContain('backfile-asset:');
    }
    expect(pages.some((p) => p.includes('data-remote-src="https://pixel.example.net/track.gif"'))).toBe(true);
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('aria-label="Search"');
  });

  it('refuses a selection above the limit with TOO_LARGE, writing nothing', async () => {
    const { base } = await open(edgeArchive);
    const out = path.join(dir, 'too-large');
    const paths = Array.from({ length: DOSSIER_MAX_POSTS + 1 }, () => base.paths[0]!);
    await expect(writeDossier({ ...base, paths, out })).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringMatching(/at most 5,000 posts/) });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('stops when cancelled and leaves nothing behind', async () => {
    const { base } = await open(edgeArchive);
    const out = path.join(dir, 'cancelled');
    const controller = new AbortController();
    const seen: number[] = [];
    const result = await writeDossier({
      ...base, out, signal: controller.signal,
      onProgress: (written) => {
        seen.push(written);
        if (written === 1) controller.abort();
      },
    });
    expect(result.cancelled).toBe(true);
    expect(seen).toEqual([0, 1]);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('refuses a target folder that is not empty, and fills an empty one', async () => {
    const { base } = await open(edgeArchive);
    const full = path.join(dir, 'full');
    fs.mkdirSync(full);
    fs.writeFileSync(path.join(full, 'keep.txt'), 'mine');
    await expect(writeDossier({ ...base, out: full })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(fs.readdirSync(full)).toEqual(['keep.txt']);
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const result = await writeDossier({ ...base, out: empty });
    expect(result).toMatchObject({ cancelled: false, count: base.paths.length });
    expect(fs.existsSync(path.join(empty, 'index.html'))).toBe(true);
  });
});
