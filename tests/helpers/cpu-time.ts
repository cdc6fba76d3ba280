/**
 * The CPU time (user + system, in ms) that `run` costs this process, with its result. Unlike wall-clock time it
 * does not grow when the machine is busy with other work (parallel test files, other builds), so a bound on it
 * fails for slow code, not for a crowded machine. Bounds should still be generous: garbage collection on helper
 * threads counts too.
 */
export function cpuTime<T>(run: () => T): { result: T; ms: number } {
  const started = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(started);
  return { result, ms: (used.user + used.system) / 1000 };
}
