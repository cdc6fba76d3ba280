import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const sharedCorpus = path.resolve(repoRoot, '../shared/corpus');
export const edgeArchive = path.join(repoRoot, 'tests/fixtures/edge-archive');
export const sampleArchive = path.join(repoRoot, 'posts');

/** A temp folder removed after the file's tests. */
export function tempDir(prefix = 'backfile-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Copies a folder into a temp folder (tests that change an archive never touch the fixtures). */
export function copyArchive(source: string, prefix = 'backfile-archive-'): string {
  const dir = tempDir(prefix);
  fs.cpSync(source, dir, { recursive: true });
  return dir;
}
