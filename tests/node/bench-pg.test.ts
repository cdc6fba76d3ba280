/**
 * The benchmark's store mode (`npm run bench -- --store auto|URL`, tests/bench/store-bench.ts) runs end to end at a
 * tiny size and prints SQLite and PostgreSQL side by side: the same posts indexed in both, the same totals for the
 * 50 searches. No timing is asserted (the figures are the benchmark's business, not the test's). With a URL, it
 * indexes into a schema of its own, drops it after, and refuses a schema that already exists.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pgAvailableOrLog, usePostgres } from '../helpers/pg-store';
import { repoRoot, tempDir } from '../helpers/temp';

const available = pgAvailableOrLog('bench --store skipped');

/** The benchmark as `npm run bench -- …` runs it (without npm's start-up). */
function bench(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/bench/run.ts'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The table's row for `figure`, as its cells. */
const row = (stdout: string, figure: string): string[] | undefined =>
  stdout.split('\n').map((l) => l.split('|').map((c) => c.trim()).slice(1, -1)).find((cells) => cells[0] === figure);

describe.skipIf(!available.ok)('npm run bench -- --store', { timeout: 300_000 }, () => {
  const dir = available.ok ? tempDir('backfile-bench-pg-') : '';
  const server = usePostgres();

  it('auto: starts a throwaway PostgreSQL, prints both stores side by side, and stops it', () => {
    const run = bench(['--posts', '300', '--store', 'auto', '--dir', path.join(dir, 'auto')]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    expect(row(run.stdout, 'figure')).toEqual(['figure', 'SQLite', 'PostgreSQL', 'target', 'verdict']);
    expect(row(run.stdout, 'posts indexed')).toEqual(['posts indexed', '300', '300', '', '']);
    expect(row(run.stdout, 'search totals')?.[4]).toBe('same for all 50');
    for (const figure of ['cold index wall s', 'cold index CPU s, total', 'index MB', 'search p50 ms', 'search p95 ms', 'search CPU p95 ms', 'trees ms, again', 'reader peak RSS MB']) {
      const cells = row(run.stdout, figure);
      expect(cells, figure).toBeDefined();
      expect(Number(cells![1]), `${figure} SQLite`).toBeGreaterThan(0);
      expect(Number(cells![2]), `${figure} PostgreSQL`).toBeGreaterThan(0);
    }
    // The PostgreSQL server's own CPU is read (a local server), not left out.
    expect(Number(row(run.stdout, 'cold index CPU s, server')?.[2])).toBeGreaterThan(0);
    expect(row(run.stdout, 'search p95 ms')?.[3]).toBe('≤ 100');
    expect(row(run.stdout, 'cold index wall s')?.[4]).toMatch(/^[\d.]+x: (met|MISSED)/);
  });

  it('URL: indexes into its own schema and drops it after; refuses a schema that exists', async () => {
    const run = bench(['--posts', '300', '--store', server.adminUrl, '--pg-schema', 'bench_once', '--dir', path.join(dir, 'url')]);
    expect(run.status, run.stderr).toBe(0);
    expect(row(run.stdout, 'posts indexed')).toEqual(['posts indexed', '300', '300', '', '']);
    expect(run.stdout).toContain(`PostgreSQL: postgres://postgres@127.0.0.1:${server.port}/postgres`);
    expect((await server.query("SELECT 1 FROM pg_namespace WHERE nspname = 'bench_once'")).rowCount).toBe(0);

    await server.query('CREATE SCHEMA team_index');
    await server.query('CREATE TABLE team_index.keep (x int)');
    const refused = bench(['--posts', '300', '--store', server.adminUrl, '--pg-schema', 'team_index', '--dir', path.join(dir, 'refused')]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('Schema team_index already exists');
    expect((await server.query("SELECT 1 FROM pg_tables WHERE schemaname = 'team_index' AND tablename = 'keep'")).rowCount).toBe(1);
  });
});
