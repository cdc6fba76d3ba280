/**
 * Browser mode, end to end: posts dropped on the window are imported into the open archive and show up in
 * the list, the trees and search. The drop is a synthetic `drop` event whose DataTransfer carries real `File`
 * objects, as a browser gives them; the page reads them and sends their contents to the server
 * (`importFiles`), which imports them like the desktop app imports dropped folders.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { copyArchive, sampleArchive } from '../helpers/temp';
import { AppUi } from './helpers/app-ui';
import { announceSkip, browserSkipReason, eventually, openApp, screenshot, useBrowserSession } from './helpers/browser-app';

const skip = browserSkipReason();
announceSkip('Browser-mode import tests', skip);

const POST = (title: string) => `---\ntitle: ${title}\ndate: 2024-05-06\ncategories: [dropped]\ntags: [拖放]\n---\n这是拖进窗口的稿件。Dropped by a reader.\n`;

/** Fires dragenter, dragover and drop on the page with these files in the DataTransfer. */
async function dropFiles(page: Page, files: { name: string; text: string }[], options: { stopBeforeDrop?: boolean } = {}): Promise<void> {
  await page.evaluate(({ files, stopBeforeDrop }) => {
    const transfer = new DataTransfer();
    for (const f of files) transfer.items.add(new File([f.text], f.name, { type: 'text/markdown' }));
    const fire = (type: string) => window.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    fire('dragenter');
    fire('dragover');
    if (!stopBeforeDrop) fire('drop');
  }, { files, stopBeforeDrop: options.stopBeforeDrop ?? false });
}

describe.skipIf(skip !== null)('browser mode: importing dropped posts', () => {
  let archive: string;
  const session = useBrowserSession(() => (archive = copyArchive(sampleArchive)));

  it('shows a drop target while dragging, imports the dropped posts, reports them, and finds them at once', async () => {
    const app = await openApp(session.browser, session.served);
    const ui = new AppUi(app.page);
    try {
      await eventually(() => ui.matchCount()).toBe(30);
      const before = new Set(fs.readdirSync(archive, { recursive: true }).map(String));

      await dropFiles(app.page, [{ name: 'x.md', text: POST('x') }], { stopBeforeDrop: true });
      await app.page.getByText('Drop folders or posts here to import them').waitFor();
      await screenshot(app.page, 'drop-target-en-light');
      await app.page.evaluate(() => window.dispatchEvent(new DragEvent('dragleave', { dataTransfer: new DataTransfer(), bubbles: true })));

      await dropFiles(app.page, [
        { name: '2024-05-06-dropped-report.md', text: POST('拖放导入的报道') },
        { name: '2024-05-07-second-drop.md', text: POST('Second dropped post') },
      ]);
      const report = app.page.getByRole('status').filter({ hasText: 'Import finished' });
      await report.waitFor();
      expect(await report.textContent()).toContain('2 added');
      await screenshot(app.page, 'import-report-en-light');

      // In the list and the trees at once, and found by search.
      await eventually(() => ui.matchCount()).toBe(32);
      await ui.search.fill('拖放导入');
      await eventually(async () => (await ui.rows()).map((r) => r.title)).toEqual(['拖放导入的报道']);

      // On disk: two new files, copied in whole; nothing else changed.
      const added = fs.readdirSync(archive, { recursive: true }).map(String).filter((p) => !before.has(p) && p.endsWith('.md'));
      expect(added).toHaveLength(2);
      const report1 = added.find((p) => p.endsWith('2024-05-06-dropped-report.md'))!;
      expect(fs.readFileSync(path.join(archive, report1), 'utf8')).toBe(POST('拖放导入的报道'));
      expect(app.guard.errors).toEqual([]);
      expect(app.guard.foreignRequests()).toEqual([]);

      // The same drop again adds nothing: both are duplicates.
      await app.page.getByRole('button', { name: 'Dismiss' }).click().catch(() => undefined);
      await dropFiles(app.page, [
        { name: '2024-05-06-dropped-report.md', text: POST('拖放导入的报道') },
        { name: '2024-05-07-second-drop.md', text: POST('Second dropped post') },
      ]);
      await eventually(async () => (await app.page.getByRole('status').filter({ hasText: 'Import finished' }).textContent()) ?? '').toContain('2 duplicates skipped');
      expect((await session.served.server.service.list({ limit: 1 })).total).toBe(32);
    } finally {
      await app.close();
    }
  }, 60_000);
});
