import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { repoRoot, tempDir } from '../helpers/temp';

/**
 * tests/setup-temp.ts, run as the suites run it: vitest in a child process on a one-file project whose config
 * loads that setup, with its own TMPDIR (`outer`) to look into afterwards.
 */
const VITEST = path.join(repoRoot, 'node_modules/vitest/vitest.mjs');
const SETUP = path.join(repoRoot, 'tests/setup-temp.ts');
const SUMMARY = path.join(repoRoot, 'tests/helpers/summary-reporter.ts');

type Run = { child: ReturnType<typeof spawn>; ended: Promise<{ code: number | null; output: string }> };
const children = new Set<ReturnType<typeof spawn>>();
/** Ends a child's whole process group (vitest and its workers), which may have ended by itself already. */
function killGroup(child: ReturnType<typeof spawn>): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
afterAll(() => {
  for (const child of children) killGroup(child);
});

/** Runs `body` as the one test of a test file under vitest with the setup; `outer` is the child's TMPDIR. */
function runFixture(body: string, outer: string, env: NodeJS.ProcessEnv = {}): Run {
  const project = tempDir();
  fs.writeFileSync(
    path.join(project, 'vitest.config.mjs'),
    `export default { test: { include: ['*.test.mjs'], globals: true, testTimeout: 600000, setupFiles: [${JSON.stringify(SETUP)}], reporters: ['default', ${JSON.stringify(SUMMARY)}] } };\n`,
  );
  fs.writeFileSync(path.join(project, 'fixture.test.mjs'), `import fs from 'node:fs';\nimport os from 'node:os';\nimport path from 'node:path';\n${body}\n`);
  const child = spawn(process.execPath, [VITEST, 'run', '--root', project], {
    cwd: project,
    env: { ...process.env, ...env, TMPDIR: outer, CI: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, ended whole by afterAll if a test fails midway
  });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ended = new Promise<{ code: number | null; output: string }>((resolve) => child.on('close', (code) => resolve({ code, output })));
  return { child, ended };
}

describe("a test file's temp folder (tests/setup-temp.ts)", () => {
  it("is the file's own TMPDIR, removed after its tests with what Chromium and the like left there", async () => {
    const outer = tempDir();
    const seen = path.join(tempDir(), 'seen');
    const { ended } = runFixture(
      `it('uses it', () => {
        fs.writeFileSync(${JSON.stringify(seen)}, JSON.stringify({ own: os.tmpdir(), mode: fs.statSync(os.tmpdir()).mode & 0o7777 }));
        fs.mkdirSync(path.join(os.tmpdir(), '.org.chromium.Chromium.abcdef'));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-tidy-'));
        fs.rmSync(dir, { recursive: true });
      });`,
      outer,
    );
    const { code, output } = await ended;
    expect(code, output).toBe(0);
    const { own, mode } = JSON.parse(fs.readFileSync(seen, 'utf8')) as { own: string; mode: number };
    // As /tmp is: children run as other users (`postgres`, `nobody`) write there too.
    expect(mode).toBe(0o1777);
    expect(path.dirname(own)).toBe(outer);
    expect(path.basename(own)).toMatch(/^backfile-tmp-fixture-\w{6}$/);
    expect(fs.readdirSync(outer).filter((name) => name !== `tsx-${process.getuid?.() ?? 0}`)).toEqual([]);
  }, 120_000);

  it('fails a file whose tests leave backfile-* there, naming it, and removes it anyway', async () => {
    const outer = tempDir();
    const { ended } = runFixture(
      `it('leaks', () => {
        fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-leak-'));
        fs.writeFileSync(path.join(os.tmpdir(), 'backfile-leak-abcdef.sqlite'), '');
      });`,
      outer,
    );
    const { code, output } = await ended;
    expect(code).not.toBe(0);
    expect(output).toContain("this file's tests left backfile-leak-*, backfile-leak-*.sqlite in the temp folder");
    // The closing line says so too, though the test itself passed.
    expect(output).toContain('Tests: 1 passed, 0 failed, 0 skipped; 1 file failed outside their tests');
    expect(fs.readdirSync(outer).filter((name) => name.startsWith('backfile-'))).toEqual([]);
  }, 120_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`is removed when the worker is ended by ${signal} in the middle of a test`, async () => {
      const outer = tempDir();
      const ready = path.join(tempDir(), 'ready');
      const run = runFixture(
        `it('waits', async () => {
          fs.mkdtempSync(path.join(os.tmpdir(), 'backfile-held-'));
          fs.writeFileSync(${JSON.stringify(ready)}, JSON.stringify({ pid: process.pid, own: os.tmpdir() }));
          await new Promise(() => undefined);
        });`,
        outer,
      );
      await vi.waitFor(() => expect(fs.existsSync(ready)).toBe(true), { timeout: 60_000, interval: 50 });
      const { pid, own } = JSON.parse(fs.readFileSync(ready, 'utf8')) as { pid: number; own: string };
      expect(fs.readdirSync(own).some((name) => name.startsWith('backfile-held-'))).toBe(true);
      process.kill(pid, signal);
      await vi.waitFor(() => expect(fs.existsSync(own)).toBe(false), { timeout: 30_000, interval: 50 });
      killGroup(run.child);
      await run.ended;
    }, 120_000);
  }
});
