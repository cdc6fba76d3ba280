import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pgAvailable } from '../helpers/postgres';
import { until } from '../helpers/until';

const available = pgAvailable();
if (!available.ok) console.log(`skip pg-harness-signals: ${available.reason}`);

const repoRoot = path.resolve(__dirname, '../..');
type Held = { pid: number; dir: string };

/** Whether the process runs (a zombie waiting for init to reap it has ended). */
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};


/** Servers a failing run left behind: cleaned up here so that the test's own failure leaks nothing. */
const leftovers: Held[] = [];
afterAll(() => {
  for (const { pid, dir } of leftovers) {
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs the holder, waits for its servers, sends `signal`, and resolves once it ended: how it ended and what it held. */
async function signalHolder(signal: NodeJS.Signals): Promise<{ held: Held[]; exit: { code: number | null; signal: NodeJS.Signals | null } }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/helpers/pg-hold-servers.ts')], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, sig) => resolve({ code, signal: sig }));
  });
  const held = await new Promise<Held[]>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(JSON.parse(line) as Held[]);
    });
    void ended.then((e) => reject(new Error(`the holder ended before its servers were up: ${JSON.stringify(e)}`)));
  });
  leftovers.push(...held);
  child.kill(signal);
  return { held, exit: await ended };
}

describe.runIf(available.ok)('the PostgreSQL test harness on a signal', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops its servers and removes their folders on ${signal}, then ends as signalled`, async () => {
      const { held, exit } = await signalHolder(signal);
      expect(held).toHaveLength(2);
      // The folders go after pg_ctl stop returned: gone now means each server was stopped before the process ended.
      for (const { dir } of held) expect(fs.existsSync(dir), `${dir} still there`).toBe(false);
      // pg_ctl stop returns once postmaster.pid is gone, a moment before the process exits.
      for (const { pid } of held) await until(() => !alive(pid));
      // The signal is raised again once the servers are down: the process ends as it would have without the harness.
      expect(exit).toEqual({ code: null, signal });
    });
  }
});
