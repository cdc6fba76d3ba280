/** Runs a benchmark script in a fresh Node process (under tsx) and parses the JSON on its last line of output. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function runChild<T>(script: string, args: string[], nodeFlags: string[] = []): Promise<T> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      // One JSON line last, or (generate-archive.ts) the whole output is one indented JSON object.
      const last = stdout.trim().split('\n').pop() ?? '';
      const json = last.startsWith('{') ? last : stdout.trim();
      if (code === 0 && json.startsWith('{')) resolve(JSON.parse(json) as T);
      else reject(new Error(`${script} failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(-2000)}`));
    });
  });
}
