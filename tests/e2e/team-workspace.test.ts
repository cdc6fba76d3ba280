/**
 * The reader's workspace on a team index, end to end in Chromium (issue 15's workspace item): the archive is indexed
 * into a real, throwaway PostgreSQL by the CLI as the writing role and served by `serve ARCHIVE --store URL` as a
 * role that may only read it. The reader stars a post with `s` and labels it; `is:starred` and `label:` list it from
 * the team index, the trees count it, and after a reload (zh dark) it is still starred. The stars stay in this
 * computer's workspace: a read-only team role is no obstacle. Screenshots: en light, zh dark.
 */
import { describe, expect, it } from 'vitest';
import { pgAvailable } from '../helpers/postgres';
import { copyArchive, sampleArchive } from '../helpers/temp';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot } from './helpers/browser-app';
import { useTeamSession } from './helpers/team-store';

const skip = browserSkipReason();
announceSkip('Browser-mode team workspace tests', skip);
const pg = pgAvailable();
if (!skip && !pg.ok) console.log(`Browser-mode team workspace test skipped: ${pg.reason}.`);

const TITLE = '云溪镇端午龙舟赛吸引上万名观众';

describe.skipIf(skip !== null || !pg.ok)('browser mode: the workspace on a read-only team index', () => {
  const archive = skip === null && pg.ok ? copyArchive(sampleArchive) : '';
  const session = useTeamSession(archive);

  it('stars and labels a post of the team index; is:starred and label: list it; still starred after a reload (en light, zh dark)', async () => {
    const app = await openApp(session.browser, session.served, { viewport: { width: 1400, height: 860 } });
    const { page } = app;
    const ui = new AppUi(page);
    try {
      await page.getByRole('group', { name: 'Team index' }).getByText('read-only team index').waitFor();
      await ui.openFound('龙舟赛', TITLE);
      await page.keyboard.press('s');
      await eventually(() => ui.article.getByRole('button', { name: 'Starred' }).getAttribute('aria-pressed')).toBe('true');
      await ui.article.getByRole('button', { name: 'Label…' }).click();
      const popover = page.getByRole('dialog', { name: 'Labels' });
      await popover.getByRole('textbox').fill('team story');
      await popover.getByRole('textbox').press('Enter');
      await page.keyboard.press('Escape');

      await ui.search.fill('is:starred');
      await eventually(async () => (await ui.rows()).map((r) => r.title)).toEqual([TITLE]);
      await ui.search.fill('label:"team story" 龙舟');
      await eventually(async () => (await ui.rows()).map((r) => r.title)).toEqual([TITLE]);
      await ui.search.fill('is:starred');
      await eventually(async () => (await ui.rows()).map((r) => r.title)).toEqual([TITLE]);
      await ui.options.filter({ hasText: TITLE }).click();
      await ui.articleTitle.filter({ hasText: TITLE }).waitFor();
      await screenshot(page, 'team-starred-en-light');
      expect(app.guard.errors).toEqual([]);
      expect(app.guard.foreignRequests()).toEqual([]);
    } finally {
      await app.close();
    }

    const zh = await openApp(session.browser, session.served, { locale: 'zh-CN', colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
    const zhUi = new AppUi(zh.page, 'zh');
    try {
      await zh.page.getByRole('group', { name: '团队索引' }).waitFor();
      await zhUi.search.fill('is:starred');
      await eventually(async () => (await zhUi.rows()).map((r) => r.title)).toEqual([TITLE]);
      await zhUi.options.filter({ hasText: TITLE }).click();
      await zhUi.articleTitle.filter({ hasText: TITLE }).waitFor();
      await eventually(() => zhUi.article.getByRole('button', { name: '已加星' }).getAttribute('aria-pressed')).toBe('true');
      await zhUi.article.getByText('team story').first().waitFor();
      await screenshot(zh.page, 'team-starred-zh-dark');
      expect(zh.guard.errors).toEqual([]);
    } finally {
      await zh.close();
    }
  });
});
