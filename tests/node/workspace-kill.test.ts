/**
 * A mark acknowledged is a mark kept: a child process makes marks, and the moment it reports a call returned the
 * parent kills it with SIGKILL (no exit handlers, no close); reopened, the workspace holds every acknowledged mark.
 * And two processes (two windows) writing the same workspace at once lose nothing.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkspaceStore } from '../../src-main/node/workspace/workspace-store';
import { repoRoot, tempDir } from '../helpers/temp';

const CHILD = path.join(repoRoot, 'tests/node/fixtures/workspace-child.ts');
const dir = tempDir('backfile-ws-kill-');
const stores: WorkspaceStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

/** Runs the child; `onLine` sees each acknowledgement and may kill it. Resolves with the acknowledged indexes. */
function runChild(args: string[], onLine?: (line: string, kill: () => void) => void): Promise<{ acked: number[]; signal: NodeJS.Signals | null; code: number | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const acked: number[] = [];
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      const match = /^ok (\d+)$/.exec(line);
      if (match) acked.push(Number(match[1]));
      onLine?.(line, () => child.kill('SIGKILL'));
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ acked, signal, code }));
  });
}

describe('acknowledged marks survive a kill', () => {
  it('keeps the mark a killed process acknowledged', async () => {
    const file = path.join(dir, 'one.sqlite');
    const { acked, signal } = await runChild([file, 'killed', '1', 'hold'], (line, kill) => {
      if (line === 'ok 0') kill();
    });
    expect(signal).toBe('SIGKILL');
    expect(acked).toEqual([0]);
    const store = WorkspaceStore.open(file);
    stores.push(store);
    expect(store.getMarks('killed-0.md')).toMatchObject({ starred: true, labels: ['killed'], note: 'note 0 笔记' });
  });

  it('keeps every mark acknowledged before a kill in the middle of a run', async () => {
    const file = path.join(dir, 'many.sqlite');
    // Killed as soon as the 25th call returns; later calls may or may not have landed, never half of one.
    const { acked, signal } = await runChild([file, 'run', '200', 'hold'], (line, kill) => {
      if (line === 'ok 24') kill();
    });
    expect(signal).toBe('SIGKILL');
    const store = WorkspaceStore.open(file);
    stores.push(store);
    const marks = store.listMarks();
    for (const i of acked) expect(store.getMarks(`run-${i}.md`)).toMatchObject({ starred: true, labels: ['run'], note: `note ${i} 笔记` });
    expect(marks.length).toBeGreaterThanOrEqual(acked.length);
    expect(marks.every((m) => m.starred && m.labels.length === 1 && m.note.startsWith('note '))).toBe(true);
  });
});

describe('two processes writing one workspace', () => {
  it('loses no mark when two windows write at the same time', async () => {
    const file = path.join(dir, 'shared.sqlite');
    const [a, b] = await Promise.all([runChild([file, 'left', '100']), runChild([file, 'right', '100'])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const store = WorkspaceStore.open(file);
    stores.push(store);
    expect(store.listMarks()).toHaveLength(200);
    expect(store.listLabels().map((l) => [l.name, l.count])).toEqual([['left', 100], ['right', 100]]);
  });
});
