import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp';

/**
 * The desktop app end to end, with Playwright's Electron driver. It needs Electron's binary, which machines
 * installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 (like CI here) do not have: there it says so and skips.
 */
const require = createRequire(import.meta.url);
const repoRoot = path.resolve(import.meta.dirname, '../..');

function electronBinary(): string | null {
  try {
    const binary: unknown = require('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const built = fs.existsSync(path.join(repoRoot, 'out/main/index.js'));
const reason = !binary
  ? 'no Electron binary installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1)'
  : !built
    ? 'the app is not built (run `npm run build` first)'
    : null;
if (reason) console.log(`Electron end-to-end test skipped: ${reason}.`);

describe.skipIf(reason !== null)('Electron app', () => {
  it('opens the sample archive in a sandboxed window', async () => {
    const { _electron } = await import('playwright-core');
    const app = await _electron.launch({
      executablePath: binary ?? undefined,
      args: [repoRoot],
      env: { ...process.env, BACKFILE_DATA_DIR: tempDir('backfile-electron-') },
    });
    try {
      const window = await app.firstWindow();
      await window.getByRole('tree', { name: 'Categories' }).waitFor();
      const options = window.getByRole('listbox', { name: 'Articles' }).getByRole('option');
      await expect.poll(() => options.count()).toBeGreaterThan(0);
      // No Node in the page, and the bridge is the only thing exposed.
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => typeof (window as unknown as { backfile: { listArticles: unknown } }).backfile.listArticles)).toBe('function');
    } finally {
      await app.close();
    }
  });
});
