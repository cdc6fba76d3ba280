import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveArchive, WEB_DIR } from '../../src-main/server/serve';
import { copyArchive, edgeArchive, repoRoot, tempDir } from '../helpers/temp';

/**
 * Browser mode keeps undownloaded exports in a temp folder of its own (`backfile-exports-…`). `serve` runs until it
 * is interrupted: Ctrl-C or SIGTERM must close it, or every session leaves that folder in the temp directory.
 */
const built = fs.existsSync(path.join(WEB_DIR, 'index.html'));
if (!built) console.log('cli-serve-close skipped: the page is not built (run `npm run build:web`).');

const exportFolders = (tmp: string): string[] => fs.readdirSync(tmp).filter((name) => name.startsWith('backfile-exports-'));

/** A child that outlived a failing test is ended here, so the test's own failure leaves no server running. */
const children = new Set<ReturnType<typeof spawn>>();
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** `serve ARCHIVE` as the CLI runs it, with its own temp and data folders; resolves once it prints its address. */
async function serveCli(tmp: string): Promise<{ child: ReturnType<typeof spawn>; ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }> {
  const archive = copyArchive(edgeArchive);
  const data = tempDir();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src-main/cli/main.ts'), 'serve', archive, '--index', path.join(data, 'index.sqlite')], {
    cwd: repoRoot,
    env: { ...process.env, TMPDIR: tmp, BACKFILE_DATA_DIR: data },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Backfile is serving .* at http:\/\/127\.0\.0\.1:\d+\//.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void ended.then((e) => reject(new Error(`serve ended before it was ready (${JSON.stringify(e)}): ${output}`)));
  });
  return { child, ended };
}

describe.runIf(built)('serve, interrupted', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`on ${signal}, closes and removes its exports folder from the temp directory`, async () => {
      const tmp = tempDir();
      const { child, ended } = await serveCli(tmp);
      expect(exportFolders(tmp)).toHaveLength(1);
      child.kill(signal);
      expect(await ended).toEqual({ code: 0, signal: null });
      expect(exportFolders(tmp)).toEqual([]);
    }, 60_000);
  }
});

describe('serveArchive that cannot listen', () => {
  it('leaves no exports folder behind', async () => {
    const tmp = tempDir();
    const page = tempDir();
    fs.writeFileSync(path.join(page, 'index.html'), '<!doctype html>');
    const archive = copyArchive(edgeArchive);
    const indexFile = path.join(tempDir(), 'index.sqlite');
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      await expect(serveArchive({ archive, port, indexFile, staticDir: page, announce: false, watch: false })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
    expect(exportFolders(tmp)).toEqual([]);
  });
});
