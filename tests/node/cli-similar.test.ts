import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIMILAR_THRESHOLD } from '../../src-main/shared/archive-api';
import { validateArgs } from '../../src-main/node/validate-args';
import { ArchiveService } from '../../src-main/node/archive/archive-service';
import { generateReprintArchive } from '../bench/reprint-archive';
import { runCli, runCliJson } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

/** `similar ARCHIVE POSTPATH` (issue 14 part 3): its exact JSON shape and its text, over planted reprints. */
describe('CLI similar', () => {
  const dir = tempDir('backfile-cli-similar-');
  const archive = path.join(dir, 'archive');
  const planted = generateReprintArchive(archive, { seed: 3, originals: 3, unrelated: 10, corpus: path.join(dir, 'no-corpus') });
  const index = ['--index', path.join(dir, 'index.sqlite')];
  const family = planted.families[0]!;

  it('--json: path, and similar as {path, title, date, score} best first above the threshold', () => {
    const json = runCliJson<{ path: string; similar: { path: string; title: string; date: string | null; score: number }[] }>(['similar', archive, family.original, ...index]);
    expect(Object.keys(json)).toEqual(['path', 'similar']);
    expect(json.path).toBe(family.original);
    expect(json.similar.map((s) => s.path).sort()).toEqual([...family.reprints].sort());
    for (const s of json.similar) {
      expect(Object.keys(s)).toEqual(['path', 'title', 'date', 'score']);
      expect(s.score).toBeGreaterThanOrEqual(SIMILAR_THRESHOLD);
      expect(s.date).toMatch(/^\d{4}-\d\d-\d\d/);
    }
    expect(json.similar.map((s) => s.score)).toEqual([...json.similar.map((s) => s.score)].sort((a, b) => b - a));
    expect(runCliJson<{ similar: unknown[] }>(['similar', archive, planted.unrelated[0]!, ...index]).similar).toEqual([]);
  });

  it('text: one line a version; usage and unknown posts are errors', () => {
    const text = runCli(['similar', archive, family.original, ...index]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`other version${family.reprints.length === 1 ? '' : 's'} of ${family.original}`);
    for (const r of family.reprints) expect(text.stdout).toContain(r);
    expect(runCli(['similar', archive, ...index]).status).toBe(2);
    const unknown = runCli(['similar', archive, '_posts/none.md', ...index]);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('no post at _posts/none.md');
  });

  it('the contract checks its argument', () => {
    expect(validateArgs('getSimilar', ['_posts/a.md'])).toEqual(['_posts/a.md']);
    expect(() => validateArgs('getSimilar', [3])).toThrow(/must be a string/);
    expect(() => validateArgs('getVersionText', ['a', 'b'])).toThrow(/at most 1 argument/);
  });

  it('getVersionText: the body as plain text, one block a line, no markup', async () => {
    const service = new ArchiveService();
    await service.open(archive, { waitForIndex: true, indexFile: path.join(dir, 'index.sqlite') });
    try {
      const text = await service.versionText(family.reprints[0]!);
      expect(text).not.toMatch(/<[a-z]/i);
      expect(text.split('\n').length).toBeGreaterThan(1);
      expect(text.split('\n').every((line) => line.trim() === line && line !== '')).toBe(true);
      expect((await service.similar(family.reprints[0]!)).similar[0]?.path).toBeDefined();
    } finally {
      await service.close();
    }
  });
});
