import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CategoryNode, Facets, ListQuery } from '../../src-main/shared/archive-api';
import { normalizeName } from '../../src-main/core/query';
import { IndexStore } from '../../src-main/node/index/store';
import { updateIndex } from '../../src-main/node/index/update';
import { edgeArchive, sharedCorpus, tempDir } from '../helpers/temp';
import { mulberry32 } from '../bench/prng';

/**
 * Facet counts follow the query and the selections (issue 11 item 9), checked as a property over many
 * query + selection combinations on real archives, real parser, real SQLite: every node's count equals the
 * total of the list with that node chosen (the category and date trees as if their own selection were not
 * made; tags as the result stands).
 */

/** 240 posts: nested categories, 0-3 tags (two spellings of one), dates over three years and undated, some unpublished. */
function generatedArchive(): string {
  const root = path.join(tempDir('backfile-facets-gen-'), 'archive');
  const next = mulberry32(11);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const categories = [[], ['经济'], ['经济', '钢铁'], ['经济', '煤炭'], ['政治'], ['政治', '地方'], ['World']];
  const tags = ['市场', '股票', 'MeToo', 'metoo', '央行', '气象', 'City Hall'];
  const words = ['钢铁', '市场', '价格', '上涨', 'steel', 'market', '会议'];
  for (let i = 0; i < 240; i++) {
    const undated = next() < 0.1;
    const date = `${2019 + Math.floor(next() * 3)}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
    const postTags = [...new Set(Array.from({ length: Math.floor(next() * 4) }, () => pick(tags)))];
    const fm = [
      `title: 第${i}篇 ${pick(words)}`,
      undated ? '' : `date: ${date}`,
      `categories: ${JSON.stringify(pick(categories))}`,
      `tags: ${JSON.stringify(postTags)}`,
      next() < 0.08 ? 'published: false' : '',
    ].filter(Boolean);
    const body = Array.from({ length: 5 }, () => pick(words)).join(' ');
    const name = undated ? `post-${i}.md` : `${date}-p${i}.md`;
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    fs.writeFileSync(path.join(root, '_posts', name), `---\n${fm.join('\n')}\n---\n${body}\n`);
  }
  return root;
}

const stores: IndexStore[] = [];
afterAll(() => stores.forEach((s) => s.close()));

async function indexOf(archive: string): Promise<IndexStore> {
  const store = IndexStore.open(path.join(tempDir('backfile-facets-'), 'index.sqlite'));
  stores.push(store);
  await updateIndex(store, archive);
  return store;
}

const totalOf = (store: IndexStore, q: ListQuery): number => store.list({ ...q, limit: 1 }).total;

/** Every post of the list (all pages). */
function allItems(store: IndexStore, q: ListQuery) {
  const items = [];
  for (let offset = 0; ; offset += 500) {
    const page = store.list({ ...q, offset, limit: 500 });
    items.push(...page.items);
    if (offset + 500 >= page.total) return items;
  }
}

const flatten = (nodes: CategoryNode[]): CategoryNode[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

/** The property, for one query, against the archive-wide trees' nodes (a node missing from the facets counts 0). */
function checkFacets(store: IndexStore, q: ListQuery): number {
  const facets: Facets = store.facets(q);
  const hidden = q.includeHidden === true;
  let checked = 0;
  const noCategory: ListQuery = { ...q };
  delete noCategory.category;
  const got = new Map(flatten(facets.categories).map((n) => [JSON.stringify(n.path), n.total]));
  for (const node of flatten(store.categories(hidden))) {
    const expected = totalOf(store, { ...noCategory, category: node.path.length === 0 ? null : node.path });
    expect(got.get(JSON.stringify(node.path)) ?? 0, `category ${node.path.join('/') || '(none)'} for ${JSON.stringify(q)}`).toBe(expected);
    checked++;
  }
  const noDate: ListQuery = { ...q };
  delete noDate.year;
  delete noDate.month;
  for (const year of store.dates(hidden)) {
    const facet = facets.dates.find((d) => d.year === year.year);
    expect(facet?.count ?? 0, `year ${year.year} for ${JSON.stringify(q)}`).toBe(totalOf(store, { ...noDate, year: year.year }));
    for (const month of year.months) {
      const count = facet?.months.find((m) => m.month === month.month)?.count ?? 0;
      expect(count, `${year.year}-${month.month} for ${JSON.stringify(q)}`).toBe(totalOf(store, { ...noDate, year: year.year, month: month.month }));
    }
    checked++;
  }
  const items = allItems(store, q);
  const tagCounts = new Map(facets.tags.map((t) => [t.name === '' ? '' : normalizeName(t.name), t.count]));
  for (const tag of store.tags(hidden)) {
    const norm = tag.name === '' ? '' : normalizeName(tag.name);
    const inResult = items.filter((i) => (norm === '' ? i.tags.length === 0 : i.tags.some((t) => normalizeName(t) === norm))).length;
    expect(tagCounts.get(norm) ?? 0, `tag ${tag.name || '(untagged)'} for ${JSON.stringify(q)}`).toBe(inResult);
    // With tags AND-ed, a tag's count is the list's total with that tag added.
    if (norm !== '' && q.tagMode !== 'any') expect(tagCounts.get(norm) ?? 0).toBe(totalOf(store, { ...q, tags: [...(q.tags ?? []), tag.name] }));
    checked++;
  }
  // Named as the archive-wide tags are, so both counts can be shown side by side.
  const names = new Set(store.tags(hidden).map((t) => t.name));
  for (const t of facets.tags) expect(names.has(t.name)).toBe(true);
  return checked;
}

/** Queries made of each text query crossed with selections taken from the archive's own trees. */
function combinations(store: IndexStore, texts: string[]): ListQuery[] {
  const categories = flatten(store.categories(true));
  const dates = store.dates(true);
  const tags = store.tags(true).filter((t) => t.name !== '');
  const category: (string[] | null | undefined)[] = [undefined, null, ...categories.slice(0, 3).map((c) => c.path)];
  const date: { year?: number | null; month?: number }[] = [{}, { year: null }, ...dates.filter((d) => d.year !== null).slice(0, 2).map((d) => ({ year: d.year }))];
  const withMonth = dates.find((d) => d.year !== null && d.months.length > 0);
  if (withMonth) date.push({ year: withMonth.year, month: withMonth.months[0]!.month });
  const tagChoices: Pick<ListQuery, 'tag' | 'tags' | 'tagMode'>[] = [{}, { tag: null }];
  if (tags[0]) tagChoices.push({ tag: tags[0].name }, { tags: [tags[0].name] });
  if (tags[1]) tagChoices.push({ tags: [tags[0]!.name, tags[1].name] }, { tags: [tags[0]!.name, tags[1].name], tagMode: 'any' });
  const out: ListQuery[] = [];
  for (const query of texts)
    for (const c of category)
      for (const d of date)
        for (const t of tagChoices)
          out.push({ ...(query ? { query } : {}), ...(c !== undefined ? { category: c } : {}), ...d, ...t, includeHidden: out.length % 3 === 0 });
  return out;
}

describe('facet counts follow the query and the selections', () => {
  it('on a generated archive (240 posts): every node of every tree, over ~400 combinations', async () => {
    const store = await indexOf(generatedArchive());
    const queries = combinations(store, ['', '钢铁', 'market -steel', 'tag:央行 after:2020-03']);
    let checked = 0;
    for (const q of queries) checked += checkFacets(store, q);
    expect(queries.length).toBeGreaterThan(300);
    expect(checked).toBeGreaterThan(10_000);
  });

  it('after choosing a tag, a year counts only the posts with that tag (the reported 104 vs 0)', async () => {
    const store = await indexOf(generatedArchive());
    const wide = store.facets({});
    const tagged = store.facets({ tag: '气象' });
    const year2019 = (f: Facets) => f.dates.find((d) => d.year === 2019)?.count ?? 0;
    expect(year2019(wide)).toBe(store.dates().find((d) => d.year === 2019)?.count);
    expect(year2019(tagged)).toBe(totalOf(store, { tag: '气象', year: 2019 }));
    expect(year2019(tagged)).toBeLessThan(year2019(wide));
    // Two tags: AND narrows, OR widens.
    const both = totalOf(store, { tags: ['气象', '央行'] });
    const either = totalOf(store, { tags: ['气象', '央行'], tagMode: 'any' });
    expect(both).toBeLessThan(totalOf(store, { tag: '气象' }));
    expect(either).toBe(totalOf(store, { tag: '气象' }) + totalOf(store, { tag: '央行' }) - both);
  });

  it('an empty query reads the archive-wide count tables', async () => {
    const store = await indexOf(generatedArchive());
    for (const includeHidden of [false, true]) {
      expect(store.facets({ includeHidden, sort: 'oldest', offset: 50 })).toEqual({
        categories: store.categories(includeHidden), dates: store.dates(includeHidden), tags: store.tags(includeHidden),
      });
    }
  });

  it('the Untagged count (kept between calls) follows a change made by another connection, and by this one', async () => {
    const dir = tempDir('backfile-facets-untagged-');
    const archive = path.join(dir, 'archive');
    fs.mkdirSync(path.join(archive, '_posts'), { recursive: true });
    fs.writeFileSync(path.join(archive, '_posts/2020-01-01-a.md'), '---\ntitle: a\ntags: [x]\n---\ntext\n');
    const writer = IndexStore.open(path.join(dir, 'index.sqlite'));
    stores.push(writer);
    await updateIndex(writer, archive);
    const reader = IndexStore.open(path.join(dir, 'index.sqlite'), { readonly: true });
    stores.push(reader);
    const untagged = (s: IndexStore) => s.tags().find((t) => t.name === '')?.count ?? 0;
    expect(untagged(reader)).toBe(0);
    expect(untagged(writer)).toBe(0);
    fs.writeFileSync(path.join(archive, '_posts/2020-01-02-b.md'), '---\ntitle: b\n---\ntext\n');
    await updateIndex(writer, archive);
    expect(untagged(reader)).toBe(1);
    expect(untagged(writer)).toBe(1);
    expect(reader.facets({ year: 2020 }).tags).toEqual([{ name: 'x', count: 1 }, { name: '', count: 1 }]);
  });

  const finews = path.join(sharedCorpus, 'finews-sample');
  it.skipIf(!fs.existsSync(finews))('on the shared finews-sample corpus', async () => {
    const store = await indexOf(finews);
    for (const q of combinations(store, ['', '市场', '新', 'category:emnews'])) checkFacets(store, q);
  });

  it('on the edge-case archive', async () => {
    const store = await indexOf(edgeArchive);
    for (const q of combinations(store, ['', 'town', '"city hall"'])) checkFacets(store, q);
  });
});
