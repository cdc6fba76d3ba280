/**
 * Browser-mode end-to-end tests: the real renderer (out/web, built by `npm run build:web`) served by the real
 * core over the token-guarded HTTP server, driven in Debian's Chromium through playwright-core.
 *
 * Every test file launches one browser (`launchBrowser`) and serves its archives in-process (`serveForTest`), most
 * through `useBrowserSession`;
 * each test opens a fresh context (`openApp`) with its own language and colour scheme, and a guard that records
 * dialogs, page errors and every request the page makes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { serveArchive, WEB_DIR } from '../../../src-main/server/serve';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../../test-output/screenshots');

/** Why this machine cannot run the browser tests, or `null` when it can. */
export function browserSkipReason(): string | null {
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}`;
  if (!fs.existsSync(path.join(WEB_DIR, 'index.html'))) return 'the page is not built (run `npm run build:web`)';
  return null;
}

/** Says once, on one line, why a file's tests are skipped. */
export function announceSkip(what: string, reason: string | null): void {
  if (reason) console.log(`${what} skipped: ${reason}.`);
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export type Served = Awaited<ReturnType<typeof serveArchive>>;

export interface ServedArchive {
  server: Served;
  /** The tokenised address printed by `npm run serve`. */
  url: string;
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves an archive and waits until it is indexed. The archive is only read: the index, and the recent-archive
 * list (BACKFILE_DATA_DIR, read when the server starts), go to a temp folder removed on close, never the home folder.
 */
export async function serveForTest(archive: string): Promise<ServedArchive> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-e2e-'));
  process.env.BACKFILE_DATA_DIR = dataDir;
  const server = await serveArchive({ archive, indexFile: path.join(dataDir, 'index.sqlite'), announce: false, watch: false });
  await waitForIndex(server);
  return {
    server,
    url: server.url,
    origin: new URL(server.url).origin,
    close: async () => {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitForIndex(server: Served): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const progress = server.service.progress();
    if (progress?.phase === 'ready') return;
    if (progress?.phase === 'error') throw new Error(`indexing failed: ${progress.message ?? ''}`);
    if (Date.now() > deadline) throw new Error('the archive was not indexed within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** What a test file's tests share: one browser and one served archive. */
export interface BrowserSession {
  browser: Browser;
  served: ServedArchive;
}

/**
 * The usual set-up, registered in the calling `describe`: before its tests, the archive `archive()` names (made
 * then, where it must be) is served and indexed while the browser launches; after them, both are closed. The
 * fields are set once that `beforeAll` has run: read them inside tests and later hooks.
 */
export function useBrowserSession(archive: () => string | Promise<string>, timeout?: number): BrowserSession {
  const session: Partial<BrowserSession> = {};
  beforeAll(async () => {
    const dir = await archive();
    [session.served, session.browser] = await Promise.all([serveForTest(dir), launchBrowser()]);
  }, timeout);
  afterAll(async () => {
    await session.browser?.close();
    await session.served?.close();
  });
  return session as BrowserSession;
}

export interface AppOptions {
  locale?: 'en-US' | 'zh-CN';
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
}

/** What a page did that a test may need to fail on. */
export interface PageGuard {
  /** Every request URL, in order. */
  requests: string[];
  /** Messages of `alert`/`confirm`/`prompt` dialogs (each one is dismissed). */
  dialogs: string[];
  /** Uncaught exceptions in the page. */
  errors: string[];
  /** Requests that did not go to the served origin. */
  foreignRequests(): string[];
}

export interface AppPage {
  context: BrowserContext;
  page: Page;
  guard: PageGuard;
  close(): Promise<void>;
}

/** A fresh context (own storage, language and colour scheme) with the app loaded and its list filled. */
export async function openApp(browser: Browser, served: ServedArchive, options: AppOptions = {}): Promise<AppPage> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1280, height: 800 },
    deviceScaleFactor: 1,
  });
  // Fail fast and say why (Playwright's own default is 30 s, the whole test's budget).
  context.setDefaultTimeout(5000);
  const page = await context.newPage();
  const guard: PageGuard = {
    requests: [],
    dialogs: [],
    errors: [],
    foreignRequests: () => guard.requests.filter((url) => !isLocal(url, served.origin)),
  };
  page.on('request', (request: Request) => guard.requests.push(request.url()));
  page.on('dialog', (dialog) => {
    guard.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (error) => guard.errors.push(error.message));
  // Nothing may leave this machine: whatever is not for the served origin is aborted (and still recorded above).
  await context.route(
    (url) => !isLocal(url.href, served.origin),
    (route) => route.abort('blockedbyclient'),
  );
  await page.goto(served.url);
  await page.getByRole('listbox', { name: options.locale === 'zh-CN' ? '文章' : 'Articles' }).getByRole('option').first().waitFor();
  return { context, page, guard, close: () => context.close() };
}

/** The served origin and `data:`/`blob:` URLs stay on this machine; everything else would leave it. */
export function isLocal(url: string, origin: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** Saves a PNG of the viewport under test-output/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * `expect.poll` with room for a busy machine: the page answers after a debounce, an HTTP call and a render,
 * and these tests share two cores with the rest of the suite (vitest's own default waits one second).
 */
export function eventually<T>(read: () => T | Promise<T>, message?: string) {
  return expect.poll(read, { timeout: 5000, interval: 40, message });
}
