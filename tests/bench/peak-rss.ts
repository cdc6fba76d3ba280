/**
 * This process's peak resident set in MB. On Linux it is VmHWM of /proc/self/status: getrusage's maxRSS
 * (process.resourceUsage().maxRSS) also counts the parent's resident set at fork (Linux keeps the forked
 * image's high-water mark across exec), so a child spawned by the 230 MB benchmark process reported 231 MB for an
 * open archive that peaks at 137 MB. Elsewhere, maxRSS.
 */
import fs from 'node:fs';

export function peakRssMb(): number {
  let kb = process.resourceUsage().maxRSS;
  try {
    const line = /^VmHWM:\s+(\d+)\s+kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (line) kb = Number(line[1]);
  } catch {
    // not Linux: maxRSS as it is
  }
  return Math.round((kb / 1024) * 10) / 10;
}
