/**
 * A dossier opened from file:// in Firefox (Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi;
 * playwright-core cannot drive a stock Firefox). As in dossier-file.test.ts for Chromium: the reader types a query
 * into "Search", sees "Results" with Backfile's own total, opens an article; every request is recorded and none may
 * leave the dossier's folder, and the console stays free of errors (a CSP violation would be one).
 * Without /usr/bin/firefox-esr it prints a one-line skip (`.ci/run` installs it).
 *
 * Firefox's WebDriver BiDi reports only requests that go through its network stack (http, https, ws…), never
 * file:// loads (measured with Firefox ESR 153): so here "no request leaves the folder" means no network request at
 * all, and a control page proves first that a file:// page's network request is recorded. That the page's own
 * files load is seen in the page: its script searches, its stylesheet applies, its image decodes.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOSSIER_CSP } from '../../src-main/core/dossier/dossier-pages';
import { DOSSIER_NAMES, loadDossier } from '../helpers/dossier';
import { edgeArchive } from '../helpers/temp';
import { announceSkip, eventually, SCREENSHOT_DIR } from './helpers/browser-app';
import { DOSSIER_CASES, dossierBuilder, requestsOutside } from './helpers/dossier-cases';

const FIREFOX = '/usr/bin/firefox-esr';
const skip = !fs.existsSync(FIREFOX) ? `no Firefox at ${FIREFOX} (apt-get install -y firefox-esr)` : null;
announceSkip('Dossier file:// tests in Firefox', skip);

const NAMES = DOSSIER_NAMES;

interface Opened {
  page: Page;
  requests: string[];
  errors: string[];
}

describe.skipIf(skip !== null)('a dossier opened from file:// in Firefox', () => {
  const { dir, build } = dossierBuilder('backfile-dossier-firefox-');
  let browser: Browser;

  async function open(folder: string): Promise<Opened> {
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e instanceof Error ? e.message : String(e)));
    await page.goto(pathToFileURL(path.join(folder, 'index.html')).href);
    return { page, requests, errors };
  }

  /** The page's own stylesheet applied (a file:// load the request log cannot show). */
  const styled = (page: Page) => page.$eval('link[rel="stylesheet"]', (l) => (l as HTMLLinkElement).sheet !== null && (l as HTMLLinkElement).sheet!.cssRules.length > 0);

  /** The links of the list named `results` (by its accessible name, as a reader's screen reader finds it). */
  const resultLinks = (page: Page, results: string) =>
    page.$$eval(`::-p-aria([name="${results}"][role="list"]) a`, (links) => links.map((a) => a.textContent ?? ''));

  async function shot(page: Page, name: string): Promise<void> {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) as `${string}.png` });
  }

  beforeAll(async () => {
    const puppeteer = (await import('puppeteer-core')).default;
    browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, protocol: 'webDriverBiDi' });
  });

  it('control: a file:// page\'s network request and CSP violation are recorded (so empty logs below mean none)', async () => {
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const remote = `http://127.0.0.1:${(server.address() as AddressInfo).port}/remote.png`;
      const control = path.join(dir, 'control');
      fs.mkdirSync(control, { recursive: true });
      fs.writeFileSync(path.join(control, 'index.html'), `<!doctype html><title>control</title><img src="${remote}" alt="">`);
      const { page, requests } = await open(control);
      await eventually(() => requests.includes(remote)).toBe(true);
      expect(requestsOutside(control, requests)).toEqual([remote]);
      await page.close();
      // The dossier's own policy, broken by an inline script: Firefox reports the violation as a page error.
      fs.writeFileSync(
        path.join(control, 'index.html'),
        `<!doctype html><meta http-equiv="Content-Security-Policy" content="${DOSSIER_CSP}"><title>control</title><script>1</script>`,
      );
      const blocked = await open(control);
      await eventually(() => blocked.errors.some((e) => e.includes('Content-Security-Policy'))).toBe(true);
      await blocked.page.close();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const c of DOSSIER_CASES) {
    it(`${c.lang}: searches, lists results, opens an article; no request leaves the folder, no console error`, async () => {
      const folder = await build(c.root, c.lang, c.name);
      const dossier = loadDossier(folder);
      const expected = dossier.search.search(c.query).refs.length;
      expect(expected).toBeGreaterThan(0);
      expect(expected).toBeLessThan(dossier.data.docs.length);
      const { page, requests, errors } = await open(folder);
      const names = NAMES[c.lang];
      await eventually(async () => (await resultLinks(page, names.results)).length).toBe(dossier.data.docs.length);
      await shot(page, `dossier-firefox-index-${c.lang}`);
      expect(await styled(page)).toBe(true);
      const box = await page.locator(`::-p-aria([name="${names.search}"][role="searchbox"])`).waitHandle();
      await box.type(c.query);
      await eventually(async () => (await resultLinks(page, names.results)).length).toBe(expected);
      await shot(page, `dossier-firefox-search-${c.lang}`);
      const title = (await resultLinks(page, names.results))[0];
      await Promise.all([
        page.waitForNavigation(),
        page.locator(`::-p-aria([name="${names.results}"][role="list"]) a`).click(),
      ]);
      await eventually(() => page.$eval('h1', (h) => h.textContent)).toBe(title);
      await shot(page, `dossier-firefox-article-${c.lang}`);
      expect(await styled(page)).toBe(true);
      expect(requestsOutside(folder, requests)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it.skipIf(!fs.existsSync(edgeArchive))('shows the copied local image and loads no remote one', async () => {
    const folder = path.join(dir, 'edge-en');
    if (!fs.existsSync(folder)) await build(edgeArchive, 'en', 'edge-en');
    const { page, requests, errors } = await open(folder);
    const box = await page.locator('::-p-aria([name="Search"][role="searchbox"])').waitHandle();
    await box.type('"local chart"');
    await eventually(async () => (await resultLinks(page, 'Results')).length).toBe(1);
    await Promise.all([page.waitForNavigation(), page.locator('::-p-aria([name="Results"][role="list"]) a').click()]);
    await eventually(() =>
      page.$$eval('img[alt="Local chart"]', (imgs) => imgs.some((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)),
    ).toBe(true);
    await shot(page, 'dossier-firefox-article-images-en');
    expect(requestsOutside(folder, requests)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
