import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateReprintArchive } from '../bench/reprint-archive';
import { runCli, runCliJson } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

interface Hit { path: string; versions?: number }

/** `search ARCHIVE QUERY --collapse`: one hit per story, its other versions counted in the JSON and the text. */
describe('CLI search --collapse', () => {
  const dir = tempDir('backfile-cli-collapse-');
  const archive = path.join(dir, 'archive');
  const planted = generateReprintArchive(archive, { seed: 5, originals: 3, unrelated: 8, corpus: path.join(dir, 'no-corpus') });
  const index = ['--index', path.join(dir, 'index.sqlite')];
  const posts = planted.unrelated.length + planted.families.reduce((n, f) => n + 1 + f.reprints.length, 0);

  it('--json: total counts stories, each hit carries versions; without --collapse nothing changes', () => {
    const plain = runCliJson<{ total: number; hits: Hit[] }>(['search', archive, '', '--limit', '500', ...index]);
    expect(plain.total).toBe(posts);
    expect(plain.hits.every((h) => !('versions' in h))).toBe(true);
    const collapsed = runCliJson<{ total: number; hits: Hit[] }>(['search', archive, '', '--collapse', '--limit', '500', ...index]);
    expect(collapsed.total).toBe(planted.unrelated.length + planted.families.length);
    expect(collapsed.hits).toHaveLength(collapsed.total);
    for (const family of planted.families) {
      const members = [family.original, ...family.reprints];
      const rows = collapsed.hits.filter((h) => members.includes(h.path));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.versions).toBe(family.reprints.length);
      // The story's newest post stands for it (the list is newest first).
      expect(rows[0]!.path).toBe(plain.hits.find((h) => members.includes(h.path))!.path);
    }
    expect(collapsed.hits.filter((h) => h.versions === 0)).toHaveLength(planted.unrelated.length);
  });

  it('text: "(+N versions)" after the title of a story with versions', () => {
    const { stdout, status } = runCli(['search', archive, '', '--collapse', '--limit', '500', ...index]);
    expect(status).toBe(0);
    expect(stdout).toContain(`${planted.unrelated.length + planted.families.length} matches`);
    expect(stdout).toMatch(/\(\+\d+ versions?\)/);
  });
});
