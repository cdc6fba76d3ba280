/**
 * The team workspace end to end in Chromium (issue 15: marks in the team database, per PostgreSQL role): the archive
 * is indexed into a real, throwaway PostgreSQL by the CLI as the writing role and served by
 * `serve ARCHIVE --store URL --team-workspace` as a read-only index role granted the ws_* tables. The header says
 * "workspace: team"; the reader stars a post with `s`; `is:starred` lists it; the star is a row of the reader's role
 * in the team database, and after a reload (zh dark, "工作区：团队") it is still starred. Screenshots: en light, zh dark.
 */
import { describe, expect, it } from 'vitest';
import { pgAvailable } from '../helpers/postgres';
import { copyArchive, sampleArchive } from '../helpers/temp';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot } from './helpers/browser-app';
import { useTeamSession } from './helpers/team-store';

const skip = browserSkipReason();
announceSkip('Browser-mode team workspace (database) tests', skip);
const pg = pgAvailable();
if (!skip && !pg.ok) console.log(`Browser-mode team workspace (database) test skipped: ${pg.reason}.`);

const TITLE = '云溪镇端午龙舟赛吸引上万名观众';

describe.skipIf(skip !== null || !pg.ok)('browser mode: the team workspace in the team database', () => {
  const archive = skip === null && pg.ok ? copyArchive(sampleArchive) : '';
  const session = useTeamSession(archive, {
    serveArgs: ['--team-workspace'],
    // The read-only index role gets the README's workspace grants (given by the indexer, who owns the tables).
    prepare: async (postgres) => {
      await postgres.query('SET ROLE indexer; GRANT SELECT, INSERT, UPDATE, DELETE ON backfile.ws_posts, backfile.ws_labels, backfile.ws_post_labels, backfile.ws_highlights, backfile.ws_saved, backfile.ws_saved_seen TO reader; GRANT USAGE ON SEQUENCE backfile.ws_id TO reader');
    },
  });

  it('says "workspace: team", stars a post into the team database, and it is starred after a reload (en light, zh dark)', async () => {
    const app = await openApp(session.browser, session.served, { viewport: { width: 1400, height: 860 } });
    const { page } = app;
    const ui = new AppUi(page);
    try {
      const header = page.getByRole('group', { name: 'Team index' });
      await header.getByText('workspace: team').waitFor();
      await header.getByText('read-only team index').waitFor();
      await ui.openFound('龙舟赛', TITLE);
      await page.keyboard.press('s');
      await eventually(() => ui.article.getByRole('button', { name: 'Starred' }).getAttribute('aria-pressed')).toBe('true');
      await ui.search.fill('is:starred');
      await eventually(async () => (await ui.rows()).map((r) => r.title)).toEqual([TITLE]);
      await ui.options.filter({ hasText: TITLE }).click();
      await ui.articleTitle.filter({ hasText: TITLE }).waitFor();
      await screenshot(page, 'team-workspace-db-en-light');
      expect(app.guard.errors).toEqual([]);
      expect(app.guard.foreignRequests()).toEqual([]);
    } finally {
      await app.close();
    }
    // In the team database, as the reader role's row.
    const rows = await session.postgres.query<{ owner: string; starred: boolean }>('SELECT owner, starred FROM backfile.ws_posts');
    expect(rows.rows).toEqual([{ owner: 'reader', starred: true }]);

    const zh = await openApp(session.browser, session.served, { locale: 'zh-CN', colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
    const zhUi = new AppUi(zh.page, 'zh');
    try {
      await zh.page.getByRole('group', { name: '团队索引' }).getByText('工作区：团队').waitFor();
      await zhUi.search.fill('is:starred');
      await eventually(async () => (await zhUi.rows()).map((r) => r.title)).toEqual([TITLE]);
      await zhUi.options.filter({ hasText: TITLE }).click();
      await zhUi.articleTitle.filter({ hasText: TITLE }).waitFor();
      await eventually(() => zhUi.article.getByRole('button', { name: '已加星' }).getAttribute('aria-pressed')).toBe('true');
      await screenshot(zh.page, 'team-workspace-db-zh-dark');
      expect(zh.guard.errors).toEqual([]);
    } finally {
      await zh.close();
    }
  });

  it('shares a label with "Shared with the team"; another role\'s shared label shows its owner, read-only (en light, zh dark)', async () => {
    // The reader's own label, and one the indexer role shared (rows as the roles make them).
    await session.postgres.query("SET ROLE reader; INSERT INTO backfile.ws_labels (id, name, color) VALUES (nextval('backfile.ws_id'), 'lead', '#2e7d32')");
    await session.postgres.query("SET ROLE indexer; INSERT INTO backfile.ws_labels (id, name, color, shared) VALUES (nextval('backfile.ws_id'), '线索', '#1565c0', true)");
    const app = await openApp(session.browser, session.served, { viewport: { width: 1400, height: 860 } });
    const { page } = app;
    try {
      const section = page.getByRole('region', { name: 'Workspace' });
      await section.getByRole('button', { name: /^线索/ }).getByText('by indexer').waitFor();
      await section.getByRole('button', { name: 'Edit label lead' }).click();
      const share = page.getByRole('form', { name: 'Edit label lead' }).getByRole('checkbox', { name: 'Shared with the team' });
      await share.click(); // checked once the host answers (the store's labels)
      await eventually(() => share.isChecked()).toBe(true);
      await section.getByRole('button', { name: /^lead/ }).getByText('shared').waitFor();
      expect((await session.postgres.query("SELECT owner, shared FROM backfile.ws_labels WHERE name = 'lead'")).rows).toEqual([{ owner: 'reader', shared: true }]);
      await section.getByRole('button', { name: 'Edit label 线索' }).click();
      await page.getByRole('group', { name: 'Shared by indexer' }).getByText('Only indexer can rename').waitFor();
      await section.getByRole('button', { name: 'Edit label lead' }).click();
      await screenshot(page, 'team-label-share-en-light');
      expect(app.guard.errors).toEqual([]);
    } finally {
      await app.close();
    }
    const zh = await openApp(session.browser, session.served, { locale: 'zh-CN', colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
    try {
      const section = zh.page.getByRole('region', { name: '工作区' });
      await section.getByRole('button', { name: /^线索/ }).getByText('indexer 共享').waitFor();
      await section.getByRole('button', { name: '编辑标签 lead' }).click();
      expect(await zh.page.getByRole('form', { name: '编辑标签 lead' }).getByRole('checkbox', { name: '与团队共享' }).isChecked()).toBe(true);
      await screenshot(zh.page, 'team-label-share-zh-dark');
      expect(zh.guard.errors).toEqual([]);
    } finally {
      await zh.close();
    }
  });
});
