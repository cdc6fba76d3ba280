/**
 * Every test file runs with a temp folder of its own (`/tmp/backfile-tmp-<file>-XXXXXX`, set as TMPDIR, which
 * os.tmpdir() and every child process read), so nothing a test leaves in "the temp directory" is shared or lost:
 *
 * - after the file's tests (this hook runs after every other afterAll), anything named `backfile-*` still in it is
 *   a leak (a folder without its cleanup, an index file made beside its archive, a server not closed): the file
 *   fails, naming it; then the folder is removed either way (Chromium's profile and tsx's cache went there too);
 * - a worker ended by SIGINT/SIGTERM (Ctrl-C, vitest stopping its workers) or ending without the hook removes it.
 *
 * A throwaway PostgreSQL (tests/helpers/postgres.ts) keeps its cluster under it: a folder whose server may still run
 * (data/postmaster.pid) is never removed here; that helper stops its servers and removes their folders itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';

const outer = os.tmpdir();
const savedTmpdir = process.env.TMPDIR;
const testFile = path.basename(expect.getState().testPath ?? 'test').replace(/\.test\.[cm]?[jt]sx?$/, '').replace(/[^\w.-]/g, '_').slice(0, 32);
const own = fs.mkdtempSync(path.join(outer, `backfile-tmp-${testFile}-`));
// As open as /tmp (sticky, writable by all): PostgreSQL's tools run as `postgres`, some children as `nobody`.
fs.chmodSync(own, 0o1777);
// tsx keeps its compile cache in the temp folder: share the usual one, or every CLI child recompiles the app.
const tsxCache = `tsx-${os.userInfo().uid}`;
try {
  fs.mkdirSync(path.join(outer, tsxCache), { recursive: true });
  fs.symlinkSync(path.join(outer, tsxCache), path.join(own, tsxCache));
} catch {
  // Without the shared cache, children only start slower.
}
process.env.TMPDIR = own;

/** Whether a PostgreSQL cluster lives under `dir` (its server may still run: leave it to its helper). */
function holdsCluster(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'data', 'postmaster.pid'));
}

/** Removes what is under `own` (but a live cluster's folder), then `own` when that leaves it empty. */
function removeOwn(): void {
  let names: string[];
  try {
    names = fs.readdirSync(own);
  } catch {
    return;
  }
  for (const name of names) {
    const entry = path.join(own, name);
    if (holdsCluster(entry)) continue;
    fs.rmSync(entry, { recursive: true, force: true });
  }
  try {
    fs.rmdirSync(own);
  } catch {
    // A cluster is still there.
  }
}

/** What the file's tests left: `backfile-*` entries, with their random suffix shown as `*`. */
function leftovers(): string[] {
  return fs
    .readdirSync(own)
    .filter((name) => name.startsWith('backfile-'))
    .map((name) => name.replace(/-[A-Za-z0-9]{6}(?=\.|$)/, '-*'))
    .sort();
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
function onExit(): void {
  removeOwn();
}
/**
 * On a signal: removal waits for the other listeners (the PostgreSQL helper stops its servers synchronously in
 * its own), then the signal does what it would have done without us.
 */
function onSignal(signal: NodeJS.Signals): void {
  setImmediate(() => {
    unwatch();
    removeOwn();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}
function unwatch(): void {
  process.removeListener('exit', onExit);
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
}
process.on('exit', onExit);
for (const signal of SIGNALS) process.on(signal, onSignal);

afterAll(() => {
  unwatch();
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  const left = leftovers();
  removeOwn();
  if (left.length > 0) {
    throw new Error(
      `this file's tests left ${left.join(', ')} in the temp folder: remove it after the test (tests/helpers/temp.ts tempDir does), or close what made it`,
    );
  }
});
