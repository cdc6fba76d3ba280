/**
 * Browser mode, end to end: the research workspace in the window (issue 13). Star with `s`, label, write a note,
 * highlight a sentence; reload: everything is there, and `is:starred` / `label:` find the post; a saved search
 * shows "2 new" once two posts are dropped in. Screenshots in en light and zh dark, wide and narrow.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { copyArchive, sampleArchive } from '../helpers/temp';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot, useBrowserSession } from './helpers/browser-app';

const skip = browserSkipReason();
announceSkip('Browser-mode workspace tests', skip);

const TITLE = '云溪镇端午龙舟赛吸引上万名观众';
const SENTENCE = '下塘村队以两分零八秒的成绩获得男子组冠军。';
const POST = (title: string) => `---\ntitle: ${title}\ndate: 2024-05-06\ncategories: [dropped]\n---\n龙舟新闻。\n`;

async function dropFiles(page: Page, files: { name: string; text: string }[]): Promise<void> {
  await page.evaluate((files) => {
    const transfer = new DataTransfer();
    for (const f of files) transfer.items.add(new File([f.text], f.name, { type: 'text/markdown' }));
    for (const type of ['dragenter', 'dragover', 'drop']) window.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, files);
}

/** Selects `text` inside the article body (the first text node holding it) as a reader's mouse would, then lets go. */
async function selectInBody(page: Page, text: string): Promise<void> {
  await page.evaluate((text) => {
    const body = document.querySelector('.article-body')!;
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = (n as Text).data.indexOf(text);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + text.length);
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(range);
      body.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      return;
    }
    throw new Error(`not in the body: ${text}`);
  }, text);
}

