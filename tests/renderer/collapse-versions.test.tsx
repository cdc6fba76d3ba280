// @vitest-environment happy-dom
/**
 * "Collapse versions" (issue 14 part 3): the list header's toggle asks the archive for one row per story
 * (ListQuery.collapse), remembered across sessions; a row with versions shows "+N versions", which opens the post
 * with its "Other versions" section in view and focused.
 */
import { describe, expect, test } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { SimilarPost } from '../../src-main/shared/archive-api';
import { ArticleList } from '../../src-renderer/components/article-list';
import { ArticleView } from '../../src-renderer/components/article-view';
import { ListHeader } from '../../src-renderer/components/list-header';
import { mergeSettings, partializeSettings } from '../../src-renderer/store/settings-slice';
import { FakeApi, type FakePost } from './fake-api';
import { makeStore, renderWithStore, settle, useStubbedLayout } from './test-utils';

const post = (n: number, title: string, extra: Partial<FakePost> = {}): FakePost => ({
  path: `_posts/2021-06-0${n}-p${n}.md`, title, date: `2021-06-0${n}`, categories: [`outlet${n}`], tags: [], text: `${title} 正文`, ...extra,
});
const WIRE = post(1, '央行宣布降息');
const REPRINT = post(2, '转载：央行降息');
const REPRINT2 = post(3, '再转载：央行降息');
const ALONE = post(4, '另一条新闻');
const version = (p: FakePost): SimilarPost => ({ path: p.path, title: p.title, date: p.date, categories: p.categories, score: 0.8 });

useStubbedLayout(600);

const rowsOf = (): HTMLElement[] => within(screen.getByRole('listbox', { name: 'Articles' })).getAllByRole('option');
const titleOf = (row: HTMLElement): string | null | undefined => row.querySelector('.row-title > span')?.textContent;

async function setup(language: 'en' | 'zh' = 'en') {
  const api = new FakeApi([WIRE, REPRINT, REPRINT2, ALONE]);
  api.similar.set(WIRE.path, [version(REPRINT), version(REPRINT2)]);
  api.similar.set(REPRINT.path, [version(WIRE)]);
  api.similar.set(REPRINT2.path, [version(WIRE)]);
  const store = makeStore(api, { navigatorLanguage: language === 'zh' ? 'zh-CN' : 'en-US' });
  await store.getState().runSearch();
  renderWithStore(
    <>
      <ListHeader />
      <ArticleList />
      <ArticleView />
    </>,
    store,
  );
  await settle();
  return { api, store };
}

describe('Collapse versions', () => {
  test('off by default; the toggle lists one row per story with "+N versions", and back', async () => {
    const { api, store } = await setup();
    const toggle = screen.getByRole('checkbox', { name: 'Collapse versions' }) as HTMLInputElement;
    expect(toggle.checked).toBe(false);
    expect(rowsOf()).toHaveLength(4);
    expect(screen.getByText('4 articles')).toBeTruthy();
    expect(api.callsTo('listArticles').at(-1)?.[0]).not.toHaveProperty('collapse');

    await act(async () => {
      fireEvent.click(toggle);
      await settle();
    });
    expect(api.callsTo('listArticles').at(-1)?.[0]).toMatchObject({ collapse: true });
    const rows = rowsOf();
    // Newest first: REPRINT2 stands for the wire story, with its two other versions; ALONE has no badge.
    expect(rows.map(titleOf)).toEqual(['另一条新闻', '再转载：央行降息']);
    expect(within(rows[1]!).getByRole('button', { name: 'Show the 2 other versions of “再转载：央行降息”' }).textContent).toBe('+2 versions');
    expect(within(rows[0]!).queryByRole('button', { name: /other versions of/ })).toBeNull();
    expect(screen.getByText('2 stories')).toBeTruthy();
    expect(screen.getByText('The timeline and trees still count posts.')).toBeTruthy();
    expect(store.getState().collapseVersions).toBe(true);

    await act(async () => {
      fireEvent.click(toggle);
      await settle();
    });
    expect(rowsOf()).toHaveLength(4);
    expect(screen.queryByRole('button', { name: /other versions of/ })).toBeNull();
  });

  test('the badge opens its post with "Other versions" scrolled to and focused', async () => {
    const { store } = await setup();
    await act(async () => {
      store.getState().setCollapseVersions(true);
      await settle();
    });
    const scrolled: Element[] = [];
    const original = HTMLElement.prototype.scrollIntoView;
    HTMLElement.prototype.scrollIntoView = function (this: HTMLElement) {
      scrolled.push(this);
    };
    try {
      await act(async () => {
        fireEvent.click(screen.getByRole('button', { name: /other versions of/ }));
        await settle();
      });
      await waitFor(() => expect(store.getState().article?.path).toBe(REPRINT2.path));
      const section = await screen.findByRole('region', { name: 'Other versions (1)' });
      await waitFor(() => expect(scrolled).toContain(section));
      expect(document.activeElement).toBe(within(section).getByRole('heading'));
      expect(store.getState().revealVersionsOf).toBeNull();
    } finally {
      HTMLElement.prototype.scrollIntoView = original;
    }
  });

  test('in Chinese: 合并版本, +2 个版本, 2 篇报道', async () => {
    const { store } = await setup('zh');
    await act(async () => {
      fireEvent.click(screen.getByRole('checkbox', { name: '合并版本' }));
      await settle();
    });
    expect(store.getState().collapseVersions).toBe(true);
    expect(screen.getByRole('button', { name: '查看“再转载：央行降息”的其他 2 个版本' }).textContent).toBe('+2 个版本');
    expect(screen.getByText('2 篇报道')).toBeTruthy();
  });

  test('the choice is kept across sessions (and only a boolean is taken back)', () => {
    const store = makeStore(new FakeApi([]));
    expect(partializeSettings(store.getState())).not.toHaveProperty('collapseVersions');
    expect(partializeSettings({ ...store.getState(), collapseVersions: true }).collapseVersions).toBe(true);
    expect(mergeSettings({ collapseVersions: true }, store.getState()).collapseVersions).toBe(true);
    expect(mergeSettings({ collapseVersions: 'yes' }, store.getState()).collapseVersions).toBe(false);
  });
});
