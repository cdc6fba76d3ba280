/** `cli -- export ARCHIVE QUERY --format F --out PATH`: the real CLI in a child process, files read back. */
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-ris';
import { parse as parseCsv } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../helpers/cli';
import { copyArchive, edgeArchive, sharedCorpus, tempDir } from '../helpers/temp';

const finews = path.join(sharedCorpus, 'finews-sample');
let env: NodeJS.ProcessEnv;
let out: string;
let archive: string;
beforeAll(() => {
  const tmp = tempDir('backfile-cli-export-');
  env = { BACKFILE_DATA_DIR: path.join(tmp, 'data') };
  out = path.join(tmp, 'out');
  fs.mkdirSync(out);
  archive = copyArchive(edgeArchive);
});

describe('cli export', () => {
  it('"" exports every post (as search lists them); a query only its hits', () => {
    const all = runCliJson<{ total: number }>(['search', archive, '', '--limit', '1'], env);
    const file = path.join(out, 'all.csv');
    const { status, stdout, stderr } = runCli(['export', archive, '', '--format', 'csv', '--out', file], env);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toBe(`Exported ${all.total} posts to ${fs.realpathSync(file)} (${fs.statSync(file).size} bytes).\n`);
    expect(parseCsv(fs.readFileSync(file, 'utf8'), { bom: true, columns: true })).toHaveLength(all.total);

    const hits = runCliJson<{ total: number; hits: { path: string }[] }>(['search', archive, 'swim', '--limit', '500'], env);
    expect(hits.total).toBeGreaterThan(0);
    const result = runCliJson<{ count: number; path: string }>(['export', archive, 'swim', '--format', 'json', '--out', path.join(out, 'swim.json')], env);
    expect(result.count).toBe(hits.total);
    expect((JSON.parse(fs.readFileSync(result.path, 'utf8')) as { path: string }[]).map((r) => r.path)).toEqual(hits.hits.map((h) => h.path));
  });

  it('refuses an existing --out unless --force, and a place inside the archive', () => {
    const file = path.join(out, 'kept.ris');
    fs.writeFileSync(file, 'mine');
    const refused = runCli(['export', archive, '', '--format', 'ris', '--out', file], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^backfile: .*exists[^\n]*\n$/);
    expect(fs.readFileSync(file, 'utf8')).toBe('mine');
    expect(runCli(['export', archive, '', '--format', 'ris', '--out', file, '--force'], env).status).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^TY {2}- NEWS/);

    const inside = runCli(['export', archive, '', '--format', 'csv', '--out', path.join(archive, 'x.csv')], env);
    expect(inside.status).toBe(1);
    expect(inside.stderr).toMatch(/archive folder/);
    expect(fs.existsSync(path.join(archive, 'x.csv'))).toBe(false);
  });

  it('refuses bad options in one line (exit 2)', () => {
    for (const args of [['--format', 'xlsx', '--out', path.join(out, 'a')], ['--format', 'csv'], ['--out', path.join(out, 'b')]]) {
      const bad = runCli(['export', archive, '', ...args], env);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/^backfile: [^\n]+\n$/);
    }
    expect(runCli(['export', archive, '--format', 'csv', '--out', path.join(out, 'c')], env).status).toBe(2); // QUERY missing
  });

  it('mark words (is:starred) export what search lists, through the workspace', () => {
    const starred = runCliJson<{ total: number; hits: { path: string }[] }>(['search', archive, '', '--limit', '2'], env).hits.map((h) => h.path);
    for (const post of starred) expect(runCli(['mark', archive, post, '--star'], env).status).toBe(0);
    const result = runCliJson<{ count: number; path: string }>(['export', archive, 'is:starred', '--format', 'json', '--out', path.join(out, 'starred.json')], env);
    expect(result.count).toBe(2);
    expect((JSON.parse(fs.readFileSync(result.path, 'utf8')) as { path: string }[]).map((r) => r.path).sort()).toEqual([...starred].sort());
  });

  it.skipIf(!fs.existsSync(finews))('RIS of the shared corpus reads back in citation-js, one record per post', () => {
    const file = path.join(out, 'finews.ris');
    const result = runCliJson<{ count: number }>(['export', finews, '', '--format', 'ris', '--out', file], env);
    const items = new Cite(fs.readFileSync(file, 'utf8')).data;
    expect(items).toHaveLength(result.count);
    expect(result.count).toBe(7);
  });
});
