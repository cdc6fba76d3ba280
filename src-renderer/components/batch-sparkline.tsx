/** A batch row's hits per year as a tiny bar chart over the years every row shares (decoration: the table has the numbers). */
export function BatchSparkline({ years, span }: { years: Record<string, number> | undefined; span: string[] }) {
  if (!years || span.length === 0) return null;
  const max = Math.max(1, ...span.map((y) => years[y] ?? 0));
  return (
    <svg className="batch-spark" viewBox={`0 0 ${span.length * 4} 20`} preserveAspectRatio="none" aria-hidden="true">
      {span.map((y, i) => {
        const h = ((years[y] ?? 0) / max) * 20;
        return h > 0 ? <rect key={y} x={i * 4} y={20 - h} width={3} height={h} /> : null;
      })}
    </svg>
  );
}

/** Every year from the earliest to the latest any row has. */
export function yearSpan(rows: readonly { years?: Record<string, number> }[]): string[] {
  const all = rows.flatMap((r) => Object.keys(r.years ?? {})).map(Number).filter(Number.isFinite);
  if (all.length === 0) return [];
  const [lo, hi] = [Math.min(...all), Math.max(...all)];
  return Array.from({ length: Math.min(200, hi - lo + 1) }, (_, i) => String(lo + i).padStart(4, '0'));
}
