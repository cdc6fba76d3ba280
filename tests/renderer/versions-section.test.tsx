// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { SimilarPost } from '../../src-main/shared/archive-api';
import { ArticleView } from '../../src-renderer/components/article-view';
import { FakeApi, POSTS, type FakePost } from './fake-api';
import { makeStore, renderWithStore, settle } from './test-utils';

const ORIGINAL: FakePost = {
  path: '_posts/2021-06-01-wire.md',
  title: '央行宣布降息',
  date: '2021-06-01',
  categories: ['财经'],
  tags: [],
  text: '',
  html: '<p>中国人民银行今日宣布下调贷款市场报价利率。</p><p>市场人士认为此举有助于稳定经济。</p><p>分析师预计年内还将继续降息。</p>',
};
const REPRINT: FakePost = {
  path: 'emnews/_posts/2021-06-02-wire.md',
  title: '转载：央行降息',
  date: '2021-06-02',
  categories: ['东方财富', '滚动新闻'],
  tags: [],
  text: '',
  html: '<p>中国人民银行今日宣布下调存款准备金率。</p><p>市场人士认为此举有助于稳定经济。</p><p>本文转载自新华网。</p>',
};
const OTHER: FakePost = { ...REPRINT, path: 'other/_posts/2021-06-03-wire.md', title: '另一家', categories: ['新浪'], date: '2021-06-03' };

const version = (p: FakePost, score: number): SimilarPost => ({ path: p.path, title: p.title, date: p.date, categories: p.categories, score });

afterEach(cleanup);

async function show(similar: SimilarPost[], language: 'en' | 'zh' = 'en') {
  const api = new FakeApi([...POSTS, ORIGINAL, REPRINT, OTHER]);
  api.similar.set(ORIGINAL.path, similar);
  const store = makeStore(api, { navigatorLanguage: language === 'zh' ? 'zh-CN' : 'en-US' });
  await store.getState().init();
  await settle();
  await store.getState().openArticle(ORIGINAL.path);
  renderWithStore(<ArticleView />, store);
  await settle();
  return { api, store, article: screen.getByRole('article') };
}