describe.skipIf(skip !== null)('browser mode: the research workspace', () => {
  const session = useBrowserSession(() => copyArchive(sampleArchive));

  it('stars with s, labels, notes and highlights; after a reload all is there and is:starred / label: find it', async () => {
    const app = await openApp(session.browser, session.served, { viewport: { width: 1400, height: 900 } });
    const { page } = app;
    const ui = new AppUi(page);
    try {
      await ui.openFound('龙舟赛', TITLE);

      // Star with `s`.
      await page.keyboard.press('s');
      const star = ui.article.getByRole('button', { name: 'Starred' });
      await eventually(() => star.getAttribute('aria-pressed')).toBe('true');

      // A new label, with a colour.
      await ui.article.getByRole('button', { name: 'Label…' }).click();
      const popover = page.getByRole('dialog', { name: 'Labels' });
      await popover.getByRole('textbox').fill('龙舟 story');
      await popover.getByRole('radio', { name: 'blue' }).click();
      await screenshot(page, 'workspace-label-popover-en-light-1400');
      await popover.getByRole('textbox').press('Enter');
      await ui.article.getByRole('button', { name: 'Show posts labelled 龙舟 story' }).waitFor();
      await page.keyboard.press('Escape');

      // A note, saved when the field is left.
      await ui.article.getByRole('button', { name: 'Add a note' }).click();
      await ui.article.getByRole('textbox', { name: 'Note' }).fill('**Winner**: check the [timing](https://example.com/t) <img src=x onerror="window.hacked=1">');
      await ui.articleTitle.click();
      const note = ui.article.getByRole('region', { name: 'Your note' });
      await note.locator('strong').waitFor();
      // Its link is a link, and following it never takes the page away (the web opens outside, as from the body).
      const here = page.url();
      await note.getByRole('link', { name: 'timing' }).click();
      expect(page.url()).toBe(here);
      await ui.article.getByRole('button', { name: 'Edit the note' }).waitFor();

      // A highlighted sentence.
      await selectInBody(page, SENTENCE);
      await screenshot(page, 'workspace-highlight-button-en-light-1400');
      await page.getByRole('dialog', { name: 'Highlight' }).getByRole('button', { name: 'Highlight' }).click();
      await eventually(() => ui.articleBody.locator('mark.hl').allTextContents()).toEqual([SENTENCE]);
      await ui.article.locator('.notes-panel').scrollIntoViewIfNeeded();
      await screenshot(page, 'workspace-article-en-light-1400');

      // Reload: the marks are the workspace's, not the page's.
      await page.reload();
      await ui.options.first().waitFor();
      await ui.search.fill('龙舟赛');
      await ui.options.filter({ hasText: TITLE }).click();
      await ui.articleTitle.filter({ hasText: TITLE }).waitFor();
      await eventually(() => ui.article.getByRole('button', { name: 'Starred' }).getAttribute('aria-pressed')).toBe('true');
      await ui.article.getByRole('button', { name: 'Show posts labelled 龙舟 story' }).waitFor();
      expect(await ui.article.getByRole('region', { name: 'Your note' }).locator('strong').textContent()).toBe('Winner');
      expect(await ui.article.locator('.notes-panel img').count()).toBe(0);
      await eventually(() => ui.articleBody.locator('mark.hl').allTextContents()).toEqual([SENTENCE]);
      expect(await ui.article.locator('.highlight-list').textContent()).toContain(SENTENCE);
      expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();

      // The query words find it, and so do the Workspace section's rows.
      await ui.search.fill('is:starred');
      await eventually(async () => (await ui.rows()).map((r) => r.title)).toEqual([TITLE]);
      await ui.search.fill('label:"龙舟 story"');
      await eventually(async () => (await ui.rows()).map((r) => r.title)).toEqual([TITLE]);
      await ui.search.fill('has:highlight');
      await eventually(async () => (await ui.rows()).map((r) => r.title)).toEqual([TITLE]);
      const section = page.getByRole('region', { name: 'Workspace' });
      await section.getByRole('button', { name: /^Notes/ }).click();
      await eventually(() => ui.search.inputValue()).toBe('has:note');
      await eventually(async () => (await ui.rows()).map((r) => r.title)).toEqual([TITLE]);
      await section.getByRole('button', { name: /^Starred/ }).click();
      await eventually(async () => (await ui.rows()).map((r) => r.title)).toEqual([TITLE]);
      expect(await section.getByRole('button', { name: /^龙舟 story/ }).textContent()).toContain('1');
      // Counts follow the result, as the trees' do: the part of each the result holds, beside the whole.
      await ui.search.fill('龙舟赛');
      await eventually(() => section.getByRole('button', { name: /^Starred/ }).textContent()).toBe('★Starred1 / 1');
      await ui.search.fill('marathon');
      await eventually(() => section.getByRole('button', { name: /^龙舟 story/ }).textContent()).toBe('龙舟 story0 / 1');
      await ui.search.fill('is:starred');
      await screenshot(page, 'workspace-section-en-light-1400');
      expect(app.guard.errors).toEqual([]);
      expect(app.guard.dialogs).toEqual([]);
      expect(app.guard.foreignRequests()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('a saved search shows “2 new” after two posts are dropped in; opening it clears that', async () => {
    const app = await openApp(session.browser, session.served, { locale: 'zh-CN', colorScheme: 'dark', viewport: { width: 1400, height: 900 } });
    const { page } = app;
    const ui = new AppUi(page, 'zh');
    try {
      await ui.search.fill('龙舟');
      await eventually(async () => (await ui.rows()).every((r) => `${r.title}${r.text}`.includes('龙舟'))).toBe(true);
      const before = (await ui.matchCount())!;
      const section = page.getByRole('region', { name: '工作区' });
      await section.getByRole('button', { name: '保存搜索…' }).click();
      await section.getByRole('textbox', { name: '搜索名称' }).fill('龙舟追踪');
      await section.getByRole('textbox', { name: '搜索名称' }).press('Enter');
      const saved = section.getByRole('button', { name: /^龙舟追踪/ });
      await eventually(() => saved.textContent()).toBe(`⌕龙舟追踪${before}`);

      await dropFiles(page, [
        { name: '2024-05-06-boat-one.md', text: POST('龙舟新闻一') },
        { name: '2024-05-07-boat-two.md', text: POST('龙舟新闻二') },
      ]);
      await eventually(() => saved.textContent()).toBe(`⌕龙舟追踪2 篇新${before + 2}`);
      await screenshot(page, 'workspace-saved-new-zh-dark-1400');

      await page.getByRole('button', { name: '关闭' }).click();
      await ui.search.fill('');
      await saved.click();
      await eventually(() => ui.search.inputValue()).toBe('龙舟');
      await eventually(() => saved.textContent()).toBe(`⌕龙舟追踪${before + 2}`);

      // The starred article, zh dark, narrow window.
      await page.setViewportSize({ width: 900, height: 700 });
      await ui.search.fill('龙舟赛');
      await ui.options.filter({ hasText: TITLE }).click();
      await eventually(() => ui.articleBody.locator('mark.hl').count()).toBe(1);
      await screenshot(page, 'workspace-article-zh-dark-900');
      await ui.article.locator('.notes-panel').scrollIntoViewIfNeeded();
      await screenshot(page, 'workspace-notes-zh-dark-900');
      expect(app.guard.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('en light, narrow: the workspace section and the notes panel', async () => {
    const app = await openApp(session.browser, session.served, { viewport: { width: 900, height: 700 } });
    const ui = new AppUi(app.page);
    try {
      await ui.search.fill('龙舟赛');
      await ui.options.filter({ hasText: TITLE }).click();
      await eventually(() => ui.articleBody.locator('mark.hl').count()).toBe(1);
      await ui.article.locator('.notes-panel').scrollIntoViewIfNeeded();
      await screenshot(app.page, 'workspace-notes-en-light-900');
      await app.page.getByRole('region', { name: 'Workspace' }).scrollIntoViewIfNeeded();
      await screenshot(app.page, 'workspace-section-en-light-900');
    } finally {
      await app.close();
    }
  });
});
