import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './temp';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as `npm run --silent cli -- …` does (without npm's start-up cost). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src-main/cli/main.ts'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function runCliJson<T>(args: string[], env: NodeJS.ProcessEnv = {}): T {
  const result = runCli([...args, '--json'], env);
  if (result.status !== 0) throw new Error(`cli ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
