/**
 * Starts two test PostgreSQL servers (tests/helpers/postgres.ts), prints one JSON line with their postmaster pids
 * and folders, and waits to be signalled: tests/node/pg-harness-signals.test.ts checks that SIGINT/SIGTERM leave
 * neither behind.
 *
 * Run: `node --import tsx tests/helpers/pg-hold-servers.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startPostgres } from './postgres';

const servers = [await startPostgres(), await startPostgres()];
const held = servers.map((s) => ({
  pid: Number(fs.readFileSync(path.join(s.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]),
  dir: path.dirname(s.dataDir),
}));
process.stdout.write(`${JSON.stringify(held)}\n`);
setInterval(() => undefined, 1 << 30);
