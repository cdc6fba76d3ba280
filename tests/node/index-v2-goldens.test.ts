import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOLDEN_ARCHIVES, goldenFile, goldenOf, type Golden } from './fixtures/make-index-goldens';
import { sharedCorpus, tempDir } from '../helpers/temp';

/**
 * Index v2 changes how the index stores things, never what a reader sees: totals, first pages in order, their
 * snippets and the trees must equal what the v1 index gave (goldens: tests/node/fixtures/make-index-goldens.ts).
 */
const sharedPresent = fs.existsSync(sharedCorpus);
if (!sharedPresent) console.log(`Index goldens over the shared corpus skipped: ${sharedCorpus} does not exist.`);

describe('the index shows what the v1 index showed', () => {
  const indexDir = tempDir('backfile-goldens-');
  for (const archive of GOLDEN_ARCHIVES) {
    it.skipIf(archive.shared && !sharedPresent)(archive.name, async () => {
      const expected = JSON.parse(fs.readFileSync(goldenFile(archive.name), 'utf8')) as Golden;
      const actual = await goldenOf(archive.dir, indexDir);
      expect(actual.trees).toEqual(expected.trees);
      // One query at a time, so that a failure names its query.
      expected.results.forEach((r, i) => expect(actual.results[i], JSON.stringify(r.query)).toEqual(r));
      expected.resultsRankLimit2.forEach((r, i) => expect(actual.resultsRankLimit2[i], JSON.stringify(r.query)).toEqual(r));
      expect(actual.results.length).toBe(expected.results.length);
    });
  }
});
