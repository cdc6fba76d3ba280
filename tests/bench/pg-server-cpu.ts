/**
 * CPU time a PostgreSQL server on this machine spends for the benchmark, read from /proc (Linux): the postmaster
 * and its children (backends, WAL writer, checkpointer, autovacuum…), or one backend. The benchmark's client time
 * (process.cpuUsage) leaves out the server's half of the work; on a loaded machine CPU time is the figure to trust.
 * A server on another machine has no /proc entry here: the functions answer null (not measured).
 */
import fs from 'node:fs';
import type pg from 'pg';

const TICK_MS = 1000 / 100; // USER_HZ

/** /proc/PID/stat's fields after the command name: [0] state, [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime. */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * CPU ms (user + system) of the server whose postmaster is `postmaster`: itself, its children now running, and
 * (cutime/cstime) its children that ended, so a backend that exits between two readings is still counted.
 */
export function serverCpuMs(postmaster: number): number | null {
  const own = statFields(postmaster);
  if (!own) return null;
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === postmaster) continue;
    const fields = statFields(entry);
    if (fields && Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * TICK_MS;
}

/** CPU ms of the children of `pid` that ended (/proc/PID/stat cutime + cstime, in USER_HZ ticks), null when not here. */
export function endedChildrenCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

/** CPU ms of one process (a backend), in nanosecond steps (/proc/PID/schedstat), or null when it is not here. */
export function processCpuMs(pid: number): number | null {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}

/** The backend serving `db`'s connection and its postmaster (its parent), when the server runs on this machine. */
export async function serverPids(db: Pick<pg.Pool, 'query'> | Pick<pg.ClientBase, 'query'>): Promise<{ backend: number; postmaster: number | null }> {
  const backend = Number((await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
  const fields = statFields(backend);
  return { backend, postmaster: fields ? Number(fields[1]) : null };
}
