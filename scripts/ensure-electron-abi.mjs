#!/usr/bin/env node
/**
 * `npm start` runs this before launching Electron. better-sqlite3 in node_modules is built for Node (tests, CLI);
 * Electron needs a build for its own ABI. We build one copy into build/native/electron-<version>/ and leave
 * node_modules alone, so `npm test` keeps working. Uses the documented npm_config_* variables for Electron
 * (prebuild-install downloads a prebuilt binary; otherwise node-gyp builds against Electron's headers).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

let electronBinary;
try {
  electronBinary = require('electron');
} catch {
  electronBinary = null;
}
if (typeof electronBinary !== 'string' || !fs.existsSync(electronBinary)) {
  console.error('backfile: the Electron binary is not installed (was ELECTRON_SKIP_BINARY_DOWNLOAD set?).');
  console.error('Reinstall without it to run the desktop app, or use browser mode: npm run serve -- posts');
  process.exit(1);
}
const electronVersion = require('electron/package.json').version;
const target = path.join(root, 'build', 'native', `electron-${electronVersion}`, 'better_sqlite3.node');
if (fs.existsSync(target)) process.exit(0);

console.log(`backfile: building better-sqlite3 for Electron ${electronVersion} (once)…`);
const source = path.dirname(require.resolve('better-sqlite3/package.json'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-electron-sqlite-'));
fs.cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['run', 'install'], {
  cwd: work,
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: {
    ...process.env,
    npm_config_runtime: 'electron',
    npm_config_target: electronVersion,
    npm_config_disturl: 'https://electronjs.org/headers',
    npm_config_arch: process.arch,
    npm_config_target_arch: process.arch,
  },
});
const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
if (result.status !== 0 || !fs.existsSync(built)) {
  console.error('backfile: could not build better-sqlite3 for Electron; see the output above and the README troubleshooting section.');
  process.exit(1);
}
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(built, target);
fs.rmSync(work, { recursive: true, force: true });
console.log(`backfile: ${path.relative(root, target)} ready.`);
