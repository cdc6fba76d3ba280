/**
 * A post written to attack its reader, opened in the real page: nothing in it runs, nothing leaves this machine
 * until the reader allows remote content for that one article, and the local image still shows.
 * The edge-archive fixture always; the shared jekyll-edge-cases corpus when it is there.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeArchive, sharedCorpus } from '../helpers/temp';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, launchBrowser, openApp, screenshot, serveForTest } from './helpers/browser-app';

const skip = browserSkipReason();
announceSkip('Browser-mode hostile-post tests', skip);
const jekyllEdgeCases = path.join(sharedCorpus, 'jekyll-edge-cases');
const haveShared = fs.existsSync(path.join(jekyllEdgeCases, '_posts/2024-04-01-hostile-html.md'));
if (!skip && !haveShared) console.log(`Hostile post of the shared corpus skipped: ${jekyllEdgeCases} is absent.`);

/** A 1×1 PNG that stands in for the tracking pixel: the request is answered here, never sent to the network. */
const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

interface HostileCase {
  name: string;
  archive: string;
  title: string;
  remoteImage: string;
  shot: string;
}

const cases: HostileCase[] = [
  {
    name: 'edge-archive',
    archive: edgeArchive,
    title: 'Hostile markup beside a local chart',
    remoteImage: 'https://pixel.example.net/track.gif',
    shot: 'hostile-post-edge-archive',
  },
  {
    name: 'jekyll-edge-cases',
    archive: jekyllEdgeCases,
    title: 'Hostile markup and a local image',
    remoteImage: 'https://tracker.example.com/pixel.gif',
    shot: 'hostile-post-jekyll-edge-cases',
  },
];

describe.skipIf(skip !== null)('browser mode: a hostile post', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const c of cases) {
    it.skipIf(c.name === 'jekyll-edge-cases' && !haveShared)(`${c.name}: runs nothing, fetches nothing remote until allowed`, async () => {
      const served = await serveForTest(c.archive);
      const app = await openApp(browser, served);
      const ui = new AppUi(app.page);
      const { page, guard } = app;
      try {
        // Anything the sanitiser let through but the page's CSP then stopped would show up here.
        await page.evaluate(() => {
          const w = window as unknown as { __csp: string[] };
          w.__csp = [];
          document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
        });
        await page.route(c.remoteImage, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PIXEL_PNG }));
        const titleBefore = await page.title();
        expect(titleBefore).toBe(`${path.basename(c.archive)} — Backfile`);

        await ui.list.getByRole('option', { name: c.title }).click();
        await eventually(() => ui.articleTitle.textContent()).toBe(c.title);

        // The local chart loads through the asset route.
        const chart = ui.articleBody.locator('img[src="/asset/assets/images/chart.png"]');
        await eventually(() => chart.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
        expect(guard.requests).toContain(`${served.origin}/asset/assets/images/chart.png`);
        // Every image has settled (loaded or failed), so an onerror handler would have run by now.
        await eventually(() => ui.articleBody.locator('img[src]').evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).complete))).toBe(true);

        // Nothing executable or page-altering inside the article.
        const article = ui.article;
        expect(await article.locator('script, iframe, frame, form, input, style, object, embed, meta, link, base').count()).toBe(0);
        const handlers = await article.evaluate((el) =>
          [...el.querySelectorAll('*')].flatMap((node) => [...node.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${node.tagName} ${a.name}`)),
        );
        expect(handlers).toEqual([]);
        const hrefs = await article.locator('[href]').evaluateAll((els) => els.map((el) => el.getAttribute('href') ?? ''));
        for (const href of hrefs) expect(href.trim().toLowerCase()).not.toMatch(/^javascript:/);
        expect(await article.locator('img[src*="passwd"]').count()).toBe(0);

        // Nothing ran.
        const state = await page.evaluate(() => ({
          pwned: (window as unknown as { __pwned?: unknown }).__pwned,
          title: document.title,
          csp: (window as unknown as { __csp: string[] }).__csp,
          bodyVisibility: getComputedStyle(document.body).visibility,
          bodyDisplay: getComputedStyle(document.body).display,
        }));
        expect(state).toEqual({ pwned: undefined, title: titleBefore, csp: [], bodyVisibility: 'visible', bodyDisplay: 'block' });
        expect(guard.dialogs).toEqual([]);
        expect(guard.errors).toEqual([]);

        // Nothing left 127.0.0.1: the pixel, the iframe, the form and the object were never asked for.
        expect(guard.foreignRequests()).toEqual([]);
        expect(guard.requests.some((url) => url.includes('passwd'))).toBe(false);
        const remote = ui.articleBody.locator(`img[data-remote-src="${c.remoteImage}"]`);
        expect(await remote.count()).toBe(1);
        expect(await remote.getAttribute('src')).toBeNull();
        await screenshot(page, c.shot);

        // The reader allows remote content: only now is the pixel asked for (and answered locally above).
        const pixelRequested = page.waitForRequest(c.remoteImage);
        await article.getByRole('button', { name: 'Load remote content' }).click();
        await pixelRequested;
        await eventually(() => remote.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(1);
        expect(new Set(guard.foreignRequests())).toEqual(new Set([c.remoteImage]));
        expect(await article.getByRole('status').filter({ hasText: 'Remote content is shown for this article.' }).count()).toBe(1);
        await screenshot(page, `${c.shot}-remote-allowed`);

        // The permission was for that article only: away and back, the image is blocked again.
        await ui.options.filter({ hasNotText: c.title }).first().click();
        await eventually(() => ui.articleTitle.textContent()).not.toBe(c.title);
        await ui.list.getByRole('option', { name: c.title }).click();
        await eventually(() => ui.articleTitle.textContent()).toBe(c.title);
        expect(await remote.getAttribute('src')).toBeNull();
        expect(await article.getByRole('button', { name: 'Load remote content' }).count()).toBe(1);

        expect(await page.title()).toBe(titleBefore);
        expect(guard.dialogs).toEqual([]);
        expect(guard.errors).toEqual([]);
        expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
      } finally {
        await app.close();
        await served.close();
      }
    });
  }
});
