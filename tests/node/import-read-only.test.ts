import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/temp';
import { writeTree } from '../helpers/write-tree';

/**
 * A really read-only archive: a folder with mode 0555, written to by a user other than its owner. Tests may run
 * as root, for whom permission bits stop nothing (and a read-only mount needs privileges a test does not have),
 * so as root the import runs in a child process as `nobody` (spawn's uid/gid); as anyone else, as that user.
 */
const NOBODY = 65534;
const asOtherUser = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};

let tmp: string;
let archive: string;
/** No `imported/` yet: the copies would create it in the archive folder itself. */
let bare: string;
let source: string;
let data: string;

function run(script: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, script), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, BACKFILE_DATA_DIR: data },
    ...asOtherUser,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every path under `root`: what "nothing was written" is checked against. */
async function listing(root: string): Promise<string[]> {
  return (await fs.readdir(root, { recursive: true })).map(String).sort();
}

beforeAll(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'backfile-read-only-')));
  archive = path.join(tmp, 'archive');
  bare = path.join(tmp, 'bare');
  source = path.join(tmp, 'colleague');
  data = path.join(tmp, 'data');
  await writeTree(archive, {
    '_posts/2019-01-01-own.md': '---\ntitle: Own\n---\nown post\n',
    'imported/old/_posts/2018-01-01-old.md': '---\ntitle: Old\n---\nold post\n',
  });
  await writeTree(bare, { '2019-01-01-own.md': '---\ntitle: Own\n---\nown post\n' });
  await writeTree(source, {
    '_posts/2020-01-01-a.md': '---\ntitle: Alpha\n---\n![a](/assets/a.png) alpha\n',
    '_posts/2020-01-02-b.md': '---\ntitle: Beta\n---\nbeta\n',
    'assets/a.png': 'PNG',
  });
  await fs.mkdir(data, { mode: 0o777 });
  await fs.chmod(data, 0o777);
  // Readable (and walkable) by everyone, writable by nobody but the owner.
  await fs.chmod(tmp, 0o755);
  for (const folder of [archive, path.join(archive, '_posts'), path.join(archive, 'imported'), path.join(archive, 'imported/old'), path.join(archive, 'imported/old/_posts')]) {
    await fs.chmod(folder, 0o555);
  }
  await fs.chmod(bare, 0o555);
});

afterAll(async () => {
  for (const folder of [archive, bare]) await fs.chmod(folder, 0o755).catch(() => undefined);
  for (const folder of ['_posts', 'imported', 'imported/old', 'imported/old/_posts']) await fs.chmod(path.join(archive, folder), 0o755).catch(() => undefined);
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('importing into a read-only archive', () => {
  it('importPosts throws one READ_ONLY error before copying anything', async () => {
    const before = await listing(archive);
    const { stdout, stderr } = run('tests/node/fixtures/import-report-child.ts', [archive, source]);
    expect(stderr).toBe('');
    const outcome = JSON.parse(stdout) as { error?: { code: string; message: string }; report?: unknown; phases: string[] };
    expect(outcome.report).toBeUndefined();
    // A window showing the import's progress learns that it ended, before any scanning.
    expect(outcome.phases).toEqual(['error']);
    expect(outcome.error?.code).toBe('READ_ONLY');
    expect(outcome.error?.message).toMatch(/cannot be written \(permission denied\); nothing was copied/);
    expect(await listing(archive)).toEqual(before);
  });

  it('the CLI says so in one line on stderr and exits 1, with or without an imported/ folder', async () => {
    const { status, stdout, stderr } = run('src-main/cli/main.ts', ['import', source, '--into', archive]);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^backfile: cannot import: imported\/ in the archive cannot be written \(permission denied\); nothing was copied\n$/);
    const before = await listing(bare);
    const intoBare = run('src-main/cli/main.ts', ['import', source, '--into', bare, '--json']);
    expect(intoBare.status).toBe(1);
    expect(intoBare.stdout).toBe('');
    expect(intoBare.stderr).toMatch(/^backfile: cannot import: the archive folder cannot be written \(permission denied\); nothing was copied\n$/);
    expect(await listing(bare)).toEqual(before);
  });
});
