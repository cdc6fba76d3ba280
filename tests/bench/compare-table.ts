/** The comparison's rows (compare.ts): each engine's figures, its ratios to Backfile's, and the printed table. */

export interface EngineFigures {
  engine: string;
  posts: number;
  /** Null when skipped or failed (see `skipped`). */
  build_ms: number | null;
  /** The index on disk (SQLite: database and WAL after a checkpoint; lunr: its JSON; Pagefind: its bundle). */
  bytes: number | null;
  /** Peak resident set of the process that built the index, and (Node processes) before the build began. */
  peak_rss_mb: number | null;
  rss_before_mb: number | null;
  note: string;
  skipped?: string;
}

export interface EngineRow extends EngineFigures {
  /** This engine's figure over Backfile's, from the same run: 0.5 = half Backfile's time, bytes or memory. */
  time_x: number | null;
  bytes_x: number | null;
  rss_x: number | null;
  /** Index bytes over archive bytes. */
  index_to_archive: number | null;
}

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : Math.round((a / b) * 100) / 100);

/** Rows with ratios to the first row (Backfile's cold index). */
export function withRatios(engines: EngineFigures[], archiveBytes: number): EngineRow[] {
  const base = engines[0];
  return engines.map((e) => ({
    ...e,
    time_x: ratio(e.build_ms, base?.build_ms ?? null),
    bytes_x: ratio(e.bytes, base?.bytes ?? null),
    rss_x: ratio(e.peak_rss_mb, base?.peak_rss_mb ?? null),
    index_to_archive: ratio(e.bytes, archiveBytes),
  }));
}

const show = (n: number | null, digits = 1): string => (n === null ? '–' : n.toFixed(digits));

export function formatComparison(rows: EngineRow[], header: string[]): string {
  const table = [
    ['engine', 'posts', 'build s', '×', 'index MB', '×', 'idx/archive', 'peak RSS MB', '×'],
    ...rows.map((r) => r.skipped !== undefined
      ? [r.engine, String(r.posts), r.skipped, '', '', '', '', '', '']
      : [r.engine, String(r.posts), show(r.build_ms === null ? null : r.build_ms / 1000, 2), show(r.time_x, 2),
        show(r.bytes === null ? null : r.bytes / 2 ** 20), show(r.bytes_x, 2), show(r.index_to_archive, 2), show(r.peak_rss_mb), show(r.rss_x, 2)]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.filter((row) => row[3] !== '' || i < 2).map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  const notes = rows.map((r) => `  ${r.engine}: ${r.note}`);
  return [...header, '', ...table.map((row, i) => (i > 0 && rows[i - 1]?.skipped !== undefined ? `${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padStart(widths[1]!)}  ${row[2]}` : line(row))), '', '× = over Backfile\'s figure in this run. Notes:', ...notes].join('\n');
}
