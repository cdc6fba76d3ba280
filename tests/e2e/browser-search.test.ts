/**
 * Search as you type in browser mode, on the sample archive: what the list shows is what the core answers for
 * the same query (asked directly, as the CLI does), snippets and the opened article mark the terms, and an empty
 * result explains itself and offers the way back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListResult } from '../../src-main/shared/archive-api';
import { sampleArchive } from '../helpers/temp';
import { AppUi, type RowView } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot, type AppPage, useBrowserSession } from './helpers/browser-app';

const skip = browserSkipReason();
announceSkip('Browser-mode search tests', skip);

describe.skipIf(skip !== null)('browser mode: search as you type', () => {
  let app: AppPage;
  let ui: AppUi;
  const session = useBrowserSession(() => sampleArchive);
  beforeAll(async () => {
    app = await openApp(session.browser, session.served);
    ui = new AppUi(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  /** What the core answers for the query, in the order the list asks for (relevance while there is a query). */
  const core = async (query: string): Promise<ListResult> => (await session.served.server.service.list({ query, sort: 'relevance', limit: 100 }));

  /** Types the query like a reader (one key at a time), waits for the list to answer it, and returns the rows. */
  async function searchFor(query: string) {
    await ui.search.fill('');
    // The answer to exactly this query (typing sends a request per pause; earlier answers may share the count).
    const answered = app.page.waitForResponse((response) => {
      if (!response.url().endsWith('/api/call/listArticles')) return false;
      const body = JSON.parse(response.request().postData() ?? '{}') as { args?: { query?: string }[] };
      return body.args?.[0]?.query === query;
    });
    await ui.search.pressSequentially(query, { delay: 15 });
    await answered;
    const expected = (await core(query));
    await eventually(() => ui.matchCount(), `count for ${query}`).toBe(expected.total);
    // The rows in view are the core's first hits, in its order.
    const firstHits = (rows: RowView[]) => rows.map((_, i) => expected.items[i]?.title);
    const matches = (rows: RowView[]) => (rows.length > 0) === (expected.total > 0) && rows.every((row, i) => row.title === firstHits(rows)[i]);
    await eventually(async () => matches(await ui.rows()), `rows for ${query}`).toBe(true);
    const rows = await ui.rows();
    expect(rows.map((r) => r.title)).toEqual(firstHits(rows));
    return { rows, expected };
  }

  const marked = (html: string): string[] => [...html.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1] ?? '');

  it('finds Chinese by one, two and four characters, with the terms marked in the snippets', async () => {
    for (const query of ['湖', '地铁', '快递业务']) {
      const { rows, expected } = await searchFor(query);
      expect(expected.total, query).toBeGreaterThan(0);
      expect(expected.total, query).toBeLessThan(30);
      for (const row of rows) expect(marked(row.html), `${query}: ${row.title}`).toContain(query);
    }
  });

  it('stems English (run finds running and ran), reads phrases, exclusions and tag:', async () => {
    const run = await searchFor('run');
    const words = new Set(run.rows.flatMap((r) => marked(r.html).map((w) => w.toLowerCase())));
    expect(words).toContain('running');
    expect(words).toContain('ran');
    await screenshot(app.page, 'search-results-run-en-light');

    const phrase = await searchFor('"night trains"');
    expect(phrase.expected.total).toBe(1);
    expect(phrase.rows[0]?.title).toBe('Rail operators plan to run more night trains');
    expect(await searchFor('"trains night"').then((r) => r.expected.total)).toBe(0);

    const exclude = await searchFor('run -marathon');
    expect(exclude.expected.total).toBeGreaterThan(0);
    expect(exclude.expected.total).toBeLessThan(run.expected.total);
    for (const row of exclude.rows) expect(`${row.title} ${row.text}`.toLowerCase()).not.toContain('marathon');

    const tag = await searchFor('tag:rail');
    expect(tag.expected.total).toBe(2);
    expect(tag.rows.map((r) => r.title).sort()).toEqual(
      ['Cross-border rail link carries its millionth passenger', 'Rail operators plan to run more night trains'].sort(),
    );
  });

  it('marks the search terms in the body of an opened hit', async () => {
    await searchFor('run');
    const title = 'Runners run the Harbourside marathon in record heat';
    await ui.list.getByRole('option', { name: title }).click();
    await eventually(() => ui.articleTitle.textContent()).toBe(title);
    const marks = () => ui.articleBody.locator('mark').allTextContents();
    await eventually(marks).not.toEqual([]);
    for (const mark of await marks()) expect(mark.toLowerCase()).toMatch(/^r[au]n/); // run, running, ran: the core's stems
    await screenshot(app.page, 'search-hit-open-marks-en-light');

    await searchFor('快递业务');
    await ui.options.first().click();
    await eventually(() => ui.articleTitle.textContent()).toBe((await core('快递业务')).items[0]?.title);
    await eventually(marks).toContain('快递业务');
  });

  it('marks in the body every word the core marked in the hit, stemmed forms included', async () => {
    // `run` finds this post through `ran` (the core stems): the list's snippet marks `ran`, so must the article.
    const { rows } = await searchFor('run');
    const title = 'Runners run the Harbourside marathon in record heat';
    const row = rows.find((r) => r.title === title);
    const snippetWords = marked(row?.html ?? '').map((w) => w.toLowerCase());
    expect(snippetWords).toContain('ran');
    await ui.list.getByRole('option', { name: title }).click();
    await eventually(() => ui.articleTitle.textContent()).toBe(title);
    await eventually(() => ui.articleBody.locator('mark').count()).toBeGreaterThan(0);
    const bodyWords = (await ui.articleBody.locator('mark').allTextContents()).map((w) => w.toLowerCase());
    for (const word of snippetWords) expect(bodyWords, `"${word}" is marked in the snippet but not in the body`).toContain(word);
  });

  it('explains an empty result and clears search and filters with one action', async () => {
    await ui.search.fill('');
    await ui.treeItem(ui.tags, 'rail').locator('.tree-row').click();
    await eventually(() => ui.matchCount()).toBe(2);
    await ui.search.pressSequentially('zzzqqq', { delay: 15 });
    await eventually(() => ui.matchCount()).toBe(0);
    const empty = app.page.getByRole('status').filter({ hasText: 'No articles found' });
    await eventually(() => empty.textContent()).toContain('Nothing matches “zzzqqq”');
    expect(await empty.textContent()).toContain('Tag: rail');
    await screenshot(app.page, 'search-empty-result-en-light');

    await empty.getByRole('button', { name: 'Clear search and filters' }).click();
    await eventually(() => ui.matchCount()).toBe(30);
    expect(await ui.search.inputValue()).toBe('');
    expect(await ui.treeItem(ui.tags, 'rail').getAttribute('aria-selected')).toBe('false');
    expect(app.guard.errors).toEqual([]);
    expect(app.guard.foreignRequests()).toEqual([]);
  });
});
