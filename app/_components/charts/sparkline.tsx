/**
 * A tiny trend line for table rows (server-rendered SVG: dozens per table, no chart library
 * needed). Scaled to its own maximum; a flat zero line when there is nothing.
 */
export function Sparkline({ values, color = "#6366f1", width = 96, height = 24, label }: { values: number[]; color?: string; width?: number; height?: number; label: string }) {
  const max = Math.max(1, ...values);
  const n = values.length;
  const pts = values.map((v, i) => `${n <= 1 ? 0 : ((i / (n - 1)) * width).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="overflow-visible">
      <title>{label}</title>
      {n ? <polyline points={pts.join(" ")} fill="none" stroke={color} strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" /> : null}
    </svg>
  );
}
