/**
 * The workspace's CLI in a child process, over a real archive on disk: mark, marks, saved (with "new" after posts
 * are dropped in), marks following a renamed post and going missing when it is deleted, --workspace, and
 * workspace export/import merging into another workspace with conflicts reported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

let archive: string;
let env: NodeJS.ProcessEnv;
let tmp: string;
const post = (title: string, body: string) => `---\ntitle: "${title}"\ndate: 2021-03-04\n---\n${body}\n`;

beforeAll(() => {
  tmp = tempDir('backfile-ws-cli-');
  archive = path.join(tmp, 'archive');
  fs.mkdirSync(path.join(archive, '_posts'), { recursive: true });
  fs.writeFileSync(path.join(archive, '_posts/2021-03-04-steel.md'), post('钢铁价格上涨', '钢铁市场今天上涨。'));
  fs.writeFileSync(path.join(archive, '_posts/2021-03-05-coal.md'), post('煤炭', '煤炭市场平稳。'));
  env = { BACKFILE_DATA_DIR: path.join(tmp, 'data') };
});

interface Marks { path: string; starred: boolean; labels: string[]; note: string; highlights: unknown[] }

describe('cli workspace commands', () => {
  it('marks a post and prints its marks in the issue\'s shape', () => {
    const marks = runCliJson<Marks>(['mark', archive, '_posts/2021-03-04-steel.md', '--star', '--label', '钢铁 story', '--label', 'two words', '--note', '## 笔记\n第二行'], env);
    expect(marks).toEqual({ path: '_posts/2021-03-04-steel.md', starred: true, labels: ['two words', '钢铁 story'], note: '## 笔记\n第二行', highlights: [] });
    const again = runCliJson<Marks>(['mark', archive, '_posts/2021-03-04-steel.md', '--unlabel', 'two words'], env);
    expect(again.labels).toEqual(['钢铁 story']);
    expect(fs.readdirSync(path.join(tmp, 'data', 'workspaces'))).toHaveLength(1);
  });

  it('refuses an unknown post with one line on stderr and a non-zero exit', () => {
    const result = runCli(['mark', archive, '_posts/nope.md', '--star'], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('backfile: no post at _posts/nope.md in this archive\n');
    expect(runCli(['mark', archive, '_posts/2021-03-04-steel.md', '--star', '--unstar'], env).status).toBe(2);
  });

  it('counts saved searches and what is new in them', () => {
    expect(runCliJson<unknown>(['saved', archive, '--add', '市场', '--query', '市场'], env)).toEqual({ saved: [{ name: '市场', query: '市场', total: 2, new: 2 }] });
    expect(runCliJson<unknown>(['saved', archive], env)).toEqual({ saved: [{ name: '市场', query: '市场', total: 2, new: 2 }] });
    fs.writeFileSync(path.join(archive, '_posts/2021-03-06-more.md'), post('更多', '市场消息。'));
    expect(runCliJson<{ saved: { total: number }[] }>(['saved', archive], env).saved[0]!.total).toBe(3);
    expect(runCliJson<unknown>(['saved', archive, '--remove', '市场'], env)).toEqual({ saved: [] });
  });

  it('follows a renamed post, and keeps the marks of a deleted one as missing with its title', () => {
    fs.renameSync(path.join(archive, '_posts/2021-03-04-steel.md'), path.join(archive, '_posts/2021-03-04-steel-renamed.md'));
    const { marks } = runCliJson<{ marks: (Marks & { title: string; missing: boolean })[] }>(['marks', archive], env);
    expect(marks).toEqual([expect.objectContaining({ path: '_posts/2021-03-04-steel-renamed.md', title: '钢铁价格上涨', starred: true, missing: false })]);
    fs.renameSync(path.join(archive, '_posts/2021-03-04-steel-renamed.md'), path.join(tmp, 'steel-away.md'));
    expect(runCliJson<{ marks: unknown[] }>(['marks', archive], env).marks).toEqual([expect.objectContaining({ path: '_posts/2021-03-04-steel-renamed.md', title: '钢铁价格上涨', missing: true })]);
    fs.renameSync(path.join(tmp, 'steel-away.md'), path.join(archive, '_posts/back.md'));
    expect(runCliJson<{ marks: unknown[] }>(['marks', archive], env).marks).toEqual([expect.objectContaining({ path: '_posts/back.md', missing: false, labels: ['钢铁 story'] })]);
  });

  it('exports and imports a workspace (--workspace), merging and reporting conflicts', () => {
    const file = path.join(tmp, 'export.json');
    expect(runCli(['workspace', 'export', archive, file], env).status).toBe(0);
    const other = path.join(tmp, 'other.sqlite');
    runCliJson(['mark', archive, '_posts/back.md', '--note', 'a different note', '--workspace', other], env);
    // Two labels arrive: '钢铁 story' and 'two words' (a label outlives its last post until deleted).
    const report = runCliJson<{ merged: number; conflicts: { kind: string }[] }>(['workspace', 'import', archive, file, '--workspace', other], env);
    expect(report).toMatchObject({ merged: 1, missing: 0, labels: 2, conflicts: [{ kind: 'note', name: '_posts/back.md' }] });
    expect(runCliJson<Marks>(['mark', archive, '_posts/back.md', '--workspace', other], env)).toMatchObject({ starred: true, labels: ['钢铁 story'], note: 'a different note' });
    expect(runCli(['workspace', 'export', archive, path.join(archive, 'x.json')], env)).toMatchObject({ status: 1, stderr: expect.stringMatching(/never writes into the archive/) });
    expect(fs.existsSync(path.join(archive, 'x.json'))).toBe(false);
  });
});
