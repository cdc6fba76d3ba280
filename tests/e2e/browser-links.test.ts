/**
 * Browser mode, end to end: links inside an archive with a `_config.yml` open what they point at in Backfile
 * (a post by its permalink, a category page), in Chromium against the real core.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/temp';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot, useBrowserSession } from './helpers/browser-app';

const skip = browserSkipReason();
announceSkip('Browser-mode link tests', skip);

describe.skipIf(skip !== null)('browser mode: links inside the archive', () => {
  const session = useBrowserSession(() => path.join(repoRoot, 'tests/fixtures/site-archive'));

  it('a link to another post by its permalink opens that post; a category page link selects the category', async () => {
    const app = await openApp(session.browser, session.served);
    const ui = new AppUi(app.page);
    try {
      await eventually(() => ui.matchCount()).toBe(3);
      await ui.options.filter({ hasText: '国家知识产权局' }).first().click();
      await eventually(() => ui.articleTitle.textContent()).toBe('国家知识产权局：打击非正常专利申请');

      // An absolute link to the site's own URL (url + baseurl + permalink from _config.yml).
      await ui.articleBody.getByRole('link', { name: '站内绝对链接' }).click();
      await eventually(() => ui.articleTitle.textContent()).toBe('次日新闻：央行公开市场操作');
      await screenshot(app.page, 'internal-link-opened');

      // Back to the first post, then its relative link to the category page.
      await ui.options.filter({ hasText: '国家知识产权局' }).first().click();
      await eventually(() => ui.articleTitle.textContent()).toBe('国家知识产权局：打击非正常专利申请');
      await ui.articleBody.getByRole('link', { name: '返回东财滚动新闻' }).click();
      await eventually(() => ui.matchCount()).toBe(2);
      expect(await ui.treeItem(ui.categories, 'emnews').getAttribute('aria-selected')).toBe('true');

      // The page itself never navigated, and nothing left the machine.
      expect(new URL(app.page.url()).pathname).toBe('/');
      expect(app.guard.foreignRequests()).toEqual([]);
      expect(app.guard.errors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
