import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

let archive: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  const tmp = tempDir('backfile-cli-main-');
  archive = path.join(tmp, 'archive');
  fs.mkdirSync(path.join(archive, '_posts'), { recursive: true });
  fs.writeFileSync(path.join(archive, '_posts/2020-01-01-a.md'), '---\ntitle: Dashes\n---\nfoo-bar and -foo\n');
  env = { BACKFILE_DATA_DIR: path.join(tmp, 'data') };
});

/** stderr is exactly one `backfile: …` line: no stack trace, no second line. */
const oneLine = (stderr: string) => expect(stderr).toMatch(/^backfile: [^\n]+\n$/);

describe('cli arguments and errors', () => {
  it('takes what follows -- as arguments, so a query may start with "-"', () => {
    const { status, stdout, stderr } = runCli(['search', archive, '--', '-foo'], env);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/matches? for "-foo"/);
  });

  it('refuses a query starting with "-" without -- in one line that says how (exit 2)', () => {
    const { status, stdout, stderr } = runCli(['search', archive, '-foo'], env);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    oneLine(stderr);
    expect(stderr).toMatch(/^backfile: unknown option -foo; .*put -- before it/);
  });

  it('sorts oldest first with --sort oldest, newest first with --sort date', () => {
    const two = path.join(tempDir('backfile-cli-sort-'), 'archive');
    fs.mkdirSync(path.join(two, '_posts'), { recursive: true });
    fs.writeFileSync(path.join(two, '_posts/2020-01-01-a.md'), '---\ntitle: Earlier\n---\nearlier post\n');
    fs.writeFileSync(path.join(two, '_posts/2021-06-01-b.md'), '---\ntitle: Later\n---\nlater post\n');
    const titles = (sort: string) => {
      const { status, stdout } = runCli(['search', two, '', '--sort', sort, '--json'], env);
      expect(status).toBe(0);
      return (JSON.parse(stdout) as { hits: { title: string }[] }).hits.map((h) => h.title);
    };
    expect(titles('oldest')).toEqual(['Earlier', 'Later']);
    expect(titles('date')).toEqual(['Later', 'Earlier']);
  });

  it('reports usage errors in one line with exit 2', () => {
    for (const args of [['frobnicate', archive], ['search', archive, 'q', '--sort', 'sideways'], ['stats', archive, '--nope']]) {
      const { status, stderr } = runCli(args, env);
      expect(status, args.join(' ')).toBe(2);
      oneLine(stderr);
    }
  });

  it('reports other errors in one line with exit 1', () => {
    const { status, stdout, stderr } = runCli(['stats', path.join(archive, 'missing')], env);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    oneLine(stderr);
    expect(stderr).toMatch(/^backfile: archive folder not found/);
  });
});
