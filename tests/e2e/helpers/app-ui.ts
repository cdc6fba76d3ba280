/**
 * The app as a reader (and a screen reader) finds it: trees, search field, article list and reading pane by
 * their accessible roles and names, in either UI language. Tests say what they look for, not which div it is.
 */
import type { Locator, Page } from 'playwright-core';
import { eventually } from './browser-app';

export type UiLanguage = 'en' | 'zh';

export const UI_NAMES = {
  en: {
    categories: 'Categories',
    dates: 'Dates',
    tags: 'Tags',
    search: 'Search',
    articles: 'Articles',
    loadRemote: 'Load remote content',
  },
  zh: {
    categories: '分类',
    dates: '日期',
    tags: '标签',
    search: '搜索',
    articles: '文章',
    loadRemote: '加载远程内容',
  },
} as const;

/** One rendered row of the article list, as the reader sees it. */
export interface RowView {
  title: string;
  date: string;
  categories: string;
  text: string;
  /** The snippet's HTML (where the core marked the search terms). */
  html: string;
  selected: boolean;
}

export class AppUi {
  readonly names: (typeof UI_NAMES)[UiLanguage];

  constructor(
    readonly page: Page,
    readonly language: UiLanguage = 'en',
  ) {
    this.names = UI_NAMES[language];
  }

  get categories(): Locator {
    return this.page.getByRole('tree', { name: this.names.categories, exact: true });
  }
  get dates(): Locator {
    return this.page.getByRole('tree', { name: this.names.dates, exact: true });
  }
  get tags(): Locator {
    return this.page.getByRole('tree', { name: this.names.tags, exact: true });
  }
  get search(): Locator {
    return this.page.getByRole('searchbox', { name: this.names.search, exact: true });
  }
  get list(): Locator {
    return this.page.getByRole('listbox', { name: this.names.articles, exact: true });
  }
  get options(): Locator {
    return this.list.getByRole('option');
  }
  /** The reading pane's article (an `<article>` whose h1 is the post title). */
  get article(): Locator {
    return this.page.getByRole('article');
  }
  get articleTitle(): Locator {
    return this.article.getByRole('heading', { level: 1 });
  }
  get articleBody(): Locator {
    return this.article.locator('.article-body');
  }
  get statusLine(): Locator {
    return this.page.getByRole('contentinfo');
  }

  /** A top-level or visible nested tree item by its label. */
  treeItem(tree: Locator, label: string): Locator {
    return tree.getByRole('treeitem', { name: label, exact: true });
  }

  /** The number of matches the list header announces (`30 articles`, `30 篇文章`), or null while loading. */
  async matchCount(): Promise<number | null> {
    const text = (await this.page.locator('.match-count').textContent()) ?? '';
    const digits = /([\d,]+)/.exec(text);
    return digits?.[1] ? Number(digits[1].replace(/,/g, '')) : null;
  }

  /** Every rendered row (the list is virtualised: the rows in view and a few around them); none when empty. */
  async rows(): Promise<RowView[]> {
    if ((await this.list.count()) === 0) return [];
    return this.list.evaluate((list) =>
      [...list.querySelectorAll('[role="option"]')].map((row) => {
        const labelId = row.getAttribute('aria-labelledby') ?? '';
        const [metaId, textId] = (row.getAttribute('aria-describedby') ?? '').split(' ');
        const meta = metaId ? document.getElementById(metaId) : null;
        const text = textId ? document.getElementById(textId) : null;
        return {
          title: document.getElementById(labelId)?.textContent ?? '',
          date: meta?.querySelector('time')?.textContent ?? '',
          categories: meta?.querySelector('time + span')?.textContent ?? '',
          text: text?.textContent ?? '',
          html: text?.innerHTML ?? '',
          selected: row.getAttribute('aria-selected') === 'true',
        };
      }),
    );
  }

  /** Index of the row with aria-selected, or -1 (the list keeps DOM focus itself: aria-activedescendant). */
  async selectedIndex(): Promise<number> {
    return this.list.evaluate((list) => {
      const id = list.getAttribute('aria-activedescendant');
      const row = id ? document.getElementById(id) : null;
      return row ? Number(row.getAttribute('data-index')) : -1;
    });
  }

  /** Searches for `query`, opens the row titled `title` and leaves the focus on that row, ready for the list's keys (`s` stars). */
  async openFound(query: string, title: string): Promise<void> {
    await this.search.fill(query);
    await eventually(async () => (await this.rows()).map((r) => r.title)).toContain(title);
    await this.options.filter({ hasText: title }).click();
    await this.articleTitle.filter({ hasText: title }).waitFor();
    await this.options.filter({ hasText: title }).focus();
  }

  /** Title of the selected row, or null. */
  async selectedTitle(): Promise<string | null> {
    const rows = await this.rows();
    return rows.find((r) => r.selected)?.title ?? null;
  }
}
