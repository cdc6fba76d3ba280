/**
 * `npm install` on the oldest Node the project supports prints no EBADENGINE warning (issue 11, item 16): every
 * package in the lock file that states a Node range accepts the lowest version of package.json's `engines`.
 * (electron-builder 26.1+ brings @electron/rebuild 4, which wants Node 22.12; package.json's `overrides` pins
 * @electron/rebuild 3.6.2, whose tree is on the npm registry and runs on Node 12.13 and up.)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
// semver comes with npm's own tree (no types installed): only these two functions are used.
const semver = require('semver') as { satisfies(version: string, range: string): boolean; minVersion(range: string): { version: string } | null };

interface Lock {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
}

describe('package engines', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lock;
  const oldest = semver.minVersion(pkg.engines.node)?.version ?? '';

  it('supports Node 20 (the version this project is developed and tested on)', () => {
    expect(oldest).toMatch(/^20\./);
    expect(semver.satisfies(process.versions.node, pkg.engines.node)).toBe(true);
  });

  it('has no package in its tree that refuses the oldest supported Node', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([name, entry]) => name !== '' && !Array.isArray(entry.engines) && entry.engines?.node !== undefined)
      .filter(([, entry]) => !semver.satisfies(oldest, (entry.engines as { node: string }).node))
      .map(([name, entry]) => `${name}@${entry.version ?? '?'} wants node ${(entry.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
  });
});
