/**
 * Browser mode, end to end: "Copy citation" with a style from its menu copies what the host's citeArticle formats,
 * shows it in a toast, and the chosen style survives a reload.
 */
import { describe, expect, it } from 'vitest';
import { citeArticle } from '../../src-main/node/archive/cite-article';
import { sampleArchive } from '../helpers/temp';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot, useBrowserSession } from './helpers/browser-app';

const skip = browserSkipReason();
announceSkip('Browser-mode citation tests', skip);

describe.skipIf(skip !== null)('browser mode: citing an article', () => {
  const session = useBrowserSession(() => sampleArchive);

  it('copies the citation in the chosen style, shows it in a toast, and remembers the style', async () => {
    const app = await openApp(session.browser, session.served);
    try {
      await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.served.origin });
      const { page } = app;
      const first = (await session.served.server.service.list({ limit: 1, sort: 'date' })).items[0]!;
      await page.getByRole('listbox', { name: 'Articles' }).getByRole('option').first().click();
      await page.getByRole('article').waitFor();
      await page.getByRole('combobox', { name: 'Citation style' }).selectOption('apa');
      await page.getByRole('button', { name: 'Copy citation' }).click();
      const expected = await citeArticle(session.served.server.service, first.path, 'apa');
      const toast = page.locator('.citation-toast');
      await eventually(() => toast.textContent()).toContain(expected);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
      await screenshot(page, 'citation-toast-apa');

      await page.reload();
      await page.getByRole('listbox', { name: 'Articles' }).getByRole('option').first().click();
      await eventually(() => page.getByRole('combobox', { name: 'Citation style' }).inputValue()).toBe('apa');
    } finally {
      await app.close();
    }
  });
});
