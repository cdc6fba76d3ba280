/**
 * A dossier opened as its reader would: index.html from file:// in Chromium, with no server. The reader types a
 * query, sees the results, opens an article; every request is recorded and none may leave the dossier's folder,
 * and the console stays free of errors (a CSP violation would be one).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOSSIER_NAMES, loadDossier } from '../helpers/dossier';
import { edgeArchive } from '../helpers/temp';
import { announceSkip, CHROMIUM, eventually, launchBrowser, screenshot } from './helpers/browser-app';
import { DOSSIER_CASES, dossierBuilder, requestsOutside } from './helpers/dossier-cases';

const skip = !fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : null;
announceSkip('Dossier file:// tests', skip);

const NAMES = DOSSIER_NAMES;

interface Opened {
  page: Page;
  requests: string[];
  errors: string[];
}

describe.skipIf(skip !== null)('a dossier opened from file://', () => {
  const { dir, build } = dossierBuilder('backfile-dossier-e2e-');
  let browser: Browser;

  async function open(folder: string): Promise<Opened> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(path.join(folder, 'index.html')).href);
    return { page, requests, errors };
  }

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const c of DOSSIER_CASES) {
    it(`${c.lang}: searches, lists results, opens an article; no request leaves the folder, no console error`, async () => {
      const folder = await build(c.root, c.lang, c.name);
      const expected = loadDossier(folder).search.search(c.query).refs.length;
      expect(expected).toBeGreaterThan(0);
      const { page, requests, errors } = await open(folder);
      const names = NAMES[c.lang];
      const results = page.getByRole('list', { name: names.results });
      await eventually(() => results.getByRole('listitem').count()).toBe(loadDossier(folder).data.docs.length);
      await screenshot(page, `dossier-index-${c.lang}`);
      await page.getByRole('searchbox', { name: names.search }).fill(c.query);
      await eventually(() => results.getByRole('listitem').count()).toBe(expected);
      await screenshot(page, `dossier-search-${c.lang}`);
      const first = results.getByRole('link').first();
      const title = (await first.textContent())!;
      await first.click();
      await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
      await screenshot(page, `dossier-article-${c.lang}`);
      // Back to the results: the query is kept in the address.
      await page.goBack();
      await eventually(() => page.getByRole('searchbox', { name: names.search }).inputValue()).toBe(c.query);
      expect(requests.length).toBeGreaterThan(4);
      expect(requestsOutside(folder, requests)).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it.skipIf(!fs.existsSync(edgeArchive))('shows the copied local image and loads no remote one', async () => {
    const folder = path.join(dir, 'edge-en');
    if (!fs.existsSync(folder)) await build(edgeArchive, 'en', 'edge-en');
    const { page, requests, errors } = await open(folder);
    await page.getByRole('searchbox', { name: 'Search' }).fill('"local chart"');
    const results = page.getByRole('list', { name: 'Results' });
    await eventually(() => results.getByRole('listitem').count()).toBe(1);
    await results.getByRole('link').first().click();
    const image = page.getByRole('img', { name: 'Local chart' });
    await eventually(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await screenshot(page, 'dossier-article-images-en');
    expect(requests.some((url) => url.includes('/assets/'))).toBe(true);
    expect(requestsOutside(folder, requests)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