describe('Other versions under the article', () => {
  test('"Other versions (2)": outlet, date, title and similarity as a percentage, best first as the index gives them', async () => {
    const { api, article } = await show([version(REPRINT, 0.834), version(OTHER, 0.5)]);
    expect(api.callsTo('getSimilar')).toEqual([[ORIGINAL.path, false]]);
    const section = within(article).getByRole('region', { name: 'Other versions (2)' });
    const rows = within(section).getAllByRole('button');
    expect(rows.map((r) => r.getAttribute('aria-label'))).toEqual(['Compare with “转载：央行降息”, 83% alike', 'Compare with “另一家”, 50% alike']);
    expect(rows[0]?.textContent).toContain('东方财富 › 滚动新闻');
    expect(rows[0]?.textContent).toContain('Jun 2, 2021');
    expect(rows[0]?.textContent).toContain('83% alike');
    // After the body, so its arrival never moves the text being read.
    const body = article.querySelector('.article-body') as HTMLElement;
    expect(body.compareDocumentPosition(section) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  test('in Chinese: 其他版本（1）', async () => {
    const { article } = await show([version(REPRINT, 0.7)], 'zh');
    expect(within(article).getByRole('region', { name: '其他版本（1）' }).textContent).toContain('相似度 70%');
  });

  test('nothing at all when the post has no other version', async () => {
    const { api, article } = await show([]);
    expect(api.callsTo('getSimilar')).toEqual([[ORIGINAL.path, false]]);
    expect(article.querySelector('.versions')).toBeNull();
    expect(article.textContent).not.toMatch(/Other versions/);
  });

  test('nothing while the answer is on its way (no placeholder that would then collapse)', async () => {
    const api = new FakeApi([...POSTS, ORIGINAL, REPRINT]);
    api.similar.set(ORIGINAL.path, [version(REPRINT, 0.8)]);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    api.gate = (method) => (method === 'getSimilar' ? held : Promise.resolve());
    const store = makeStore(api);
    await store.getState().init();
    await store.getState().openArticle(ORIGINAL.path);
    renderWithStore(<ArticleView />, store);
    await settle();
    const article = screen.getByRole('article');
    expect(store.getState().versionsStatus).toBe('loading');
    expect(article.querySelector('.versions')).toBeNull();
    await act(async () => {
      release();
      await settle();
    });
    expect(within(article).getByRole('region', { name: 'Other versions (1)' })).toBeTruthy();
  });

  test('a version opens the side-by-side diff: the changed sentence marked by character, dropped and added sentences with − and +', async () => {
    const { api } = await show([version(REPRINT, 0.8)]);
    fireEvent.click(screen.getByRole('button', { name: /Compare with “转载：央行降息”/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Compare versions' });
    await waitFor(() => expect(within(dialog).getByRole('table')).toBeTruthy());
    expect(api.callsTo('getArticle').at(-1)).toEqual([REPRINT.path]);
    expect(within(dialog).getByRole('status').textContent).toContain('1 changed, 1 dropped, 1 added');

    const rows = [...dialog.querySelectorAll('.diff-row')];
    expect(rows.map((r) => r.getAttribute('data-kind'))).toEqual(['changed', 'same', 'removed', 'added']);
    const [changed, , removed, added] = rows as HTMLElement[];
    // Character granularity inside the changed sentence: 贷款市场报价利 → 存款准备金, the rest common.
    expect([...changed!.querySelectorAll('del')].map((d) => d.textContent?.replace('dropped: ', '').replace(' (end of dropped)', ''))).toEqual(['贷', '市场报价利']);
    expect([...changed!.querySelectorAll('ins')].map((d) => d.textContent?.replace('added: ', '').replace(' (end of added)', ''))).toEqual(['存', '准备金']);
    // Not colour only: a marker, strike-through/underline elements and words for screen readers.
    expect(removed!.textContent).toBe('−dropped: 分析师预计年内还将继续降息。');
    expect(removed!.querySelector('del')?.textContent).toBe('分析师预计年内还将继续降息。');
    expect(added!.textContent).toBe('+added: 本文转载自新华网。');
    expect(added!.querySelector('ins')?.textContent).toBe('本文转载自新华网。');
    // The texts come from the sanitised html as text: no markup of the posts in the dialog's cells.
    expect(dialog.querySelector('.story-diff-grid p')).toBeNull();
  });

  test('Escape closes the diff; "Open the other version" opens that post', async () => {
    const { store } = await show([version(REPRINT, 0.8)]);
    fireEvent.click(screen.getByRole('button', { name: /Compare with/ }));
    let dialog = await screen.findByRole('dialog');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().diffVersion).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: /Compare with/ }));
    dialog = await screen.findByRole('dialog');
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Open the other version' }));
      await settle();
    });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.getState().article?.path).toBe(REPRINT.path);
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('转载：央行降息'));
  });

  test('a late answer for the previous post is not shown under the next one', async () => {
    const api = new FakeApi([...POSTS, ORIGINAL, REPRINT]);
    api.similar.set(ORIGINAL.path, [version(REPRINT, 0.8)]);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    api.gate = (method, args) => (method === 'getSimilar' && args[0] === ORIGINAL.path ? held : Promise.resolve());
    const store = makeStore(api);
    await store.getState().init();
    await store.getState().openArticle(ORIGINAL.path);
    renderWithStore(<ArticleView />, store);
    await settle();
    await act(async () => {
      await store.getState().openArticle(REPRINT.path);
      await settle();
      release();
      await settle();
    });
    expect(store.getState().versionsPath).toBe(REPRINT.path);
    expect(screen.getByRole('article').querySelector('.versions')).toBeNull();
  });
});

describe('Other versions after the index learns more', () => {
  test('the article reloaded (the archive changed, e.g. its first index finished): asked again, and the new version shows', async () => {
    const { api, store, article } = await show([]);
    expect(article.querySelector('.versions')).toBeNull();
    api.similar.set(ORIGINAL.path, [version(REPRINT, 0.9)]);
    await act(async () => {
      await store.getState().reloadArticle();
      await settle();
    });
    expect(api.callsTo('getSimilar')).toEqual([[ORIGINAL.path, false], [ORIGINAL.path, false]]);
    expect(within(screen.getByRole('article')).getByRole('region', { name: 'Other versions (1)' })).toBeTruthy();
  });
});
