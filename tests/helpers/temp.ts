import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const sharedCorpus = path.resolve(repoRoot, '../shared/corpus');
export const edgeArchive = path.join(repoRoot, 'tests/fixtures/edge-archive');
export const sampleArchive = path.join(repoRoot, 'posts');

/**
 * Every temp folder made by this file's tests. One hook, registered when a test file imports this module (at
 * collection, in the file's root suite), removes them all: an `afterAll` registered from inside a running test
 * never runs, so folders made there used to be left in the temp directory (hundreds a day).
 */
const made = new Set<string>();
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  made.clear();
});

/** A temp folder removed after the file's tests (wherever it is made: describe level, hooks or tests). */
export function tempDir(prefix = 'backfile-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Copies a folder into a temp folder (tests that change an archive never touch the fixtures). */
export function copyArchive(source: string, prefix = 'backfile-archive-'): string {
  const dir = tempDir(prefix);
  fs.cpSync(source, dir, { recursive: true });
  return dir;
}
