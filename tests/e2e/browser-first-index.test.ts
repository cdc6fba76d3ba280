/**
 * Browser mode while a big archive is indexed for the first time (issue 11, item 1): the list and the trees show
 * the posts indexed so far, with "Indexing N of M…" above the list, and never say the archive is empty.
 * No timing is assumed: the page records what it showed at every change, and the test reads that record once
 * the index is ready.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveArchive } from '../../src-main/server/serve';
import { generateArchive } from '../bench/generate-archive';
import { announceSkip, browserSkipReason, CHROMIUM, CHROMIUM_ARGS, screenshot } from './helpers/browser-app';

const skip = browserSkipReason();
announceSkip('Browser-mode first-index test', skip);

const POSTS = 20_000;

interface Seen {
  /** Empty-archive messages ("no posts", "Nothing here yet") the page showed, with the progress shown beside them. */
  empty: string[];
  /** The progress label shown when list rows first appeared (null: none shown then), and when tree items did. */
  rowsFirst: { notice: string | null; rows: number } | null;
  treesFirst: { notice: string | null } | null;
  /** Every progress label shown, in order. */
  notices: string[];
}

describe.skipIf(skip !== null)('browser mode: a big archive while it is first indexed', () => {
  let tmp: string;
  let archive: string;
  let browser: Browser;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-first-index-'));
    archive = path.join(tmp, 'archive');
    const { chromium } = await import('playwright-core');
    [, browser] = await Promise.all([generateArchive(archive, POSTS, 11), chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('shows rows and trees before it is ready, with the progress in the list area, and never an empty archive', async () => {
    process.env.BACKFILE_DATA_DIR = path.join(tmp, 'data');
    const server = await serveArchive({ archive, indexFile: path.join(tmp, 'index.sqlite'), announce: false, watch: false });
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    try {
      context.setDefaultTimeout(60_000);
      const page = await context.newPage();
      // Recorded by the page itself at every DOM change, so nothing depends on when the test looks.
      await page.addInitScript(() => {
        const seen = { empty: [] as string[], rowsFirst: null as unknown, treesFirst: null as unknown, notices: [] as string[] };
        (window as unknown as { __seen: typeof seen }).__seen = seen;
        const look = () => {
          const notice = document.querySelector('[data-testid="indexing-notice"]')?.textContent ?? null;
          if (notice && seen.notices[seen.notices.length - 1] !== notice) seen.notices.push(notice);
          const text = document.body?.innerText ?? '';
          for (const message of ['This archive has no posts yet.', 'Nothing here yet']) {
            if (text.includes(message)) seen.empty.push(`${message} | ${notice ?? ''}`);
          }
          const rows = document.querySelectorAll('[role="listbox"] [role="option"]').length;
          if (rows > 0 && seen.rowsFirst === null) seen.rowsFirst = { notice, rows };
          if (document.querySelector('[role="tree"] [role="treeitem"]') && seen.treesFirst === null) seen.treesFirst = { notice };
        };
        new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
      });
      await page.goto(server.url);
      // Halfway through, as a person would see it.
      await page.getByTestId('indexing-notice').waitFor();
      await page.locator('[role="listbox"] [role="option"]').first().waitFor();
      await screenshot(page, 'first-index-in-progress');
      // Then until the whole archive is listed and the notice is gone.
      await page.getByTestId('indexing-notice').waitFor({ state: 'detached' });
      expect(server.service.progress()?.phase).toBe('ready');
      await expect.poll(() => page.locator('.match-count').textContent(), { timeout: 30_000 }).toContain('20,000');

      const seen = await page.evaluate(() => (window as unknown as { __seen: Seen }).__seen);
      expect(seen.empty).toEqual([]);
      // Rows and tree items appeared while the progress said indexing was still going on.
      expect(seen.rowsFirst?.notice).toMatch(/^(Indexing [\d,]+ of 20,000…|Scanning… [\d,]+ files)/);
      expect(seen.treesFirst?.notice).toMatch(/^(Indexing [\d,]+ of 20,000…|Scanning… [\d,]+ files)/);
      // The list grew while indexing: more than one "Indexing …" label, counting up.
      const counts = seen.notices.map((n) => /^Indexing ([\d,]+) of/.exec(n)?.[1]).filter((n) => n !== undefined).map((n) => Number(n.replace(/,/g, '')));
      expect(counts.length).toBeGreaterThan(1);
      expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    } finally {
      await context.close();
      await server.close();
    }
  }, 180_000);
});
