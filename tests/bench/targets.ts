/**
 * The targets (2-core machine, 100,000 posts) and how a run compares with each: met or not, and by
 * how much. Time targets that grow with the archive (cold index) are scaled to the posts actually indexed.
 */
export interface Figures {
  posts: number;
  cold_index_s: number;
  posts_per_s: number;
  warm_open_s: number;
  incremental_s: number;
  incremental_watched_s: number;
  search_p95_ms: number;
  trees_ms: number;
  /** p95 of getTimeline over the 50 searches (issue 14). */
  timeline_ms: number;
  /** Other versions (issue 14 part 3): the cold build's time and the index's bytes against a build without signatures, %. */
  similar_slowdown_pct: number;
  similar_growth_pct: number;
  peak_rss_mb: number;
  open_rss_mb: number;
  lunr_build_ratio: number | null;
  lunr_memory_ratio: number | null;
}

export interface TargetCheck {
  figure: keyof Figures;
  /** What the figure must be: at most (`<=`) or at least (`>=`) `limit`. */
  op: '<=' | '>=';
  limit: number;
  value: number | null;
  met: boolean | null;
  /** For a missed target: how far off, e.g. "2.3x too slow" or "120 MB over". */
  by: string | null;
}

const TARGETS: { figure: keyof Figures; op: '<=' | '>='; limit: (f: Figures) => number; unit: string }[] = [
  { figure: 'cold_index_s', op: '<=', limit: (f) => Math.round((60 * f.posts) / 100_000 * 10) / 10, unit: 's' },
  { figure: 'posts_per_s', op: '>=', limit: () => 1700, unit: 'posts/s' },
  { figure: 'warm_open_s', op: '<=', limit: () => 1.5, unit: 's' },
  { figure: 'incremental_s', op: '<=', limit: () => 2, unit: 's' },
  { figure: 'incremental_watched_s', op: '<=', limit: () => 2, unit: 's' },
  { figure: 'search_p95_ms', op: '<=', limit: () => 50, unit: 'ms' },
  { figure: 'trees_ms', op: '<=', limit: () => 100, unit: 'ms' },
  { figure: 'timeline_ms', op: '<=', limit: () => 100, unit: 'ms' },
  { figure: 'similar_slowdown_pct', op: '<=', limit: () => 15, unit: '%' },
  { figure: 'similar_growth_pct', op: '<=', limit: () => 10, unit: '%' },
  { figure: 'peak_rss_mb', op: '<=', limit: () => 500, unit: 'MB' },
  { figure: 'open_rss_mb', op: '<=', limit: () => 300, unit: 'MB' },
  { figure: 'lunr_build_ratio', op: '>=', limit: () => 10, unit: 'x' },
  { figure: 'lunr_memory_ratio', op: '>=', limit: () => 10, unit: 'x' },
];

export function checkTargets(f: Figures): TargetCheck[] {
  return TARGETS.map(({ figure, op, limit: limitOf, unit }) => {
    const limit = limitOf(f);
    const raw = f[figure];
    const value = typeof raw === 'number' ? raw : null;
    if (value === null) return { figure, op, limit, value, met: null, by: null };
    const met = op === '<=' ? value <= limit : value >= limit;
    let by: string | null = null;
    if (!met) {
      const factor = op === '<=' ? value / limit : limit / Math.max(value, 1e-9);
      by = `${factor.toFixed(2)}x off (${op === '<=' ? '+' : '-'}${Math.abs(value - limit).toFixed(unit === 'posts/s' ? 0 : 1)} ${unit})`;
    }
    return { figure, op, limit, value, met, by };
  });
}

export function formatTable(figures: Record<string, unknown>, targets: TargetCheck[], machine: Record<string, unknown>): string {
  const byFigure = new Map(targets.map((t) => [t.figure as string, t]));
  const rows = Object.entries(figures).map(([name, value]) => {
    const t = byFigure.get(name);
    const target = t ? `${t.op} ${t.limit}` : '';
    const verdict = !t ? '' : t.met === null ? 'not measured' : t.met ? 'met' : `MISSED: ${t.by}`;
    return [name, String(value), target, verdict];
  });
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), 6));
  const line = (r: string[]) => `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padStart(widths[1]!)}  ${r[2]!.padEnd(widths[2]!)}  ${r[3]}`.trimEnd();
  return [
    `Backfile benchmark — ${String(machine.cpus)} CPUs (${String(machine.cpuModel)}), Node ${String(machine.node)}, load ${JSON.stringify(machine.loadAverage)}`,
    '',
    line(['figure', 'value', 'target', '']),
    ...rows.map(line),
  ].join('\n');
}
